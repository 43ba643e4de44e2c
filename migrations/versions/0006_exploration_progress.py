"""Exploration progress: each exploration's row counts and first dates, kept by triggers;
and the interviews' date index covers their length.

The staff dashboard's funnel needs, for every exploration of a period, how many contacts,
questions, attempts, interviews and thank-you notes it has, and when it first had each. Counted
per request that is a read of every such row of the campus (the larger part of the dashboard's
time); here each write refreshes its own exploration's row instead. The triggers recompute the
affected columns from the tables (no running totals to drift), so any writer is covered:
the ORM, bulk deletes, imports, COPY.

On PostgreSQL the triggers run once per statement (a COPY of thousands of rows refreshes
each exploration once), and the refresh first locks the progress rows, so that two
transactions writing to the same exploration at once can't leave a count that misses one of
them: the recount runs after the lock, on a fresh snapshot.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 07:30:00
"""

from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = "exploration_progress.exploration_id"
_ATTEMPTS = ("FROM outreach_attempt JOIN contact ON contact.id = outreach_attempt.contact_id "
             f"WHERE contact.exploration_id = {_ID}")
_HELD = f"FROM interview WHERE interview.exploration_id = {_ID} AND interview.status = 'completed'"
_THANKS = (f"FROM follow_up_task WHERE follow_up_task.exploration_id = {_ID} "
           "AND follow_up_task.kind = 'thank_you_note'")
COLUMNS = {
    "contacts": f"SELECT count(*) FROM contact WHERE contact.exploration_id = {_ID}",
    "first_contact": f"SELECT min(created_at) FROM contact WHERE contact.exploration_id = {_ID}",
    "questions": ("SELECT count(*) FROM exploration_question "
                  f"WHERE exploration_question.exploration_id = {_ID}"),
    "attempts": f"SELECT count(*) {_ATTEMPTS}",
    "first_attempt": f"SELECT min(outreach_attempt.attempted_on) {_ATTEMPTS}",
    "interviews_booked": ("SELECT count(*) FROM interview WHERE interview.exploration_id = "
                          f"{_ID} AND interview.status = 'scheduled'"),
    "interviews_held": f"SELECT count(*) {_HELD}",
    "first_held": f"SELECT min(scheduled_at) {_HELD}",
    "thank_yous": f"SELECT count(*) {_THANKS}",
    "thank_yous_sent": f"SELECT count(*) {_THANKS} AND follow_up_task.status = 'done'",
    "first_thanked": f"SELECT min(completed_at) {_THANKS} AND follow_up_task.status = 'done'",
}

# PostgreSQL recounts a set of explorations (``ids``) in one pass per table: the correlated
# subqueries above, planned on tables just filled and not yet analyzed, can turn into a scan
# of a whole table per exploration. Each group: the join from the ids, the columns' aggregates.
_PG_GROUPS = {
    "contacts": ("LEFT JOIN contact x ON x.exploration_id = ids.k",
                 {"contacts": "count(x.id)", "first_contact": "min(x.created_at)"}),
    "questions": ("LEFT JOIN exploration_question x ON x.exploration_id = ids.k",
                  {"questions": "count(x.id)"}),
    "attempts": ("LEFT JOIN (contact c JOIN outreach_attempt x ON x.contact_id = c.id) "
                 "ON c.exploration_id = ids.k",
                 {"attempts": "count(x.id)", "first_attempt": "min(x.attempted_on)"}),
    "interviews": ("LEFT JOIN interview x ON x.exploration_id = ids.k",
                   {"interviews_booked": "count(*) FILTER (WHERE x.status = 'scheduled')",
                    "interviews_held": "count(*) FILTER (WHERE x.status = 'completed')",
                    "first_held": "min(x.scheduled_at) FILTER (WHERE x.status = 'completed')"}),
    "thanks": ("LEFT JOIN follow_up_task x ON x.exploration_id = ids.k "
               "AND x.kind = 'thank_you_note'",
               {"thank_yous": "count(x.id)",
                "thank_yous_sent": "count(*) FILTER (WHERE x.status = 'done')",
                "first_thanked": "min(x.completed_at) FILTER (WHERE x.status = 'done')"}),
}


def _pg_refresh(group: str) -> str:
    join, aggregates = _PG_GROUPS[group]
    values = ", ".join(f"{expression} AS {name}" for name, expression in aggregates.items())
    assignments = ", ".join(f"{name} = g.{name}" for name in aggregates)
    return (f"UPDATE exploration_progress SET {assignments} FROM (SELECT ids.k, {values} "
            f"FROM unnest(ids) AS ids(k) {join} GROUP BY ids.k) AS g "
            "WHERE exploration_progress.exploration_id = g.k")


class Counted(NamedTuple):
    """A counted table: the exploration of one changed row (``{row}`` is OLD or NEW, for
    SQLite's row triggers), the explorations of a set of changed rows (``{rows}`` is a
    PostgreSQL transition table, aliased ``r``), the groups of progress columns its writes
    change, and the columns whose updates matter."""

    row_key: str
    rows_keys: str
    groups: tuple[str, ...]
    watched: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return [name for group in self.groups for name in _PG_GROUPS[group][1]]


_DIRECT = ("{row}.exploration_id", "SELECT r.exploration_id FROM {rows} r")
TABLES = {
    "contact": Counted(*_DIRECT, ("contacts", "attempts"), ("exploration_id", "created_at")),
    "exploration_question": Counted(*_DIRECT, ("questions",), ("exploration_id",)),
    "outreach_attempt": Counted(
        "(SELECT exploration_id FROM contact WHERE contact.id = {row}.contact_id)",
        "SELECT contact.exploration_id FROM {rows} r JOIN contact ON contact.id = r.contact_id",
        ("attempts",), ("contact_id", "attempted_on")),
    "interview": Counted(*_DIRECT, ("interviews",), ("exploration_id", "status", "scheduled_at")),
    "follow_up_task": Counted(*_DIRECT, ("thanks",),
                              ("exploration_id", "kind", "status", "completed_at")),
}


def _refresh(columns: Sequence[str], where: str) -> str:
    assignments = ", ".join(f"{name} = ({COLUMNS[name]})" for name in columns)
    return f"UPDATE exploration_progress SET {assignments} WHERE {where}"


def _sqlite_triggers() -> list[str]:
    statements = ["CREATE TRIGGER exploration_progress_start AFTER INSERT ON exploration "
                  "BEGIN INSERT INTO exploration_progress (exploration_id) VALUES (NEW.id); END"]
    for table, counted in TABLES.items():
        old, new = counted.row_key.format(row="OLD"), counted.row_key.format(row="NEW")
        for event, keys in (("INSERT", new), ("DELETE", old),
                            (f"UPDATE OF {', '.join(counted.watched)}", f"{old}, {new}")):
            name = f"exploration_progress_{table}_{event.split()[0].lower()}"
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                f"{_refresh(counted.columns, f'exploration_id IN ({keys})')}; END")
    return statements


# PostgreSQL: statement triggers with transition tables, so that a bulk write (a COPY, a
# DELETE of many rows) refreshes each exploration once. Plans are made afresh on each call:
# a plan cached while the tables were small would scan them whole once they are not.
_PG_EVENTS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", ("new_rows",)),
    "delete": ("REFERENCING OLD TABLE AS old_rows", ("old_rows",)),
    "update": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
               ("old_rows", "new_rows")),
}


def _postgresql_triggers() -> list[str]:
    statements = [
        "CREATE FUNCTION exploration_progress_start() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO exploration_progress (exploration_id) VALUES (NEW.id); "
        "RETURN NULL; END $$",
        "CREATE TRIGGER exploration_progress_start AFTER INSERT ON exploration "
        "FOR EACH ROW EXECUTE FUNCTION exploration_progress_start()",
    ]
    for table, counted in TABLES.items():
        for event, (referencing, sets) in _PG_EVENTS.items():
            name = f"exploration_progress_{table}_{event}"
            rows = {source: source for source in sets}
            if event == "update":  # only the rows whose watched columns changed
                changed = (f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE "
                           f"({', '.join(f'o.{c}' for c in counted.watched)}) IS DISTINCT FROM "
                           f"({', '.join(f'n.{c}' for c in counted.watched)}))")
                rows = {"old_rows": changed.replace("SELECT n.*", "SELECT o.*"),
                        "new_rows": changed}
            keys = " UNION ALL ".join(counted.rows_keys.format(rows=source)
                                      for source in rows.values())
            statements += [
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
                "SET plan_cache_mode = force_custom_plan AS $$ "
                "DECLARE ids integer[]; BEGIN "
                "SELECT array_agg(DISTINCT k ORDER BY k) INTO ids "
                f"FROM ({keys}) AS changed(k) WHERE k IS NOT NULL; "
                "IF ids IS NULL THEN RETURN NULL; END IF; "
                # Lock first: the recount then runs on a snapshot taken after the lock.
                "PERFORM 1 FROM exploration_progress WHERE exploration_id = ANY(ids) "
                "ORDER BY exploration_id FOR UPDATE; "
                + "".join(f"{_pg_refresh(group)}; " for group in counted.groups)
                + "RETURN NULL; END $$",
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
            ]
    return statements


def upgrade() -> None:
    op.create_table(
        'exploration_progress',
        sa.Column('exploration_id', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default='0') for name in (
            'contacts', 'questions', 'attempts', 'interviews_booked', 'interviews_held',
            'thank_yous', 'thank_yous_sent')),
        sa.Column('first_contact', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('first_attempt', sa.Date(), nullable=True),
        sa.Column('first_held', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('first_thanked', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['exploration_id'], ['exploration.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('exploration_id'),
    )
    # Existing explorations: a row each, counted now.
    op.execute("INSERT INTO exploration_progress (exploration_id) SELECT id FROM exploration")
    op.execute(_refresh(list(COLUMNS), "1 = 1"))
    dialect = op.get_bind().dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)
    # The headline's "thank-you notes within 48 hours" also reads each interview's length.
    op.drop_index('ix_interview_scheduled_at_status_owner_id', table_name='interview')
    op.create_index('ix_interview_scheduled_at_status_owner_id_duration_minutes', 'interview',
                    ['scheduled_at', 'status', 'owner_id', 'duration_minutes'])


def downgrade() -> None:
    op.drop_index('ix_interview_scheduled_at_status_owner_id_duration_minutes',
                  table_name='interview')
    op.create_index('ix_interview_scheduled_at_status_owner_id', 'interview',
                    ['scheduled_at', 'status', 'owner_id'])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER exploration_progress_start ON exploration")
        op.execute("DROP FUNCTION exploration_progress_start()")
        for table in TABLES:
            for event in _PG_EVENTS:
                op.execute(f"DROP TRIGGER exploration_progress_{table}_{event} ON {table}")
                op.execute(f"DROP FUNCTION exploration_progress_{table}_{event}()")
    else:
        op.execute("DROP TRIGGER exploration_progress_start")
        for table in TABLES:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER exploration_progress_{table}_{event}")
    op.drop_table('exploration_progress')

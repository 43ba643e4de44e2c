"""How long the staff dashboard takes on a synthetic campus, on SQLite and PostgreSQL, against
hand-written SQL for the same figures run in the same process. From the repository root:

    export PATH=$PWD/.venv/bin:$PATH
    export INFOVIEW_TEST_POSTGRES_URL=postgresql+psycopg://...   # a role that may CREATE DATABASE
    python bench/dashboard_scale.py            # 10,000 students (1x)
    python bench/dashboard_scale.py --big      # and 100,000 students (10x): minutes, gigabytes

Each scale gets a fresh SQLite file and a fresh PostgreSQL database, migrated to head and
filled by ``services.demo.synthetic_campus`` (executemany / COPY); PostgreSQL is then VACUUM
ANALYZEd, as a live database would be. Timings follow one warm-up: the median wall time of
``--repeat`` runs, and the mean CPU time of this process plus, for PostgreSQL, of the session's
server process (from /proc): on a shared machine the CPU time is the steadier figure, since waiting
for a core counts in wall time only. Each period also prints how far the dashboard's rounding
(docs/privacy.md) moves a few figures from the exact counts of the hand-written SQL. Nothing
here asserts on time.
"""

import argparse
import os
import statistics
import tempfile
import time as clock
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from procfs import process_cpu_seconds
from sqlmodel import Session

from infoview_app import db
from infoview_app.services.demo import synthetic_campus
from infoview_app.services.staff.dashboard.filters import (
    DashboardFilters,
    default_filters,
    whole_weeks,
)
from infoview_app.services.staff.dashboard.page import dashboard

TODAY = date(2026, 6, 30)
TARGET_MS = 300
TARGET_RATIO = 1.5

# Hand-written SQL for the same figures, one statement per group of figures, as a developer
# would write it for this schema and these indexes. {day:X} and {date_day:X} are the dialect's
# day number of a timestamp / a date.
_POP = ("pop AS (SELECT id FROM user_account WHERE role = 'student' AND is_active "
        "= :true)")
_IN_PERIOD = "{col} >= :start_at AND {col} < :after"
HAND_SQL = {
    "headline": f"""
WITH {_POP}
SELECT
 (SELECT count(*) FROM pop),
 (SELECT count(*) FROM (
    SELECT owner_id FROM exploration WHERE {_IN_PERIOD.format(col="created_at")}
    UNION SELECT owner_id FROM contact WHERE {_IN_PERIOD.format(col="created_at")}
    UNION SELECT owner_id FROM outreach_attempt WHERE attempted_on BETWEEN :start AND :end
    UNION SELECT owner_id FROM interview WHERE status = 'completed'
          AND {_IN_PERIOD.format(col="scheduled_at")}
    UNION SELECT owner_id FROM follow_up_task WHERE status = 'done'
          AND {_IN_PERIOD.format(col="completed_at")}) a
  WHERE owner_id IN (SELECT id FROM pop)),
 (SELECT count(*) FROM exploration WHERE {_IN_PERIOD.format(col="created_at")}
    AND owner_id IN (SELECT id FROM pop)),
 (SELECT count(DISTINCT owner_id) FROM exploration WHERE {_IN_PERIOD.format(col="created_at")}
    AND owner_id IN (SELECT id FROM pop))""",
    "interviews": f"""
WITH {_POP}
SELECT count(*), count(DISTINCT i.owner_id),
       sum(CASE WHEN EXISTS (SELECT 1 FROM follow_up_task t WHERE t.interview_id = i.id
             AND t.kind = 'thank_you_note' AND t.status = 'done'
             AND {{day:t.completed_at}} - {{day:i.scheduled_at}} <= 2) THEN 1 ELSE 0 END)
FROM interview i WHERE i.status = 'completed' AND {_IN_PERIOD.format(col="i.scheduled_at")}
  AND i.owner_id IN (SELECT id FROM pop)""",
    "contacts": f"""
WITH {_POP}, c AS (
  SELECT owner_id, stage, source, referred_by_id,
         CASE stage WHEN 'identified' THEN 0 WHEN 'contacted' THEN 1 WHEN 'scheduled' THEN 2
                    WHEN 'interviewed' THEN 3 WHEN 'thanked' THEN 4 END AS rank
  FROM contact WHERE {_IN_PERIOD.format(col="created_at")}
    AND owner_id IN (SELECT id FROM pop))
SELECT 'reached' AS kind, CAST(r.n AS VARCHAR(2)) AS key, count(*), count(DISTINCT c.owner_id)
  FROM c JOIN (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
               UNION ALL SELECT 4) r ON c.rank >= r.n GROUP BY r.n
UNION ALL SELECT 'stage', stage, count(*), count(DISTINCT owner_id) FROM c GROUP BY stage
UNION ALL SELECT 'source', source, count(*), count(DISTINCT owner_id) FROM c GROUP BY source
UNION ALL SELECT 'referred', '', count(*), count(DISTINCT owner_id) FROM c
  WHERE referred_by_id IS NOT NULL""",
    "cohort": f"""
WITH {_POP},
e AS (SELECT e.owner_id, e.created_at, e.occupation_code, e.research_notes, e.pitch, p.*
      FROM exploration e JOIN exploration_progress p ON p.exploration_id = e.id
      WHERE {_IN_PERIOD.format(col="e.created_at")} AND e.owner_id IN (SELECT id FROM pop)),
f AS (SELECT owner_id,
        CASE WHEN coalesce(occupation_code, '') <> '' OR trim(research_notes) <> ''
             THEN 1 ELSE 0 END AS s1,
        CASE WHEN contacts > 0 THEN 1 ELSE 0 END AS s2,
        CASE WHEN trim(pitch) <> '' OR questions > 0 THEN 1 ELSE 0 END AS s3,
        CASE WHEN attempts > 0 OR interviews_booked + interviews_held > 0 THEN 1 ELSE 0 END
          AS s4,
        CASE WHEN interviews_booked > 0 OR interviews_held > 0 THEN 1 ELSE 0 END AS s5,
        CASE WHEN thank_yous > 0 THEN 1 ELSE 0 END AS s6,
        {{day:created_at}} AS m0, {{day:first_contact}} AS m1, {{date_day:first_attempt}} AS m2,
        {{day:first_held}} AS m3, {{day:first_thanked}} AS m4
      FROM e),
d AS (SELECT 0 AS step, owner_id, m1 - m0 AS days FROM f WHERE m1 IS NOT NULL
      UNION ALL SELECT 1, owner_id, m2 - m1 FROM f WHERE m1 IS NOT NULL AND m2 IS NOT NULL
      UNION ALL SELECT 2, owner_id, m3 - m2 FROM f WHERE m2 IS NOT NULL AND m3 IS NOT NULL
      UNION ALL SELECT 3, owner_id, m4 - m3 FROM f WHERE m3 IS NOT NULL AND m4 IS NOT NULL),
r AS (SELECT step, owner_id, CASE WHEN days < 0 THEN 0 ELSE days END AS days,
             row_number() OVER (PARTITION BY step ORDER BY days) AS rn,
             count(*) OVER (PARTITION BY step) AS n FROM d)
SELECT 'funnel', NULL, count(*), count(DISTINCT owner_id), sum(s1), sum(s2), sum(s3),
       sum(s4), sum(s5), sum(s6),
       count(DISTINCT CASE WHEN s1 = 1 THEN owner_id END),
       count(DISTINCT CASE WHEN s2 = 1 THEN owner_id END),
       count(DISTINCT CASE WHEN s3 = 1 THEN owner_id END),
       count(DISTINCT CASE WHEN s4 = 1 THEN owner_id END),
       count(DISTINCT CASE WHEN s5 = 1 THEN owner_id END),
       count(DISTINCT CASE WHEN s6 = 1 THEN owner_id END), NULL FROM f
UNION ALL
SELECT 'median', step, count(*), count(DISTINCT owner_id), NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN days END) FROM r GROUP BY step""",
    "weekly": f"""
WITH {_POP}, w AS (
  SELECT 'interviews' AS kind, owner_id, {{day:scheduled_at}} AS d FROM interview
  WHERE status = 'completed' AND {_IN_PERIOD.format(col="scheduled_at")}
  UNION ALL SELECT 'outreach', owner_id, {{date_day:attempted_on}} FROM outreach_attempt
  WHERE attempted_on BETWEEN :start AND :end)
SELECT kind, d - (d + 3) % 7 AS week, count(*), count(DISTINCT owner_id) FROM w
WHERE owner_id IN (SELECT id FROM pop) GROUP BY kind, week""",
    "fields": f"""
WITH {_POP}
SELECT o.major_group, count(*), count(DISTINCT e.owner_id)
FROM exploration e LEFT JOIN occupation o ON o.code = e.occupation_code
WHERE {_IN_PERIOD.format(col="e.created_at")} AND e.owner_id IN (SELECT id FROM pop)
GROUP BY o.major_group""",
}
DAY = {
    "sqlite": ("CAST(julianday({x}) - 2440587.5 AS INTEGER)",) * 2,
    "postgresql": ("(CAST(timezone('UTC', {x}) AS DATE) - DATE '1970-01-01')",
                   "({x} - DATE '1970-01-01')"),
}


def hand_statements(dialect: str) -> dict[str, sa.TextClause]:
    day, date_day = DAY[dialect]
    out = {}
    for name, sql in HAND_SQL.items():
        for macro, template in (("{day:", day), ("{date_day:", date_day)):
            while macro in sql:
                start = sql.index(macro)
                stop = sql.index("}", start)
                sql = sql[:start] + template.format(x=sql[start + len(macro):stop]) \
                    + sql[stop + 1:]
        out[name] = sa.text(sql)
    return out


def hand_params(filters: DashboardFilters) -> dict[str, Any]:
    start_at = datetime.combine(filters.start, time(), UTC)
    after = datetime.combine(filters.end + timedelta(days=1), time(), UTC)
    return {"start_at": start_at, "after": after, "start": filters.start, "end": filters.end,
            "true": True}


@dataclass
class Timing:
    wall_ms: float  # median
    cpu_ms: float  # mean; this process and, for PostgreSQL, the session's server process


def measure(work: Callable[[], object], repeat: int, server_pid: int | None = None) -> Timing:
    """Time ``work`` after one warm-up (statement caches, the database's page cache)."""
    work()

    def cpu() -> float:
        own = clock.process_time()
        return own + (process_cpu_seconds(server_pid) if server_pid else 0.0)

    walls = []
    cpu_before = cpu()
    for _ in range(repeat):
        wall = clock.perf_counter()
        work()
        walls.append(clock.perf_counter() - wall)
    return Timing(statistics.median(walls) * 1000, (cpu() - cpu_before) / repeat * 1000)


def server_pid(session: Session) -> int | None:
    """The PostgreSQL server process of the session's connection (it stays for the session)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return None
    return int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def fresh_databases(tmp: Path, label: str, pg_admin: str | None) -> dict[str, str]:
    urls = {"SQLite": f"sqlite:///{tmp / f'campus-{label}.db'}"}
    if pg_admin:
        name = f"infoview_bench_{label}_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(pg_admin, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        urls["PostgreSQL"] = sa.make_url(pg_admin).set(database=name).render_as_string(
            hide_password=False)
    return urls


def drop_database(pg_admin: str, url: str) -> None:
    db.engine_for(url).dispose()
    admin = sa.create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(
            f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def fill(url: str, size: synthetic_campus.CampusSize) -> tuple[float, dict[str, int]]:
    db.upgrade_to_head(url)
    engine = db.engine_for(url)
    started = clock.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        written = synthetic_campus.create_campus(session, size, TODAY)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    return clock.perf_counter() - started, written


def rounding_effect(session: Session, filters: DashboardFilters,
                    hand: dict[str, sa.TextClause]) -> str:
    """The service's rounded figures beside the exact counts of the hand-written SQL: how far
    the rounding (services/staff/suppression.py) moves them. The hand-written SQL counts what the
    service counts: a difference beyond 4 per cell behind a figure would be a bug."""
    figures = dashboard(session, filters)
    params = hand_params(filters)
    interviews = session.connection().execute(hand["interviews"], params).one()
    cohort = session.connection().execute(hand["cohort"], params).all()
    funnel = next(row for row in cohort if row[0] == "funnel")
    shown = {figure["key"]: figure["value"] for figure in figures["headline"]}
    pairs = [("explorations started", shown["explorations_started"], funnel[2]),
             ("interviews held", shown["interviews_held"], interviews[0]),
             *((f"step {n}", row["explorations"], funnel[3 + n])
               for n, row in enumerate(figures["charts"][0]["rows"], start=1))]
    return "; ".join(f"{name} {value} (exact {exact}, {_off(value, exact)})"
                     for name, value, exact in pairs)


def _off(value: str, exact: int) -> str:
    if not value.isdigit():
        return "hidden"
    return f"{100 * (int(value) - exact) / exact:+.1f}%" if exact else "exact 0"


def bench_scale(label: str, factor: float, tmp: Path, pg_admin: str | None, repeat: int
                ) -> list[list[str]]:
    size = synthetic_campus.CampusSize().scaled(factor)
    rows = []
    for database, url in fresh_databases(tmp, label, pg_admin).items():
        try:
            seconds, written = fill(url, size)
            print(f"{label} {database}: {sum(written.values()):,} rows written in "
                  f"{seconds:.0f} s ({written})", flush=True)
            engine = db.engine_for(url)
            hand = hand_statements(engine.dialect.name)
            year = whole_weeks(TODAY - timedelta(days=364), TODAY)
            for period, filters in (("last 13 weeks", default_filters(TODAY)),
                                    ("12 months", DashboardFilters(*year))):
                with Session(engine, expire_on_commit=False) as session:
                    print(f"  {period}, rounded: {rounding_effect(session, filters, hand)}",
                          flush=True)
                    pid = server_pid(session)
                    ours = measure(lambda s=session, f=filters: dashboard(s, f),
                                   repeat, pid)
                    params = hand_params(filters)

                    def hand_work(s: Session = session, p: dict[str, Any] = params,
                                  h: dict[str, sa.TextClause] = hand) -> None:
                        for statement in h.values():
                            s.connection().execute(statement, p).all()

                    theirs = measure(hand_work, repeat, pid)
                ratio, cpu_ratio = (ours.wall_ms / theirs.wall_ms, ours.cpu_ms / theirs.cpu_ms)
                print(f"  {period}: dashboard {ours.wall_ms:.0f} ms ({ours.cpu_ms:.0f} ms CPU), "
                      f"hand-written SQL {theirs.wall_ms:.0f} ms ({theirs.cpu_ms:.0f} ms CPU)",
                      flush=True)
                rows.append([label, f"{size.students:,}", database, period,
                             f"{ours.wall_ms:.0f} / {theirs.wall_ms:.0f}", f"{ratio:.2f}x",
                             f"{ours.cpu_ms:.0f} / {theirs.cpu_ms:.0f}", f"{cpu_ratio:.2f}x"])
        finally:
            if database == "PostgreSQL" and pg_admin:
                drop_database(pg_admin, url)
    return rows


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--big", action="store_true",
                        help="also measure ten times the campus (100,000 students)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per measurement")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    return parser.parse_args()


def run(big: bool, repeat: int, pg_admin: str | None) -> str:
    """Measure every scale and database; returns the results as a Markdown table."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="infoview-dashboard-") as tmp_name:
        scales = [("1x", 1.0)] + ([("10x", 10.0)] if big else [])
        for label, factor in scales:
            rows += bench_scale(label, factor, Path(tmp_name), pg_admin, repeat)
    header = ["scale", "students", "database", "period",
              "wall ms, dashboard / hand-written", "ratio", "CPU ms, dashboard / hand-written",
              "CPU ratio"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return ("\n".join(lines) + f"\n\nTargets: the dashboard under {TARGET_MS} ms at 10,000 "
            f"students on SQLite, at most {TARGET_RATIO}x the hand-written SQL, no worse than "
            "linear from 1x to 10x.")


def main() -> None:
    args = parse_args()
    pg_admin = None if args.no_postgres else os.environ.get("INFOVIEW_TEST_POSTGRES_URL")
    if not args.no_postgres and not pg_admin:
        raise SystemExit("Set INFOVIEW_TEST_POSTGRES_URL (or pass --no-postgres).")
    load = ", ".join(f"{average:.1f}" for average in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}", flush=True)
    print("\n" + run(args.big, args.repeat, pg_admin))


if __name__ == "__main__":
    main()

"""The audit log: security-relevant events, appended and never changed.

Who acted (their id and their email as it was then; none for a failed sign-in), what
(``AuditKind``), to which account or with what short detail, when (UTC) and from which client
address (the one the throttle counts, ``state.base.client_address``). The details are fixed
phrases built here and by the services that record events, with no more of the user's own
text than the names and emails of the accounts concerned: never a password, a token, a note
or an answer.

``record`` adds an event to the caller's transaction (it commits or rolls back with the
caller's write, so nothing is half-saved); ``record_alone`` commits one on its own, for
events with nothing else to write (a failed sign-in, a download). Admins read the events
(``events``, ``events_csv``); ``prune`` deletes those past the retention period."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, delete, func, or_, select

from infoview_app.models import AuditEvent, AuditKind, User
from infoview_app.models._base import utcnow
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.spreadsheets import csv_cell
from infoview_app.services.core.sql_dialects import LIKE_ESCAPE, escape_like
from infoview_app.services.core.transactions import transaction
from infoview_app.services.core.wording import AUDIT_KIND_LABELS

DETAIL_MAX = 255
CLIENT_MAX = 64
SHOWN = 500  # events the admin page lists at once; the filters narrow them down
CSV_MAX = 10_000  # events in one CSV download
RETENTION_RANGE = (1, 36_500)


@dataclass(frozen=True)
class Actor:
    """Who does something and from where, as the state knows them: the signed-in user's id
    (None for a visitor, e.g. someone signing in) and the client address."""

    user_id: int | None
    client: str


@dataclass(frozen=True)
class Target:
    """What an event is about: an account (its id and email) and/or a short fixed detail
    ("Role: Student", "changed: Time zone")."""

    user_id: int | None = None
    email: str = ""
    detail: str = ""


NO_TARGET = Target()


def _short(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record(session: Session, kind: AuditKind, *, actor_id: int | None,
           actor_email: str | None, target: Target, client: str) -> None:
    """Add an event to the session: it is saved by the caller's transaction (and rolled back
    with it). The caller commits it, with ``transaction`` or ``save``."""
    session.add(AuditEvent(
        kind=AuditKind(kind), actor_id=actor_id,
        actor_email=_short(actor_email, check.EMAIL_MAX) or None,
        target_id=target.user_id, target_email=_short(target.email, check.EMAIL_MAX) or None,
        detail=_short(target.detail, DETAIL_MAX), client=_short(client, CLIENT_MAX)))


def record_by(session: Session, kind: AuditKind, by: Actor, target: Target = NO_TARGET
              ) -> None:
    """``record`` an event done by ``by`` (their email read from their account)."""
    email = None
    if by.user_id is not None:
        email = session.exec(select(User.email).where(User.id == by.user_id)).first()
    record(session, kind, actor_id=by.user_id, actor_email=email, target=target,
           client=by.client)


def record_alone(session: Session, kind: AuditKind, by: Actor, target: Target = NO_TARGET
                 ) -> None:
    """``record_by`` in a transaction of its own: for events that write nothing else."""
    with transaction(session):
        record_by(session, kind, by, target)


@dataclass(frozen=True)
class AuditRow:
    """One event as the admin page and the CSV show it."""

    id: int
    created_at: datetime
    kind: AuditKind
    actor_id: int | None
    actor_email: str
    target_id: int | None
    target_email: str
    detail: str
    client: str

    @property
    def label(self) -> str:
        return AUDIT_KIND_LABELS[self.kind]

    @property
    def when(self) -> str:
        """The time in UTC to the second, "2026-12-07 13:04:05"."""
        return self.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class AuditFilters:
    """Which events to show: of one kind (None: all), whose actor or target email contains
    ``email`` (lower-case; "": any), from ``start`` to ``end`` (UTC days, both included)."""

    kind: AuditKind | None = None
    email: str = ""
    start: date | None = None
    end: date | None = None


NO_FILTERS = AuditFilters()


def _optional_date(value: Any, field: str, label: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check.iso_date(value, field, label)


def parse_filters(form: Any) -> AuditFilters:
    """The filter form's fields, validated (every failing field reported at once)."""
    form = form if isinstance(form, dict) else {}
    kind = form.get("kind")
    filters = check.form(
        AuditFilters,
        kind=lambda: check.choice(kind, AuditKind, "kind") if kind not in (None, "") else None,
        email=lambda: check.text(form.get("email"), "email", max_length=check.EMAIL_MAX,
                                 required=False, label="Email").lower(),
        start=lambda: _optional_date(form.get("start"), "start", "start date"),
        end=lambda: _optional_date(form.get("end"), "end", "end date"),
    )
    if filters.start and filters.end and filters.end < filters.start:
        raise InvalidInput("The end date is before the start date.", "end")
    return filters


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def events(session: Session, filters: AuditFilters = NO_FILTERS, *, limit: int = SHOWN
           ) -> list[AuditRow]:
    """The events matching ``filters``, newest first, at most ``limit`` of them."""
    query = select(AuditEvent)
    if filters.kind is not None:
        query = query.where(AuditEvent.kind == filters.kind)
    if filters.email:
        pattern = f"%{escape_like(filters.email)}%"
        query = query.where(or_(
            func.lower(col(AuditEvent.actor_email)).like(pattern, escape=LIKE_ESCAPE),
            func.lower(col(AuditEvent.target_email)).like(pattern, escape=LIKE_ESCAPE)))
    if filters.start is not None:
        query = query.where(AuditEvent.created_at >= _midnight(filters.start))
    if filters.end is not None:
        query = query.where(AuditEvent.created_at < _midnight(filters.end + timedelta(days=1)))
    query = query.order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
    return [AuditRow(id=event.id or 0, created_at=event.created_at, kind=AuditKind(event.kind),
                     actor_id=event.actor_id, actor_email=event.actor_email or "",
                     target_id=event.target_id, target_email=event.target_email or "",
                     detail=event.detail, client=event.client)
            for event in session.exec(query.limit(limit)).all()]


CSV_HEADER = ("When (UTC)", "Event", "Actor email", "Actor id", "Target email", "Target id",
              "Detail", "Client address")


def events_csv(session: Session, filters: AuditFilters = NO_FILTERS) -> str:
    """The events matching ``filters`` as CSV, newest first (at most ``CSV_MAX``; a last line
    says so when there were more); cells that a spreadsheet would run as a formula are
    quoted as text."""
    rows = events(session, filters, limit=CSV_MAX + 1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows[:CSV_MAX]:
        writer.writerow([csv_cell(value) for value in (
            row.when, row.label, row.actor_email, row.actor_id, row.target_email,
            row.target_id, row.detail, row.client)])
    if len(rows) > CSV_MAX:
        writer.writerow([])
        writer.writerow([f"Only the newest {CSV_MAX:,} matching events: narrow the dates to "
                         "download older ones."])
    return out.getvalue()


def prune(session: Session, older_than_days: Any, now: datetime | None = None) -> int:
    """Delete the events older than ``older_than_days`` days; returns how many."""
    days = check.whole_number(older_than_days, "days", low=RETENTION_RANGE[0],
                              high=RETENTION_RANGE[1])
    cutoff = (now or utcnow()) - timedelta(days=days)
    with transaction(session):
        result = session.exec(delete(AuditEvent).where(col(AuditEvent.created_at) < cutoff))
    return result.rowcount

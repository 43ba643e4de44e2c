"""The staff dashboard's reminder figures: digests sent and switches to no reminders in the
period, counted per cell and rounded like every other figure, small groups shown as "<5"."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from infoview_app.models import AuditEvent, AuditKind, ReminderDigest, Role, User
from infoview_app.services.staff.dashboard.filters import DashboardFilters
from infoview_app.services.staff.dashboard.page import dashboard

MONDAY = date(2026, 11, 2)
PERIOD = DashboardFilters(start=MONDAY, end=MONDAY + timedelta(days=27))
IN_PERIOD = datetime(2026, 11, 4, 9, 0, tzinfo=UTC)
BEFORE = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def _students(session: Session, count: int, major: str) -> list[int]:
    users = [User(email=f"{major}{n}@uni.edu", email_key=f"{major}{n}@uni.edu",
                  name=f"Student {n}", role=Role.STUDENT, password_hash="x", major=major,
                  graduation_year=2027) for n in range(count)]
    session.add_all(users)
    session.commit()
    return [user.id for user in users if user.id is not None]


def _figures(session: Session, filters: DashboardFilters) -> dict[str, str]:
    return {figure["key"]: figure["value"] for figure in dashboard(session, filters)["headline"]}


def test_reminders_sent_and_turned_off_in_the_period(session: Session) -> None:
    biology = _students(session, 20, "Biology")
    history = _students(session, 3, "History")
    session.add_all([ReminderDigest(user_id=uid, local_date=IN_PERIOD.date(),
                                    claimed_at=IN_PERIOD, sent_at=IN_PERIOD) for uid in biology])
    session.add_all([ReminderDigest(user_id=uid, local_date=BEFORE.date(), claimed_at=BEFORE,
                                    sent_at=BEFORE) for uid in biology])  # before the period
    session.add_all([ReminderDigest(user_id=uid, local_date=IN_PERIOD.date(),
                                    claimed_at=IN_PERIOD) for uid in history])  # never sent
    session.add_all([AuditEvent(kind=AuditKind.REMINDERS_OFF, target_id=uid,
                                created_at=IN_PERIOD) for uid in biology[:10]])
    session.add_all([AuditEvent(kind=AuditKind.SIGN_IN, target_id=uid, created_at=IN_PERIOD)
                     for uid in biology])  # other events don't count
    session.commit()

    # One cell each (one major, year and week), multiples of 5: rounding keeps them.
    figures = _figures(session, PERIOD)
    assert (figures["reminders_sent"], figures["reminder_unsubscribes"]) == ("20", "10")
    history_only = DashboardFilters(start=PERIOD.start, end=PERIOD.end, major="History")
    figures = _figures(session, history_only)
    assert (figures["reminders_sent"], figures["reminder_unsubscribes"]) == ("<5", "<5")


def test_a_small_group_is_never_shown_exactly(session: Session) -> None:
    few = _students(session, 2, "Dance")
    session.add_all([AuditEvent(kind=AuditKind.REMINDERS_OFF, target_id=uid,
                                created_at=IN_PERIOD) for uid in few])
    session.commit()
    assert _figures(session, PERIOD)["reminder_unsubscribes"] in ("<5", "5")

"""Everyone's own time zone against a real database (SQLite and PostgreSQL): taken from the
browser once, changed on the account page, and the "today" and due dates counted from it,
on both sides of a daylight-saving change."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from infoview_app.models import FollowUpKind, User
from infoview_app.services.accounts import user_zones
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.interview import interview_mode
from infoview_app.services.staff.institution import reader_zone, today_for
from tests.factories import add_contact, add_interview, student, student_with_exploration


def _stored_zone(session: Session, user_id: int) -> str | None:
    session.expire_all()
    return session.exec(select(User.time_zone).where(User.id == user_id)).one()


def test_the_browsers_zone_is_taken_once_and_never_over_a_zone_already_set(
        session: Session) -> None:
    first, second = student(session, 1), student(session, 2)
    for refused in ("Mars/Olympus", "", None, 7, ["Europe/Paris"], "x" * 100, "localtime"):
        assert user_zones.adopt_browser_zone(session, first, refused) is False, refused
    assert _stored_zone(session, first) is None
    assert user_zones.adopt_browser_zone(session, first, "America/Los_Angeles") is True
    # The next sign-in, from a browser elsewhere, leaves it.
    assert user_zones.adopt_browser_zone(session, first, "Europe/Berlin") is False
    assert _stored_zone(session, first) == "America/Los_Angeles"
    assert reader_zone(session, first) == ZoneInfo("America/Los_Angeles")
    # A zone the user chose is theirs: the browser's report never replaces it either.
    user_zones.set_time_zone(session, second, "Asia/Tokyo")
    assert user_zones.adopt_browser_zone(session, second, "Europe/Berlin") is False
    assert _stored_zone(session, second) == "Asia/Tokyo"


def test_the_account_page_sets_a_zone_or_the_institutions_and_refuses_others(
        session: Session) -> None:
    user = student(session, 1)
    assert user_zones.zone_setting(session, user) == user_zones.ZoneSetting("", "UTC")
    assert user_zones.set_time_zone(session, user, " Europe/Berlin ") == (
        user_zones.ZoneSetting("Europe/Berlin", "UTC"))
    for bad in ("Europe/Atlantis", "Factory", "x" * 65, 3, None, {"zone": "UTC"}):
        with pytest.raises(InvalidInput) as refused:
            user_zones.set_time_zone(session, user, bad)
        assert refused.value.errors == {"time_zone": "Choose your time zone from the list."}
        assert _stored_zone(session, user) == "Europe/Berlin"
    assert user_zones.set_time_zone(session, user, "") == user_zones.ZoneSetting("", "UTC")
    assert _stored_zone(session, user) is None  # follows the institution's from now on


# (zone, the instant just before local midnight on each side of the change, that local day)
DST_SIDES = [
    # New York springs forward on 8 March 2026: UTC-5 before, UTC-4 after.
    ("America/New_York", datetime(2026, 3, 8, 4, 59, tzinfo=UTC), date(2026, 3, 7)),
    ("America/New_York", datetime(2026, 3, 9, 3, 59, tzinfo=UTC), date(2026, 3, 8)),
    # ... and falls back on 1 November 2026: UTC-4 before, UTC-5 after.
    ("America/New_York", datetime(2026, 11, 1, 3, 59, tzinfo=UTC), date(2026, 10, 31)),
    ("America/New_York", datetime(2026, 11, 2, 4, 59, tzinfo=UTC), date(2026, 11, 1)),
    # Berlin springs forward on 29 March 2026: UTC+1 before, UTC+2 after.
    ("Europe/Berlin", datetime(2026, 3, 28, 22, 59, tzinfo=UTC), date(2026, 3, 28)),
    ("Europe/Berlin", datetime(2026, 3, 29, 21, 59, tzinfo=UTC), date(2026, 3, 29)),
]


@pytest.mark.parametrize(("zone", "instant", "local_day"), DST_SIDES)
def test_today_is_the_users_local_day_on_both_sides_of_a_clock_change(
        session: Session, zone: str, instant: datetime, local_day: date) -> None:
    user = student(session, 1)
    user_zones.set_time_zone(session, user, zone)
    assert today_for(session, user, instant) == local_day
    # A minute later it is the next day there (and still the same day in UTC, or not).
    assert today_for(session, user, instant + timedelta(minutes=1)) == (
        local_day + timedelta(days=1))


def _due_after_interview(session: Session, zone: str, local_start: datetime,
                         minutes: int = 20) -> dict[FollowUpKind, date]:
    """Complete an interview held at ``local_start`` (naive, in ``zone``) by a student in
    ``zone``, recorded the next local day; the due date of each task it creates."""
    owner, exploration = student_with_exploration(session, 1)
    user_zones.set_time_zone(session, owner, zone)
    start = local_start.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    interview = add_interview(session, add_contact(session, owner, exploration), start,
                              duration_minutes=minutes)
    tasks = interview_mode.complete_interview(
        session, owner, interview.id, will_report_back=True,
        today=local_start.date() + timedelta(days=1))
    return {FollowUpKind(task["kind"]): date.fromisoformat(task["due_on"]) for task in tasks}


def test_an_interview_at_2330_in_los_angeles_is_due_from_that_local_date(
        session: Session) -> None:
    # 23:30 on 9 December in Los Angeles is 07:30 on the 10th in UTC.
    due = _due_after_interview(session, "America/Los_Angeles", datetime(2026, 12, 9, 23, 30))
    assert due == {FollowUpKind.LINKEDIN_CONNECT: date(2026, 12, 10),
                   FollowUpKind.THANK_YOU_NOTE: date(2026, 12, 11),
                   FollowUpKind.PROGRESS_UPDATE: date(2027, 1, 6)}


@pytest.mark.parametrize(("zone", "held_on"), [
    ("America/New_York", date(2026, 3, 7)), ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 10, 31)), ("America/New_York", date(2026, 11, 1)),
    ("Europe/Berlin", date(2026, 3, 28)), ("Europe/Berlin", date(2026, 3, 29)),
])
def test_an_interview_at_2330_either_side_of_a_clock_change_is_due_from_its_local_date(
        session: Session, zone: str, held_on: date) -> None:
    due = _due_after_interview(session, zone, datetime(held_on.year, held_on.month,
                                                       held_on.day, 23, 30))
    assert due == {FollowUpKind.LINKEDIN_CONNECT: held_on + timedelta(days=1),
                   FollowUpKind.THANK_YOU_NOTE: held_on + timedelta(days=2),
                   FollowUpKind.PROGRESS_UPDATE: held_on + timedelta(weeks=4)}


def test_without_a_zone_of_their_own_the_student_counts_in_the_institutions(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOVIEW_TIME_ZONE", "America/Los_Angeles")
    owner, exploration = student_with_exploration(session, 1)
    start = datetime(2026, 12, 9, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    interview = add_interview(session, add_contact(session, owner, exploration),
                              start.astimezone(UTC), duration_minutes=20)
    tasks = interview_mode.complete_interview(session, owner, interview.id,
                                              will_report_back=False,
                                              today=date(2026, 12, 10))
    assert {task["kind"]: task["due_on"] for task in tasks} == {
        "linkedin_connect": "2026-12-10", "thank_you_note": "2026-12-11"}
    assert today_for(session, owner, datetime(2026, 12, 10, 7, 59, tzinfo=UTC)) == (
        date(2026, 12, 9))

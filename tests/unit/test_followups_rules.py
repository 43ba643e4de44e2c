"""Follow-up date rules: business days, the 3B7 outreach routine, after-interview tasks."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.models.explorations import FollowUpKind, OutreachOutcome
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.follow_up.due_dates import (
    DueTask,
    add_business_days,
    after_interview_tasks,
    next_progress_update,
    outreach_reminders,
    progress_update_window,
    reconnect_task,
)

FRIDAY = date(2026, 3, 6)
SATURDAY = date(2026, 3, 7)
SUNDAY = date(2026, 3, 8)
MONDAY = date(2026, 3, 9)


def day(iso: str) -> date:
    return date.fromisoformat(iso)


# --- add_business_days ---------------------------------------------------------------------

@pytest.mark.parametrize(("start", "days", "expected"), [
    (MONDAY, 0, MONDAY),
    (MONDAY, 1, day("2026-03-10")),
    (MONDAY, 4, day("2026-03-13")),  # Friday
    (MONDAY, 5, day("2026-03-16")),  # next Monday
    (FRIDAY, 0, FRIDAY),
    (FRIDAY, 1, MONDAY),
    (FRIDAY, 3, day("2026-03-11")),  # Wednesday
    (FRIDAY, 7, day("2026-03-17")),  # Tuesday of the week after
    (FRIDAY, 10, day("2026-03-20")),
    (day("2026-03-05"), 2, MONDAY),  # Thursday + 2
    (day("2026-03-04"), 3, MONDAY),  # Wednesday + 3
    (SATURDAY, 0, MONDAY),  # a weekend start counts from Monday
    (SATURDAY, 1, day("2026-03-10")),
    (SATURDAY, 3, day("2026-03-12")),  # Thursday
    (SUNDAY, 3, day("2026-03-12")),
    (SUNDAY, 7, day("2026-03-18")),
    (day("2026-12-31"), 3, day("2027-01-05")),  # across the year, no holidays known
])
def test_add_business_days(start: date, days: int, expected: date) -> None:
    assert add_business_days(start, days) == expected


@pytest.mark.parametrize("days", [-1, True, 1.5, "3"])
def test_business_days_must_be_a_whole_number_of_at_least_zero(days: object) -> None:
    with pytest.raises(ValueError, match="days"):
        add_business_days(MONDAY, days)  # type: ignore[arg-type]


_DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def first_weekday_from(start: date) -> date:
    while start.weekday() >= 5:
        start += timedelta(days=1)
    return start


def weekdays_in(start: date, end: date) -> int:
    """Weekdays in [start, end), counted one by one."""
    return sum((start + timedelta(days=n)).weekday() < 5 for n in range((end - start).days))


@given(_DATES, st.integers(min_value=0, max_value=400))
def test_exactly_n_weekdays_lie_between_and_the_result_is_a_weekday(
        start: date, days: int) -> None:
    result = add_business_days(start, days)
    assert result.weekday() < 5
    assert weekdays_in(first_weekday_from(start), result) == days


@given(_DATES, st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=50))
def test_more_business_days_is_always_later(start: date, days: int, more: int) -> None:
    assert add_business_days(start, days) < add_business_days(start, days + more)


@given(_DATES, st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_business_days_add_up(start: date, first: int, second: int) -> None:
    assert add_business_days(add_business_days(start, first), second) == add_business_days(
        start, first + second)


# --- 3B7 outreach reminders ----------------------------------------------------------------

@pytest.mark.parametrize("outcome", [OutreachOutcome.NO_ANSWER, OutreachOutcome.LEFT_MESSAGE])
def test_no_reply_nudges_after_3_business_days_and_moves_on_after_7(
        outcome: OutreachOutcome) -> None:
    assert outreach_reminders(FRIDAY, outcome) == [
        (FollowUpKind.OUTREACH_NUDGE, day("2026-03-11")),
        (FollowUpKind.MOVE_ON, day("2026-03-17")),
    ]
    assert outreach_reminders(MONDAY, outcome) == [
        (FollowUpKind.OUTREACH_NUDGE, day("2026-03-12")),
        (FollowUpKind.MOVE_ON, day("2026-03-18")),
    ]


def test_a_weekend_attempt_counts_from_monday() -> None:
    assert outreach_reminders(SATURDAY, OutreachOutcome.NO_ANSWER) == [
        (FollowUpKind.OUTREACH_NUDGE, day("2026-03-12")),
        (FollowUpKind.MOVE_ON, day("2026-03-18")),
    ]


def test_call_back_only_nudges() -> None:
    assert outreach_reminders(FRIDAY, OutreachOutcome.CALL_BACK) == [
        (FollowUpKind.OUTREACH_NUDGE, day("2026-03-11"))]


@pytest.mark.parametrize("outcome", [OutreachOutcome.SCHEDULED, OutreachOutcome.DECLINED])
def test_a_scheduled_or_declined_attempt_needs_no_reminder(outcome: OutreachOutcome) -> None:
    assert outreach_reminders(FRIDAY, outcome) == []


def test_outcome_may_arrive_as_its_string_value() -> None:
    reminders = outreach_reminders(FRIDAY, "left_message")
    assert [task.kind for task in reminders] == [FollowUpKind.OUTREACH_NUDGE,
                                                 FollowUpKind.MOVE_ON]
    assert reminders[0].due_on == day("2026-03-11")
    with pytest.raises(InvalidInput) as error:
        outreach_reminders(FRIDAY, "ghosted")
    assert error.value.field == "outcome"


@given(_DATES, st.sampled_from([OutreachOutcome.NO_ANSWER, OutreachOutcome.LEFT_MESSAGE]))
def test_move_on_comes_four_business_days_after_the_nudge(
        attempted_on: date, outcome: OutreachOutcome) -> None:
    nudge, move_on = outreach_reminders(attempted_on, outcome)
    assert attempted_on < nudge.due_on < move_on.due_on
    assert add_business_days(nudge.due_on, 4) == move_on.due_on
    assert weekdays_in(first_weekday_from(attempted_on), nudge.due_on) == 3


# --- after the interview -------------------------------------------------------------------

def test_after_interview_tasks_count_from_the_end_date() -> None:
    end = datetime(2026, 3, 10, 15, 30)  # a Tuesday afternoon
    assert after_interview_tasks(end, end.date()) == [
        DueTask(FollowUpKind.THANK_YOU_NOTE, day("2026-03-12")),  # within 48 hours
        DueTask(FollowUpKind.LINKEDIN_CONNECT, day("2026-03-11")),
        DueTask(FollowUpKind.PROGRESS_UPDATE, day("2026-04-07")),  # 4 weeks
    ]


def test_after_interview_dates_ignore_weekends_and_the_time_of_day() -> None:
    late_friday = datetime(2026, 3, 6, 23, 59, tzinfo=UTC)
    assert [task.due_on for task in after_interview_tasks(late_friday, FRIDAY)] == [
        SUNDAY, SATURDAY, day("2026-04-03")]


def test_tasks_recorded_late_are_due_today_not_overdue() -> None:
    end = datetime(2026, 3, 10, 15, 30)
    today = day("2026-03-20")
    assert after_interview_tasks(end, today) == [
        (FollowUpKind.THANK_YOU_NOTE, today),
        (FollowUpKind.LINKEDIN_CONNECT, today),
        (FollowUpKind.PROGRESS_UPDATE, day("2026-04-07")),
    ]
    assert after_interview_tasks(end, day("2026-03-12"))[:2] == [
        (FollowUpKind.THANK_YOU_NOTE, day("2026-03-12")),
        (FollowUpKind.LINKEDIN_CONNECT, day("2026-03-12")),
    ]


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
       st.integers(min_value=-10, max_value=60))
def test_after_interview_tasks_are_never_due_before_today(end: datetime, late: int) -> None:
    today = end.date() + timedelta(days=late)
    tasks = after_interview_tasks(end, today)
    assert [task.kind for task in tasks] == [FollowUpKind.THANK_YOU_NOTE,
                                             FollowUpKind.LINKEDIN_CONNECT,
                                             FollowUpKind.PROGRESS_UPDATE]
    assert all(task.due_on >= today for task in tasks)
    assert tasks[0].due_on == max(end.date() + timedelta(days=2), today)


def test_progress_updates_every_four_to_six_weeks() -> None:
    last = day("2026-04-07")
    assert next_progress_update(last) == day("2026-05-05")
    assert progress_update_window(last) == (day("2026-05-05"), day("2026-05-19"))


def test_reconnect_is_due_today() -> None:
    assert reconnect_task(MONDAY) == (FollowUpKind.RECONNECT, MONDAY)
    assert reconnect_task(MONDAY).kind is FollowUpKind.RECONNECT

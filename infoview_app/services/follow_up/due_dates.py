"""Steps 4 and 6: when each follow-up falls due. Pure date rules; the services that store
FollowUpTask rows build on them.

Outreach follows the career office's "3B7" routine: no reply after 3 business days, nudge
the contact once; no reply after 7 business days, move on to another contact. After an
interview: connect on LinkedIn, send a hand-written thank-you note within 48 hours, send a
progress update every 4-6 weeks, and reconnect when the student starts their job search.
"""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from infoview_app.models.explorations import FollowUpKind, OutreachOutcome
from infoview_app.services.core import validation as check

NUDGE_AFTER_BUSINESS_DAYS = 3
MOVE_ON_AFTER_BUSINESS_DAYS = 7
LINKEDIN_DAYS = 1
THANK_YOU_DAYS = 2  # within 48 hours of the interview's end
THANK_YOU_HOURS = 24 * THANK_YOU_DAYS
PROGRESS_UPDATE_EVERY = timedelta(weeks=4)
PROGRESS_UPDATE_LATEST = timedelta(weeks=6)

_SATURDAY = 5


class DueTask(NamedTuple):
    """A follow-up to create: what and when. Equal to the plain tuple (kind, due_on)."""

    kind: FollowUpKind
    due_on: date


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days (Monday to Friday) after ``start``.

    A start on Saturday or Sunday counts from the next Monday, as a message sent at the
    weekend is read then: Friday + 3 is Wednesday, Saturday + 3 is Thursday, and
    Saturday + 0 is Monday. Public holidays are not known here and count as business days.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError("days must be a whole number of at least 0")
    if start.weekday() >= _SATURDAY:
        start += timedelta(days=7 - start.weekday())
    weeks, extra = divmod(days, 5)
    weekend = 2 if start.weekday() + extra >= _SATURDAY else 0
    return start + timedelta(days=7 * weeks + extra + weekend)


def outreach_reminders(attempted_on: date, outcome: OutreachOutcome | str) -> list[DueTask]:
    """The 3B7 reminders for one outreach attempt.

    - No answer or a message left: nudge after 3 business days, move on after 7.
    - "Call me back": only the nudge (a reminder to call back) after 3 business days. The
      contact has shown willingness, so the student is never told to move on from them.
    - Scheduled or declined: nothing; the routine is over.
    A later attempt at the same contact replaces the earlier attempt's reminders.
    """
    outcome = check.choice(outcome, OutreachOutcome, "outcome")
    nudge = DueTask(FollowUpKind.OUTREACH_NUDGE,
                    add_business_days(attempted_on, NUDGE_AFTER_BUSINESS_DAYS))
    move_on = DueTask(FollowUpKind.MOVE_ON,
                      add_business_days(attempted_on, MOVE_ON_AFTER_BUSINESS_DAYS))
    match outcome:
        case OutreachOutcome.NO_ANSWER | OutreachOutcome.LEFT_MESSAGE:
            return [nudge, move_on]
        case OutreachOutcome.CALL_BACK:
            return [nudge]
        case _:
            return []


def next_progress_update(last: date) -> date:
    """When the next progress update is due: 4 weeks after the last one (or the interview).
    It stays on time until ``progress_update_window(last)[1]``, 6 weeks after."""
    return last + PROGRESS_UPDATE_EVERY


def progress_update_window(last: date) -> tuple[date, date]:
    """The 4-6 week window for the next progress update: (due from, late after)."""
    return next_progress_update(last), last + PROGRESS_UPDATE_LATEST


def late_after(kind: FollowUpKind | str, due_on: date) -> date:
    """The last day a task due on ``due_on`` is on time: a progress update keeps its 4-6
    week window (2 weeks after it falls due), every other task only its own day."""
    if kind == FollowUpKind.PROGRESS_UPDATE:
        return due_on + (PROGRESS_UPDATE_LATEST - PROGRESS_UPDATE_EVERY)
    return due_on


def after_interview_tasks(interview_end: datetime, today: date) -> list[DueTask]:
    """Thank-you note (end date + 2 days, the 48 hours), LinkedIn connection (end date + 1)
    and the first progress update (4 weeks), in that order.

    Dates count from the calendar date of ``interview_end`` as given: pass it in the
    student's local time. A date already past when the interview is recorded late becomes
    ``today``, so no task is born overdue.
    """
    ended_on = interview_end.date()
    due = [
        DueTask(FollowUpKind.THANK_YOU_NOTE, ended_on + timedelta(days=THANK_YOU_DAYS)),
        DueTask(FollowUpKind.LINKEDIN_CONNECT, ended_on + timedelta(days=LINKEDIN_DAYS)),
        DueTask(FollowUpKind.PROGRESS_UPDATE, next_progress_update(ended_on)),
    ]
    return [DueTask(task.kind, max(task.due_on, today)) for task in due]


def reconnect_task(today: date) -> DueTask:
    """Reconnect with past contacts, due at once: the student has started a job search."""
    return DueTask(FollowUpKind.RECONNECT, today)


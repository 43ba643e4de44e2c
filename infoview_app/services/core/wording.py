"""How InfoView's choices read on screen: the six steps, the pipeline's choices, interview
modes, follow-up tasks and question origins; counts of things (``plural``) and dates
(``date_label``, ``date_time_label``). One wording for every page, chart, CSV and Markdown
file: the staff dashboard counts contacts under the words the student chose them by, and a
stage reads "Not contacted yet" in step 2, step 4, the network and the notes alike.

No enum's raw value reaches a person: ``LABELS`` holds a label for every value of every enum a
page, chart or export shows (a test walks them). ISO dates are left only to what machines
read: calendar files (.ics), the data export's JSON, file names and form fields' values; and
the audit log keeps UTC to the second (services/accounts/audit.py), as security logs are
compared across systems."""

from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Any

from infoview_app.models import (
    AuditKind,
    ContactSource,
    FollowUpKind,
    FollowUpStatus,
    InterviewMode,
    InterviewStatus,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
    QuestionOrigin,
    ReminderFrequency,
    Role,
)
from infoview_app.services.core.time_zones import in_zone, today_in

SOURCE_LABELS = {
    ContactSource.FACULTY: "Faculty",
    ContactSource.FAMILY: "Family",
    ContactSource.FRIEND: "Friend",
    ContactSource.LINKEDIN_ALUMNI: "LinkedIn or alumni",
    ContactSource.COMMUNITY_PARTNER: "Community partner",
    ContactSource.REFERRAL: "Referral",
    ContactSource.OTHER: "Other",
}
STAGE_LABELS = {
    PipelineStage.IDENTIFIED: "Not contacted yet",
    PipelineStage.CONTACTED: "Contacted",
    PipelineStage.SCHEDULED: "Interview booked",
    PipelineStage.INTERVIEWED: "Interviewed",
    PipelineStage.THANKED: "Thanked",
}
CHANNEL_LABELS = {
    OutreachChannel.PHONE: "Phone",
    OutreachChannel.EMAIL: "Email",
    OutreachChannel.LINKEDIN: "LinkedIn",
    OutreachChannel.IN_PERSON: "In person",
}
OUTCOME_LABELS = {
    OutreachOutcome.NO_ANSWER: "No answer",
    OutreachOutcome.LEFT_MESSAGE: "Left a message",
    OutreachOutcome.CALL_BACK: "Call back",
    OutreachOutcome.SCHEDULED: "Scheduled",
    OutreachOutcome.DECLINED: "Declined",
}
MODE_LABELS = {
    InterviewMode.IN_PERSON: "In person",
    InterviewMode.PHONE: "Phone",
    InterviewMode.VIDEO: "Video call",
}
INTERVIEW_STATUS_LABELS = {
    InterviewStatus.SCHEDULED: "Scheduled",
    InterviewStatus.COMPLETED: "Held",
    InterviewStatus.CANCELLED: "Cancelled",
}
FOLLOW_UP_LABELS = {
    FollowUpKind.THANK_YOU_NOTE: "Mail a hand-written thank-you note",
    FollowUpKind.LINKEDIN_CONNECT: "Connect on LinkedIn",
    FollowUpKind.PROGRESS_UPDATE: "Send a progress update",
    FollowUpKind.RECONNECT: "Reconnect: tell them you're starting your job search",
    FollowUpKind.OUTREACH_NUDGE: "Try reaching out again",
    FollowUpKind.MOVE_ON: "No answer yet: consider another contact",
}
# The professional-presence checklist of step 5 (Interview's columns of the same names).
CHECKLIST_LABELS = {
    "arrived_early": "I arrived a few minutes early",
    "asked_for_card": "I asked for a business card",
    "thanked_them": "I thanked them for their time",
}
# Where a question in step 3's bank comes from (Question.origin).
ORIGIN_LABELS: dict[str, str] = {QuestionOrigin.SAMPLE: "Sample questions",
                                 QuestionOrigin.STAFF: "From the career office",
                                 QuestionOrigin.STUDENT: "Your own questions"}
FOLLOW_UP_STATUS_LABELS = {
    FollowUpStatus.OPEN: "To do",
    FollowUpStatus.DONE: "Done",
    FollowUpStatus.SKIPPED: "Skipped",
}
ROLE_LABELS = {Role.STUDENT: "Student", Role.STAFF: "Career-office staff",
               Role.ADMIN: "Administrator"}
REMINDER_FREQUENCY_LABELS = {ReminderFrequency.DAILY: "Every day something is due",
                             ReminderFrequency.WEEKLY: "Once a week (Mondays)",
                             ReminderFrequency.OFF: "No reminder emails"}
# The group of suggestions (written from the occupation's tasks) that a student added.
SUGGESTION_LABEL = "Suggested from the occupation's tasks"
# The audit log's events (services/accounts/audit.py), on its page and in its CSV.
AUDIT_KIND_LABELS = {
    AuditKind.SIGN_IN: "Signed in",
    AuditKind.SIGN_IN_FAILED: "Sign-in failed",
    AuditKind.SIGN_OUT: "Signed out",
    AuditKind.REGISTERED: "Registered",
    AuditKind.PASSWORD_CHANGED: "Password changed",
    AuditKind.RESET_LINK_SENT: "Password reset link sent",
    AuditKind.EMAIL_VERIFIED: "Email address confirmed",
    AuditKind.PASSWORD_RESET: "Password reset by email link",
    AuditKind.ROLE_CHANGED: "Role changed",
    AuditKind.STAFF_CREATED: "Staff account created",
    AuditKind.STAFF_DEACTIVATED: "Staff account deactivated",
    AuditKind.STAFF_REACTIVATED: "Staff account reactivated",
    AuditKind.SETTINGS_CHANGED: "Institution settings changed",
    AuditKind.DATA_EXPORTED: "Data export downloaded",
    AuditKind.ACCOUNT_DELETED: "Account deleted",
    AuditKind.REMINDERS_OFF: "Reminder emails turned off",
}

STEP_NAMES = ("Research", "Develop", "Prepare", "Connect", "Interview", "Follow-up")
ALL_STEPS_DONE = "All six steps done"
# Where a step stands (services/journey/step_progress.StepStatus's values: journey builds on
# this module, so its enum is named here by value).
STEP_STATUS_LABELS = {"not started": "Not started", "in progress": "In progress",
                      "done": "Done"}


def step_label(step: int) -> str:
    """'Step 3 of 6 · Prepare' for a step number from 1 to 6."""
    step = min(max(step, 1), len(STEP_NAMES))
    return f"Step {step} of {len(STEP_NAMES)} · {STEP_NAMES[step - 1]}"


# Every enum people see, with its labels (tests/unit/test_wording.py walks them).
LABELS: dict[type[StrEnum], dict[Any, str]] = {
    ContactSource: SOURCE_LABELS,
    PipelineStage: STAGE_LABELS,
    OutreachChannel: CHANNEL_LABELS,
    OutreachOutcome: OUTCOME_LABELS,
    InterviewMode: MODE_LABELS,
    InterviewStatus: INTERVIEW_STATUS_LABELS,
    FollowUpKind: FOLLOW_UP_LABELS,
    FollowUpStatus: FOLLOW_UP_STATUS_LABELS,
    QuestionOrigin: ORIGIN_LABELS,
    AuditKind: AUDIT_KIND_LABELS,
    Role: ROLE_LABELS,
    ReminderFrequency: REMINDER_FREQUENCY_LABELS,
}


def label(kind: type[StrEnum], value: Any) -> str:
    """The label of ``value`` (a member of ``kind`` or its stored string); a value that is
    not one of ``kind``'s (an old row, a hand-edited database) reads as "Unknown", never as
    itself."""
    try:
        return LABELS[kind][kind(value)]
    except ValueError:
        return "Unknown"


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """The count and its noun: "1 contact", "0 contacts", "1,200 contacts"; ``plural`` for
    nouns that don't just take an "s" ("1 reply", "2 replies")."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"


def date_label(when: date | datetime, zone: tzinfo = UTC, today: date | None = None, *,
               year: bool = False) -> str:
    """A date as people read it: "Mon 14 Dec", with the year when it is not this one
    ("Tue 5 Jan 2027"), or always with ``year`` (files kept beyond the year). A datetime is
    first taken to ``zone`` (the reader's) and read as its day there; ``today``: the reader's,
    by default today in ``zone``."""
    day = in_zone(when, zone).date() if isinstance(when, datetime) else when
    text = f"{day:%a} {day.day} {day:%b}"
    this_year = (today or today_in(zone)).year
    return text if not year and day.year == this_year else f"{text} {day.year}"


def time_label(at: datetime, zone: tzinfo) -> str:
    """A time of day in ``zone``: "3:30 pm", "9 am"."""
    local = in_zone(at, zone)
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes} {'am' if local.hour < 12 else 'pm'}"


def date_time_label(at: datetime, zone: tzinfo, today: date | None = None, *,
                    year: bool = False) -> str:
    """A moment in ``zone`` (the reader's: ``institution.reader_zone``): "Mon 14 Dec,
    3:30 pm", with the year when it is not this one in that zone (``today``: the reader's,
    by default today in ``zone``), or always with ``year``."""
    return f"{date_label(at, zone, today, year=year)}, {time_label(at, zone)}"

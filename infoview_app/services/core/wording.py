"""How InfoView's choices read on screen: the six steps, the pipeline's choices, interview
modes, follow-up tasks and question origins. One wording for every page, chart and CSV: the
staff dashboard counts contacts under the words the student chose them by."""

from infoview_app.models import (
    AuditKind,
    ContactSource,
    FollowUpKind,
    InterviewMode,
    InterviewStatus,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
)

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
ORIGIN_LABELS = {"sample": "Sample questions", "staff": "From the career office",
                 "student": "Your own questions"}
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
}

STEP_NAMES = ("Research", "Develop", "Prepare", "Connect", "Interview", "Follow-up")


def step_label(step: int) -> str:
    """'Step 3 of 6 · Prepare' for a step number from 1 to 6."""
    step = min(max(step, 1), len(STEP_NAMES))
    return f"Step {step} of {len(STEP_NAMES)} · {STEP_NAMES[step - 1]}"

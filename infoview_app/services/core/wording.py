"""How InfoView's choices read on screen: the six steps and the pipeline's choices, one
wording for every page and service."""

from infoview_app.models import ContactSource, OutreachChannel, OutreachOutcome, PipelineStage

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

STEP_NAMES = ("Research", "Develop", "Prepare", "Connect", "Interview", "Follow-up")


def step_label(step: int) -> str:
    """'Step 3 of 6 · Prepare' for a step number from 1 to 6."""
    step = min(max(step, 1), len(STEP_NAMES))
    return f"Step {step} of {len(STEP_NAMES)} · {STEP_NAMES[step - 1]}"

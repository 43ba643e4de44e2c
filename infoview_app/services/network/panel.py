"""The side panel of one of the student's contacts on the network page: their details, the
last outreach, the referral chain from the student as the graph draws it, and what to do
next (the step that does it: the page links to it)."""

from typing import Any, TypedDict

from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, desc, select

from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    OutreachAttempt,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
)
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.wording import (
    CHANNEL_LABELS,
    FOLLOW_UP_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    STAGE_LABELS,
    STEP_NAMES,
    date_label,
)
from infoview_app.services.network.building import ContactRow, contact_forest, lineage
from infoview_app.services.network.filters import NO_FILTERS, STUDENT, GraphFilters, node_id

STEP_CONNECT, STEP_INTERVIEW, STEP_FOLLOW_UP = (
    STEP_NAMES.index(name) + 1 for name in ("Connect", "Interview", "Follow-up"))
_OUTREACH_KINDS = (FollowUpKind.OUTREACH_NUDGE, FollowUpKind.MOVE_ON)


class LastOutreach(TypedDict):
    when: str  # "Mon 14 Dec"
    channel_label: str
    outcome_label: str


class NextAction(TypedDict):
    """What to do next with the contact, in which step of which exploration."""

    label: str
    exploration_id: int
    step: int


class ContactPanel(TypedDict):
    contact_id: int
    name: str
    title: str
    organization: str
    email: str
    phone: str
    source_label: str
    referred_by: str  # the referrer's name, "" for none
    exploration_title: str
    stage: str
    stage_label: str
    last_outreach: LastOutreach | None
    next_action: NextAction | None
    chain: list[str]  # node ids from the student down to the contact
    chain_names: list[str]  # the same chain in words: "You", then each person's name


def _matches(row: ContactRow, filters: GraphFilters) -> bool:
    return ((filters.exploration_id is None or row.exploration_id == filters.exploration_id)
            and (not filters.stages or row.stage in filters.stages)
            and (not filters.sources or row.source in filters.sources))


def _chain(session: Session, owner_id: int, contact_id: int,
           filters: GraphFilters) -> tuple[list[str], list[str], str]:
    """The node ids from the student down to the contact, as the graph with these filters
    links them, their names ("You" first), and the referrer's name. The contact's
    referrers are read with one recursive query (UNION, not UNION ALL: a cycle ends when
    its rows repeat)."""
    ancestors = (select_columns(col(Contact.id), col(Contact.referred_by_id), col(Contact.name),
                        col(Contact.stage), col(Contact.source), col(Contact.exploration_id))
                 .where(col(Contact.id) == contact_id, col(Contact.owner_id) == owner_id)
                 .cte("ancestors", recursive=True))
    parent = aliased(Contact)
    ancestors = ancestors.union(
        select_columns(col(parent.id), col(parent.referred_by_id), col(parent.name),
               col(parent.stage), col(parent.source), col(parent.exploration_id))
        .join(ancestors, col(parent.id) == ancestors.c.referred_by_id)
        .where(col(parent.owner_id) == owner_id))
    rows = {row.id: row for row in (ContactRow(*found) for found in
                                    session.connection().execute(select_columns(ancestors)))}
    referred_by = rows[contact_id].referred_by_id
    referrer = rows.get(referred_by) if referred_by is not None else None
    kept = [row for cid, row in rows.items() if cid == contact_id or _matches(row, filters)]
    _, forest = contact_forest(kept)
    line = lineage(forest, contact_id)[::-1]
    return ([STUDENT, *map(node_id, line)], ["You", *(rows[node].name for node in line)],
            referrer.name if referrer is not None else "")


def _next_action(stage: PipelineStage, open_task: FollowUpKind | None,
                 last_outcome: OutreachOutcome | None) -> tuple[str, int] | None:
    """What to do next with a contact and the step that does it: the earliest open
    follow-up if there is one, else what the stage calls for."""
    if open_task is not None:
        step = STEP_CONNECT if open_task in _OUTREACH_KINDS else STEP_FOLLOW_UP
        return FOLLOW_UP_LABELS[open_task], step
    match stage:
        case PipelineStage.IDENTIFIED:
            return "Reach out and ask for 20-30 minutes of their time", STEP_CONNECT
        case PipelineStage.CONTACTED if last_outcome is not OutreachOutcome.DECLINED:
            return "Follow up on your outreach and book the interview", STEP_CONNECT
        case PipelineStage.SCHEDULED:
            return "Hold the interview: take notes and ask for two more names", STEP_INTERVIEW
        case PipelineStage.INTERVIEWED:
            return FOLLOW_UP_LABELS[FollowUpKind.THANK_YOU_NOTE], STEP_FOLLOW_UP
    return None


def contact_panel(session: Session, owner_id: int, contact_id: Any,
                  filters: GraphFilters = NO_FILTERS) -> ContactPanel:
    """The side panel of one of the student's contacts (NotFound for anyone else's). The
    chain follows the graph drawn with ``filters``."""
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    assert contact.id is not None
    chain, chain_names, referrer = _chain(session, owner_id, contact.id, filters)
    attempt = session.exec(
        select(col(OutreachAttempt.attempted_on), col(OutreachAttempt.channel),
               col(OutreachAttempt.outcome))
        .where(OutreachAttempt.owner_id == owner_id, OutreachAttempt.contact_id == contact.id)
        .order_by(desc(col(OutreachAttempt.attempted_on)), desc(col(OutreachAttempt.id)))
        .limit(1)
    ).first()
    task = session.exec(
        select(FollowUpTask.kind)
        .where(FollowUpTask.owner_id == owner_id, FollowUpTask.contact_id == contact.id,
               FollowUpTask.status == FollowUpStatus.OPEN)
        .order_by(col(FollowUpTask.due_on), col(FollowUpTask.id)).limit(1)).first()
    title = ""
    if contact.exploration_id is not None:
        title = session.exec(select(Exploration.field_name).where(
            Exploration.id == contact.exploration_id,
            Exploration.owner_id == owner_id)).first() or ""
    stage = PipelineStage(contact.stage)
    outcome: OutreachOutcome | None = None
    last_outreach: LastOutreach | None = None
    if attempt is not None:
        attempted_on, channel, outcome = attempt[0], attempt[1], OutreachOutcome(attempt[2])
        last_outreach = {"when": date_label(attempted_on),
                         "channel_label": CHANNEL_LABELS[OutreachChannel(channel)],
                         "outcome_label": OUTCOME_LABELS[outcome]}
    action = _next_action(stage, FollowUpKind(task) if task is not None else None, outcome)
    return {
        "contact_id": contact.id,
        "name": contact.name,
        "title": contact.title,
        "organization": contact.organization,
        "email": contact.email,
        "phone": contact.phone,
        "source_label": SOURCE_LABELS[ContactSource(contact.source)],
        "referred_by": referrer,
        "exploration_title": title,
        "stage": stage.value,
        "stage_label": STAGE_LABELS[stage],
        "last_outreach": last_outreach,
        "next_action": None if action is None or contact.exploration_id is None or not title
        else {"label": action[0], "exploration_id": contact.exploration_id, "step": action[1]},
        "chain": chain,
        "chain_names": chain_names,
    }

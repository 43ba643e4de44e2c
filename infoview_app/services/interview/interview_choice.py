"""Step 5: which of an exploration's interviews interview mode opens. Owner-scoped; one query.

Interviews are booked in step 4; here they are only listed (scheduled and held ones, never
cancelled), earliest first, with the one to open by default: the first still scheduled, else
the last held."""

from datetime import datetime, tzinfo
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from infoview_app.models import Contact, Interview, InterviewStatus
from infoview_app.services.core.wording import INTERVIEW_STATUS_LABELS, date_time_label
from infoview_app.services.journey.explorations import owned_exploration
from infoview_app.services.staff.institution import reader_zone

SHOWN_STATUSES = (InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED)


class InterviewChoice(TypedDict):
    id: int
    contact_name: str
    status: str
    when: str
    label: str  # what the interview picker shows: who, when, and whether it was held


def exploration_interviews(session: Session, owner_id: int, exploration_id: Any
                           ) -> list[InterviewChoice]:
    """The exploration's scheduled and completed interviews, earliest first:
    {id, contact_name, when ("Mon 14 Dec, 3:30 pm" in the reader's zone), status}."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    rows = session.exec(
        select(Interview.id, Interview.scheduled_at, Interview.status, Contact.name)
        .join(Contact, col(Contact.id) == col(Interview.contact_id))
        .where(Interview.owner_id == owner_id, Interview.exploration_id == exploration.id,
               Contact.owner_id == owner_id, col(Interview.status).in_(SHOWN_STATUSES))
        .order_by(col(Interview.scheduled_at), col(Interview.id))).all()
    zone = reader_zone(session, owner_id)
    return [_choice(interview_id or 0, name, InterviewStatus(status), scheduled_at, zone)
            for interview_id, scheduled_at, status, name in rows]


def _choice(interview_id: int, name: str, status: InterviewStatus, at: datetime,
            zone: tzinfo) -> InterviewChoice:
    when = date_time_label(at, zone)
    return InterviewChoice(id=interview_id, contact_name=name, status=status.value, when=when,
                           label=f"{name} · {when} · {INTERVIEW_STATUS_LABELS[status]}")


def default_interview(interviews: list[InterviewChoice]) -> int:
    """The interview to open: the first still scheduled, else the last held (0 if none)."""
    scheduled = [i["id"] for i in interviews if i["status"] == InterviewStatus.SCHEDULED]
    if scheduled:
        return scheduled[0]
    return interviews[-1]["id"] if interviews else 0

"""Step 5: which of an exploration's interviews interview mode opens. Owner-scoped; one query.

Interviews are booked in step 4; here they are only listed (scheduled and held ones, never
cancelled), earliest first, with the one to open by default: the first still scheduled, else
the last held."""

from typing import Any

from sqlmodel import Session, col, select

from infoview_app.models import Contact, Interview, InterviewStatus
from infoview_app.services.journey.explorations import owned_exploration

SHOWN_STATUSES = (InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED)


def exploration_interviews(session: Session, owner_id: int, exploration_id: Any
                           ) -> list[dict[str, Any]]:
    """The exploration's scheduled and completed interviews, earliest first:
    {id, contact_name, when (ISO date and UTC time), status}."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    rows = session.exec(
        select(Interview.id, Interview.scheduled_at, Interview.status, Contact.name)
        .join(Contact, col(Contact.id) == col(Interview.contact_id))
        .where(Interview.owner_id == owner_id, Interview.exploration_id == exploration.id,
               Contact.owner_id == owner_id, col(Interview.status).in_(SHOWN_STATUSES))
        .order_by(Interview.scheduled_at, Interview.id)).all()
    return [{"id": row.id, "contact_name": row.name, "status": str(row.status),
             "when": row.scheduled_at.strftime("%Y-%m-%d %H:%M")} for row in rows]


def default_interview(interviews: list[dict[str, Any]]) -> int:
    """The interview to open: the first still scheduled, else the last held (0 if none)."""
    scheduled = [i["id"] for i in interviews if i["status"] == InterviewStatus.SCHEDULED]
    if scheduled:
        return scheduled[0]
    return interviews[-1]["id"] if interviews else 0

"""Explorations and the follow-up to-do list: owner-scoped changes."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, func, select

from infoview_app.models import (
    Contact,
    Exploration,
    ExplorationQuestion,
    FollowUpTask,
    Interview,
    InterviewAnswer,
)
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.transactions import save, saving, transaction
from infoview_app.services.develop.contacts import delete_contacts_where
from infoview_app.services.research.occupations import OccupationDetail, get_occupation

MAX_EXPLORATIONS = 25
FIELD_NAME_MAX = 150


def start_exploration(session: Session, user_id: int, field_name: Any) -> int:
    """Create an exploration of a career field; returns its id."""
    name = check.text(field_name, "field_name", max_length=FIELD_NAME_MAX,
                      label="Career field")
    count = session.exec(select(func.count()).select_from(Exploration)
                         .where(Exploration.owner_id == user_id)).one()
    if count >= MAX_EXPLORATIONS:
        raise InvalidInput(f"You can have at most {MAX_EXPLORATIONS} explorations.",
                           "field_name")
    exploration = Exploration(owner_id=user_id, field_name=name)
    save(session, exploration)
    assert exploration.id is not None
    return exploration.id


def owned_exploration(session: Session, user_id: int, exploration_id: Any) -> Exploration:
    return owned(session, Exploration, user_id, exploration_id, "exploration")


@dataclass(frozen=True)
class ExplorationView:
    """What the step pages read of the exploration they show."""
    id: int
    field_name: str
    occupation_code: str | None
    research_notes: str
    job_search_started: bool


def exploration_view(session: Session, user_id: int, exploration_id: Any) -> ExplorationView:
    """The student's exploration (NotFound if it is not theirs), as the step pages read it."""
    exploration = owned_exploration(session, user_id, exploration_id)
    return ExplorationView(id=exploration.id or 0, field_name=exploration.field_name,
                           occupation_code=exploration.occupation_code,
                           research_notes=exploration.research_notes,
                           job_search_started=exploration.job_search_started)


def delete_exploration(session: Session, user_id: int, exploration_id: Any) -> str:
    """Delete one exploration with its contacts, outreach, interviews and follow-ups, in one
    transaction. Returns the deleted field's name."""
    exploration = owned_exploration(session, user_id, exploration_id)
    eid = exploration.id
    contacts = select(Contact.id).where(Contact.owner_id == user_id,
                                        Contact.exploration_id == eid)
    with transaction(session):
        delete_contacts_where(session, user_id, contacts)
        for statement in (
            delete(FollowUpTask).where(col(FollowUpTask.owner_id) == user_id,
                                       col(FollowUpTask.exploration_id) == eid),
            delete(InterviewAnswer).where(col(InterviewAnswer.interview_id).in_(
                select(Interview.id).where(Interview.owner_id == user_id,
                                           Interview.exploration_id == eid))),
            delete(Interview).where(col(Interview.owner_id) == user_id,
                                    col(Interview.exploration_id) == eid),
            delete(ExplorationQuestion).where(col(ExplorationQuestion.exploration_id) == eid),
            delete(Exploration).where(col(Exploration.id) == eid,
                                      col(Exploration.owner_id) == user_id),
        ):
            session.exec(statement)
    return exploration.field_name


def set_current_step(session: Session, user_id: int, exploration_id: Any, step: Any) -> None:
    """Remember the step the student is on (shown on the home page)."""
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= 6:
        raise InvalidInput("Choose a step from 1 to 6.", "step")
    exploration = owned_exploration(session, user_id, exploration_id)
    if exploration.current_step != step:
        exploration.current_step = step
        save(session, exploration)


def choose_occupation(session: Session, user_id: int, exploration_id: Any,
                      code: Any) -> OccupationDetail | None:
    """Set the exploration's occupation (a code from the catalogue), or clear it with ""
    (then None)."""
    exploration = owned_exploration(session, user_id, exploration_id)
    occupation = None
    if code not in ("", None):
        occupation = get_occupation(session, code)
        if occupation is None:
            raise InvalidInput("That occupation is not in the catalogue.", "occupation")
    with saving(session, exploration):
        exploration.occupation_code = occupation["code"] if occupation else None
    return occupation

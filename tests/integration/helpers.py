"""Shared set-up for the integration tests: students with an exploration, contacts,
interviews and chosen questions, and a counter of the SQL statements a block runs."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    CommunityPartner,
    Contact,
    ExplorationQuestion,
    Interview,
    Question,
    QuestionOrigin,
    Role,
)
from infoview_app.services.accounts import user_accounts
from infoview_app.services.develop import contacts
from infoview_app.services.journey import explorations

PASSWORD = "correct-horse-battery"
# A Wednesday afternoon: the interview's follow-ups fall on Thursday, Friday and 4 weeks on.
HELD_AT = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
HELD_ON = date(2026, 3, 4)


def student(session: Session, n: int, name: str | None = None) -> int:
    user = user_accounts.create_user(session, role=Role.STUDENT, name=name or f"Student {n}",
                                     email=f"student{n}@uni.edu", password=PASSWORD)
    assert user.id is not None
    return user.id


def student_with_exploration(session: Session, n: int, field: str = "Physical therapy"
                             ) -> tuple[int, int]:
    owner = student(session, n)
    return owner, explorations.start_exploration(session, owner, field)


def add_contact(session: Session, owner: int, exploration: int, name: str = "Sam Okafor",
                **form: Any) -> Contact:
    return contacts.add_contact(session, owner, exploration, {"name": name, **form})


def contact_id(session: Session, owner: int, exploration: int, name: str = "Sam Okafor",
               **attributes: Any) -> int:
    """Add a contact, then set fields no form carries (stage, referred_by_id...)."""
    contact = add_contact(session, owner, exploration, name)
    for key, value in attributes.items():
        setattr(contact, key, value)
    session.add(contact)
    session.commit()
    assert contact.id is not None
    return contact.id


def add_interview(session: Session, contact: Contact, scheduled_at: datetime = HELD_AT,
                  **values: Any) -> Interview:
    assert contact.exploration_id is not None and contact.id is not None
    interview = Interview(owner_id=contact.owner_id, contact_id=contact.id,
                          exploration_id=contact.exploration_id, scheduled_at=scheduled_at,
                          **values)
    session.add(interview)
    session.commit()
    return interview


def choose_questions(session: Session, exploration: int, count: int) -> list[int]:
    """Choose ``count`` of the office's sample questions for the exploration, in reverse id
    order (so question order is not id order); returns their ids in the chosen order."""
    ids = list(session.exec(select(Question.id).where(Question.origin == QuestionOrigin.SAMPLE)
                            .order_by(col(Question.id).desc()).limit(count)).all())
    session.add_all([ExplorationQuestion(exploration_id=exploration, question_id=qid,
                                         position=position) for position, qid in enumerate(ids)])
    session.commit()
    return [qid for qid in ids if qid is not None]


def listed_partner(session: Session) -> int:
    """An active community partner who agreed to be listed; returns the id."""
    partner = CommunityPartner(name="Omar Haddad", organization="Mercy Hospital",
                               field="Nursing", email="omar@mercy.example", consent_to_list=True)
    session.add(partner)
    session.commit()
    assert partner.id is not None
    return partner.id


def count(session: Session, model: Any, *where: Any) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements the session's engine runs inside the block."""
    seen: list[str] = []
    engine = session.get_bind()

    def record(*args: Any) -> None:
        seen.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)

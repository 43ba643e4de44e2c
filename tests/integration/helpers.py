"""Shared set-up for the integration tests (the rows themselves come from tests/factories.py):
chosen questions, a listed partner, a row count and the SQL statements a block runs."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    CommunityPartner,
    ExplorationQuestion,
    Question,
    QuestionOrigin,
)

# The day of tests.factories.HELD_AT, the default interview's time.
HELD_ON = date(2026, 3, 4)


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

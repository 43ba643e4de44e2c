"""The one transaction helper: a block commits once at the end or, on any error, leaves
nothing saved (SQLite and PostgreSQL)."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from infoview_app.models import Contact, Role, User
from infoview_app.services.core.transactions import save, saving, transaction
from infoview_app.services.core.validation import email_key
from infoview_app.services.journey.explorations import owned_exploration
from tests.factories import student_with_exploration
from tests.integration.helpers import count


def _user(email: str) -> User:
    return User(role=Role.STUDENT, name="Sam", email=email, email_key=email_key(email),
                password_hash="x")


def test_save_stores_every_row_or_none(session: Session) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        save(session, _user("sam@uni.edu"), _user("SAM@uni.edu"))
    assert count(session, User) == 0
    save(session, _user("sam@uni.edu"), _user("kim@uni.edu"))
    assert count(session, User) == 2


def test_an_error_in_the_block_rolls_back_what_it_wrote(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    with pytest.raises(ValueError), transaction(session):
        session.add(Contact(owner_id=owner, exploration_id=exploration, name="Half saved"))
        session.flush()  # written to the database, not yet committed
        raise ValueError("stop")
    assert count(session, Contact) == 0


def test_saving_marks_the_exploration_updated_only_when_the_block_succeeds(
        session: Session) -> None:
    owner, eid = student_with_exploration(session, 1)
    exploration = owned_exploration(session, owner, eid)
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    exploration.updated_at = long_ago
    save(session, exploration)
    with pytest.raises(ValueError), saving(session, exploration):
        exploration.research_notes = "lost"
        raise ValueError("stop")
    session.expire_all()
    kept = owned_exploration(session, owner, eid)
    assert kept.research_notes != "lost"
    assert kept.updated_at.replace(tzinfo=UTC) == long_ago
    with saving(session, kept):
        kept.research_notes = "kept"
    session.expire_all()
    stored = owned_exploration(session, owner, eid)
    assert stored.research_notes == "kept"
    assert stored.updated_at.replace(tzinfo=UTC) > long_ago

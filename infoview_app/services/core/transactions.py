"""The one way services save: one transaction that commits once or rolls back.

``transaction`` is the helper; ``save`` adds rows in one; ``saving`` is the variant for a
change to an exploration (it also marks the exploration updated). No service calls
``session.commit()`` or ``session.rollback()`` itself."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session, SQLModel

from infoview_app.models import Exploration
from infoview_app.models._base import utcnow


@contextmanager
def transaction(session: Session) -> Iterator[None]:
    """Run the block's changes as one transaction: commit once at the end; on any error
    (an interrupt too) roll back and raise it, so nothing is half-saved."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def save(session: Session, *rows: SQLModel) -> None:
    """Add ``rows`` and commit them: all of them or, on any error, none."""
    with transaction(session):
        session.add_all(rows)


@contextmanager
def saving(session: Session, exploration: Exploration) -> Iterator[None]:
    """A transaction changing ``exploration`` or its children: as ``transaction``, with the
    exploration marked updated when the block succeeds."""
    with transaction(session):
        yield
        exploration.updated_at = utcnow()
        session.add(exploration)

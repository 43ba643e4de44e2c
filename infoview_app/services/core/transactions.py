"""The one way to save a change to an exploration: one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from infoview_app.models import Exploration
from infoview_app.models._base import utcnow


@contextmanager
def saving(session: Session, exploration: Exploration) -> Iterator[None]:
    """Run the block's changes to ``exploration`` and its children as one transaction,
    marking the exploration updated: commit once at the end; on any error, roll back."""
    try:
        yield
        exploration.updated_at = utcnow()
        session.add(exploration)
        session.commit()
    except Exception:
        session.rollback()
        raise

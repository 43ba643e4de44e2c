"""Steps shared by the career office's own records (community partners, bank questions)."""

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session, SQLModel

from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.transactions import save

Record = TypeVar("Record", bound=SQLModel)


def set_active(session: Session, find: Callable[[], Record], active: object) -> Record:
    """Retire (``active`` False) or restore the record ``find`` looks up. The choice is
    checked before the look-up, so a bad choice is reported whatever the id."""
    if not isinstance(active, bool):
        raise InvalidInput("Choose retire or restore.", "form")
    record = find()
    record.is_active = active  # type: ignore[attr-defined]
    save(session, record)
    return record

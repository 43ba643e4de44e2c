"""The one way to load a record whose id came from a browser: together with its owner."""

from typing import Any, TypeVar

from sqlmodel import Session, select

from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import NotFound

Owned = TypeVar("Owned")


def owned(session: Session, model: type[Owned], user_id: int, record_id: Any,
          noun: str, *, field: str = "") -> Owned:
    """The ``model`` row with this id if ``user_id`` owns it. Someone else's id, a missing id
    and a malformed one all read the same: NotFound (or InvalidInput for garbage). The
    NotFound is about the whole form, or ``field`` when the id came from one (a filter)."""
    rid = check.record_id(record_id, f"{noun.replace(' ', '_')}_id")
    table: Any = model  # every owned table has `id` and `owner_id` columns
    record = session.exec(select(table).where(table.id == rid, table.owner_id == user_id)).first()
    if record is None:
        raise NotFound(f"That {noun} no longer exists.", field)
    return record

"""What the staff's record lists share (community partners, the question bank): a list, one
dialog to add or edit a record, and retire / restore. Staff and admins only.

A state mixin (``class PartnersState(RecordEditorState, SessionState)``): each list's state
gets its own copy of these vars and handlers, and supplies the services through the ``_``
hooks below. The handlers rely on SessionState (the guard, ``_assign``).
"""

from typing import TYPE_CHECKING, Any

import reflex as rx

from infoview_app import db
from infoview_app.services.core import validation as check
from infoview_app.state.base import STAFF, FormState, guarded


class RecordEditorState(FormState, mixin=True):
    rows: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    loaded: rx.Field[bool] = rx.field(False)
    form_open: rx.Field[bool] = rx.field(False)
    editing_id: rx.Field[int] = rx.field(0)
    form_values: rx.Field[dict[str, str]] = rx.field(default_factory=dict)

    if TYPE_CHECKING:
        # SessionState's, which every state using this mixin also derives from.
        def _assign(self, **values: Any) -> None: ...

    # --- hooks each list supplies ----------------------------------------------------------
    def _refresh(self, session: Any) -> None:
        """Read the list (and anything else the page shows) into vars."""
        raise NotImplementedError

    def _blank_form(self) -> dict[str, str]:
        raise NotImplementedError

    def _form_values(self, session: Any, record_id: Any) -> dict[str, str]:
        raise NotImplementedError

    def _save_record(self, session: Any, record_id: int, form: dict[str, Any]) -> str:
        """Add (``record_id`` 0) or update a record; returns the success message."""
        raise NotImplementedError

    def _set_record_active(self, session: Any, record_id: Any, active: Any) -> str:
        """Retire or restore a record; returns the success message."""
        raise NotImplementedError

    # --- handlers -------------------------------------------------------------------------------
    @guarded(STAFF)
    def load(self) -> None:
        with db.session() as session:
            self._refresh(session)
        self._assign(loaded=True, form_open=False, editing_id=0, errors={})

    @guarded(STAFF)
    def open_form(self, record_id: Any) -> None:
        """Open the dialog: empty to add (record 0), else filled with that record."""
        self._assign(errors={})
        if record_id == 0:
            values, editing = self._blank_form(), 0
        else:
            editing = check.record_id(record_id, "form")
            with db.session() as session:
                values = self._form_values(session, editing)
        self._assign(form_open=True, editing_id=editing, form_values=values)

    @guarded(STAFF)
    def set_form_open(self, is_open: Any) -> None:
        self._assign(form_open=is_open is True)

    @guarded(STAFF)
    def save(self, form_data: Any) -> Any:
        self.errors = {}
        form = form_data if isinstance(form_data, dict) else {}
        with db.session() as session:
            message = self._save_record(session, self.editing_id, form)
            self._refresh(session)
        self._assign(form_open=False, editing_id=0)
        return rx.toast.success(message)

    @guarded(STAFF)
    def set_active(self, record_id: Any, active: Any) -> Any:
        self.errors = {}
        with db.session() as session:
            message = self._set_record_active(session, record_id, active)
            self._refresh(session)
        return rx.toast.success(message)

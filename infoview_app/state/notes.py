"""Interview notes: search across all of them, one contact's notes, one interview as
Markdown."""

from typing import Any

import reflex as rx

from infoview_app import db
from infoview_app.services.core.errors import ServiceError
from infoview_app.services.notes import notes_view
from infoview_app.state.base import STUDENT, FormState, SessionState, guarded


class NotesState(FormState, SessionState):
    query: rx.Field[str] = rx.field("")
    results: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    searched: rx.Field[bool] = rx.field(False)
    # /notes without a contact: every interview of the student, newest first.
    all_interviews: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    contact: rx.Field[dict[str, Any]] = rx.field(default_factory=dict)
    interviews: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    missing: rx.Field[bool] = rx.field(False)

    def _show_missing(self, error: ServiceError) -> None:
        """How load is refused: the contact in the URL is not the student's (or not an id),
        and the page says so instead of a message."""
        self._assign(missing=True)

    @guarded(STUDENT, refused=_show_missing)
    def load(self) -> None:
        """/notes lists the student's interviews and searches; /notes?contact=N shows that
        contact's notes."""
        contact_id = self.router.url.query_parameters.get("contact")
        self._assign(errors={}, missing=False, contact={}, interviews=[])
        if not contact_id:
            with db.session() as session:
                self._assign(all_interviews=notes_view.interview_list(session, self._user_id))
            return
        with db.session() as session:
            data = notes_view.contact_notes(session, self._user_id, contact_id)
        self._assign(contact=data["contact"], interviews=data["interviews"])

    @guarded(STUDENT)
    def search(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        query = form_data.get("query") if isinstance(form_data, dict) else None
        with db.session() as session:
            results = notes_view.search_notes(session, self._user_id, query)
        self._assign(query=query if isinstance(query, str) else "", results=results,
                     searched=True)

    @guarded(STUDENT)
    def download_markdown(self, interview_id: int) -> Any:
        with db.session() as session:
            filename, text = notes_view.interview_markdown(session, self._user_id, interview_id)
        return rx.download(data=text, filename=filename, mime_type="text/markdown")

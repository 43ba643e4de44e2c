"""Step 1 · Research: choose the occupation, follow the research links, keep notes."""

from typing import Any, ClassVar

import reflex as rx

from infoview_app import db
from infoview_app.services.journey import explorations
from infoview_app.services.research import field_research, occupations
from infoview_app.state.base import STUDENT, FormState, guarded
from infoview_app.state.exploration import ExplorationState, unsent_key


class ResearchState(FormState, ExplorationState):
    STEP: ClassVar[int] = 1
    query: rx.Field[str] = rx.field("")
    results: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    searched: rx.Field[bool] = rx.field(False)
    occupation: rx.Field[dict[str, Any]] = rx.field(default_factory=dict)
    links: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    notes: rx.Field[str] = rx.field("")
    notes_html: rx.Field[str] = rx.field("")
    notes_status: rx.Field[str] = rx.field("")

    def _show_occupation(self, session: Any, code: str | None) -> None:
        occupation = occupations.get_occupation(session, code) if code else None
        self._assign(occupation=occupation or {},
                     links=occupations.research_links(session, occupation))

    @guarded(STUDENT)
    def load_step(self) -> None:
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            self._show_occupation(session, exploration.occupation_code)
            notes = exploration.research_notes
        self._assign(notes=notes, notes_html=field_research.research_notes_html(notes),
                     notes_status="", errors={}, results=[], searched=False, query="")
        self._texts_loaded()

    @guarded(STUDENT)
    def search(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        query = form_data.get("query") if isinstance(form_data, dict) else None
        with db.session() as session:
            results = occupations.search_occupations(session, query)
        self._assign(query=query if isinstance(query, str) else "", results=results,
                     searched=True)

    @guarded(STUDENT)
    def choose(self, code: str) -> None:
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            chosen = explorations.choose_occupation(session, self._user_id, exploration.id,
                                                    code)
            self._show_occupation(session, chosen["code"] if chosen else None)
        self._assign(results=[], searched=False, query="", errors={})
        self._refresh_steps()

    @guarded(STUDENT)
    def save_notes(self, text: str) -> None:
        self.notes_status = ""  # a refused text must not sit under an earlier "Saved."
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            field_research.save_research_notes(session, self._user_id, exploration.id, text)
        self._acknowledge(unsent_key("exploration", exploration.id, "research"), text)
        self._assign(notes=text, notes_html=field_research.research_notes_html(text),
                     notes_status="Saved.", errors={})
        self._refresh_steps()

"""Step 1 · Research: choose the occupation, follow the research links, keep notes."""

from typing import Any, ClassVar

from infoview_app import db
from infoview_app.models import Role
from infoview_app.services.journey import explorations
from infoview_app.services.research import field_research, occupations
from infoview_app.state.base import guarded
from infoview_app.state.exploration import ExplorationState, unsent_key


class ResearchState(ExplorationState):
    STEP: ClassVar[int] = 1
    query: str = ""
    results: list[dict[str, Any]] = []
    searched: bool = False
    occupation: dict[str, Any] = {}
    links: list[dict[str, str]] = []
    notes: str = ""
    notes_html: str = ""
    notes_status: str = ""
    errors: dict[str, str] = {}

    def _show_occupation(self, session: Any, code: str | None) -> None:
        occupation = occupations.get_occupation(session, code) if code else None
        self._assign(occupation=occupation or {},
                     links=occupations.research_links(session, occupation))

    @guarded(Role.STUDENT)
    def load_step(self) -> None:
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            self._show_occupation(session, exploration.occupation_code)
            notes = exploration.research_notes
        self._assign(notes=notes, notes_html=field_research.research_notes_html(notes),
                     notes_status="", errors={}, results=[], searched=False, query="")
        self._texts_loaded()

    @guarded(Role.STUDENT)
    def search(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        query = form_data.get("query") if isinstance(form_data, dict) else None
        with db.session() as session:
            results = occupations.search_occupations(session, query)
        self._assign(query=query if isinstance(query, str) else "", results=results,
                     searched=True)

    @guarded(Role.STUDENT)
    def choose(self, code: str) -> None:
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            chosen = explorations.choose_occupation(session, self._user_id, exploration.id,
                                                    code)
            self._show_occupation(session, chosen.get("code"))
        self._assign(results=[], searched=False, query="", errors={})
        self._refresh_steps()

    @guarded(Role.STUDENT)
    def save_notes(self, text: str) -> None:
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            field_research.save_research_notes(session, self._user_id, exploration.id, text)
        self._acknowledge(unsent_key("exploration", exploration.id, "research"), text)
        self._assign(notes=text, notes_html=field_research.research_notes_html(text),
                     notes_status="Saved.", errors={})
        self._refresh_steps()

"""Step 3 · Prepare: the 15-30 second introduction and the questions to ask."""

import json
from typing import Any, ClassVar

import reflex as rx

from infoview_app import db
from infoview_app.services.core.errors import ServiceError
from infoview_app.services.prepare import pitch_store, questions
from infoview_app.services.research import occupations
from infoview_app.state.base import STUDENT, FormState, guarded
from infoview_app.state.exploration import ExplorationState, unsent_key

PARTS = (
    ("who_i_am", "Who I am", "e.g. I'm Ana, a second-year student at Northfield."),
    ("what_i_study", "What I study", "e.g. I study kinesiology and volunteer at a clinic."),
    ("why_this_field", "Why this field",
     "e.g. Helping my grandfather recover after surgery made me curious about therapy."),
    ("why_this_person", "Why this person",
     "e.g. Your work with athletes is exactly what I'd like to learn about."),
)


def chosen_question_id(question_id: int) -> str:
    """The element id of a chosen question's list item (focusable: tabindex -1)."""
    return f"chosen-question-{question_id}"


def focus_when_shown(element_id: str) -> Any:
    """Focus ``element_id`` once the page shows it: the state change that adds it renders
    after this script arrives, so it waits up to about a second of frames."""
    return rx.call_script(
        "((id, n) => { const go = () => { const el = document.getElementById(id);"
        " if (el) { el.focus(); el.scrollIntoView({block: 'nearest'}); }"
        " else if (n-- > 0) requestAnimationFrame(go); }; requestAnimationFrame(go); })"
        f"({json.dumps(element_id)}, 60)")


class PrepareState(FormState, ExplorationState):
    STEP: ClassVar[int] = 3
    parts: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    pitch: rx.Field[str] = rx.field("")
    pitch_edited: rx.Field[bool] = rx.field(False)
    # Changes when the server rewrites the pitch (from the parts): remounts its text area.
    pitch_version: rx.Field[int] = rx.field(0)
    words: rx.Field[int] = rx.field(0)
    seconds: rx.Field[float] = rx.field(0.0)
    verdict: rx.Field[str] = rx.field("too short")
    timing_message: rx.Field[str] = rx.field("")
    job_words: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    pitch_status: rx.Field[str] = rx.field("")
    chosen: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    # The bank as shown: every group, or only the questions that match ``bank_query``.
    bank_groups: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    bank_query: rx.Field[str] = rx.field("")
    bank_matches: rx.Field[int] = rx.field(0)
    _all_bank_groups: list[questions.BankGroup] = []
    suggestions: rx.Field[list[str]] = rx.field(default_factory=list)
    occupation_title: rx.Field[str] = rx.field("")
    own_version: rx.Field[int] = rx.field(0)

    def _show_pitch(self, view: pitch_store.PitchView, *, remount: bool) -> None:
        timing = view["timing"]
        if remount and view["pitch"] != self.pitch:
            self.pitch_version += 1
        self._assign(parts={name: view[name] for name, _, _ in PARTS}, pitch=view["pitch"],
                     pitch_edited=view["edited"], words=timing["words"],
                     seconds=timing["seconds"], verdict=timing["verdict"],
                     timing_message=timing["message"], job_words=view["job_words"])

    def _show_questions(self, session: Any) -> None:
        exploration = self._exploration_in_url(session)
        chosen = questions.chosen_questions(session, self._user_id, exploration.id)
        bank = questions.question_bank(session, self._user_id)
        occupation = (occupations.get_occupation(session, exploration.occupation_code)
                      if exploration.occupation_code else None)
        suggestions = questions.suggested_questions(session, self._user_id, exploration.id)
        taken = {q["text"] for q in chosen}
        self._all_bank_groups = questions.bank_groups(bank, {q["id"] for q in chosen})
        self._assign(chosen=chosen,
                     suggestions=[s for s in suggestions if s not in taken],
                     occupation_title=occupation["title"] if occupation else "")
        self._show_bank()

    def _show_bank(self) -> None:
        shown = questions.filter_bank(self._all_bank_groups, self.bank_query)
        self._assign(bank_groups=shown,
                     bank_matches=sum(len(group["questions"]) for group in shown))

    @guarded(STUDENT)
    def load_step(self) -> None:
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            view = pitch_store.get_pitch(session, self._user_id, exploration.id)
            self.bank_query = ""
            self._show_questions(session)
        # Reloaded in place (a reconnect), the pitch field keeps what it holds; else it is
        # mounted anew with the stored pitch.
        in_place = self._reloading_in_place()
        self._show_pitch(view, remount=not in_place)
        if not in_place:
            self.pitch_version += 1
        self._assign(pitch_status="", errors={})
        self._texts_loaded()

    def _save_part(self, name: str, text: Any) -> None:
        self._assign(errors={}, pitch_status="")
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            view = pitch_store.save_pitch_parts(session, self._user_id, exploration.id,
                                                {name: text})
        self._acknowledge(unsent_key("exploration", exploration.id, "part", name), text)
        self._show_pitch(view, remount=True)
        self._assign(pitch_status="Saved.")
        self._refresh_steps()

    # One handler per part: the browser debounces events by handler name, so parts typed in
    # quick succession must not share one.
    @guarded(STUDENT)
    def save_who_i_am(self, text: str) -> None:
        self._save_part("who_i_am", text)

    @guarded(STUDENT)
    def save_what_i_study(self, text: str) -> None:
        self._save_part("what_i_study", text)

    @guarded(STUDENT)
    def save_why_this_field(self, text: str) -> None:
        self._save_part("why_this_field", text)

    @guarded(STUDENT)
    def save_why_this_person(self, text: str) -> None:
        self._save_part("why_this_person", text)

    @guarded(STUDENT)
    def save_pitch(self, text: str) -> None:
        self._assign(errors={}, pitch_status="")
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            view = pitch_store.save_pitch(session, self._user_id, exploration.id, text)
        self._acknowledge(unsent_key("exploration", exploration.id, "pitch"), text)
        self._show_pitch(view, remount=False)
        self._assign(pitch_status="Saved.")
        self._refresh_steps()

    @guarded(STUDENT)
    def recompose(self) -> None:
        self.errors = {}
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            view = pitch_store.recompose_pitch(session, self._user_id, exploration.id)
        self._show_pitch(view, remount=True)
        self._assign(pitch_status="Rebuilt from your parts.")
        self._refresh_steps()

    def _change_questions(self, change: Any, *args: Any) -> Any:
        self.errors = {}
        with db.session() as session:
            result = change(session, self._user_id, self._exploration_in_url(session).id,
                            *args)
            self._show_questions(session)
        self._refresh_steps()
        return result

    @guarded(STUDENT)
    def search_bank(self, query: str) -> None:
        """Show only the bank's questions that hold every word of ``query``."""
        self.errors = {}
        self.bank_query = questions.bank_search(query)
        self._show_bank()

    @guarded(STUDENT)
    def choose(self, question_id: int) -> None:
        self._change_questions(questions.choose_question, question_id)

    @guarded(STUDENT)
    def move(self, question_id: int, direction: str) -> None:
        self._change_questions(questions.move_question, question_id, direction)

    @guarded(STUDENT)
    def remove(self, question_id: int) -> None:
        self._change_questions(questions.remove_question, question_id)

    @guarded(STUDENT)
    def add_own(self, form_data: dict[str, Any]) -> Any:
        """Add a question of the student's own; focus moves to it in the list (the form is
        rebuilt empty, which would drop focus to the page)."""
        text = form_data.get("text") if isinstance(form_data, dict) else None
        question_id = self._change_questions(questions.add_own_question, text)
        self.own_version += 1  # a fresh, empty form
        return focus_when_shown(chosen_question_id(question_id))

    def _refuse_suggestion(self, error: ServiceError) -> None:
        """How adding a suggestion is refused: beside the suggestions (the service names the
        own-question form's "text")."""
        self.errors = {"suggestions": error.message}

    @guarded(STUDENT, refused=_refuse_suggestion)
    def add_suggestion(self, text: str) -> Any:
        """Add a suggestion to the list, kept marked as one; focus moves to it there (its
        button is gone with it)."""
        question_id = self._change_questions(questions.add_own_question, text,
                                             questions.SUGGESTION_CATEGORY)
        return focus_when_shown(chosen_question_id(question_id))


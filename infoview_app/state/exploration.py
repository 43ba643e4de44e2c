"""One exploration's stepper: which exploration (from the URL), where it stands, which step
is shown. Each step's own state is a substate of this one."""

import json
from typing import Any

import reflex as rx

from infoview_app import db
from infoview_app.routes import exploration_url
from infoview_app.services.core.errors import NotFound, ServiceError
from infoview_app.services.core.text_digest import digest
from infoview_app.services.core.wording import STEP_STATUS_LABELS
from infoview_app.services.journey import explorations, step_progress
from infoview_app.state.base import STUDENT, SessionState, guarded


def _step_number(raw: Any) -> int | None:
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 6:
        return int(raw)
    return None


def _show_url(url: str) -> Any:
    """Put ``url`` in the address bar without navigating (the router's history entry kept)."""
    return rx.call_script("window.history.replaceState(window.history.state, '', "
                          f"{json.dumps(url)})")


def _as_rows(states: list[step_progress.StepState]) -> list[dict[str, Any]]:
    return [{"number": s.number, "name": s.name, "status": s.status.value,
             "status_label": STEP_STATUS_LABELS[s.status]} for s in states]


def unsent_key(*parts: str | int | rx.Var) -> Any:
    """The name under which the browser keeps a field's unsent text (assets/unsent.js), built
    alike from Python values in the states and from vars in the pages."""
    key: Any = "unsent"
    for part in parts:
        key = key + "-" + (part.to_string() if isinstance(part, rx.Var) else str(part))
    return key


class ExplorationState(SessionState):
    exploration_id: rx.Field[int] = rx.field(0)
    field_name: rx.Field[str] = rx.field("")
    steps: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    step: rx.Field[int] = rx.field(1)
    missing: rx.Field[bool] = rx.field(False)
    # Digest of the text last stored per autosaved field, by unsent_key: the page shows it so
    # the browser can forget the text it kept (assets/unsent.js).
    acks: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    # The socket connection on which the shown step last loaded its texts from the database.
    # The autosaved fields appear only once the page instance showing them had this socket
    # (kept_text_area): after a reload the page first shows what the server held before,
    # and text the browser kept must not be matched against that. A reconnect of the same
    # page to the same step keeps it, so the mounted fields stay (nothing typed then lost).
    texts_loaded_on: rx.Field[str] = rx.field("")

    def _acknowledge(self, key: str, text: str) -> None:
        if self.acks.get(key) != (stored := digest(text)):
            self.acks = {**self.acks, key: stored}

    def _texts_loaded(self) -> None:
        self._assign(texts_loaded_on=self._socket_id())

    def _reloading_in_place(self) -> bool:
        """The step loads again what its fields already show (a reconnect, or a reload of the
        same step): handlers keep what the student is on rather than remount it."""
        return self.texts_loaded_on != ""

    def _exploration_in_url(self, session: Any) -> explorations.ExplorationView:
        """The exploration named by the page's ?id=, if it is the student's (else NotFound).
        Step handlers use this rather than a var, so they act on what the page shows. When
        it is gone (deleted in another tab or on another device), the page says so instead
        of showing a step whose every save would be refused."""
        try:
            return explorations.exploration_view(session, self._user_id,
                                                 self.router.url.query_parameters.get("id"))
        except NotFound:
            self.missing = True
            raise

    def _refresh_steps(self) -> None:
        """Re-read the step states after a change that may complete a step."""
        with db.session() as session:
            states = step_progress.step_states(session, self._user_id).get(self.exploration_id)
        if states is not None:
            self._assign(steps=_as_rows(states))

    def _step_loader(self, step: int) -> Any:
        """The shown step's own load handler (each step state names its STEP). It runs from
        here, that is on every page load and again on every reconnect (Reflex runs on_load
        handlers then), so a step never keeps showing what a restarted backend forgot."""
        return next((getattr(sub, "load_step", None) for sub in type(self).get_substates()
                     if getattr(sub, "STEP", 0) == step), None)

    def _show_missing(self, error: ServiceError) -> None:
        """How the stepper's load is refused: the exploration in the URL is not the
        student's (or not an id), and the page says so instead of a message."""
        self._assign(missing=True, exploration_id=0, field_name="", steps=[])

    @guarded(STUDENT, refused=_show_missing)
    def load(self) -> Any:
        query = self.router.url.query_parameters
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            states = step_progress.step_states(session, self._user_id)[exploration.id]
            named = _step_number(query.get("step"))
            step = named or step_progress.suggested_step(states)
            explorations.set_current_step(session, self._user_id, exploration.id, step)
        # The same step again (Reflex reruns on_load on a reconnect) keeps the connection its
        # texts loaded on: the page that had it keeps its fields mounted and editable.
        same = (exploration.id, step) == (self.exploration_id, self.step) and not self.missing
        self._assign(missing=False, exploration_id=exploration.id,
                     field_name=exploration.field_name, step=step, steps=_as_rows(states),
                     acks={}, texts_loaded_on=self.texts_loaded_on if same else "")
        if named:
            return self._step_loader(step)
        # Opened without a step (the home card's link): the URL gets the step shown, so a
        # reload stays on it rather than on whichever step is suggested by then.
        return [self._step_loader(step), _show_url(exploration_url(exploration.id, step))]

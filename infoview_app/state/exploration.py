"""One exploration's stepper: which exploration (from the URL), where it stands, which step
is shown. Each step's own state is a substate of this one."""

from typing import Any

from infoview_app import db
from infoview_app.models import Role
from infoview_app.services import explorations, journey
from infoview_app.services.errors import ServiceError
from infoview_app.state.base import SessionState, guarded


def _step_number(raw: Any) -> int | None:
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 6:
        return int(raw)
    return None


def _as_rows(states: list[journey.StepState]) -> list[dict[str, Any]]:
    return [{"number": s.number, "name": s.name, "status": s.status.value} for s in states]


class ExplorationState(SessionState):
    exploration_id: int = 0
    field_name: str = ""
    steps: list[dict[str, Any]] = []
    step: int = 1
    missing: bool = False

    def _exploration_in_url(self, session: Any) -> Any:
        """The exploration named by the page's ?id=, if it is the student's (else NotFound).
        Step handlers use this rather than a var, so they act on what the page shows."""
        return explorations.owned_exploration(session, self._user_id,
                                              self.router.url.query_parameters.get("id"))

    def _refresh_steps(self) -> None:
        """Re-read the step states after a change that may complete a step."""
        with db.session() as session:
            states = journey.step_states(session, self._user_id).get(self.exploration_id)
        if states is not None:
            self._assign(steps=_as_rows(states))

    @guarded(Role.STUDENT)
    def load(self) -> None:
        query = self.router.url.query_parameters
        with db.session() as session:
            try:
                exploration = self._exploration_in_url(session)
            except ServiceError:
                self._assign(missing=True, exploration_id=0, field_name="", steps=[])
                return
            states = journey.step_states(session, self._user_id)[exploration.id]
            step = _step_number(query.get("step")) or journey.suggested_step(states)
            explorations.set_current_step(session, self._user_id, exploration.id, step)
        self._assign(missing=False, exploration_id=exploration.id,
                     field_name=exploration.field_name, step=step, steps=_as_rows(states))

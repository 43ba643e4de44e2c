"""The student's home: explorations, upcoming interviews, follow-ups due."""

from typing import Any

import reflex as rx

from infoview_app import db, routes
from infoview_app.models import Role
from infoview_app.services import explorations, home
from infoview_app.state.base import ANYONE, SessionState, guarded


class StudentHomeState(SessionState):
    explorations: list[dict[str, Any]] = []
    upcoming_interviews: list[dict[str, Any]] = []
    follow_ups: list[dict[str, Any]] = []
    loaded: bool = False
    errors: dict[str, str] = {}

    def _refresh(self) -> None:
        with db.session() as session:
            data = home.student_home(session, self._user_id)
        self._assign(explorations=data.explorations,
                     upcoming_interviews=data.upcoming_interviews,
                     follow_ups=data.follow_ups, loaded=True)

    @guarded(*ANYONE)
    def load(self) -> Any:
        if self._role != Role.STUDENT:
            return rx.redirect(routes.STAFF_HOME)
        self.errors = {}
        self._refresh()
        return None

    @guarded(Role.STUDENT)
    def start_exploration(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        field_name = form_data.get("field_name") if isinstance(form_data, dict) else None
        with db.session() as session:
            explorations.start_exploration(session, self._user_id, field_name)
        self._refresh()

    @guarded(Role.STUDENT)
    def delete_exploration(self, exploration_id: int) -> Any:
        with db.session() as session:
            name = explorations.delete_exploration(session, self._user_id, exploration_id)
        self._refresh()
        return rx.toast.success(f"Deleted the exploration “{name}”.")

    @guarded(Role.STUDENT)
    def complete_follow_up(self, task_id: int) -> None:
        with db.session() as session:
            explorations.complete_follow_up(session, self._user_id, task_id)
        self._refresh()

"""The student's home: explorations, upcoming interviews, follow-ups due."""

from datetime import timedelta
from typing import Any

import reflex as rx

from infoview_app import db, routes
from infoview_app.models import Role
from infoview_app.services.follow_up import to_do
from infoview_app.services.journey import explorations, home_summary
from infoview_app.services.staff.institution import today_for
from infoview_app.state.base import SIGNED_IN, STUDENT, FormState, SessionState, guarded

HOME_SNOOZE_DAYS = 7


class StudentHomeState(FormState, SessionState):
    explorations: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    upcoming_interviews: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    follow_ups: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    loaded: rx.Field[bool] = rx.field(False)

    def _refresh(self) -> None:
        with db.session() as session:
            data = home_summary.student_home(session, self._user_id, zone=self._reader_zone())
            # The one to-do list across all explorations: snoozed tasks stay hidden.
            todo = to_do.todo_list(session, self._user_id, self._today())
        self._assign(explorations=data.explorations,
                     upcoming_interviews=data.upcoming_interviews,
                     follow_ups=todo, loaded=True)

    # Every visit sends it: off the event loop, so its database wait holds up no other tab;
    # it only reads (no transaction round trips, docs/benchmarks.md (b) Session 10).
    @guarded(SIGNED_IN, off_loop=True, read_only=True)
    def load(self) -> Any:
        if self._role != Role.STUDENT:
            return rx.redirect(routes.STAFF_HOME)
        self.errors = {}
        self._refresh()
        return None

    @guarded(STUDENT)
    def start_exploration(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        field_name = form_data.get("field_name") if isinstance(form_data, dict) else None
        with db.session() as session:
            explorations.start_exploration(session, self._user_id, field_name)
        self._refresh()

    @guarded(STUDENT)
    def delete_exploration(self, exploration_id: int) -> Any:
        with db.session() as session:
            name = explorations.delete_exploration(session, self._user_id, exploration_id)
        self._refresh()
        return rx.toast.success(f"Deleted the exploration “{name}”.")

    @guarded(STUDENT)
    def complete_follow_up(self, task_id: int) -> None:
        with db.session() as session:
            to_do.mark_done(session, self._user_id, task_id,
                            today_for(session, self._user_id))
        self._refresh()

    @guarded(STUDENT)
    def snooze_follow_up(self, task_id: int) -> Any:
        with db.session() as session:
            today = today_for(session, self._user_id)
            to_do.snooze(session, self._user_id, task_id,
                         today + timedelta(days=HOME_SNOOZE_DAYS), today=today)
        self._refresh()
        return rx.toast.success("Snoozed for a week.")

    @guarded(STUDENT)
    def skip_follow_up(self, task_id: int) -> Any:
        with db.session() as session:
            to_do.skip(session, self._user_id, task_id)
        self._refresh()
        return rx.toast.success("Skipped.")

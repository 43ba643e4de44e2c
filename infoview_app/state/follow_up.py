"""Step 6 · Follow-up: this exploration's open tasks (done, snooze, skip), the thank-you
note's address and draft, and "I'm starting my job search"."""

from datetime import timedelta
from typing import Any, ClassVar

import reflex as rx

from infoview_app import db
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.wording import plural
from infoview_app.services.follow_up import to_do
from infoview_app.services.staff.institution import today_for
from infoview_app.state.base import STUDENT, FormState, guarded
from infoview_app.state.exploration import ExplorationState

SNOOZE_CHOICES = (1, 3, 7, 14)


def snooze_label(days: int) -> str:
    return plural(days // 7, "week") if days % 7 == 0 else plural(days, "day")


class FollowUpState(FormState, ExplorationState):
    STEP: ClassVar[int] = 6
    tasks: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    job_search_started: rx.Field[bool] = rx.field(False)
    loaded: rx.Field[bool] = rx.field(False)

    def _refresh(self, session: Any) -> None:
        exploration = self._exploration_in_url(session)
        tasks = to_do.todo_list(session, self._user_id, today_for(session, self._user_id),
                                exploration.id)
        self._assign(tasks=tasks, job_search_started=exploration.job_search_started,
                     loaded=True)

    @guarded(STUDENT)
    def load_step(self) -> None:
        with db.session() as session:
            self._refresh(session)
        self._assign(errors={})

    @guarded(STUDENT)
    def done(self, task_id: int) -> Any:
        with db.session() as session:
            following = to_do.mark_done(session, self._user_id, task_id,
                                        today_for(session, self._user_id))
            self._refresh(session)
        self._assign(errors={})
        self._refresh_steps()
        if following:
            return rx.toast.success(f"Done. Next progress update {following['due']}.")
        return rx.toast.success("Done.")

    @guarded(STUDENT)
    def snooze(self, task_id: int, days: int) -> Any:
        if days not in SNOOZE_CHOICES or isinstance(days, bool):
            raise InvalidInput("Choose how long to snooze.", "until")
        with db.session() as session:
            today = today_for(session, self._user_id)
            to_do.snooze(session, self._user_id, task_id, today + timedelta(days=days),
                         today=today)
            self._refresh(session)
        self._assign(errors={})
        return rx.toast.success(f"Snoozed for {snooze_label(days)}.")

    @guarded(STUDENT)
    def skip(self, task_id: int) -> Any:
        with db.session() as session:
            to_do.skip(session, self._user_id, task_id)
            self._refresh(session)
        self._assign(errors={})
        self._refresh_steps()
        return rx.toast.success("Skipped.")

    @guarded(STUDENT)
    def start_job_search(self) -> Any:
        with db.session() as session:
            added = to_do.start_job_search(
                session, self._user_id, self._exploration_in_url(session).id,
                today_for(session, self._user_id))
            self._refresh(session)
        self._assign(errors={})
        self._refresh_steps()
        count = len(added)
        return rx.toast.success(
            f"Good luck! Added {plural(count, 'reconnect task')}." if count
            else "Noted. There is no one new to reconnect with yet.")

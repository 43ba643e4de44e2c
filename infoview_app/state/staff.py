"""Staff home: programme-wide figures, student counts suppressed below five."""

import dataclasses

from infoview_app import db
from infoview_app.services import home
from infoview_app.state.base import STAFF_ROLES, SessionState, guarded


class StaffHomeState(SessionState):
    students: str = ""
    students_this_month: str = ""
    explorations: int = 0
    interviews_completed: int = 0
    sharing_progress: str = ""
    outreach_attempts: int = 0
    loaded: bool = False

    @guarded(*STAFF_ROLES)
    def load(self) -> None:
        with db.session() as session:
            figures = home.staff_home(session)
        self._assign(**dataclasses.asdict(figures), loaded=True)

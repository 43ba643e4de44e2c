"""Staff home: programme-wide figures, student counts suppressed below five."""

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
        self.students = figures.students
        self.students_this_month = figures.students_this_month
        self.explorations = figures.explorations
        self.interviews_completed = figures.interviews_completed
        self.sharing_progress = figures.sharing_progress
        self.outreach_attempts = figures.outreach_attempts
        self.loaded = True

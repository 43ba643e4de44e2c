"""Staff: the institution's settings (the career office's contact block, research links, and
the staff dashboard's time zone and minimum group size).

Staff and admins may edit them: they are the career office's own contact details and
links, kept up to date by the office's staff day to day."""

from typing import Any

import reflex as rx

from infoview_app import db
from infoview_app.services.staff import institution
from infoview_app.state.base import STAFF, FormState, SessionState, acting, guarded
from infoview_app.state.institution import InstitutionState


class InstitutionSettingsState(FormState, SessionState):
    values: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    loaded: rx.Field[bool] = rx.field(False)

    @guarded(STAFF)
    def load(self) -> None:
        with db.session() as session:
            values = institution.get_institution(session).as_dict()
        self._assign(values=values, loaded=True, errors={})

    @guarded(STAFF)
    def save(self, form_data: Any) -> Any:
        self.errors = {}
        with db.session() as session:
            saved = institution.save_institution(session, form_data, by=acting(self))
        self._assign(values=saved.as_dict())
        # This tab's own contact block shows the new details at once; students', on their
        # next page.
        return [InstitutionState.load,
                rx.toast.success("Settings saved. Students see them on their next page.")]

"""The institution's name and the career office's contact block, shown on every page."""

import reflex as rx

from infoview_app import db
from infoview_app.services.staff.institution import get_institution
from infoview_app.state.base import PUBLIC, SessionState, guarded

_SHOWN = ("name", "office_name", "office_phone", "office_email", "office_address", "office_url")


class InstitutionState(SessionState):
    name: rx.Field[str] = rx.field("")
    office_name: rx.Field[str] = rx.field("")
    office_phone: rx.Field[str] = rx.field("")
    office_phone_href: rx.Field[str] = rx.field("")
    office_email: rx.Field[str] = rx.field("")
    office_address: rx.Field[str] = rx.field("")
    office_url: rx.Field[str] = rx.field("")

    @guarded(PUBLIC)
    async def load(self) -> None:
        with db.session() as session:
            shown = {key: getattr(get_institution(session), key) for key in _SHOWN}
        shown["office_phone_href"] = "tel:" + "".join(
            ch for ch in shown["office_phone"] if ch.isdigit() or ch == "+")
        self._assign(**shown)

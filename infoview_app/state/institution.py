"""The institution's name and the career office's contact block, shown on every page."""

from infoview_app import db
from infoview_app.services.staff.institution import get_institution
from infoview_app.state.base import PUBLIC, SessionState, guarded

_SHOWN = ("name", "office_name", "office_phone", "office_email", "office_address", "office_url")


class InstitutionState(SessionState):
    name: str = ""
    office_name: str = ""
    office_phone: str = ""
    office_phone_href: str = ""
    office_email: str = ""
    office_address: str = ""
    office_url: str = ""

    @guarded(PUBLIC)
    async def load(self) -> None:
        with db.session() as session:
            shown = {key: getattr(get_institution(session), key) for key in _SHOWN}
        shown["office_phone_href"] = "tel:" + "".join(
            ch for ch in shown["office_phone"] if ch.isdigit() or ch == "+")
        self._assign(**shown)

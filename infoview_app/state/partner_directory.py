"""Staff: the community-partner directory."""

from typing import Any

from infoview_app.services.staff import partner_directory
from infoview_app.state.base import SessionState
from infoview_app.state.record_editor import RecordEditorState

BLANK_FORM = {"name": "", "organization": "", "field": "", "email": "", "phone": "",
              "consent_to_list": "", "monthly_request_cap": "5"}


class PartnerDirectoryState(RecordEditorState, SessionState):
    def _refresh(self, session: Any) -> None:
        self._assign(rows=partner_directory.directory(session))

    def _blank_form(self) -> dict[str, str]:
        return dict(BLANK_FORM)

    def _form_values(self, session: Any, record_id: Any) -> dict[str, str]:
        return partner_directory.partner_form_values(session, record_id)

    def _save_record(self, session: Any, record_id: int, form: dict[str, Any]) -> str:
        if record_id:
            partner = partner_directory.update_partner(session, record_id, form)
            return f"Saved {partner.name}."
        partner = partner_directory.add_partner(session, form)
        shown = ("Students can now ask for an introduction." if partner.consent_to_list
                 else "Students won't see them until they consent to be listed.")
        return f"Added {partner.name}. {shown}"

    def _set_record_active(self, session: Any, record_id: Any, active: Any) -> str:
        partner = partner_directory.set_partner_active(session, record_id, active)
        if partner.is_active:
            return f"Restored {partner.name}."
        return f"Retired {partner.name}: students no longer see them. Their requests stay."

"""The signed-in user's own account: profile, password, deletion."""

from typing import Any

import reflex as rx

from infoview_app import db
from infoview_app.models import AuditKind
from infoview_app.services.accounts import audit, data_export, user_accounts, user_zones
from infoview_app.state.base import (
    SIGNED_IN,
    STUDENT,
    FormState,
    SessionState,
    acting,
    guarded,
    in_argon2_pool,
    reset_form,
)


def _value(form_data: Any, key: str) -> Any:
    return form_data.get(key) if isinstance(form_data, dict) else None


class AccountState(FormState, SessionState):
    email: rx.Field[str] = rx.field("")
    name: rx.Field[str] = rx.field("")
    major: rx.Field[str] = rx.field("")
    graduation_year: rx.Field[str] = rx.field("")
    share_progress: rx.Field[bool] = rx.field(False)
    is_student: rx.Field[bool] = rx.field(False)
    delete_dialog_open: rx.Field[bool] = rx.field(False)
    # The user's own time zone ("": the institution's, named in institution_zone).
    time_zone: rx.Field[str] = rx.field("")
    institution_zone: rx.Field[str] = rx.field("")

    def _copy_profile(self, profile: user_accounts.Profile) -> None:
        self.email = profile.email
        self.name = profile.name
        self.major = profile.major
        self.graduation_year = str(profile.graduation_year or "")
        self.share_progress = profile.share_progress
        self.is_student = profile.is_student

    @guarded(SIGNED_IN)
    def load(self) -> None:
        self.errors = {}
        self.delete_dialog_open = False
        with db.session() as session:
            self._copy_profile(user_accounts.profile(session, self._user_id))
            self._copy_zone(user_zones.zone_setting(session, self._user_id))

    def _copy_zone(self, setting: user_zones.ZoneSetting) -> None:
        self._assign(time_zone=setting.own, institution_zone=setting.institution)

    @guarded(SIGNED_IN)
    def save_time_zone(self, form_data: dict[str, Any]) -> Any:
        """The zone every time and due date of the user's pages is in ("" for the
        institution's)."""
        self.errors = {}
        with db.session() as session:
            setting = user_zones.set_time_zone(session, self._user_id,
                                               _value(form_data, user_zones.FIELD))
        self._copy_zone(setting)
        return rx.toast.success(f"Time zone saved: {setting.own or setting.institution}.")

    @guarded(SIGNED_IN)
    def save_profile(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        with db.session() as session:
            saved = user_accounts.update_profile(
                session, self._user_id, name=_value(form_data, "name"),
                major=_value(form_data, "major"),
                graduation_year=_value(form_data, "graduation_year"),
                share_progress=_value(form_data, "share_progress"))
        self._copy_profile(saved)
        self._show_user(saved.name, self._role)
        return rx.toast.success("Profile saved.")

    @guarded(SIGNED_IN)
    async def change_password(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        await in_argon2_pool(user_accounts.change_password, self._user_id,
                             _value(form_data, "current_password"),
                             _value(form_data, "new_password"),
                             _value(form_data, "confirm_password"),
                             keep_token=self.auth_token, by=acting(self))
        return [reset_form("password-form"),
                rx.toast.success("Password changed. Other devices were signed out.")]

    @guarded(SIGNED_IN)
    def set_delete_dialog(self, is_open: bool) -> None:
        self.delete_dialog_open = is_open is True
        if "delete_password" in self.errors:
            self.errors = {}

    @guarded(SIGNED_IN)
    async def delete_account(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        await in_argon2_pool(user_accounts.delete_account, self._user_id,
                             _value(form_data, "delete_password"), by=acting(self))
        self.delete_dialog_open = False
        return [*(await self._signed_out()),
                rx.toast.success("Your account and all its data were deleted.")]


# (file name, service, media type) of each download under "Export my data".
EXPORTS = {
    "json": ("infoview-my-data.json", data_export.export_json, "application/json"),
    "csv": ("infoview-contacts.csv", data_export.contacts_csv, "text/csv"),
    "vcard": ("infoview-contacts.vcf", data_export.contacts_vcard, "text/vcard"),
}


class ExportState(SessionState):
    """A student's own data, downloaded: everything as JSON, the contacts as CSV or vCard."""

    @guarded(STUDENT)
    def download(self, kind: str) -> Any:
        if not isinstance(kind, str) or kind not in EXPORTS:
            return rx.toast.error("Choose one of the listed downloads.")
        filename, build, mime_type = EXPORTS[kind]
        with db.session() as session:
            data = build(session, self._user_id)
            audit.record_alone(session, AuditKind.DATA_EXPORTED, acting(self),
                               audit.Target(self._user_id, detail=f"file: {filename}"))
        return rx.download(data=data, filename=filename, mime_type=mime_type)

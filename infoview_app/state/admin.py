"""Admin: staff accounts."""

from typing import Any

import reflex as rx

from infoview_app import db, routes
from infoview_app.config import smtp_settings
from infoview_app.models import Role
from infoview_app.services.accounts import recovery, user_accounts
from infoview_app.services.core import mail
from infoview_app.services.core.errors import InvalidInput
from infoview_app.state.base import (
    ADMIN,
    FormState,
    SessionState,
    acting,
    guarded,
    in_argon2_pool,
    page_url,
    reset_form,
)


class StaffAccountsState(FormState, SessionState):
    staff: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)

    def _refresh(self) -> None:
        with db.session() as session:
            self.staff = [{"id": user.id, "name": user.name, "email": user.email,
                           "active": user.is_active}
                          for user in user_accounts.list_users(session, Role.STAFF)]

    @guarded(ADMIN)
    def load(self) -> None:
        self.errors = {}
        self._refresh()

    @guarded(ADMIN)
    async def create_staff(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        values = form_data if isinstance(form_data, dict) else {}
        user = await in_argon2_pool(user_accounts.create_staff, name=values.get("name"),
                                    email=values.get("email"), password=values.get("password"),
                                    by=acting(self))
        self._refresh()
        return [reset_form("staff-form"),
                rx.toast.success(f"Staff account created for {user.name}.")]

    @guarded(ADMIN)
    def send_reset(self, user_id: int) -> Any:
        settings = smtp_settings()
        if settings is None:
            raise InvalidInput("Email is not set up on this server (INFOVIEW_SMTP_HOST), so no "
                               "reset link can be sent.", "staff")
        with db.session() as session:
            reset = recovery.staff_reset(session, user_id, page_url(routes.RESET_PASSWORD),
                                         by=acting(self))
        mail.post(settings, reset.message)
        return rx.toast.success(f"A link to choose a new password was sent to {reset.email}. "
                                "It works for one hour.")

    @guarded(ADMIN)
    def set_active(self, user_id: int, active: bool) -> Any:
        with db.session() as session:
            user = user_accounts.set_active(session, user_id, Role.STAFF, active is True,
                                            by=acting(self))
        self._refresh()
        verb = "reactivated" if user.is_active else "deactivated; their sessions have ended"
        return rx.toast.success(f"{user.name} {verb}.")

"""Which page is served at which route, with its title and what it loads."""

from dataclasses import dataclass
from typing import Any

import reflex as rx

from infoview_app import routes
from infoview_app.pages.account import account_page
from infoview_app.pages.admin import staff_accounts_page
from infoview_app.pages.audit import audit_log_page
from infoview_app.pages.auth import (
    forgot_password_page,
    login_page,
    oidc_callback_page,
    register_page,
    reset_password_page,
    verify_email_page,
)
from infoview_app.pages.exploration import exploration_page
from infoview_app.pages.home import home_page
from infoview_app.pages.institution_settings import institution_settings_page
from infoview_app.pages.network import network_page
from infoview_app.pages.notes import notes_page
from infoview_app.pages.partner_directory import partner_directory_page
from infoview_app.pages.question_bank import question_bank_page
from infoview_app.pages.staff import not_allowed_page, staff_home_page
from infoview_app.state.account import AccountState
from infoview_app.state.admin import StaffAccountsState
from infoview_app.state.audit import AuditLogState
from infoview_app.state.auth import (
    ForgotPasswordState,
    LoginState,
    OidcState,
    RegisterState,
    ResetPasswordState,
    ShellState,
    VerifyEmailState,
)
from infoview_app.state.exploration import ExplorationState
from infoview_app.state.home import StudentHomeState
from infoview_app.state.institution import InstitutionState
from infoview_app.state.institution_settings import InstitutionSettingsState
from infoview_app.state.network import NetworkState
from infoview_app.state.notes import NotesState
from infoview_app.state.partner_directory import PartnerDirectoryState
from infoview_app.state.question_bank import QuestionBankState
from infoview_app.state.reminders import ReminderState
from infoview_app.state.staff import StaffHomeState


@dataclass(frozen=True)
class Page:
    route: str
    title: str
    component: Any
    on_load: Any  # a handler, or a list of them


PAGES = (
    Page(routes.LOGIN, "Sign in", login_page, LoginState.load),
    Page(routes.REGISTER, "Create your account", register_page, RegisterState.load),
    Page(routes.FORGOT_PASSWORD, "Forgot your password?", forgot_password_page,
         ForgotPasswordState.load),
    Page(routes.RESET_PASSWORD, "Choose a new password", reset_password_page,
         ResetPasswordState.load),
    Page(routes.VERIFY_EMAIL, "Confirm your email address", verify_email_page,
         VerifyEmailState.load),
    Page(routes.OIDC_CALLBACK, "Signing in", oidc_callback_page, OidcState.callback),
    Page(routes.HOME, "Home", home_page, StudentHomeState.load),
    Page(routes.STAFF_HOME, "Programme overview", staff_home_page, StaffHomeState.load),
    Page(routes.ADMIN_STAFF, "Staff accounts", staff_accounts_page, StaffAccountsState.load),
    Page(routes.ADMIN_AUDIT, "Audit log", audit_log_page, AuditLogState.load),
    Page(routes.ACCOUNT, "Your account", account_page,
         [AccountState.load, ReminderState.load]),
    Page(routes.NOTES, "Interview notes", notes_page, NotesState.load),
    Page(routes.NETWORK, "Contact network", network_page, NetworkState.load),
    Page(routes.EXPLORATION, "Exploration", exploration_page, ExplorationState.load),
    Page(routes.STAFF_PARTNERS, "Community partners", partner_directory_page,
         PartnerDirectoryState.load),
    Page(routes.STAFF_QUESTIONS, "Question bank", question_bank_page, QuestionBankState.load),
    Page(routes.STAFF_SETTINGS, "Institution settings", institution_settings_page,
         InstitutionSettingsState.load),
    Page(routes.NOT_ALLOWED, "Not available", not_allowed_page, ShellState.load),
)


def register_pages(app: rx.App) -> None:
    for page in PAGES:
        loads = page.on_load if isinstance(page.on_load, list) else [page.on_load]
        app.add_page(page.component, route=page.route, title=f"{page.title} · InfoView",
                     on_load=[InstitutionState.load, *loads])

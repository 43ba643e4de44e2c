"""The audit log through the real handlers: each event is recorded by the handler where it
happens, with the tab's client address; only admins read the log."""

import csv
import io
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData
from sqlmodel import select

from infoview_app import db, routes
from infoview_app.models import AuditEvent, AuditKind, Role, User
from infoview_app.services.staff import institution
from infoview_app.state.account import AccountState, ExportState
from infoview_app.state.admin import StaffAccountsState
from infoview_app.state.audit import AuditLogState
from infoview_app.state.auth import LoginState, LogoutState, RegisterState
from infoview_app.state.base import SessionState
from infoview_app.state.institution_settings import InstitutionSettingsState
from tests.factories import PASSWORD
from tests.state.conftest import ORIGIN, downloaded, redirect_path, run

ADDRESS = "198.51.100.23"


def _tab(path: str, token: str = "") -> rx.State:
    """A new browser tab (its own root state) connected from ADDRESS, on ``path``, presenting
    ``token`` on its socket as the browser does."""
    root = rx.State()
    root.router = RouterData(session=SessionData(session_id="socket-audit", client_ip=ADDRESS),
                             url=ReflexURL(ORIGIN + path))
    if token:
        _on(root, SessionState).auth_token = token
    return root


def _on(tab: rx.State, state_class: type) -> Any:
    return tab.get_substate(state_class.get_full_name().split(".")[1:])


def _events() -> list[AuditEvent]:
    with db.session() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def _last(kind: AuditKind) -> AuditEvent:
    matching = [event for event in _events() if event.kind == kind]
    assert matching, f"no {kind} event"
    return matching[-1]


def _email(user_id: int) -> str:
    with db.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.email


async def test_sign_in_failure_success_and_sign_out_are_recorded(signed_in: Any) -> None:
    user_id, _ = signed_in(Role.STUDENT)
    email = _email(user_id)
    login = _on(_tab(routes.LOGIN), LoginState)
    await run(login, "submit", {"email": email.upper(), "password": "not-the-password"})
    assert login.errors == {"password": "Wrong email or password."}
    failed = _last(AuditKind.SIGN_IN_FAILED)
    assert (failed.actor_id, failed.target_email, failed.client) == (None, email, ADDRESS)
    await run(login, "submit", {"email": email, "password": PASSWORD})
    assert login.auth_token
    done = _last(AuditKind.SIGN_IN)
    assert (done.actor_id, done.actor_email, done.client) == (user_id, email, ADDRESS)
    logout = _on(_tab(routes.HOME, login.auth_token), LogoutState)
    await run(logout, "logout")
    out = _last(AuditKind.SIGN_OUT)
    assert (out.actor_id, out.actor_email, out.client) == (user_id, email, ADDRESS)


async def test_registration_is_recorded(app_db: str) -> None:
    register = _on(_tab(routes.REGISTER), RegisterState)
    await run(register, "submit", {"name": "Bo", "email": "bo@uni.edu", "password": PASSWORD})
    assert register.errors == {}
    event = _last(AuditKind.REGISTERED)
    assert (event.actor_email, event.target_email, event.client) == (
        "bo@uni.edu", "bo@uni.edu", ADDRESS)


async def test_password_change_export_and_deletion_are_recorded(signed_in: Any) -> None:
    user_id, token = signed_in(Role.STUDENT)
    email = _email(user_id)
    account = _on(_tab(routes.ACCOUNT, token), AccountState)
    await run(account, "change_password", {"current_password": PASSWORD,
                                            "new_password": "brand-new-secret-9",
                                            "confirm_password": "brand-new-secret-9"})
    assert account.errors == {}
    changed = _last(AuditKind.PASSWORD_CHANGED)
    assert (changed.actor_id, changed.client) == (user_id, ADDRESS)
    export = _on(_tab(routes.ACCOUNT, token), ExportState)
    assert downloaded(await run(export, "download", "csv")) is not None
    exported = _last(AuditKind.DATA_EXPORTED)
    assert (exported.actor_id, exported.client) == (user_id, ADDRESS)
    assert exported.detail == "file: infoview-contacts.csv"
    account = _on(_tab(routes.ACCOUNT, token), AccountState)
    await run(account, "delete_account", {"delete_password": "brand-new-secret-9"})
    assert account.errors == {}
    deleted = _last(AuditKind.ACCOUNT_DELETED)
    assert (deleted.actor_id, deleted.actor_email, deleted.client) == (None, email, ADDRESS)
    for event in _events():
        assert "brand-new-secret-9" not in repr(event) and PASSWORD not in repr(event)


async def test_staff_accounts_and_settings_are_recorded_as_the_admins(signed_in: Any) -> None:
    admin_id, token = signed_in(Role.ADMIN)
    admin_email = _email(admin_id)
    staff_page = _on(_tab(routes.ADMIN_STAFF, token), StaffAccountsState)
    await run(staff_page, "create_staff", {"name": "Cy", "email": "cy@uni.edu",
                                           "password": PASSWORD})
    assert staff_page.errors == {}
    created = _last(AuditKind.STAFF_CREATED)
    cy = created.target_id
    assert cy is not None and created.target_email == "cy@uni.edu"
    await run(staff_page, "set_active", cy, False)
    await run(staff_page, "set_active", cy, True)
    settings = _on(_tab(routes.STAFF_SETTINGS, token), InstitutionSettingsState)
    await run(settings, "save", {**institution.defaults_from_environment().as_dict(),
                                 "name": "Lakeview College"})
    assert settings.errors == {}
    assert _last(AuditKind.SETTINGS_CHANGED).detail == "changed: Institution name"
    for kind in (AuditKind.STAFF_CREATED, AuditKind.STAFF_DEACTIVATED,
                 AuditKind.STAFF_REACTIVATED, AuditKind.SETTINGS_CHANGED):
        event = _last(kind)
        assert (event.actor_id, event.actor_email, event.client) == (
            admin_id, admin_email, ADDRESS)
    assert _last(AuditKind.STAFF_DEACTIVATED).target_id == cy


# --- reading the log ----------------------------------------------------------------------

HANDLERS: list[tuple[str, tuple[Any, ...]]] = [
    ("load", ()), ("apply_filters", ({"kind": "", "email": "", "start": "", "end": ""},)),
    ("reset_filters", ()), ("download_csv", ()),
]


@pytest.mark.parametrize("role", [Role.STUDENT, Role.STAFF])
async def test_students_and_staff_are_refused_and_get_no_rows(signed_in: Any,
                                                              role: Role) -> None:
    user_id, token = signed_in(role)
    login = _on(_tab(routes.LOGIN), LoginState)
    await run(login, "submit", {"email": _email(user_id), "password": PASSWORD})
    recorded = len(_events())
    state = _on(_tab(routes.ADMIN_AUDIT, token), AuditLogState)
    for name, args in HANDLERS:
        events = await run(state, name, *args)
        assert redirect_path(events) == routes.NOT_ALLOWED, name
        assert downloaded(events) is None
        assert state.rows == [] and not state.loaded
    assert len(_events()) == recorded  # a refused download records nothing either


async def test_a_visitor_is_sent_to_sign_in(app_db: str) -> None:
    state = _on(_tab(routes.ADMIN_AUDIT), AuditLogState)
    for name, args in HANDLERS:
        events = await run(state, name, *args)
        assert redirect_path(events) == routes.login_url(routes.ADMIN_AUDIT)
        assert state.rows == [] and downloaded(events) is None


async def test_an_admin_filters_the_log_and_downloads_it(signed_in: Any) -> None:
    student_id, _ = signed_in(Role.STUDENT)
    student_email = _email(student_id)
    login = _on(_tab(routes.LOGIN), LoginState)
    await run(login, "submit", {"email": "someone@else.edu", "password": "a-wrong-guess-1"})
    await run(login, "submit", {"email": student_email, "password": PASSWORD})
    _, token = signed_in(Role.ADMIN)
    state = _on(_tab(routes.ADMIN_AUDIT, token), AuditLogState)
    await run(state, "load")
    assert [row["event"] for row in state.rows] == ["Signed in", "Sign-in failed"]
    assert state.rows[0]["actor"] == student_email and state.rows[0]["client"] == ADDRESS
    assert state.rows[1]["actor"] == "Not signed in"
    assert state.rows[1]["target"] == "someone@else.edu"
    assert state.retention_days == 365 and not state.more
    await run(state, "apply_filters", {"kind": "sign_in_failed", "email": "", "start": "",
                                       "end": ""})
    assert [row["event"] for row in state.rows] == ["Sign-in failed"]
    assert state.kind == "sign_in_failed"
    # Bad filters: messages beside the fields, the list as it was.
    await run(state, "apply_filters", {"kind": "nope", "email": "", "start": "2026-02-30",
                                       "end": ""})
    assert set(state.errors) == {"kind", "start"}
    assert [row["event"] for row in state.rows] == ["Sign-in failed"]
    await run(state, "apply_filters", {"kind": "", "email": student_email.upper(),
                                       "start": "", "end": ""})
    assert state.errors == {} and [row["event"] for row in state.rows] == ["Signed in"]
    file = downloaded(await run(state, "download_csv"))
    assert file is not None and file["filename"] == "infoview-audit-log.csv"
    lines = list(csv.reader(io.StringIO(file["text"])))
    assert lines[0][0] == "When (UTC)" and [line[1] for line in lines[1:]] == ["Signed in"]
    assert lines[1][2] == student_email
    assert _last(AuditKind.DATA_EXPORTED).detail == "file: infoview-audit-log.csv"
    await run(state, "reset_filters")
    assert state.email == "" and state.rows[0]["event"] == "Data export downloaded"

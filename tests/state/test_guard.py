"""The access guard, driven through real State objects and handlers."""

from typing import Any

import reflex as rx
from sqlmodel import func, select

from infoview_app import db
from infoview_app.models import Exploration, FollowUpKind, FollowUpTask, Role, User
from infoview_app.models._base import utcnow
from infoview_app.state.account import AccountState
from infoview_app.state.admin import StaffAccountsState
from infoview_app.state.auth import LoginState, RegisterState
from infoview_app.state.base import GUARD_MARK, SessionState, tab_state_classes
from infoview_app.state.home import StudentHomeState
from infoview_app.state.staff import StaffHomeState
from tests.factories import PASSWORD
from tests.state.conftest import call, redirect_path, run

STAFF_FORM = {"name": "Eve Intruder", "email": "eve@uni.edu", "password": "0123456789abc"}


def test_every_public_handler_of_every_app_state_is_guarded(root_state: rx.State) -> None:
    states = tab_state_classes()
    assert StudentHomeState in states and StaffAccountsState in states
    builtin = set(rx.State.event_handlers)
    checked = 0
    for state in states:
        for name, handler in state.event_handlers.items():
            if name in builtin:
                continue
            assert hasattr(handler.fn, GUARD_MARK), f"{state.__name__}.{name} is not guarded"
            checked += 1
    assert checked >= 12


def _count_users(role: Role) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(User)
                            .where(User.role == role)).one()


async def test_anonymous_visitor_is_sent_to_sign_in(substate: Any) -> None:
    home = substate(StudentHomeState)
    assert redirect_path(call(home, "load")) == "/login"
    assert home.loaded is False
    admin = substate(StaffAccountsState)
    assert redirect_path(await call(admin, "create_staff", STAFF_FORM)) == "/login"
    assert _count_users(Role.STAFF) == 0


async def test_student_is_refused_staff_and_admin_handlers(substate: Any, signed_in: Any) -> None:
    _, token = signed_in(Role.STUDENT)
    substate(SessionState).auth_token = token
    staff_home = substate(StaffHomeState)
    assert redirect_path(await run(staff_home, "load")) == "/not-allowed"
    assert staff_home.loaded is False and staff_home.students == ""
    admin = substate(StaffAccountsState)
    assert redirect_path(await call(admin, "create_staff", STAFF_FORM)) == "/not-allowed"
    assert _count_users(Role.STAFF) == 0


async def test_staff_is_refused_admin_handlers_but_admin_is_admitted(substate: Any,
                                                               signed_in: Any) -> None:
    _, staff_token = signed_in(Role.STAFF)
    session_state = substate(SessionState)
    session_state.auth_token = staff_token
    admin_state = substate(StaffAccountsState)
    assert redirect_path(await call(admin_state, "create_staff", STAFF_FORM)) == "/not-allowed"
    assert _count_users(Role.STAFF) == 1

    _, admin_token = signed_in(Role.ADMIN)
    session_state.auth_token = admin_token
    await call(admin_state, "create_staff", STAFF_FORM)
    assert _count_users(Role.STAFF) == 2
    assert [member["email"] for member in admin_state.staff if member["email"] == "eve@uni.edu"]


def test_foreign_record_ids_read_as_not_found(substate: Any, signed_in: Any) -> None:
    other_id, _ = signed_in(Role.STUDENT)
    with db.session() as session:
        theirs = Exploration(owner_id=other_id, field_name="Dentistry")
        session.add(theirs)
        session.commit()
        task = FollowUpTask(owner_id=other_id, kind=FollowUpKind.LINKEDIN_CONNECT,
                            due_on=utcnow().date())
        session.add(task)
        session.commit()
        theirs_id, task_id = theirs.id, task.id
    _, token = signed_in(Role.STUDENT)
    substate(SessionState).auth_token = token
    home = substate(StudentHomeState)
    for handler, record_id in (("delete_exploration", theirs_id),
                               ("complete_follow_up", task_id),
                               ("delete_exploration", "1 OR 1=1"),
                               ("delete_exploration", {"id": theirs_id})):
        call(home, handler, record_id)
    with db.session() as session:
        assert session.get(Exploration, theirs_id) is not None
        assert session.get(FollowUpTask, task_id).status == "open"


def test_revoked_session_is_refused_at_once(substate: Any, signed_in: Any) -> None:
    _, token = signed_in(Role.STUDENT)
    session_state = substate(SessionState)
    session_state.auth_token = token
    home = substate(StudentHomeState)
    assert redirect_path(call(home, "load")) is None and home.loaded
    from infoview_app.services.accounts import user_accounts

    with db.session() as session:
        user_accounts.revoke_session(session, token)
    assert redirect_path(call(home, "load")) == "/login"
    assert session_state.auth_token == ""


async def test_sign_in_handler_sets_the_token_and_reports_errors_beside_fields(
        substate: Any, signed_in: Any) -> None:
    signed_in(Role.STUDENT, name="Ana")
    login = substate(LoginState)
    await call(login, "submit", {"email": "student1@uni.edu", "password": "wrong-password"})
    assert login.errors == {"password": "Wrong email or password."}
    assert login.auth_token == ""
    await call(login, "submit", {"email": "not an email", "password": ""})
    assert set(login.errors) == {"email", "password"}
    assert redirect_path(await call(login, "submit", {"email": "student1@uni.edu",
                                                "password": PASSWORD})) == "/"
    assert login.errors == {} and login.auth_token
    assert substate(SessionState).user_name == "Ana"
    # Garbage instead of a form: a message, no exception.
    await call(login, "submit", ["not", "a", "dict"])
    assert login.errors


async def test_register_handler_validates_and_saves_nothing_on_error(substate: Any,
                                                               app_db: str) -> None:
    register = substate(RegisterState)
    await call(register, "submit", {"name": "A" * 500, "email": "x@uni.edu", "password": "short"})
    assert set(register.errors) == {"name", "password"}
    assert _count_users(Role.STUDENT) == 0
    events = await call(register, "submit", {"name": "Bo", "email": "bo@uni.edu",
                                       "password": PASSWORD, "graduation_year": "2028"})
    assert redirect_path(events) == "/" and register.auth_token
    assert _count_users(Role.STUDENT) == 1


async def test_account_deletion_needs_the_password(substate: Any, signed_in: Any) -> None:
    user_id, token = signed_in(Role.STUDENT)
    substate(SessionState).auth_token = token
    account = substate(AccountState)
    await call(account, "delete_account", {"delete_password": "wrong-password"})
    assert account.errors == {"delete_password": "That is not your current password."}
    with db.session() as session:
        assert session.get(User, user_id) is not None
    assert redirect_path(await call(account, "delete_account",
                                    {"delete_password": PASSWORD})) == "/login"
    with db.session() as session:
        assert session.get(User, user_id) is None
    assert account.auth_token == ""

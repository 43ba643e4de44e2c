"""The access guard, driven through real State objects and handlers."""

import ast
from pathlib import Path
from typing import Any

import reflex as rx
from sqlmodel import func, select

import infoview_app.state as state_package
from infoview_app import db
from infoview_app.models import Exploration, FollowUpKind, FollowUpTask, Role, User
from infoview_app.models._base import utcnow
from infoview_app.services.core import errors
from infoview_app.services.core.errors import ServiceError
from infoview_app.state.account import AccountState
from infoview_app.state.admin import StaffAccountsState
from infoview_app.state.auth import LoginState, RegisterState, ShellState
from infoview_app.state.base import (
    ADMIN,
    GUARD_MARK,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    STUDENT,
    SessionState,
    tab_state_classes,
)
from infoview_app.state.home import StudentHomeState
from infoview_app.state.institution import InstitutionState
from infoview_app.state.institution_settings import InstitutionSettingsState
from infoview_app.state.notes import NotesState
from infoview_app.state.staff import StaffHomeState
from tests.factories import PASSWORD
from tests.state.conftest import (
    REFLEX_HANDLERS,
    call,
    public_handlers,
    redirect_path,
    reflex_handler,
    run,
    state_tree,
)

POLICIES = (STUDENT, STAFF, ADMIN, SIGNED_IN, PUBLIC)
STAFF_FORM = {"name": "Eve Intruder", "email": "eve@uni.edu", "password": "0123456789abc"}


def test_every_public_handler_of_every_app_state_is_guarded() -> None:
    """Every event handler of every state in the app (InfoView's under SessionState, or any
    a page might add elsewhere in the tree) is declared with @guarded(POLICY), but the ones
    Reflex adds, each listed with why (REFLEX_HANDLERS)."""
    states = state_tree()
    assert {rx.State, SessionState, StudentHomeState, StaffAccountsState} <= set(states)
    found = [(state, name) for state in states for name in state.event_handlers]
    reflex_own = [(state, name) for state, name in found if reflex_handler(state, name)]
    checked = 0
    for state, name in public_handlers():
        policy = getattr(state.event_handlers[name].fn, GUARD_MARK, None)
        assert policy in POLICIES, f"{state.__name__}.{name} is not guarded"
        checked += 1
    print(f"guard checked on {checked} handlers")
    assert checked == len(found) - len(reflex_own) > 0
    # Reflex's own are setvar on InfoView's states, and nothing else of theirs; each listed
    # one exists, so the list can't hide a handler that is gone.
    assert {name for state, name in reflex_own if state in tab_state_classes()} == {"setvar"}
    listed = {f"{state.__module__}.{state.__qualname__}.{name}" for state, name in reflex_own}
    assert set(REFLEX_HANDLERS) - {"setvar"} <= listed


def test_no_state_maps_a_service_error_itself() -> None:
    """Only the guard turns a ServiceError into what the page shows (with ``refused`` where a
    page shows it otherwise). A state may note one on its way and raise it on, as
    ExplorationState._exploration_in_url marks the page missing; no except clause on a
    ServiceError, or one of its kinds, ends otherwise."""
    kinds = {name for name, value in vars(errors).items()
             if isinstance(value, type) and issubclass(value, ServiceError)}
    package = Path(state_package.__file__).parent
    in_the_guard = 0
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.ExceptHandler) and node.type is not None):
                continue
            caught = {part.id if isinstance(part, ast.Name) else part.attr
                      for part in ast.walk(node.type)
                      if isinstance(part, ast.Name | ast.Attribute)}
            if not caught & kinds:
                continue
            where = f"{path.relative_to(package)}:{node.lineno}"
            if where.startswith("base.py:"):
                in_the_guard += 1  # the sync and the async wrapper
                continue
            last = node.body[-1]
            assert isinstance(last, ast.Raise) and last.exc is None, where
    assert in_the_guard == 2


def _count_users(role: Role) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(User)
                            .where(User.role == role)).one()


# One handler of each policy, and who it admits: a visitor who is not signed in (None), or a
# signed-in user of a role. The others are sent to sign in, or told they are not allowed.
ADMITTED = [
    (NotesState, "load", STUDENT, {Role.STUDENT}),
    (InstitutionSettingsState, "load", STAFF, {Role.STAFF, Role.ADMIN}),
    (StaffAccountsState, "load", ADMIN, {Role.ADMIN}),
    (ShellState, "load", SIGNED_IN, {Role.STUDENT, Role.STAFF, Role.ADMIN}),
    (InstitutionState, "load", PUBLIC, {None, Role.STUDENT, Role.STAFF, Role.ADMIN}),
]


async def test_each_policy_admits_exactly_its_users(substate: Any, signed_in: Any) -> None:
    tokens = {role: signed_in(role)[1] for role in Role} | {None: ""}
    for state_class, handler, policy, admitted in ADMITTED:
        assert getattr(getattr(state_class, handler).fn, GUARD_MARK) is policy
        for role, token in tokens.items():
            substate(SessionState).auth_token = token
            sent_to = redirect_path(await run(substate(state_class), handler))
            expected = (None if role in admitted else "/login" if role is None
                        else "/not-allowed")
            assert sent_to == expected, (policy.name, role)


async def test_anonymous_visitor_is_sent_to_sign_in(substate: Any) -> None:
    home = substate(StudentHomeState)
    assert redirect_path(await run(home, "load")) == "/login"
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


async def test_revoked_session_is_refused_at_once(substate: Any, signed_in: Any) -> None:
    _, token = signed_in(Role.STUDENT)
    session_state = substate(SessionState)
    session_state.auth_token = token
    home = substate(StudentHomeState)
    assert redirect_path(await run(home, "load")) is None and home.loaded
    from infoview_app.services.accounts import user_accounts
    from tests.factories import BY

    with db.session() as session:
        user_accounts.sign_out(session, token, by=BY)
    assert redirect_path(await run(home, "load")) == "/login"
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
    # Saved, waiting for its address to be proven: no session yet.
    assert redirect_path(events) is None and register.auth_token == ""
    assert register.errors == {} and register.sent_to == "bo@uni.edu"
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

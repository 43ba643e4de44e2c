"""The access guard and owner scoping, attacked over the raw event socket of the live backend.

A browser is not needed to call a handler: anyone can open the socket and send any event
name with any arguments (see tests/live/socket_client.py for the wire protocol). Each refusal
test has a positive control beside it that sends the same event the same way as a user who
may, so a refusal cannot come from a malformed request.
"""

import os
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from reflex.state import UpdateVarsInternalState
from sqlmodel import func, select

from infoview_app import db, routes
from infoview_app.models import (
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Role,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import user_accounts
from infoview_app.services.journey import explorations
from infoview_app.services.staff.dashboard.filters import whole_weeks
from infoview_app.state.admin import StaffAccountsState
from infoview_app.state.auth import LoginState, LogoutState
from infoview_app.state.base import SessionState
from infoview_app.state.home import StudentHomeState
from infoview_app.state.staff import StaffHomeState
from tests.factories import BY
from tests.live.conftest import PASSWORD
from tests.live.socket_client import (
    FORM_DATA_KEY,
    ReflexSocket,
    Replies,
    event_name,
    form,
    open_socket,
    storage_key,
)

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout

GENERIC_ERROR = "Something went wrong"
AUTH_TOKEN = storage_key(SessionState, "auth_token")
SUBMIT_LOGIN = event_name(LoginState, "submit")
CREATE_STAFF = event_name(StaffAccountsState, "create_staff")
SET_ACTIVE = event_name(StaffAccountsState, "set_active")
STAFF_HOME_LOAD = event_name(StaffHomeState, "load")
START_EXPLORATION = event_name(StudentHomeState, "start_exploration")
HOME_LOAD = event_name(StudentHomeState, "load")
LOGOUT = event_name(LogoutState, "logout")
DELETE_EXPLORATION = event_name(StudentHomeState, "delete_exploration")
COMPLETE_FOLLOW_UP = event_name(StudentHomeState, "complete_follow_up")
UPDATE_VARS = event_name(UpdateVarsInternalState, "update_vars_internal")
STAFF_FIGURES = ("students", "headline", "charts", "progress", "majors", "graduation_years",
                 "note", "start", "loaded")
APPLY_FILTERS = event_name(StaffHomeState, "apply_filters")
DOWNLOAD_CSV = event_name(StaffHomeState, "download_csv")
SEARCH_STUDENTS = event_name(StaffHomeState, "search_students")


# --- the database, read and seeded directly -------------------------------------------------

def _staff_form(label: str) -> dict[str, str]:
    return {"name": f"Mallory {label}", "password": PASSWORD,
            "email": f"mallory-{label}-{os.urandom(3).hex()}@test.example.edu"}


def _user_count(role: Role) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(User)
                            .where(User.role == role)).one()


def _user_with_email(email: str) -> User | None:
    with db.session() as session:
        return user_accounts.find_user_by_email(session, email)


def _user(user_id: int) -> User:
    with db.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user


def _exploration(exploration_id: int) -> Exploration | None:
    with db.session() as session:
        return session.get(Exploration, exploration_id)


def _task(task_id: int) -> FollowUpTask:
    with db.session() as session:
        task = session.get(FollowUpTask, task_id)
        assert task is not None
        return task


def _journey(user_id: int, field_name: str) -> tuple[int, int]:
    """An exploration of ``field_name`` with one open follow-up task, owned by the user."""
    with db.session() as session:
        exploration_id = explorations.start_exploration(session, user_id, field_name)
        task = FollowUpTask(owner_id=user_id, exploration_id=exploration_id,
                            kind=FollowUpKind.THANK_YOU_NOTE, due_on=date.today())
        session.add(task)
        session.commit()
        assert task.id is not None
        return exploration_id, task.id


def _session_token(user_id: int, *, expired: bool = False, revoked: bool = False) -> str:
    with db.session() as session:
        start = utcnow() - timedelta(days=30) if expired else None
        token = user_accounts.start_session(session, user_id, timedelta(hours=1), now=start)
        if revoked:
            user_accounts.sign_out(session, token, by=BY)
    return token


def _session_is_live(token: str) -> bool:
    with db.session() as session:
        return user_accounts.resolve_session(session, token) is not None


# --- the socket, as a browser tab ---------------------------------------------------------------

def _assert_refused(replies: Replies, path: str) -> None:
    """The guard's refusal: a redirect to ``path`` and no server error."""
    assert GENERIC_ERROR not in replies.text()
    assert replies.redirects(), f"no redirect in {replies.text()[:1000]}"
    assert replies.redirects()[-1].split("?")[0] == path


def _assert_no_staff_figures(replies: Replies) -> None:
    sent = [name for name in STAFF_FIGURES if replies.sent(StaffHomeState, name)]
    assert not sent, f"StaffHomeState figures sent: {sent}"


def _sign_in(client: ReflexSocket, user: dict[str, Any]) -> Replies:
    """Submit the sign-in form over the socket, as the login page does."""
    replies = client.call(SUBMIT_LOGIN, path=routes.LOGIN,
                          form_data=form({"email": user["email"], "password": user["password"]}))
    assert replies.var(SessionState, "auth_token"), replies.text()[:1000]
    assert replies.var(SessionState, "user_name") == user["name"]
    return replies


@pytest.fixture
def signed_in(backend_url: str, make_user: Callable[..., dict[str, Any]]
              ) -> Iterator[Callable[..., tuple[ReflexSocket, dict[str, Any]]]]:
    """Open a socket and sign a new user of the given role in through the login form."""
    clients: list[ReflexSocket] = []

    def open_as(role: Role, name: str) -> tuple[ReflexSocket, dict[str, Any]]:
        user = make_user(role=role, name=name)
        client = ReflexSocket(backend_url, path=routes.LOGIN)
        clients.append(client)
        client.connect()
        _sign_in(client, user)
        return client, user

    yield open_as
    for client in clients:
        client.close()


# --- 1. anonymous -------------------------------------------------------------------------------

def test_anonymous_create_staff_creates_nobody_and_redirects_to_login(backend_url: str) -> None:
    values = _staff_form("anonymous")
    staff_before = _user_count(Role.STAFF)
    with open_socket(backend_url, path=routes.ADMIN_STAFF) as client:
        replies = client.call(CREATE_STAFF, form_data=form(values))
    _assert_refused(replies, routes.LOGIN)
    assert replies.redirects()[-1] == routes.login_url(routes.ADMIN_STAFF)
    assert _user_with_email(values["email"]) is None
    assert _user_count(Role.STAFF) == staff_before
    assert not replies.sent(StaffAccountsState, "staff")


def test_admin_create_staff_over_the_socket_creates_the_account(signed_in) -> None:
    """Positive control: the same event, sent the same way by an admin, does create staff."""
    client, _ = signed_in(Role.ADMIN, "Ada Admin")
    values = _staff_form("by-admin")
    replies = client.call(CREATE_STAFF, path=routes.ADMIN_STAFF, form_data=form(values))
    assert not replies.redirects()
    assert GENERIC_ERROR not in replies.text()
    created = _user_with_email(values["email"])
    assert created is not None and created.role == Role.STAFF
    assert values["email"] in [row["email"] for row in replies.var(StaffAccountsState, "staff")]


# --- 2. a signed-in student against admin and staff handlers ----------------------------------

def test_student_create_staff_is_refused(signed_in) -> None:
    client, _ = signed_in(Role.STUDENT, "Sam Student")
    values = _staff_form("by-student")
    staff_before = _user_count(Role.STAFF)
    replies = client.call(CREATE_STAFF, path=routes.ADMIN_STAFF, form_data=form(values))
    _assert_refused(replies, routes.NOT_ALLOWED)
    assert _user_with_email(values["email"]) is None
    assert _user_count(Role.STAFF) == staff_before
    assert not replies.sent(StaffAccountsState, "staff")


def test_student_set_active_leaves_the_staff_account_active(signed_in, make_user) -> None:
    staff = make_user(role=Role.STAFF, name="Stella Staff")
    staff_token = _session_token(staff["id"])
    client, _ = signed_in(Role.STUDENT, "Sam Student")
    replies = client.call(SET_ACTIVE, path=routes.ADMIN_STAFF, user_id=staff["id"], active=False)
    _assert_refused(replies, routes.NOT_ALLOWED)
    assert _user(staff["id"]).is_active
    assert _session_is_live(staff_token), "the staff member's sessions were ended"
    assert "Stella Staff" not in replies.text()


def test_student_staff_home_load_sends_no_figures(signed_in, make_user) -> None:
    # Enough students that the head count is shown, not suppressed.
    for number in range(5):
        make_user(role=Role.STUDENT, name=f"Counted Student {number}")
    client, _ = signed_in(Role.STUDENT, "Sam Student")
    replies = client.call(STAFF_HOME_LOAD, path=routes.STAFF_HOME)
    _assert_refused(replies, routes.NOT_ALLOWED)
    _assert_no_staff_figures(replies)


def test_staff_and_admin_controls_over_the_socket(signed_in, make_user) -> None:
    """Positive controls: staff get the figures; an admin does deactivate a staff account."""
    for number in range(5):
        make_user(role=Role.STUDENT, name=f"Counted Student {number}")
    staff_client, _ = signed_in(Role.STAFF, "Stella Staff")
    replies = staff_client.call(STAFF_HOME_LOAD, path=routes.STAFF_HOME)
    assert not replies.redirects()
    assert replies.var(StaffHomeState, "loaded") is True
    assert replies.var(StaffHomeState, "students").isdigit()

    target = make_user(role=Role.STAFF, name="Tess Target")
    admin_client, _ = signed_in(Role.ADMIN, "Ada Admin")
    replies = admin_client.call(SET_ACTIVE, path=routes.ADMIN_STAFF, user_id=target["id"],
                                active=False)
    assert not replies.redirects()
    assert GENERIC_ERROR not in replies.text()
    assert not _user(target["id"]).is_active


def _dashboard_students(make_user: Callable[..., dict[str, Any]], major: str) -> None:
    """Five students of one major who share their progress, each with an exploration."""
    for number in range(5):
        user = make_user(role=Role.STUDENT, name=f"{major} Sharer {number}")
        with db.session() as session:
            user_accounts.update_profile(session, user["id"], name=user["name"], major=major,
                                         graduation_year=2027, share_progress=True)
            explorations.start_exploration(session, user["id"], f"{major} field {number}")


def test_student_forged_dashboard_events_are_refused_and_return_nothing(signed_in,
                                                                         make_user) -> None:
    _dashboard_students(make_user, "Oceanography")
    client, _ = signed_in(Role.STUDENT, "Sam Student")
    filters = {"start": "2020-01-01", "end": "2022-12-31", "major": "Oceanography"}
    for name, payload in ((APPLY_FILTERS, {"form_data": form(filters)}),
                          (SEARCH_STUDENTS, {"form_data": form({"search": "Sharer"})}),
                          (DOWNLOAD_CSV, {"chart_key": "contact_sources"})):
        replies = client.call(name, path=routes.STAFF_HOME, **payload)
        _assert_refused(replies, routes.NOT_ALLOWED)
        _assert_no_staff_figures(replies)
        assert not replies.events("_download"), name
        assert "Oceanography" not in replies.text() and "Sharer" not in replies.text()


def test_staff_dashboard_events_over_the_socket(signed_in, make_user) -> None:
    """Positive control: the same events from staff filter, search and download."""
    _dashboard_students(make_user, "Limnology")
    client, _ = signed_in(Role.STAFF, "Stella Staff")
    replies = client.call(STAFF_HOME_LOAD, path=routes.STAFF_HOME)
    start, end = utcnow().date() - timedelta(days=30), utcnow().date()
    replies += client.call(APPLY_FILTERS, path=routes.STAFF_HOME, form_data=form(
        {"start": start.isoformat(), "end": end.isoformat(), "major": "Limnology"}))
    assert not replies.redirects()
    assert replies.var(StaffHomeState, "major") == "Limnology"
    assert replies.var(StaffHomeState, "students") == "5"  # unchanged values are not resent
    assert "Limnology Sharer 0" in replies.text()
    replies = client.call(DOWNLOAD_CSV, path=routes.STAFF_HOME, chart_key="contact_sources")
    downloads = replies.events("_download")
    assert len(downloads) == 1
    shown_start, shown_end = whole_weeks(start, end)  # the period, in whole weeks
    assert downloads[0]["payload"]["filename"] == (
        f"infoview-contact_sources-{shown_start.isoformat()}-{shown_end.isoformat()}.csv")
    assert downloads[0]["payload"]["url"].startswith("data:text/csv;base64,")


# --- 3. owner scoping between two students ---------------------------------------------------

def test_student_cannot_delete_or_complete_another_students_records(signed_in,
                                                                     make_user) -> None:
    owner_b = make_user(name="Blake Owner")
    b_exploration, b_task = _journey(owner_b["id"], "Marine biology (B's private field)")
    client_a, student_a = signed_in(Role.STUDENT, "Alex Attacker")
    a_exploration, a_task = _journey(student_a["id"], "Urban planning")

    replies = client_a.call(DELETE_EXPLORATION, path=routes.HOME, exploration_id=b_exploration)
    replies += client_a.call(COMPLETE_FOLLOW_UP, path=routes.HOME, task_id=b_task)
    assert _exploration(b_exploration) is not None
    assert _task(b_task).status == FollowUpStatus.OPEN
    assert _task(b_task).completed_at is None
    assert "B's private field" not in replies.text()
    assert GENERIC_ERROR not in replies.text()
    assert not replies.redirects()  # past the guard: refused by the owner scoping
    assert replies.var(StudentHomeState, "errors")

    # Positive control: the same events with A's own ids do work (the task first: deleting
    # the exploration deletes its follow-ups).
    client_a.call(COMPLETE_FOLLOW_UP, path=routes.HOME, task_id=a_task)
    assert _task(a_task).status == FollowUpStatus.DONE
    replies = client_a.call(DELETE_EXPLORATION, path=routes.HOME, exploration_id=a_exploration)
    assert _exploration(a_exploration) is None
    assert "Urban planning" in replies.text()  # the success toast names it
    assert _exploration(b_exploration) is not None
    assert _task(b_task).status == FollowUpStatus.OPEN


# --- 4. bad arguments --------------------------------------------------------------------------

def _bad(value: Any) -> Any:
    return pytest.param(value, id=repr(value)[:24])


BAD_IDS = [
    _bad("1 OR 1=1"), _bad("1; DROP TABLE user_account; --"), _bad(""), _bad("abc"),
    _bad("1e3"), _bad("0x10"), _bad(-1), _bad(0), _bad(-(2**31)), _bad(1.5), _bad(True),
    _bad(None), _bad([1, 2]), _bad({"$gt": 0}),
    _bad({"id": {"nested": [1, {"deeper": {"deepest": True}}]}}), _bad("x" * 100_000),
    _bad(2**31 - 1),  # well-formed, but no such record
    _bad("\u00b2"),  # str.isdigit() is true for superscripts, int() is not
    _bad("9" * 5000),  # int() refuses digit strings over 4300 digits
    _bad(2**63),  # past the largest integer key the databases store
]


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_bad_record_ids_are_refused_cleanly(signed_in, make_user, bad_id: Any) -> None:
    staff = make_user(role=Role.STAFF, name="Stella Staff")
    student_client, student = signed_in(Role.STUDENT, "Sam Student")
    exploration_id, task_id = _journey(student["id"], "Nursing")
    admin_client, _ = signed_in(Role.ADMIN, "Ada Admin")

    for client, name, state, path, args in (
        (student_client, DELETE_EXPLORATION, StudentHomeState, routes.HOME,
         {"exploration_id": bad_id}),
        (student_client, COMPLETE_FOLLOW_UP, StudentHomeState, routes.HOME,
         {"task_id": bad_id}),
        (admin_client, SET_ACTIVE, StaffAccountsState, routes.ADMIN_STAFF,
         {"user_id": bad_id, "active": False}),
    ):
        replies = client.call(name, path=path, **args)
        assert GENERIC_ERROR not in replies.text(), f"{name}({bad_id!r:.40}) raised"
        assert not replies.redirects()
        assert replies.var(state, "errors"), f"{name}({bad_id!r:.40}) showed no message"

    assert _exploration(exploration_id) is not None
    assert _task(task_id).status == FollowUpStatus.OPEN
    assert _user(staff["id"]).is_active


BAD_FORMS = [
    ["name", "email", "password"], "name=Mallory&email=m@x.edu", None, 42, [],
    {"name": {"$ne": ""}, "email": ["a@test.example.edu"], "password": {"nested": {"x": 1}}},
    {"name": "N" * 100_000, "email": "e" * 100_000 + "@test.example.edu",
     "password": "p" * 100_000},
    {FORM_DATA_KEY: {"name": "not entries"}},
]


@pytest.mark.parametrize("bad_form", BAD_FORMS, ids=[repr(f)[:24] for f in BAD_FORMS])
def test_bad_form_data_is_refused_cleanly(signed_in, backend_url: str, bad_form: Any) -> None:
    admin_client, _ = signed_in(Role.ADMIN, "Ada Admin")
    student_client, student = signed_in(Role.STUDENT, "Sam Student")
    users_before = {role: _user_count(role) for role in Role}

    for client, name, state, path in (
        (admin_client, CREATE_STAFF, StaffAccountsState, routes.ADMIN_STAFF),
        (student_client, START_EXPLORATION, StudentHomeState, routes.HOME),
    ):
        replies = client.call(name, path=path, form_data=bad_form)
        assert GENERIC_ERROR not in replies.text(), f"{name}({bad_form!r:.40}) raised"
        assert not replies.redirects()
        assert replies.var(state, "errors"), f"{name}({bad_form!r:.40}) showed no message"

    with open_socket(backend_url, path=routes.LOGIN) as anonymous:
        replies = anonymous.call(SUBMIT_LOGIN, form_data=bad_form)
    assert GENERIC_ERROR not in replies.text()
    assert replies.var(LoginState, "errors")
    assert not replies.var(SessionState, "auth_token", "")

    assert {role: _user_count(role) for role in Role} == users_before
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(Exploration)
                            .where(Exploration.owner_id == student["id"])).one() == 0


@pytest.mark.parametrize("wrapper", ["not entries", [["name"]],
                                     [[{"a": 1}, "value"]]], ids=["string", "short", "dict-key"])
def test_malformed_form_entries_change_nothing(signed_in, wrapper: Any) -> None:
    """A broken form-data wrapper fails in Reflex's own decoding, before any handler runs
    (Reflex 0.10.1 then answers with the app's generic error): nothing may be created."""
    admin_client, _ = signed_in(Role.ADMIN, "Ada Admin")
    staff_before = _user_count(Role.STAFF)
    replies = admin_client.call(CREATE_STAFF, path=routes.ADMIN_STAFF,
                                form_data={FORM_DATA_KEY: wrapper})
    assert not replies.sent(StaffAccountsState, "staff")
    assert _user_count(Role.STAFF) == staff_before


# --- 5. tokens that must not sign anyone in --------------------------------------------------

def _set_token(client: ReflexSocket, route: str, token: Any) -> Replies:
    """Give the tab a LocalStorage auth token the way the frontend sends browser storage: in
    the hydrate event on connect, or later in update_vars_internal (then only its replies)."""
    if route == "hydrate":
        return client.connect({AUTH_TOKEN: token})
    client.connect()
    return client.call(UPDATE_VARS, vars={AUTH_TOKEN: token})


def _victim_with_token(make_user: Callable[..., dict[str, Any]], kind: str
                       ) -> tuple[dict[str, Any], Any]:
    victim = make_user(name=f"Vera Victim {kind}")
    if kind == "forged":
        return victim, "forged-" + os.urandom(32).hex()
    if kind == "non-string":
        return victim, {"token": _session_token(victim["id"])}
    if kind == "deactivated":
        token = _session_token(victim["id"])
        with db.session() as session:
            user = session.get(User, victim["id"])
            assert user is not None
            user.is_active = False
            session.add(user)
            session.commit()
        return victim, token
    return victim, _session_token(victim["id"], expired=kind == "expired",
                                  revoked=kind == "revoked")


@pytest.mark.parametrize("route", ["hydrate", "update_vars"])
@pytest.mark.parametrize("kind", ["forged", "expired", "revoked", "deactivated", "non-string"])
def test_invalid_token_is_treated_as_anonymous(backend_url: str, make_user, kind: str,
                                               route: str) -> None:
    victim, token = _victim_with_token(make_user, kind)
    exploration_id, task_id = _journey(victim["id"], "Forestry")
    client = ReflexSocket(backend_url, path=routes.HOME)
    try:
        replies = _set_token(client, route, token)
        if route == "hydrate":  # the page's own on_load, run by the hydrate
            _assert_refused(replies, routes.LOGIN)
        replies += client.call(COMPLETE_FOLLOW_UP, task_id=task_id)
        _assert_refused(replies, routes.LOGIN)
        replies += client.call(DELETE_EXPLORATION, exploration_id=exploration_id)
        _assert_refused(replies, routes.LOGIN)
    finally:
        client.close()
    assert victim["name"] not in replies.text()
    assert replies.var(SessionState, "auth_token") == ""  # the guard forgets the token
    assert _exploration(exploration_id) is not None
    assert _task(task_id).status == FollowUpStatus.OPEN


@pytest.mark.parametrize("route", ["hydrate", "update_vars"])
def test_valid_token_through_browser_storage_signs_in(backend_url: str, make_user,
                                                      route: str) -> None:
    """Positive control: a live session token sent the same way is accepted."""
    student = make_user(name="Vera Valid")
    exploration_id, task_id = _journey(student["id"], "Forestry")
    client = ReflexSocket(backend_url, path=routes.HOME)
    try:
        replies = _set_token(client, route, _session_token(student["id"]))
        replies += client.call(COMPLETE_FOLLOW_UP, task_id=task_id)
    finally:
        client.close()
    assert not replies.redirects()
    assert GENERIC_ERROR not in replies.text()
    assert replies.var(SessionState, "user_name") == "Vera Valid"
    assert _task(task_id).status == FollowUpStatus.DONE
    assert _exploration(exploration_id) is not None


def test_reused_client_token_does_not_inherit_a_closed_tabs_sign_in(backend_url: str,
                                                                    make_user) -> None:
    victim = make_user(name="Tab Owner")
    exploration_id, task_id = _journey(victim["id"], "Forestry")
    tab = ReflexSocket(backend_url, path=routes.HOME)
    tab.connect({AUTH_TOKEN: _session_token(victim["id"])})
    tab.close()

    for _ in range(20):
        intruder = ReflexSocket(backend_url, path=routes.HOME)
        intruder.token = tab.token
        intruder.connect(hydrate=False)  # a browser always hydrates; a script need not
        try:
            replies = intruder.call(COMPLETE_FOLLOW_UP, task_id=task_id)
        finally:
            intruder.close()
        if intruder.token == tab.token:
            break
        time.sleep(0.25)  # the backend had not yet released the closed tab's token
    else:
        pytest.fail("the backend kept the closed tab's client token in use")
    assert _task(task_id).status == FollowUpStatus.OPEN, "the intruder completed the task"
    _assert_refused(replies, routes.LOGIN)
    assert _exploration(exploration_id) is not None


def test_a_sign_out_on_one_tab_refuses_every_other_tab_of_the_session(backend_url: str,
                                                                     make_user) -> None:
    """Six tabs of one session, spread by the server over its workers (two in the scale-out
    run, each keeping the guard's look-up with Redis: services/accounts/live_sessions.py).
    The sign-out on one tab refuses the next event of every other, whichever worker has it."""
    student = make_user(name="Sam Several")
    token = _session_token(student["id"])
    tabs = [ReflexSocket(backend_url, path=routes.HOME) for _ in range(6)]
    try:
        for tab in tabs:
            assert tab.connect({AUTH_TOKEN: token}).var(SessionState, "user_name") == (
                "Sam Several")
            assert not tab.call(HOME_LOAD).redirects()  # admitted, and kept by its worker
        assert tabs[0].call(LOGOUT).redirects()[-1] == routes.LOGIN
        for tab in tabs[1:]:
            _assert_refused(tab.call(HOME_LOAD), routes.LOGIN)
    finally:
        for tab in tabs:
            tab.close()
    assert not _session_is_live(token)

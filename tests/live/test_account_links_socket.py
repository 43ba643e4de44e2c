"""The handlers of the emailed links and of the provider's sign-in, attacked over the raw
event socket of the live backend: forged tokens, another person's address, a callback with
no sign-in started, and an admin's tool sent by a student or staff member. Each changes
nothing and opens no session; the admin's own call is the positive control."""

import os

import pytest
from sqlmodel import func, select

from infoview_app import db, routes
from infoview_app.models import AccountToken, Role, User
from infoview_app.services.accounts import user_accounts
from infoview_app.state.admin import StaffAccountsState
from infoview_app.state.auth import (
    ForgotPasswordState,
    OidcState,
    ResetPasswordState,
    VerifyEmailState,
)
from infoview_app.state.base import SessionState
from tests.factories import PASSWORD
from tests.live import test_socket_security as attacks
from tests.live.socket_client import event_name, form, open_socket
from tests.live.test_socket_security import GENERIC_ERROR, _assert_refused
from tests.mail_server import Inbox

signed_in = attacks.signed_in  # the fixture: a socket signed in as a new user of a role
NEW = "a-forged-new-passphrase"


def _tokens(user_id: int) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(AccountToken)
                            .where(AccountToken.user_id == user_id)).one()


@pytest.mark.parametrize("token", ["", "forged", "A" * 43, "x" * 5000])
def test_forged_links_set_no_password_and_open_no_session(backend_url: str, make_user,
                                                          token: str) -> None:
    victim = make_user(name="Vic Tim")
    for state, handler, path, payload in (
            (ResetPasswordState, "submit", routes.RESET_PASSWORD,
             {"form_data": form({"password": NEW, "confirm_password": NEW})}),
            (VerifyEmailState, "confirm", routes.VERIFY_EMAIL, {})):
        with open_socket(backend_url, path=path) as client:
            replies = client.call(event_name(state, handler), page_query={"token": token},
                                  **payload)
        assert GENERIC_ERROR not in replies.text()
        assert "expired or has already been used" in replies.text()
        assert not replies.var(SessionState, "auth_token", "") and not replies.redirects()
    with db.session() as session:
        assert user_accounts.authenticate(session, victim["email"], PASSWORD).id == victim["id"]


def test_asking_a_reset_for_someone_reads_as_for_no_one(backend_url: str, make_user,
                                                        mail_server: Inbox) -> None:
    victim = make_user(name="Vic Reset")
    nobody = f"nobody-{os.urandom(3).hex()}@test.example.edu"
    answers = []
    for address in (victim["email"], nobody):
        with open_socket(backend_url, path=routes.FORGOT_PASSWORD) as client:
            replies = client.call(event_name(ForgotPasswordState, "submit"),
                                  form_data=form({"email": address}))
        assert GENERIC_ERROR not in replies.text()
        answers.append(replies.var(ForgotPasswordState, "sent_to"))
    assert answers == [victim["email"], nobody]  # the same answer: the address typed
    assert len(mail_server.wait_for(victim["email"])) == 1  # the link went to the owner
    assert mail_server.to(nobody) == []


def test_a_callback_with_no_sign_in_started_opens_no_session(backend_url: str) -> None:
    with db.session() as session:
        users = session.exec(select(func.count()).select_from(User)).one()
    with open_socket(backend_url, path=routes.OIDC_CALLBACK) as client:
        replies = client.call(event_name(OidcState, "callback"),
                              page_query={"state": "forged", "code": "forged"})
    assert replies.redirects() and replies.redirects()[-1].startswith(routes.LOGIN)
    assert "oidc=state" in replies.redirects()[-1]
    assert not replies.var(SessionState, "auth_token", "")
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(User)).one() == users


@pytest.mark.parametrize("role", [Role.STUDENT, Role.STAFF])
def test_only_an_admin_sends_staff_a_reset(signed_in, make_user, mail_server: Inbox,
                                           role: Role) -> None:
    member = make_user(Role.STAFF, name="Sam Target")
    client, _ = signed_in(role, "Forger")
    replies = client.call(event_name(StaffAccountsState, "send_reset"), path=routes.ADMIN_STAFF,
                          user_id=member["id"])
    _assert_refused(replies, routes.NOT_ALLOWED)
    assert _tokens(member["id"]) == 0 and mail_server.to(member["email"]) == []

    admin, _ = signed_in(Role.ADMIN, "Ada Sender")  # positive control
    replies = admin.call(event_name(StaffAccountsState, "send_reset"), path=routes.ADMIN_STAFF,
                         user_id=member["id"])
    assert not replies.redirects() and GENERIC_ERROR not in replies.text()
    assert _tokens(member["id"]) == 1 and len(mail_server.wait_for(member["email"])) == 1

"""Password reset through the real handlers, with mail to a real SMTP server: "Forgot your
password?", the emailed link's page, and an admin sending a link to a staff member."""

import re
from typing import Any

import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData
from sqlmodel import col, func, select

from infoview_app import db, routes
from infoview_app.models import AuthSession, Role
from infoview_app.services.accounts import user_accounts
from infoview_app.state.admin import StaffAccountsState
from infoview_app.state.auth import ForgotPasswordState, ResetPasswordState
from infoview_app.state.base import SessionState
from tests.factories import PASSWORD
from tests.mail_server import Inbox, text_part
from tests.state.conftest import ORIGIN, call, open_page, redirect_path, run

NEW = "a-brand-new-passphrase"


def _tab(path: str, address: str = "198.51.100.30") -> rx.State:
    root = rx.State()
    root.router = RouterData(session=SessionData(session_id=f"socket-{path}", client_ip=address),
                             url=ReflexURL(ORIGIN + path))
    return root


def _on(tab: rx.State, state_class: type) -> Any:
    return tab.get_substate(state_class.get_full_name().split(".")[1:])


def _link(inbox: Inbox, address: str, count: int = 1) -> str:
    """The path and query of the newest reset link mailed to ``address``."""
    text = text_part(inbox.wait_for(address, count)[-1])
    match = re.search(r"https?://[^/\s]+(/reset-password\?token=\S+)", text)
    assert match is not None
    return match.group(1)


def _live_sessions(user_id: int) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(AuthSession).where(
            AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None))).one()


async def test_forgot_password_mails_a_link_that_sets_a_new_password(
        signed_in: Any, mail_server: Inbox) -> None:
    user_id, _ = signed_in(Role.STUDENT, name="Ana Lima")
    with db.session() as session:
        email = user_accounts.profile(session, user_id).email
    forgot = _on(_tab(routes.FORGOT_PASSWORD), ForgotPasswordState)
    await call(forgot, "load")
    assert forgot.mail_ready
    await call(forgot, "submit", {"email": email.upper()})
    assert forgot.errors == {} and forgot.sent_to == email.upper()
    path = _link(mail_server, email)
    assert path.startswith(routes.RESET_PASSWORD)

    reset = _on(_tab(path), ResetPasswordState)
    await call(reset, "load")
    assert reset.link_works
    await call(reset, "submit", {"password": NEW, "confirm_password": "different-passphrase"})
    assert set(reset.errors) == {"confirm_password"} and _live_sessions(user_id) == 1
    events = await call(reset, "submit", {"password": NEW, "confirm_password": NEW})
    assert reset.errors == {} and redirect_path(events) == routes.LOGIN
    assert _live_sessions(user_id) == 0
    with db.session() as session:
        assert user_accounts.authenticate(session, email, NEW).id == user_id

    again = _on(_tab(path), ResetPasswordState)
    await call(again, "load")
    assert not again.link_works
    await call(again, "submit", {"password": "third-passphrase", "confirm_password":
                                 "third-passphrase"})
    assert "expired or has already been used" in again.errors["form"]


async def test_an_address_without_an_account_reads_the_same_and_gets_nothing(
        app_db: str, mail_server: Inbox) -> None:
    forgot = _on(_tab(routes.FORGOT_PASSWORD), ForgotPasswordState)
    await call(forgot, "submit", {"email": "nobody.here@uni.edu"})
    assert forgot.errors == {} and forgot.sent_to == "nobody.here@uni.edu"
    await call(forgot, "submit", {"email": "not an address"})
    assert set(forgot.errors) == {"email"} and forgot.sent_to == ""
    assert mail_server.to("nobody.here@uni.edu") == []


async def test_no_one_can_fill_an_inbox_with_reset_emails(
        signed_in: Any, mail_server: Inbox) -> None:
    user_id, _ = signed_in(Role.STUDENT, name="Bo Target")
    with db.session() as session:
        email = user_accounts.profile(session, user_id).email
    before = len(mail_server.to(email))  # the server runs for the whole test session
    for n in range(5):  # from five addresses: the limit is the target's, not the sender's
        forgot = _on(_tab(routes.FORGOT_PASSWORD, f"203.0.113.{n + 1}"), ForgotPasswordState)
        await call(forgot, "submit", {"email": email})
    assert "check your inbox" in forgot.errors["form"] and forgot.sent_to == ""
    assert len(mail_server.wait_for(email, before + 3)) == before + 3


async def test_a_forged_link_shows_that_it_no_longer_works(app_db: str) -> None:
    reset = _on(_tab(f"{routes.RESET_PASSWORD}?token=forged"), ResetPasswordState)
    await call(reset, "load")
    assert not reset.link_works
    await call(reset, "submit", {"password": NEW, "confirm_password": NEW})
    assert "expired" in reset.errors["form"]


async def test_an_admin_sends_a_staff_member_a_reset_and_staff_cannot(
        substate: Any, signed_in: Any, mail_server: Inbox) -> None:
    member, member_token = signed_in(Role.STAFF, name="Sam Staff")
    admin, admin_token = signed_in(Role.ADMIN, name="Ada Admin")
    open_page(substate(SessionState), member_token, routes.ADMIN_STAFF)
    accounts = substate(StaffAccountsState)
    events = await run(accounts, "send_reset", member)
    assert redirect_path(events) == routes.NOT_ALLOWED
    with db.session() as session:
        email = user_accounts.profile(session, member).email
    open_page(substate(SessionState), admin_token, routes.ADMIN_STAFF)
    before = len(mail_server.to(email))
    await run(accounts, "send_reset", member)
    assert accounts.errors == {}
    assert _link(mail_server, email, before + 1).startswith(routes.RESET_PASSWORD)
    await run(accounts, "send_reset", admin)  # not a staff account: refused
    assert list(accounts.errors.values()) == ["No such staff account."]
    with db.session() as session:
        assert user_accounts.authenticate(session, email, PASSWORD).id == member


async def test_without_email_the_page_says_to_ask_the_career_office(
        app_db: str, monkeypatch: Any) -> None:
    monkeypatch.delenv("INFOVIEW_SMTP_HOST", raising=False)
    forgot = _on(_tab(routes.FORGOT_PASSWORD), ForgotPasswordState)
    await call(forgot, "load")
    assert forgot.mail_ready is False

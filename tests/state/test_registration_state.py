"""Registration through the real handlers, with mail to a real SMTP server: the "check your
email" answer, the emailed link's page and its button, which signs the new student in."""

import re
from typing import Any

import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData

from infoview_app import routes
from infoview_app.state.auth import RegisterState, VerifyEmailState
from tests.factories import PASSWORD
from tests.mail_server import Inbox, text_part
from tests.state.conftest import ORIGIN, asks_for_the_browsers_zone, call, redirect_path


def _on(path: str, state_class: type) -> Any:
    root = rx.State()
    root.router = RouterData(session=SessionData(session_id=f"socket-{path}",
                                                 client_ip="198.51.100.40"),
                             url=ReflexURL(ORIGIN + path))
    return root.get_substate(state_class.get_full_name().split(".")[1:])


async def test_registering_mails_a_link_whose_button_signs_the_student_in(
        app_db: str, mail_server: Inbox, monkeypatch: Any) -> None:
    monkeypatch.setenv("INFOVIEW_SELF_REGISTRATION_DOMAINS", "uni.example.edu")
    register = _on(routes.REGISTER, RegisterState)
    await call(register, "load")
    assert register.mail_ready and "@uni.example.edu" in register.email_hint
    form = {"name": "Rae Verified", "email": "rae@uni.example.edu", "password": PASSWORD}
    await call(register, "submit", {**form, "email": "rae@elsewhere.edu"})
    assert register.errors == {"email": "Use your @uni.example.edu address."}
    events = await call(register, "submit", form)
    assert register.errors == {} and register.sent_to == "rae@uni.example.edu"
    assert redirect_path(events) is None and register.auth_token == ""

    text = text_part(mail_server.wait_for("rae@uni.example.edu")[-1])
    match = re.search(r"https?://[^/\s]+(/verify-email\?token=\S+)", text)
    assert match is not None
    page = _on(match.group(1), VerifyEmailState)
    await call(page, "load")
    assert page.link_works and page.auth_token == ""  # opening the link proves nothing yet
    events = await call(page, "confirm")
    assert page.errors == {} and page.auth_token and redirect_path(events) == routes.HOME
    assert asks_for_the_browsers_zone(events)

    again = _on(match.group(1), VerifyEmailState)
    await call(again, "load")
    assert not again.link_works
    await call(again, "confirm")
    assert "expired or has already been used" in again.errors["form"]
    assert again.auth_token == ""


async def test_without_email_no_one_can_register(app_db: str, monkeypatch: Any) -> None:
    monkeypatch.delenv("INFOVIEW_SMTP_HOST", raising=False)
    register = _on(routes.REGISTER, RegisterState)
    await call(register, "load")
    assert register.mail_ready is False
    await call(register, "submit", {"name": "Bo", "email": "bo@uni.edu", "password": PASSWORD})
    assert "can't send email yet" in register.errors["form"] and register.sent_to == ""

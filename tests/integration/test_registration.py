"""Self-registration that proves the address, against a real database (SQLite and
PostgreSQL): the emailed link, the same answer for a taken address, the allowed domains."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from infoview_app.models import AuditEvent, AuditKind, User
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import recovery, registration, user_accounts
from infoview_app.services.core.errors import AuthError, InvalidInput
from tests.factories import BY, PASSWORD, student
from tests.mail_server import text_part

LINKS = registration.Links(verify="https://iv.example.edu/verify-email",
                           sign_in="https://iv.example.edu/login",
                           forgot="https://iv.example.edu/forgot-password")
LIFETIME = timedelta(days=1)
FORM = {"name": "Bo Novak", "email": "Bo@Uni.edu", "password": PASSWORD}


def _link_token(done: registration.Registration) -> str:
    match = re.search(rf"{re.escape(LINKS.verify)}\?token=(\S+)", text_part(done.message))
    assert match is not None
    return match.group(1)


def _user(session: Session, email: str) -> User:
    user = user_accounts.find_user_by_email(session, email)
    assert user is not None
    return user


def test_a_new_account_waits_for_its_address_then_the_link_signs_it_in(
        session: Session) -> None:
    done = registration.register_student(session, FORM, LINKS, by=BY)
    assert (done.email, done.message["To"]) == ("Bo@uni.edu", "Bo@uni.edu")
    user = _user(session, "bo@uni.edu")
    assert user.email_verified_at is None
    with pytest.raises(AuthError, match="Confirm your email address first"):
        user_accounts.authenticate(session, "bo@uni.edu", PASSWORD)
    assert user.id is not None  # no session works for it either, even one made by hand
    assert user_accounts.resolve_session(
        session, user_accounts.start_session(session, user.id, LIFETIME)) is None

    token = _link_token(done)
    assert registration.verify_link_works(session, token)
    new = registration.verify_email(session, token, LIFETIME, by=BY)
    assert (new.user_id, new.name) == (user.id, "Bo Novak")
    current = user_accounts.resolve_session(session, new.token)
    assert current is not None and current.id == user.id
    assert user_accounts.authenticate(session, "bo@uni.edu", PASSWORD).id == user.id
    assert not registration.verify_link_works(session, token)
    with pytest.raises(InvalidInput, match="expired or has already been used"):
        registration.verify_email(session, token, LIFETIME, by=BY)
    kinds = [e.kind for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert kinds == [AuditKind.REGISTERED, AuditKind.EMAIL_VERIFIED]


def test_a_taken_address_reads_the_same_and_emails_its_owner(session: Session) -> None:
    owner = student(session, 1, name="Bo Owner", email="bo@uni.edu")
    hashed = _user(session, "bo@uni.edu").password_hash
    done = registration.register_student(
        session, {**FORM, "password": "an-attackers-password"}, LINKS, by=BY)
    assert done.email == "Bo@uni.edu" and done.message["To"] == "bo@uni.edu"
    text = text_part(done.message)
    assert "You already have one" in text and LINKS.forgot in text and "token=" not in text
    assert len(list(session.exec(select(User)))) == 1
    assert _user(session, "bo@uni.edu").password_hash == hashed
    assert user_accounts.authenticate(session, "bo@uni.edu", PASSWORD).id == owner


def test_registering_again_before_confirming_sends_a_new_link(session: Session) -> None:
    first = _link_token(registration.register_student(session, FORM, LINKS, by=BY))
    second = _link_token(registration.register_student(session, FORM, LINKS, by=BY))
    assert not registration.verify_link_works(session, first)
    assert registration.verify_link_works(session, second)
    assert not registration.verify_link_works(session, second,
                                              now=utcnow() + timedelta(hours=24, seconds=1))


def test_only_the_institutions_domains_may_register(session: Session,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOVIEW_SELF_REGISTRATION_DOMAINS", "northfield.edu, @nf.example")
    with pytest.raises(InvalidInput) as error:
        registration.register_student(session, FORM, LINKS, by=BY)
    assert error.value.errors == {"email": "Use your @northfield.edu or @nf.example address."}
    with pytest.raises(InvalidInput):  # a look-alike domain is another domain
        registration.register_student(session, {**FORM, "email": "bo@evilnorthfield.edu"},
                                      LINKS, by=BY)
    assert list(session.exec(select(User))) == []
    for address in ("bo@northfield.edu", "cy@mail.northfield.edu", "di@NF.example"):
        registration.register_student(session, {**FORM, "email": address}, LINKS, by=BY)
    assert len(list(session.exec(select(User)))) == 3


def test_a_bad_form_is_refused_beside_each_field_and_saves_nothing(session: Session) -> None:
    with pytest.raises(InvalidInput) as error:
        registration.register_student(session, {"name": "", "email": "nope", "password": "x"},
                                      LINKS, by=BY)
    assert set(error.value.errors) == {"name", "email", "password"}
    with pytest.raises(InvalidInput):
        registration.register_student(session, "not a form", LINKS, by=BY)
    assert list(session.exec(select(User))) == []


def test_a_password_reset_link_also_proves_the_address(session: Session) -> None:
    registration.register_student(session, FORM, LINKS, by=BY)
    reset = recovery.request_reset(session, "bo@uni.edu", "https://iv.example.edu/reset", by=BY)
    assert reset is not None
    token = re.search(r"token=(\S+)", text_part(reset.message))
    assert token is not None
    recovery.reset_password(session, token.group(1), "another-passphrase",
                            "another-passphrase", by=BY)
    assert user_accounts.authenticate(session, "bo@uni.edu", "another-passphrase")

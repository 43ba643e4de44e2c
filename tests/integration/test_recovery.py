"""Password reset by email against a real database (SQLite and PostgreSQL): the single-use,
one-hour link, stored only as a hash, and what choosing the new password does."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from infoview_app.models import AccountToken, AuditEvent, AuditKind, AuthSession, User
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import recovery, user_accounts
from infoview_app.services.accounts.audit import Actor
from infoview_app.services.core.errors import InvalidInput, NotFound
from tests.factories import BY, PASSWORD, admin, staff, student
from tests.mail_server import text_part

PAGE = "https://infoview.example.edu/reset-password"
NEW = "a-brand-new-passphrase"
LIFETIME = timedelta(days=1)


def _token(reset: recovery.ResetMail | None) -> str:
    assert reset is not None
    match = re.search(rf"{re.escape(PAGE)}\?token=(\S+)", text_part(reset.message))
    assert match is not None
    return match.group(1)


def _tokens(session: Session) -> list[AccountToken]:
    return list(session.exec(select(AccountToken)))


def _events(session: Session) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))


def _live_sessions(session: Session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(AuthSession).where(
        AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None))).one()


def test_an_unknown_or_deactivated_address_gets_no_mail_and_stores_nothing(
        session: Session) -> None:
    assert recovery.request_reset(session, "nobody@uni.edu", PAGE, by=BY) is None
    uid = staff(session)
    user_accounts.set_active(session, uid, user_accounts.Role.STAFF, False, by=BY)
    assert recovery.request_reset(session, "staff1@uni.edu", PAGE, by=BY) is None
    assert _tokens(session) == []
    with pytest.raises(InvalidInput) as error:
        recovery.request_reset(session, "not an address", PAGE, by=BY)
    assert set(error.value.errors) == {"email"}


def test_the_link_is_mailed_to_the_account_and_only_its_hash_is_stored(
        session: Session) -> None:
    student(session, 1, name="Ana Lima", email="Ana@Uni.edu")
    reset = recovery.request_reset(session, "ana@UNI.edu", PAGE, by=BY)
    assert reset is not None and (reset.email, reset.name) == ("Ana@uni.edu", "Ana Lima")
    assert reset.message["To"] == "Ana@uni.edu"
    assert "Hello Ana Lima," in text_part(reset.message)
    token = _token(reset)
    [stored] = _tokens(session)
    assert token not in stored.token_hash and stored.token_hash == user_accounts.hash_token(token)
    assert stored.expires_at - stored.created_at == timedelta(hours=1)
    assert recovery.reset_link_works(session, token)


def test_choosing_the_new_password_ends_every_session_and_uses_up_the_link(
        session: Session) -> None:
    uid = student(session)
    for _ in range(2):
        user_accounts.start_session(session, uid, LIFETIME)
    token = _token(recovery.request_reset(session, "student1@uni.edu", PAGE, by=BY))
    assert recovery.reset_password(session, token, NEW, NEW, by=BY) == "student1@uni.edu"
    assert _live_sessions(session, uid) == 0
    assert [(e.kind, e.actor_id, e.target_id, e.client) for e in _events(session)] == [
        (AuditKind.RESET_LINK_SENT, None, uid, BY.client),
        (AuditKind.PASSWORD_RESET, uid, uid, BY.client)]
    assert all(token not in f"{e.detail}{e.target_email}{e.actor_email}"
               for e in _events(session))
    assert user_accounts.authenticate(session, "student1@uni.edu", NEW).id == uid
    with pytest.raises(user_accounts.AuthError):
        user_accounts.authenticate(session, "student1@uni.edu", PASSWORD)
    assert not recovery.reset_link_works(session, token)
    with pytest.raises(InvalidInput, match="expired or has already been used"):
        recovery.reset_password(session, token, "yet-another-passphrase",
                                "yet-another-passphrase", by=BY)

    assert user_accounts.authenticate(session, "student1@uni.edu", NEW).id == uid


def test_a_newer_link_voids_the_older_and_an_hour_ends_both(session: Session) -> None:
    student(session)
    older = _token(recovery.request_reset(session, "student1@uni.edu", PAGE, by=BY))
    newer = _token(recovery.request_reset(session, "student1@uni.edu", PAGE, by=BY))
    assert not recovery.reset_link_works(session, older)
    with pytest.raises(InvalidInput, match="expired"):
        recovery.reset_password(session, older, NEW, NEW, by=BY)

    later = utcnow() + timedelta(hours=1, seconds=1)
    assert not recovery.reset_link_works(session, newer, now=later)
    with pytest.raises(InvalidInput, match="expired"):
        recovery.reset_password(session, newer, NEW, NEW, by=BY, now=later)
    assert recovery.reset_password(session, newer, NEW, NEW, by=BY) == "student1@uni.edu"


def test_a_refused_new_password_changes_nothing(session: Session) -> None:
    uid = student(session)
    user_accounts.start_session(session, uid, LIFETIME)
    token = _token(recovery.request_reset(session, "student1@uni.edu", PAGE, by=BY))
    with pytest.raises(InvalidInput) as error:
        recovery.reset_password(session, token, "short", "short", by=BY)

    assert set(error.value.errors) == {"password"}
    with pytest.raises(InvalidInput) as error:
        recovery.reset_password(session, token, NEW, NEW + "x", by=BY)

    assert set(error.value.errors) == {"confirm_password"}
    for forged in ("forged" + token, "", "x" * 5000, None):  # refused as a spent link is
        with pytest.raises(InvalidInput) as error:
            recovery.reset_password(session, forged, NEW, NEW, by=BY)
        assert error.value.errors == {"form": recovery.LINK_REFUSED}

    assert recovery.reset_link_works(session, token) and _live_sessions(session, uid) == 1
    assert user_accounts.authenticate(session, "student1@uni.edu", PASSWORD).id == uid


def test_an_admin_sends_a_reset_to_staff_only(session: Session) -> None:
    member = staff(session)
    by_admin = Actor(admin(session), "192.0.2.9")
    reset = recovery.staff_reset(session, member, PAGE, by=by_admin)
    assert reset.email == "staff1@uni.edu" and recovery.reset_link_works(session, _token(reset))
    [sent] = _events(session)[-1:]
    assert (sent.kind, sent.actor_id, sent.target_id, sent.detail) == (
        AuditKind.RESET_LINK_SENT, by_admin.user_id, member, "sent by an admin")
    with pytest.raises(NotFound):
        recovery.staff_reset(session, student(session), PAGE, by=by_admin)
    user_accounts.set_active(session, member, user_accounts.Role.STAFF, False, by=BY)
    with pytest.raises(InvalidInput, match="Reactivate"):
        recovery.staff_reset(session, member, PAGE, by=by_admin)


def test_deleting_the_account_deletes_its_links(session: Session) -> None:
    uid = student(session)
    recovery.request_reset(session, "student1@uni.edu", PAGE, by=BY)
    user_accounts.delete_account(session, uid, PASSWORD, by=BY)
    assert _tokens(session) == [] and session.get(User, uid) is None

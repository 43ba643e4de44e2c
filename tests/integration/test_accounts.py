"""Accounts against a real database (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, func, select

from infoview_app.models import (
    AuthSession,
    Contact,
    Exploration,
    FollowUpTask,
    Interview,
    OutreachAttempt,
    Role,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import user_accounts
from infoview_app.services.core.errors import AuthError, InvalidInput, NotFound
from infoview_app.services.demo import sample_student
from tests.factories import BY, PASSWORD, account, staff

LIFETIME = timedelta(days=14)


def _student(session: Session, email: str = "ana@uni.edu", **extra: object) -> User:
    return account(session, Role.STUDENT, name="Ana Lima", email=email, **extra)


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_register_stores_an_argon2_hash_and_the_profile(session: Session) -> None:
    user = _student(session, major="Biology", graduation_year="2027", share_progress="on")
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash
    assert (user.major, user.graduation_year, user.share_progress) == ("Biology", 2027, True)


def test_register_refuses_a_taken_email_in_any_case(session: Session) -> None:
    _student(session, "Ana@Uni.edu")
    with pytest.raises(InvalidInput) as error:
        _student(session, "ANA@uni.EDU")
    assert error.value.errors == {"email": "An account with this email already exists."}
    assert _count(session, User) == 1


@pytest.mark.parametrize(("registered", "typed"), [
    ("Ådne@uni.no", "Ådne@uni.no"),      # SQLite's lower() left Å as it was
    ("Ådne@uni.no", "åDNE@UNI.NO"),
    ("Straße@uni.de", "STRASSE@uni.de"),    # full case folding, not lower()
    ("\uff21na@uni.edu", "ana@uni.edu"),      # NFKC: a full-width A is an A
])
def test_an_address_in_any_script_signs_in_however_it_is_cased(
        session: Session, registered: str, typed: str) -> None:
    user = _student(session, registered)
    assert user_accounts.authenticate(session, typed, PASSWORD).id == user.id
    with pytest.raises(InvalidInput, match="already exists"):
        _student(session, typed)
    assert _count(session, User) == 1


def test_sign_in_rehashes_a_password_hashed_with_other_argon2_parameters(
        session: Session) -> None:
    """When INFOVIEW_ARGON2_* change, each account moves to the new cost at its next sign-in;
    a wrong password changes nothing."""
    user = _student(session)
    older = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1),))
    user.password_hash = older.hash(PASSWORD)
    session.add(user)
    session.commit()
    cheap = user.password_hash
    assert "m=8192,t=1,p=1" in cheap
    with pytest.raises(AuthError):
        user_accounts.authenticate(session, "ana@uni.edu", "wrong-password")
    session.refresh(user)
    assert user.password_hash == cheap
    user_accounts.authenticate(session, "ana@uni.edu", PASSWORD)
    session.refresh(user)
    assert "m=65536,t=3,p=4" in user.password_hash and user.password_hash != cheap
    assert user_accounts.authenticate(session, "ana@uni.edu", PASSWORD).id == user.id
    session.refresh(user)
    rehashed = user.password_hash
    user_accounts.authenticate(session, "ana@uni.edu", PASSWORD)
    session.refresh(user)
    assert user.password_hash == rehashed  # current parameters: not hashed again


def test_invalid_registration_reports_each_field_and_saves_nothing(session: Session) -> None:
    with pytest.raises(InvalidInput) as error:
        user_accounts.create_user(session, role=Role.STUDENT, name="", email="bad",
                                  password="short",
                             graduation_year="1800")
    assert set(error.value.errors) == {"name", "email", "password", "graduation_year"}
    assert _count(session, User) == 0


def test_sign_in_then_resolve_then_sign_out(session: Session) -> None:
    user = _student(session)
    current, token = user_accounts.sign_in(session, "ANA@uni.edu", PASSWORD, LIFETIME, by=BY)
    assert current.id == user.id and current.role is Role.STUDENT
    assert user_accounts.resolve_session(session, token) == current
    stored = session.exec(select(AuthSession)).one()
    assert stored.token_hash == user_accounts.hash_token(token) and token not in stored.token_hash
    user_accounts.sign_out(session, token, by=BY)
    assert user_accounts.resolve_session(session, token) is None


def test_sessions_expire(session: Session) -> None:
    user = _student(session)
    now = utcnow()
    token = user_accounts.start_session(session, user.id, timedelta(days=14), now)
    assert user_accounts.resolve_session(session, token, now + timedelta(days=13)) is not None
    later = now + timedelta(days=14, seconds=1)
    assert user_accounts.resolve_session(session, token, later) is None


@pytest.mark.parametrize("token", ["", "forged-token", None, 12, "x" * 500])
def test_unknown_tokens_resolve_to_nobody(session: Session, token: object) -> None:
    _student(session)
    assert user_accounts.resolve_session(session, token) is None


def test_wrong_password_and_unknown_email_read_the_same(session: Session) -> None:
    _student(session)
    for email, password in [("ana@uni.edu", "wrong-password"), ("who@uni.edu", PASSWORD)]:
        with pytest.raises(AuthError) as error:
            user_accounts.authenticate(session, email, password)
        assert error.value.message == "Wrong email or password."


def test_no_number_of_failures_locks_the_owner_out(session: Session) -> None:
    """Failures are throttled per client address (services/core/throttle.py, tests/unit/
    test_throttle.py), never per account: whoever guesses, the owner still signs in."""
    _student(session)
    for _ in range(20):
        with pytest.raises(AuthError, match="Wrong email or password"):
            user_accounts.authenticate(session, "ana@uni.edu", "wrong-password")
    assert user_accounts.authenticate(session, "Ana@uni.edu", PASSWORD).email == "ana@uni.edu"


def test_change_password_checks_the_current_one_and_ends_other_sessions(
        session: Session) -> None:
    user = _student(session)
    _, kept = user_accounts.sign_in(session, "ana@uni.edu", PASSWORD, LIFETIME, by=BY)
    _, other = user_accounts.sign_in(session, "ana@uni.edu", PASSWORD, LIFETIME, by=BY)
    with pytest.raises(InvalidInput) as wrong:
        user_accounts.change_password(session, user.id, "not-my-password", "brand-new-secret",
                                      "brand-new-secret", kept, by=BY)
    assert wrong.value.field == "current_password"
    with pytest.raises(InvalidInput) as differ:
        user_accounts.change_password(session, user.id, PASSWORD, "brand-new-secret",
                                      "brand-new-secreT", kept, by=BY)
    assert differ.value.field == "confirm_password"
    user_accounts.change_password(session, user.id, PASSWORD, "brand-new-secret",
                                  "brand-new-secret", kept, by=BY)
    assert user_accounts.resolve_session(session, kept) is not None
    assert user_accounts.resolve_session(session, other) is None
    with pytest.raises(AuthError):
        user_accounts.authenticate(session, "ana@uni.edu", PASSWORD)
    assert user_accounts.authenticate(session, "ana@uni.edu", "brand-new-secret").id == user.id


def test_deactivating_staff_ends_their_sessions_at_once(session: Session) -> None:
    jo = staff(session, name="Jo", email="jo@uni.edu")
    _, token = user_accounts.sign_in(session, "jo@uni.edu", PASSWORD, LIFETIME, by=BY)
    user_accounts.set_active(session, jo, Role.STAFF, False, by=BY)
    assert user_accounts.resolve_session(session, token) is None
    with pytest.raises(AuthError, match="deactivated"):
        user_accounts.authenticate(session, "jo@uni.edu", PASSWORD)
    # Only the right password learns that the account exists but is deactivated.
    with pytest.raises(AuthError, match="Wrong email or password"):
        user_accounts.authenticate(session, "jo@uni.edu", "wrong-password")
    # set_active only reaches accounts of the role it is given.
    student = _student(session)
    with pytest.raises(NotFound):
        user_accounts.set_active(session, student.id, Role.STAFF, False, by=BY)


def test_delete_account_erases_everything_it_owns_and_nothing_else(session: Session) -> None:
    maya, _staff = sample_student.create_demo_data(session, PASSWORD)
    other = _student(session, "other@uni.edu")
    session.add(Exploration(owner_id=other.id, field_name="Nursing"))
    session.commit()
    counts_before = {m: _count(session, m) for m in (Exploration, Contact, Interview,
                                                     OutreachAttempt, FollowUpTask)}
    assert all(counts_before.values())

    with pytest.raises(InvalidInput):
        user_accounts.delete_account(session, maya.id, "wrong-password", by=BY)
    assert session.get(User, maya.id) is not None

    user_accounts.delete_account(session, maya.id, PASSWORD, by=BY)
    session.expire_all()
    assert session.get(User, maya.id) is None
    for model in (Exploration, Contact, Interview, OutreachAttempt, FollowUpTask):
        assert session.exec(select(func.count()).select_from(model)
                            .where(model.owner_id == maya.id)).one() == 0
    assert session.exec(select(Exploration).where(Exploration.owner_id == other.id)).one()

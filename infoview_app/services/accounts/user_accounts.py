"""Accounts: registration, sign-in, sessions, password changes, deletion.

The functions that hash or check a password (create_user, authenticate, sign_in,
change_password, delete_account) take Argon2's time: the app runs them through
``passwords.in_pool``, never on the event loop. Throttling of sign-in attempts is
services/core/throttle.py's, decided before these run."""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict

from sqlalchemy import Update, bindparam
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from infoview_app.models import (
    AccountToken,
    AuditKind,
    AuthSession,
    CalendarFeed,
    Contact,
    Exploration,
    ExplorationQuestion,
    FollowUpTask,
    Interview,
    InterviewAnswer,
    OidcIdentity,
    OutreachAttempt,
    PartnerRequest,
    Question,
    Role,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import audit
from infoview_app.services.accounts.audit import Actor, Target
from infoview_app.services.accounts.passwords import (
    hash_password,
    verify_and_update,
    verify_password,
)
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import AuthError, InvalidInput, NotFound
from infoview_app.services.core.transactions import save, transaction
from infoview_app.services.core.wording import ROLE_LABELS
from infoview_app.services.staff.institution import SAVED_ZONE, zone_of

MAJOR_MAX = 120


@dataclass(frozen=True)
class CurrentUser:
    id: int
    role: Role
    name: str
    email: str
    # Key of the zone the user's pages read times in (institution.reader_zone), where the
    # guard's look-up resolved it; UTC where a user is built otherwise.
    zone: str = "UTC"


@dataclass(frozen=True)
class Profile:
    """What the account page shows and edits of the signed-in user."""
    email: str
    name: str
    major: str
    graduation_year: int | None
    share_progress: bool
    is_student: bool


def _as_profile(user: User) -> Profile:
    return Profile(email=user.email, name=user.name, major=user.major or "",
                   graduation_year=user.graduation_year, share_progress=user.share_progress,
                   is_student=user.role == Role.STUDENT)


def _as_current(user: User) -> CurrentUser:
    assert user.id is not None
    return CurrentUser(id=user.id, role=Role(user.role), name=user.name, email=user.email)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(
        select(User).where(User.email_key == check.email_key(email))
    ).first()


class _Profile(TypedDict):
    name: str
    major: str | None
    graduation_year: int | None
    share_progress: bool


class _NewAccount(_Profile):
    email: str
    password: str


class _Credentials(TypedDict):
    email: str
    password: str


class _PasswordChange(TypedDict):
    current_password: str
    new_password: str


def clean_new_account(*, name: Any, email: Any, password: Any, major: Any = None,
                      graduation_year: Any = None, share_progress: Any = False
                      ) -> _NewAccount:
    """A new account's fields, validated: InvalidInput names every bad one."""
    return check.form(
        _NewAccount,
        name=lambda: check.text(name, "name", max_length=check.NAME_MAX),
        email=lambda: check.email(email),
        password=lambda: check.new_password(password),
        major=lambda: check.text(major, "major", max_length=MAJOR_MAX, required=False) or None,
        graduation_year=lambda: check.optional_year(graduation_year),
        share_progress=lambda: check.flag(share_progress, "share_progress"),
    )


def add_user(session: Session, role: Role, values: _NewAccount, *, verified: bool,
             with_user: Callable[[User], None] | None = None) -> User:
    """Save an account from validated fields, refusing a taken email (whatever its case);
    ``verified``: whether its address is proven (an admin vouches for staff; a self-registered
    student proves it by the emailed link). ``with_user(user)``, if given, adds rows that need
    its id (its first session, the audit event) to the same transaction."""
    if find_user_by_email(session, values["email"]) is not None:
        raise InvalidInput("An account with this email already exists.", "email")
    user = User(role=role, name=values["name"], email=values["email"],
                email_key=check.email_key(values["email"]),
                password_hash=hash_password(values["password"]), major=values["major"],
                graduation_year=values["graduation_year"],
                share_progress=values["share_progress"],
                email_verified_at=utcnow() if verified else None)
    try:
        with transaction(session):
            session.add(user)
            if with_user is not None:
                session.flush()  # the new id
                with_user(user)
    except IntegrityError:
        # Two registrations for one address raced past the check above.
        raise InvalidInput("An account with this email already exists.", "email") from None
    session.refresh(user)
    return user


def create_user(session: Session, *, role: Role, name: Any, email: Any, password: Any,
                major: Any = None, graduation_year: Any = None, share_progress: Any = False,
                with_user: Callable[[User], None] | None = None) -> User:
    """An account whose address is taken as proven (staff, an admin, the demo, tests):
    validate every field and save it."""
    values = clean_new_account(name=name, email=email, password=password, major=major,
                               graduation_year=graduation_year, share_progress=share_progress)
    return add_user(session, role, values, verified=True, with_user=with_user)


def authenticate(session: Session, email: Any, password: Any) -> CurrentUser:
    """Check credentials. An unknown email costs the same Argon2 work as a wrong password
    and reads the same. (No account is ever locked: see services/core/throttle.py.)"""
    values = check.form(_Credentials, email=lambda: check.email(email),
                        password=lambda: check.password_attempt(password))
    user = find_user_by_email(session, values["email"])
    valid, rehashed = verify_and_update(values["password"],
                                        user.password_hash if user else None)
    if user is None or not valid:
        raise AuthError("Wrong email or password.", "password")
    if not user.is_active:
        raise AuthError("This account has been deactivated. Contact the career office.",
                        "email")
    if user.email_verified_at is None:
        raise AuthError("Confirm your email address first: open the link we emailed you. "
                        "Lost it? Create your account again with the same address for a new "
                        "one.", "form")
    if rehashed is not None:  # the Argon2 parameters have changed since it was hashed
        user.password_hash = rehashed
        save(session, user)
    return _as_current(user)


def new_session(session: Session, user_id: int, lifetime: timedelta,
                 now: datetime | None = None) -> str:
    """Add a session to the caller's transaction and return its token: the only time the
    token exists in clear."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(AuthSession(user_id=user_id, token_hash=hash_token(token), created_at=now,
                            expires_at=now + lifetime))
    return token


def start_session(session: Session, user_id: int, lifetime: timedelta,
                  now: datetime | None = None) -> str:
    """Open a session and return its token."""
    with transaction(session):
        return new_session(session, user_id, lifetime, now)


# Why a sign-in was refused, as the audit log words it (AuthError's field tells them apart).
_FAILURES = {"password": "wrong email or password", "email": "account deactivated",
             "form": "address not confirmed yet"}


def sign_in(session: Session, email: Any, password: Any, lifetime: timedelta,
            now: datetime | None = None, *, by: Actor) -> tuple[CurrentUser, str]:
    """Check the credentials and open a session. Both outcomes are audited from ``by``'s
    address: a refusal with the email typed (lower-cased; never the password), and a
    success with the session opened in the same transaction."""
    try:
        user = authenticate(session, email, password)
    except AuthError as error:
        typed = check.email(email).lower()  # it passed authenticate's check already
        account = find_user_by_email(session, typed)
        audit.record_alone(session, AuditKind.SIGN_IN_FAILED, Actor(None, by.client),
                           Target(account.id if account else None, typed,
                                  _FAILURES.get(error.field, "refused")))
        raise
    with transaction(session):
        audit.record(session, AuditKind.SIGN_IN, actor_id=user.id, actor_email=user.email,
                     target=Target(user.id, user.email, f"Role: {ROLE_LABELS[Role(user.role)]}"),
                     client=by.client)
        token = new_session(session, user.id, lifetime, now)
    return user, token


# Run on every event by the access guard: built once, selecting plain columns.
_USER_BY_LIVE_TOKEN = (
    core_select(col(User.id), col(User.role), col(User.name), col(User.email),
                col(User.time_zone), SAVED_ZONE)
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .where(col(AuthSession.token_hash) == bindparam("token_hash"),
           col(AuthSession.revoked_at).is_(None),
           col(AuthSession.expires_at) > bindparam("now"),
           col(User.is_active).is_(True), col(User.email_verified_at).is_not(None))
)


def resolve_session(session: Session, token: Any, now: datetime | None = None
                    ) -> CurrentUser | None:
    """The user behind a session token, or None if it is unknown, expired, revoked or the
    account is deactivated."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    row = session.connection().execute(_USER_BY_LIVE_TOKEN, {
        "token_hash": hash_token(token), "now": now or utcnow()}).first()
    if row is None:
        return None
    user_id, role, name, email, own_zone, saved_zone = row
    return CurrentUser(id=user_id or 0, role=Role(role), name=name, email=email,
                       zone=zone_of(own_zone, saved_zone).key)


def sign_out(session: Session, token: Any, *, by: Actor) -> None:
    """End the session of ``token`` and audit it, in one transaction."""
    if not isinstance(token, str) or not token:
        return
    with transaction(session):
        audit.record_by(session, AuditKind.SIGN_OUT, by)
        session.exec(update(AuthSession).where(col(AuthSession.token_hash) == hash_token(token))
                     .values(revoked_at=utcnow()))


def ending_sessions(user_id: int, except_token: str = "") -> Update:
    """The statement that ends every live session of the account but ``except_token``'s, to
    run in the transaction that makes them end (a new password, a deactivation)."""
    query = update(AuthSession).where(col(AuthSession.user_id) == user_id,
                                      col(AuthSession.revoked_at).is_(None))
    if except_token:
        query = query.where(col(AuthSession.token_hash) != hash_token(except_token))
    return query.values(revoked_at=utcnow())


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AuthError("Your session has ended. Sign in again.")
    return user


def user_row(session: Session, user_id: int) -> User:
    """The signed-in user's row, for the account's other services (AuthError if gone)."""
    return _user(session, user_id)


def _require_password(user: User, password: Any, field: str) -> None:
    attempt = check.password_attempt(password, field)
    if not verify_password(attempt, user.password_hash):
        raise InvalidInput("That is not your current password.", field)


def change_password(session: Session, user_id: int, current: Any, new: Any, confirm: Any,
                    keep_token: str, *, by: Actor) -> None:
    """Set a new password and end every other session of the account, audited, in one
    transaction."""
    user = _user(session, user_id)
    values = check.form(_PasswordChange, current_password=lambda: check.password_attempt(current,
                                                                        "current_password"),
                        new_password=lambda: check.new_password(new, "new_password"))
    if confirm != values["new_password"]:
        raise InvalidInput("The two new passwords differ.", "confirm_password")
    _require_password(user, values["current_password"], "current_password")
    user.password_hash = hash_password(values["new_password"])
    with transaction(session):
        session.add(user)
        audit.record(session, AuditKind.PASSWORD_CHANGED, actor_id=user_id,
                     actor_email=user.email, target=Target(user_id, user.email),
                     client=by.client)
        session.exec(ending_sessions(user_id, except_token=keep_token))


def profile(session: Session, user_id: int) -> Profile:
    return _as_profile(_user(session, user_id))


def update_profile(session: Session, user_id: int, *, name: Any, major: Any,
                   graduation_year: Any, share_progress: Any) -> Profile:
    user = _user(session, user_id)
    values = check.form(
        _Profile,
        name=lambda: check.text(name, "name", max_length=check.NAME_MAX),
        major=lambda: check.text(major, "major", max_length=MAJOR_MAX, required=False) or None,
        graduation_year=lambda: check.optional_year(graduation_year),
        share_progress=lambda: check.flag(share_progress, "share_progress"),
    )
    for key, value in values.items():
        setattr(user, key, value)
    save(session, user)
    return _as_profile(user)


def delete_account(session: Session, user_id: int, password: Any, *, by: Actor) -> None:
    """Erase the account and everything it owns, in one transaction, after the password.
    Its requests of community partners stay, with nothing of the student: they were made
    this month and still count against the partners' monthly caps. The audit event of the
    deletion is saved in the same transaction; it and the account's earlier events keep
    its email (their ids of it become NULL)."""
    user = _user(session, user_id)
    _require_password(user, password, "delete_password")
    explorations = select(Exploration.id).where(Exploration.owner_id == user_id)
    interviews = select(Interview.id).where(Interview.owner_id == user_id)
    contacts = select(Contact.id).where(Contact.owner_id == user_id)
    statements = [
        delete(FollowUpTask).where(col(FollowUpTask.owner_id) == user_id),
        delete(InterviewAnswer).where(col(InterviewAnswer.interview_id).in_(interviews)),
        delete(Interview).where(col(Interview.owner_id) == user_id),
        delete(OutreachAttempt).where(col(OutreachAttempt.owner_id) == user_id),
        # Requests made still count against the partners' monthly caps: kept, unlinked.
        update(PartnerRequest).where(col(PartnerRequest.student_id) == user_id)
        .values(student_id=None, contact_id=None),
        delete(ExplorationQuestion).where(
            col(ExplorationQuestion.exploration_id).in_(explorations)),
        update(Contact).where(col(Contact.referred_by_id).in_(contacts))
        .values(referred_by_id=None),
        delete(Contact).where(col(Contact.owner_id) == user_id),
        delete(Exploration).where(col(Exploration.owner_id) == user_id),
        delete(Question).where(col(Question.owner_id) == user_id),
        delete(AuthSession).where(col(AuthSession.user_id) == user_id),
        delete(AccountToken).where(col(AccountToken.user_id) == user_id),
        delete(CalendarFeed).where(col(CalendarFeed.user_id) == user_id),
        delete(OidcIdentity).where(col(OidcIdentity.user_id) == user_id),
        delete(User).where(col(User.id) == user_id),
    ]
    with transaction(session):
        audit.record(session, AuditKind.ACCOUNT_DELETED, actor_id=user_id,
                     actor_email=user.email,
                     target=Target(user_id, user.email, f"Role: {ROLE_LABELS[Role(user.role)]}"),
                     client=by.client)
        session.flush()  # the event first: the deletion then sets its ids to NULL
        for statement in statements:
            session.exec(statement)


@dataclass(frozen=True)
class AccountSummary:
    """An account as the admin page lists it."""
    id: int
    name: str
    email: str
    is_active: bool


def _summary(user: User) -> AccountSummary:
    return AccountSummary(id=user.id or 0, name=user.name, email=user.email,
                          is_active=user.is_active)


def create_staff(session: Session, *, name: Any, email: Any, password: Any, by: Actor
                 ) -> AccountSummary:
    """A staff account, as an admin (``by``) creates it, audited in the same transaction."""
    def audited(user: User) -> None:
        audit.record_by(session, AuditKind.STAFF_CREATED, by,
                        Target(user.id, user.email, f"Role: {ROLE_LABELS[Role.STAFF]}"))

    return _summary(create_user(session, role=Role.STAFF, name=name, email=email,
                                password=password, with_user=audited))


def list_users(session: Session, role: Role) -> list[AccountSummary]:
    return [_summary(user) for user in session.exec(
        select(User).where(User.role == role).order_by(col(User.name))).all()]


def set_active(session: Session, user_id: Any, role: Role, active: bool, *, by: Actor
               ) -> AccountSummary:
    """Activate or deactivate an account of ``role``; deactivating ends its sessions at once.
    Audited (as ``by``'s) in the same transaction."""
    uid = check.record_id(user_id)
    user = session.exec(select(User).where(User.id == uid, User.role == role)).first()
    if user is None:
        raise NotFound("No such account.")
    user.is_active = active
    kind = AuditKind.STAFF_REACTIVATED if active else AuditKind.STAFF_DEACTIVATED
    with transaction(session):
        session.add(user)
        audit.record_by(session, kind, by, Target(uid, user.email, f"Role: {ROLE_LABELS[role]}"))
        if not active:
            session.exec(ending_sessions(uid))
    return _summary(user)

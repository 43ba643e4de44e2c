"""Which InfoView account a person signing in with the institution's provider is.

An identity (issuer, subject) already linked signs in to its account. Otherwise an account
with the same email (``user_accounts.find_user_by_email``: its email key) is linked only when
the provider says it verified the address (``email_verified``), else nothing is created or
linked; and a person with no account gets a student account, whose password is an unusable
random one (password sign-in works only after a reset). The role claim, when the provider
sends it, sets the role; otherwise roles stay as an admin granted them. A deactivated
account is refused.

Creating an account hashes the random password with Argon2: the app runs
``sign_in_with_identity`` through ``passwords.in_pool``, never on the event loop.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from infoview_app.models import AuditKind, OidcIdentity, Role, User
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import audit
from infoview_app.services.accounts.audit import Actor, Target
from infoview_app.services.accounts.oidc import Identity, OidcRefused
from infoview_app.services.accounts.passwords import hash_password
from infoview_app.services.accounts.user_accounts import (
    CurrentUser,
    find_user_by_email,
    start_session,
)
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import ServiceError
from infoview_app.services.core.transactions import transaction
from infoview_app.services.core.wording import ROLE_LABELS


def _linked_user(session: Session, identity: Identity) -> tuple[OidcIdentity | None,
                                                                 User | None]:
    link = session.exec(select(OidcIdentity).where(
        OidcIdentity.issuer == identity.issuer,
        OidcIdentity.subject == identity.subject)).first()
    return link, session.get(User, link.user_id) if link is not None else None


def _new_student(identity: Identity, email: str, now: datetime) -> User:
    name = identity.name[:check.NAME_MAX].strip() or email.split("@", 1)[0][:check.NAME_MAX]
    return User(role=identity.role or Role.STUDENT, name=name, email=email,
                email_key=check.email_key(email),
                # Nobody knows this password: the account signs in with the provider.
                password_hash=hash_password(secrets.token_urlsafe(32)),
                # The institution's provider vouches for its own people.
                email_verified_at=now)


def sign_in_with_identity(session: Session, identity: Identity, lifetime: timedelta,
                          now: datetime | None = None, *, by: Actor
                          ) -> tuple[CurrentUser, str]:
    """The account of a verified identity (linked, found by a verified email, or created)
    with a new session open, audited as a sign-in from ``by``'s address; its token."""
    now = now or utcnow()
    link, user = _linked_user(session, identity)
    if user is None:
        try:
            email = check.email(identity.email)
        except ServiceError:
            raise OidcRefused("email", f"email claim {identity.email!r}") from None
        user = find_user_by_email(session, email)
        if user is not None and not identity.email_verified:
            raise OidcRefused("unverified", f"account {user.id} not linked to "
                                            f"{identity.subject!r}")
        if user is not None and not user.is_active:
            raise OidcRefused("deactivated")
        if user is None:
            user = _new_student(identity, email, now)
    if not user.is_active:
        raise OidcRefused("deactivated")
    role_was = Role(user.role) if user.id is not None else None
    if identity.role is not None:
        user.role = identity.role
    try:
        with transaction(session):
            session.add(user)
            session.flush()
            assert user.id is not None
            if link is None:
                link = OidcIdentity(issuer=identity.issuer, subject=identity.subject,
                                    user_id=user.id, created_at=now)
            link.last_sign_in_at = now
            session.add(link)
            role_now = ROLE_LABELS[Role(user.role)]
            if role_was is not None and role_was != user.role:
                audit.record(session, AuditKind.ROLE_CHANGED, actor_id=user.id,
                             actor_email=user.email,
                             target=Target(user.id, user.email,
                                           f"{ROLE_LABELS[role_was]} to {role_now}, "
                                           "by the institution's role claim"),
                             client=by.client)
            audit.record(session, AuditKind.SIGN_IN, actor_id=user.id, actor_email=user.email,
                         target=Target(user.id, user.email,
                                       f"Role: {role_now}, with the institution"),
                         client=by.client)
    except IntegrityError:
        # A second first sign-in of the same person (or the same email) raced this one.
        raise OidcRefused("failed", "a concurrent sign-in linked it first") from None
    session.refresh(user)
    assert user.id is not None
    current = CurrentUser(id=user.id, role=Role(user.role), name=user.name, email=user.email)
    return current, start_session(session, user.id, lifetime, now)

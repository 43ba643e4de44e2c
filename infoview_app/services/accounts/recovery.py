"""Getting back into an account: a password reset by email.

"Forgot your password?" mails a single-use link (its token exists in clear only in the
email; the database keeps its SHA-256) that works for an hour, until it is used, or until a
newer one is asked for. The answer on screen is the same whether or not the address has an
account, so the form can't tell anyone who is registered. Choosing the new password ends
every session of the account. An admin can send the same link to a staff member.
"""

from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from typing import Any

from sqlmodel import Session, select

from infoview_app.config import smtp_settings
from infoview_app.models import AuditKind, Role, TokenPurpose, User
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import account_tokens, audit
from infoview_app.services.accounts.audit import Actor, Target
from infoview_app.services.accounts.passwords import hash_password
from infoview_app.services.accounts.user_accounts import (
    ending_sessions,
    find_user_by_email,
)
from infoview_app.services.core import mail
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.transactions import transaction
from infoview_app.services.staff.institution import letterhead

LINK_REFUSED = ("This link has expired or has already been used. Ask for a new one below "
                "\"Forgot your password?\" on the sign-in page.")


@dataclass(frozen=True)
class ResetMail:
    """A reset link ready to send, and to whom (for the admin's confirmation)."""
    message: Message
    name: str
    email: str


def _issue(session: Session, user: User, by: Actor, now: datetime) -> str:
    """A new reset token for ``user``, audited as sent by ``by`` (the account's owner
    asking, or an admin)."""
    assert user.id is not None
    asked_by = "asked by the account" if by.user_id is None else "sent by an admin"
    with transaction(session):
        audit.record_by(session, AuditKind.RESET_LINK_SENT, by,
                        Target(user.id, user.email, asked_by))
        return account_tokens.issue(session, user.id, TokenPurpose.RESET_PASSWORD, now)


def _reset_mail(session: Session, user: User, reset_page: str, by: Actor,
                now: datetime) -> ResetMail:
    token = _issue(session, user, by, now)
    settings = smtp_settings()
    letter = mail.Letter(
        to=user.email, subject="Choose a new InfoView password",
        paragraphs=(f"Hello {user.name},",
                    "Someone, we hope you, asked to choose a new password for your InfoView "
                    "account. The link below works once, for the next hour.",
                    "If it wasn't you, ignore this email: your password stays as it is."),
        link_label="Choose a new password",
        link_url=f"{reset_page}?token={token}")
    message = mail.compose(letter, letterhead(session),
                           settings.sender if settings else "no-reply@localhost")
    return ResetMail(message=message, name=user.name, email=user.email)


def request_reset(session: Session, email: Any, reset_page: str, *, by: Actor,
                  now: datetime | None = None) -> ResetMail | None:
    """A reset email for the active account using ``email``, or None when there is none
    (the caller says the same either way). A malformed address is refused beside the field.
    ``reset_page`` is the reset page's absolute URL, from the app's configured address: never
    from the request's Host header, which a caller chooses."""
    address = check.email(email)
    user = find_user_by_email(session, address)
    if user is None or not user.is_active:
        return None
    return _reset_mail(session, user, reset_page, by, now or utcnow())


def staff_reset(session: Session, user_id: Any, reset_page: str, *, by: Actor,
                now: datetime | None = None) -> ResetMail:
    """A reset email for a staff member, as an admin sends it."""
    uid = check.record_id(user_id)
    user = session.exec(select(User).where(User.id == uid, User.role == Role.STAFF)).first()
    if user is None:
        raise NotFound("No such staff account.")
    if not user.is_active:
        raise InvalidInput("Reactivate this account before sending it a password reset.",
                           "staff")
    return _reset_mail(session, user, reset_page, by, now or utcnow())


def reset_link_works(session: Session, token: Any, now: datetime | None = None) -> bool:
    """Whether ``token`` can still set a password (the page says so before the form)."""
    return account_tokens.live(session, token, TokenPurpose.RESET_PASSWORD,
                               now or utcnow()) is not None


def reset_password(session: Session, token: Any, password: Any, confirm: Any, *, by: Actor,
                   now: datetime | None = None) -> str:
    """Set the new password of the token's account, use up the token and end every session
    of the account, all at once; returns the account's email (to sign in with)."""
    new = check.new_password(password)
    if confirm != new:
        raise InvalidInput("The two passwords differ.", "confirm_password")
    now = now or utcnow()
    with transaction(session):
        # A token that is no link's (empty, too long, forged) is refused like a spent one.
        stored = account_tokens.live(session, token, TokenPurpose.RESET_PASSWORD, now)
        user = session.get(User, stored.user_id) if stored else None
        if stored is None or user is None or not user.is_active:
            raise InvalidInput(LINK_REFUSED, "form")
        stored.used_at = now
        user.password_hash = hash_password(new)
        user.email_verified_at = user.email_verified_at or now  # the link proved the address
        session.add_all([stored, user])
        assert user.id is not None
        audit.record(session, AuditKind.PASSWORD_RESET, actor_id=user.id,
                     actor_email=user.email, target=Target(user.id, user.email),
                     client=by.client)
        session.exec(ending_sessions(user.id))
    return user.email

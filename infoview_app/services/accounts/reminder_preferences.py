"""How often a student's reminder digest is emailed (daily, weekly, off), and the one-click
unsubscribe link every digest carries (RFC 8058).

The link's token is the user's id and an HMAC-SHA256 of it under the server's secret
(config.secret_key): it works without signing in, forever (an old digest's link still
unsubscribes), and nobody can make one for another user without the secret. Only stopping the
digests is possible with it; turning them on again takes signing in. Every switch to "off" is
an audit event (``AuditKind.REMINDERS_OFF``): the staff dashboard counts unsubscribes from
them."""

import base64
import hashlib
import hmac
from typing import Any

from sqlmodel import Session, select

from infoview_app.models import AuditKind, ReminderFrequency, Role, User
from infoview_app.services.accounts import audit
from infoview_app.services.accounts.audit import Actor, Target
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.transactions import transaction

_PURPOSE = b"infoview-unsubscribe-v1:"
TOKEN_MAX = 80
VIA_LINK = "From the link in a reminder email"
VIA_ACCOUNT = "From the account page"


def _signature(user_id: int, secret: bytes) -> str:
    digest = hmac.new(secret, _PURPOSE + str(user_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def unsubscribe_token(user_id: int, secret: bytes) -> str:
    """The token of ``user_id``'s unsubscribe link: "<id>.<signature>"."""
    return f"{user_id}.{_signature(user_id, secret)}"


def token_user(token: Any, secret: bytes) -> int | None:
    """The user a token was made for, or None for anything forged, altered or malformed."""
    if not isinstance(token, str) or len(token) > TOKEN_MAX:
        return None
    number, _, signature = token.partition(".")
    if not number.isascii() or not number.isdigit() or number.startswith("0"):
        return None
    user_id = int(number)
    if not hmac.compare_digest(signature.encode(), _signature(user_id, secret).encode()):
        return None
    return user_id


def _switch(session: Session, user: User, frequency: ReminderFrequency, *, by: Actor,
            via: str) -> None:
    """Save the new frequency; a switch to off is recorded in the same transaction."""
    if user.reminder_frequency == frequency:
        return
    with transaction(session):
        user.reminder_frequency = frequency
        session.add(user)
        if frequency == ReminderFrequency.OFF:
            audit.record(session, AuditKind.REMINDERS_OFF, actor_id=by.user_id,
                         actor_email=user.email if by.user_id == user.id else None,
                         target=Target(user_id=user.id, email=user.email, detail=via),
                         client=by.client)


def unsubscribe(session: Session, token: Any, secret: bytes, *, client: str) -> bool:
    """Turn the digests off for the token's user (again: nothing changes). False when the
    token is not a valid one for an existing account."""
    user_id = token_user(token, secret)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return False
    _switch(session, user, ReminderFrequency.OFF, by=Actor(None, client), via=VIA_LINK)
    return True


def frequency(session: Session, user_id: int) -> ReminderFrequency | None:
    """A student's current choice; None for staff and admins, who get no digests."""
    value = session.exec(select(User.reminder_frequency).where(
        User.id == user_id, User.role == Role.STUDENT)).first()
    return None if value is None else ReminderFrequency(value)


def set_frequency(session: Session, user_id: int, value: Any, *, by: Actor
                  ) -> ReminderFrequency:
    """Save a student's choice from the account page (one of ReminderFrequency's values)."""
    chosen = check.choice(value, ReminderFrequency, "reminder_frequency")
    user = session.exec(select(User).where(User.id == user_id,
                                           User.role == Role.STUDENT)).first()
    if user is None:
        raise InvalidInput("Only students get reminder emails.", "reminder_frequency")
    _switch(session, user, chosen, by=by, via=VIA_ACCOUNT)
    return chosen

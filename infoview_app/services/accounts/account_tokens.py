"""Single-use links sent by email: a password reset (an hour) and the check of a new
student's address (a day). The token exists in clear only in the email; the database keeps
its SHA-256. A link is void once used, once expired, or when a newer one of its kind is sent
to the same account."""

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from infoview_app.models import AccountToken, TokenPurpose
from infoview_app.services.accounts.user_accounts import hash_token

LIFETIMES = {TokenPurpose.RESET_PASSWORD: timedelta(hours=1),
             TokenPurpose.VERIFY_EMAIL: timedelta(hours=24)}
TOKEN_MAX = 100  # secrets.token_urlsafe(32) is 43 characters


def issue(session: Session, user_id: int, purpose: TokenPurpose, now: datetime) -> str:
    """A new token for the account, in the caller's transaction (the older ones of its kind
    are deleted)."""
    token = secrets.token_urlsafe(32)
    session.exec(delete(AccountToken).where(col(AccountToken.user_id) == user_id,
                                            col(AccountToken.purpose) == purpose))
    session.add(AccountToken(user_id=user_id, purpose=purpose, token_hash=hash_token(token),
                             created_at=now, expires_at=now + LIFETIMES[purpose]))
    return token


def live(session: Session, token: object, purpose: TokenPurpose, now: datetime
         ) -> AccountToken | None:
    """The stored token if ``token`` is one of ``purpose``, unused and unexpired."""
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX:
        return None
    return session.exec(select(AccountToken).where(
        AccountToken.token_hash == hash_token(token), col(AccountToken.purpose) == purpose,
        col(AccountToken.used_at).is_(None), AccountToken.expires_at > now)).first()

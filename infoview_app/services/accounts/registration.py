"""Self-registration that proves the address: a new student account can do nothing until its
owner opens the link emailed to it (single use, a day, only its hash stored).

Registering an address that already has an account reads exactly like a new registration
and emails that account's owner instead (so the form tells no one who is registered); an
account still waiting for its check gets a new link. The institution may allow only some
email domains (INFOVIEW_SELF_REGISTRATION_DOMAINS)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

from sqlmodel import Session

from infoview_app.config import self_registration_domains, smtp_settings
from infoview_app.models import AuditKind, Role, TokenPurpose, User
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import account_tokens, audit
from infoview_app.services.accounts.audit import Actor, Target
from infoview_app.services.accounts.passwords import hash_password
from infoview_app.services.accounts.user_accounts import (
    add_user,
    clean_new_account,
    find_user_by_email,
    new_session,
)
from infoview_app.services.core import mail
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.transactions import transaction
from infoview_app.services.core.wording import ROLE_LABELS
from infoview_app.services.staff.institution import letterhead


@dataclass(frozen=True)
class Links:
    """The absolute URLs of the pages the emails link to (from the app's configured
    address, never from a request's Host header)."""
    verify: str
    sign_in: str
    forgot: str


@dataclass(frozen=True)
class Registration:
    """What to send after a registration: to the address typed, whatever it had."""
    message: Message
    email: str


@dataclass(frozen=True)
class Verified:
    """A student who has just proved their address, with their first session open."""
    user_id: int
    name: str
    token: str


def allowed_domain(address: str, domains: tuple[str, ...]) -> bool:
    """Whether ``address`` is at one of ``domains`` or a subdomain (all, if none)."""
    domain = address.rpartition("@")[2].lower()
    return not domains or any(domain == d or domain.endswith(f".{d}") for d in domains)


def _letter(session: Session, letter: mail.Letter) -> Message:
    settings = smtp_settings()
    return mail.compose(letter, letterhead(session),
                        settings.sender if settings else "no-reply@localhost")


def _verification(session: Session, user: User, links: Links, now: datetime) -> Message:
    """A new link for ``user`` to prove the address (in the caller's transaction)."""
    assert user.id is not None
    token = account_tokens.issue(session, user.id, TokenPurpose.VERIFY_EMAIL, now)
    return _letter(session, mail.Letter(
        to=user.email, subject="Confirm your email address for InfoView",
        paragraphs=(f"Hello {user.name},",
                    "Welcome to InfoView. To finish creating your account, confirm that this "
                    "address is yours. The link works once, for the next 24 hours.",
                    "If you didn't create an InfoView account, ignore this email: nothing "
                    "happens without the link."),
        link_label="Confirm my address", link_url=f"{links.verify}?token={token}"))


def _already_registered(session: Session, user: User, links: Links) -> Message:
    return _letter(session, mail.Letter(
        to=user.email, subject="Your InfoView account",
        paragraphs=(f"Hello {user.name},",
                    "Someone, perhaps you, tried to create an InfoView account with this "
                    "address. You already have one: sign in at the link below. Forgot your "
                    f"password? Choose a new one at {links.forgot}",
                    "If it wasn't you, ignore this email: your account is unchanged."),
        link_label="Sign in", link_url=links.sign_in))


def register_student(session: Session, form: Any, links: Links, *, by: Actor,
                     now: datetime | None = None) -> Registration:
    """Register from the form (every field checked, errors beside each); the account waits
    for its address to be proven. The result is the same for an address that has an account
    (whose password hashing is done anyway, so the two take as long)."""
    fields = form if isinstance(form, dict) else {}
    values = clean_new_account(
        name=fields.get("name"), email=fields.get("email"), password=fields.get("password"),
        major=fields.get("major"), graduation_year=fields.get("graduation_year"),
        share_progress=fields.get("share_progress"))
    domains = self_registration_domains()
    if not allowed_domain(values["email"], domains):
        raise InvalidInput(f"Use your {' or '.join('@' + d for d in domains)} address.",
                           "email")
    now = now or utcnow()
    existing = find_user_by_email(session, values["email"])
    if existing is not None:
        hash_password(values["password"])  # as long as a new account takes
        if existing.is_active and existing.email_verified_at is None:
            with transaction(session):
                message = _verification(session, existing, links, now)
        else:
            message = _already_registered(session, existing, links)
        return Registration(message, values["email"])

    messages: list[Message] = []

    def waiting(user: User) -> None:
        assert user.id is not None
        audit.record(session, AuditKind.REGISTERED, actor_id=user.id, actor_email=user.email,
                     target=Target(user.id, user.email, f"Role: {ROLE_LABELS[Role.STUDENT]}"),
                     client=by.client)
        messages.append(_verification(session, user, links, now))

    add_user(session, Role.STUDENT, values, verified=False, with_user=waiting)
    return Registration(messages[0], values["email"])


def verify_link_works(session: Session, token: Any, now: datetime | None = None) -> bool:
    return account_tokens.live(session, token, TokenPurpose.VERIFY_EMAIL,
                               now or utcnow()) is not None


def verify_email(session: Session, token: Any, lifetime: timedelta, *, by: Actor,
                 now: datetime | None = None) -> Verified:
    """Prove the address of the token's account and open its first session, at once."""
    now = now or utcnow()
    with transaction(session):
        stored = account_tokens.live(session, token, TokenPurpose.VERIFY_EMAIL, now)
        user = session.get(User, stored.user_id) if stored else None
        if stored is None or user is None or not user.is_active or user.id is None:
            raise InvalidInput("This link has expired or has already been used. Create your "
                               "account again with the same address for a new one.", "form")
        stored.used_at = now
        user.email_verified_at = user.email_verified_at or now
        session.add_all([stored, user])
        audit.record(session, AuditKind.EMAIL_VERIFIED, actor_id=user.id,
                     actor_email=user.email, target=Target(user.id, user.email),
                     client=by.client)
        token_in_clear = new_session(session, user.id, lifetime, now)
    return Verified(user.id, user.name, token_in_clear)

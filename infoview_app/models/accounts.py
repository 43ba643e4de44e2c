"""Accounts and their sessions."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from infoview_app.models._base import utcnow


class Role(StrEnum):
    STUDENT = "student"
    STAFF = "staff"
    ADMIN = "admin"


class ReminderFrequency(StrEnum):
    """How often a student's reminder digest may be emailed (issue 14)."""
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class User(SQLModel, table=True):
    """A person who signs in: a student, a career-office staff member or an admin."""

    __tablename__ = "user_account"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr
    __table_args__ = (sa.Index("uq_user_account_email_key", "email_key", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    # Emails are unique whatever their case and Unicode form: "Ådne@X.no" and "ådne@x.no" are
    # one account. Set from the address by services/core/validation.email_key.
    email_key: str = Field(max_length=320)
    name: str = Field(max_length=120)
    role: Role = Field(sa_type=sa.String(16), default=Role.STUDENT, index=True)
    password_hash: str = Field(max_length=255)
    major: str | None = Field(default=None, max_length=120, index=True)
    graduation_year: int | None = Field(default=None, index=True)
    share_progress: bool = Field(default=False)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    # When the owner proved the address (a self-registered student opened the emailed link);
    # None until then, and such an account can't sign in. Staff accounts are created proven.
    email_verified_at: datetime | None = Field(default=None)
    # The IANA zone the user's times, due dates and reminders are in; None until the browser
    # reports it at first sign-in or the user picks one: the institution's zone meanwhile.
    time_zone: str | None = Field(default=None, max_length=64)
    reminder_frequency: ReminderFrequency = Field(sa_type=sa.String(8),
                                                  default=ReminderFrequency.DAILY)


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its token is stored."""

    __tablename__ = "auth_session"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = Field(default=None)


class TokenPurpose(StrEnum):
    RESET_PASSWORD = "reset_password"
    VERIFY_EMAIL = "verify_email"


class AccountToken(SQLModel, table=True):
    """A single-use link sent by email (a password reset, an address check). Only the SHA-256
    of its token is stored; it is void once used, once expired, or when a newer one of its
    purpose is sent."""

    __tablename__ = "account_token"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    purpose: TokenPurpose = Field(sa_type=sa.String(24))
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = Field(default=None)


class CalendarFeed(SQLModel, table=True):
    """A student's private calendar feed (issue 14): the secret URL's token exists in clear
    only in that URL; the database keeps its SHA-256. One per account: a new link replaces
    the row, so the old URL is dead at once; turning the feed off deletes it."""

    __tablename__ = "calendar_feed"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class AuditKind(StrEnum):
    """What a security-relevant event was (services/accounts/audit.py records them)."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    REGISTERED = "registered"
    PASSWORD_CHANGED = "password_changed"
    RESET_LINK_SENT = "reset_link_sent"
    EMAIL_VERIFIED = "email_verified"
    PASSWORD_RESET = "password_reset"
    ROLE_CHANGED = "role_changed"
    STAFF_CREATED = "staff_created"
    STAFF_DEACTIVATED = "staff_deactivated"
    STAFF_REACTIVATED = "staff_reactivated"
    SETTINGS_CHANGED = "settings_changed"
    DATA_EXPORTED = "data_exported"
    ACCOUNT_DELETED = "account_deleted"
    REMINDERS_OFF = "reminders_off"


class AuditEvent(SQLModel, table=True):
    """One security-relevant event, appended and never changed: who (their email as it was
    then), what, to which account, when and from which client address. It outlives the
    accounts it names (their ids become NULL, the emails stay) until it is pruned
    (INFOVIEW_AUDIT_RETENTION_DAYS). Never a password, a token or a student's text."""

    __tablename__ = "audit_event"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    kind: AuditKind = Field(sa_type=sa.String(32), index=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id",
                                 ondelete="SET NULL", index=True)
    actor_email: str | None = Field(default=None, max_length=254)
    target_id: int | None = Field(default=None, foreign_key="user_account.id",
                                  ondelete="SET NULL", index=True)
    target_email: str | None = Field(default=None, max_length=254)
    detail: str = Field(default="", max_length=255)
    client: str = Field(default="", max_length=64)


class OidcIdentity(SQLModel, table=True):
    """A person at the institution's OpenID provider (its issuer and their subject there,
    which never changes) linked to their InfoView account: how they sign in with it."""

    __tablename__ = "oidc_identity"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr
    __table_args__ = (sa.Index("uq_oidc_identity_issuer_subject", "issuer", "subject",
                               unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=300)
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_sign_in_at: datetime = Field(default_factory=utcnow)


class ReminderDigest(SQLModel, table=True):
    """One student's reminder digest for one day of their own calendar: claimed by the run of
    ``infoview send-reminders`` that sends it (``claimed_at``), then marked ``sent_at``. The
    unique (user, day) pair is what makes a second run send nothing twice; a row claimed and
    never marked sent (the run died) is sent by the next run. Outlives the account (its id
    becomes NULL) so that the staff dashboard's counts of reminders sent stay put."""

    __tablename__ = "reminder_digest"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr
    __table_args__ = (sa.Index("uq_reminder_digest_user_id_local_date", "user_id", "local_date",
                               unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id",
                                ondelete="SET NULL")
    local_date: date
    claimed_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)

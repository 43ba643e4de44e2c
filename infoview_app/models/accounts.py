"""Accounts and their sessions."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from infoview_app.models._base import utcnow


class Role(StrEnum):
    STUDENT = "student"
    STAFF = "staff"
    ADMIN = "admin"


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


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its token is stored."""

    __tablename__ = "auth_session"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = Field(default=None)


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

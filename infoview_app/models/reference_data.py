"""Reference data: occupations, their tasks, the question bank, community partners, the
institution's settings and the staff dashboard's rounding key."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from infoview_app.models._base import utcnow


class Occupation(SQLModel, table=True):
    """An occupation from O*NET (or the starter catalogue), keyed by its O*NET-SOC code."""

    code: str = Field(primary_key=True, max_length=10)
    title: str = Field(max_length=150, index=True)
    description: str = Field(sa_type=sa.Text)
    major_group: str = Field(max_length=2, index=True)
    source: str = Field(max_length=16, default="starter")


class OccupationTask(SQLModel, table=True):
    __tablename__ = "occupation_task"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    occupation_code: str = Field(foreign_key="occupation.code", index=True, max_length=10)
    onet_task_id: int | None = Field(default=None, index=True)
    statement: str = Field(sa_type=sa.Text)
    task_type: str | None = Field(default=None, max_length=20)


class QuestionOrigin(StrEnum):
    SAMPLE = "sample"
    STAFF = "staff"
    STUDENT = "student"


class Question(SQLModel, table=True):
    """A question to ask in an interview: the office's samples, staff-curated or a student's own
    (then ``owner_id`` is that student)."""

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=500)
    category: str = Field(max_length=60, default="General")
    origin: QuestionOrigin = Field(sa_type=sa.String(16), index=True)
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    is_active: bool = Field(default=True)
    position: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)


class CommunityPartner(SQLModel, table=True):
    """A person the career office can introduce students to."""

    __tablename__ = "community_partner"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    organization: str = Field(max_length=160)
    field: str = Field(max_length=120, index=True)
    occupation_major_group: str | None = Field(default=None, max_length=2, index=True)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    consent_to_list: bool = Field(default=False)
    monthly_request_cap: int = Field(default=5)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class InstitutionSettings(SQLModel, table=True):
    """The single row of settings staff edit: the office's contact block and research links."""

    __tablename__ = "institution_settings"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=160)
    office_name: str = Field(max_length=160)
    office_phone: str = Field(max_length=40)
    office_email: str = Field(max_length=254)
    office_address: str = Field(max_length=300)
    office_url: str = Field(max_length=300)
    onet_url_template: str = Field(max_length=300)
    ooh_url: str = Field(max_length=300)
    major_to_career_url: str = Field(max_length=300)
    # An IANA name: the staff dashboard's days and weeks are this zone's.
    time_zone: str = Field(default="UTC", max_length=64,
                           sa_column_kwargs={"server_default": "UTC"})
    # The staff dashboard shows a count under this as "<N" (services/staff/suppression.py).
    min_group_size: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    updated_at: datetime = Field(default_factory=utcnow)


class RoundingKey(SQLModel, table=True):
    """The secret that fixes how each cell of the staff dashboard is rounded (one row,
    created on first use; services/staff/suppression.py). Never shown to anyone."""

    __tablename__ = "rounding_key"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)

"""A student's explorations and everything that happens in them: contacts, outreach,
interviews, answers and follow-up tasks."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from infoview_app.models._base import utcnow


class Exploration(SQLModel, table=True):
    """One career field a student explores through the six steps."""
    # The staff dashboard reads a period's explorations and their owners from the index.
    __table_args__ = (sa.Index("ix_exploration_created_at_owner_id", "created_at", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user_account.id", index=True)
    field_name: str = Field(max_length=150)
    occupation_code: str | None = Field(default=None, foreign_key="occupation.code", index=True,
                                        max_length=10)
    current_step: int = Field(default=1)
    research_notes: str = Field(default="", sa_type=sa.Text)
    pitch: str = Field(default="", sa_type=sa.Text)
    # The guided parts of the 15-30 second introduction (step 3), composed into ``pitch``.
    pitch_who_i_am: str = Field(default="", max_length=400)
    pitch_what_i_study: str = Field(default="", max_length=400)
    pitch_why_this_field: str = Field(default="", max_length=400)
    pitch_why_this_person: str = Field(default="", max_length=400)
    job_search_started: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)


class ExplorationProgress(SQLModel, table=True):
    """What one exploration's step states are judged from
    (``services.journey.step_progress.Facts``): its row counts and the dates it first reached a
    step. Kept by database triggers (migration 0006) on every write to the tables counted,
    whatever code writes them; the application never writes it. The staff dashboard reads a
    campus's funnel from it instead of counting hundreds of thousands of rows per request."""

    __tablename__ = "exploration_progress"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    exploration_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("exploration.id", ondelete="CASCADE"),
                            primary_key=True, autoincrement=False))
    contacts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    questions: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    interviews_booked: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    interviews_held: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    thank_yous: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    thank_yous_sent: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    first_contact: datetime | None = Field(default=None)
    first_attempt: date | None = Field(default=None)
    first_held: datetime | None = Field(default=None)
    first_thanked: datetime | None = Field(default=None)


class ExplorationQuestion(SQLModel, table=True):
    """A question the student chose to ask in one exploration, in their order."""

    __tablename__ = "exploration_question"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    exploration_id: int = Field(foreign_key="exploration.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    position: int = Field(default=0)


class ContactSource(StrEnum):
    FACULTY = "faculty"
    FAMILY = "family"
    FRIEND = "friend"
    LINKEDIN_ALUMNI = "linkedin_alumni"
    COMMUNITY_PARTNER = "community_partner"
    REFERRAL = "referral"
    OTHER = "other"


class PipelineStage(StrEnum):
    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    SCHEDULED = "scheduled"
    INTERVIEWED = "interviewed"
    THANKED = "thanked"


class Contact(SQLModel, table=True):
    """Someone in the field the student knows or was referred to. A third party: private to
    the student who added them."""
    # The dashboard: a period's contacts (all it counts of them from the index alone), and
    # each exploration's first contact.
    __table_args__ = (sa.Index("ix_contact_created_at_owner_id_stage_source_referred_by_id",
                               "created_at", "owner_id", "stage", "source", "referred_by_id"),
                      sa.Index("ix_contact_exploration_id_created_at", "exploration_id",
                               "created_at"))

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user_account.id", index=True)
    exploration_id: int | None = Field(default=None, foreign_key="exploration.id", index=True)
    name: str = Field(max_length=120)
    title: str = Field(default="", max_length=150)
    organization: str = Field(default="", max_length=160)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    linkedin_url: str = Field(default="", max_length=300)
    mailing_address: str = Field(default="", max_length=300)
    source: ContactSource = Field(sa_type=sa.String(24), default=ContactSource.OTHER, index=True)
    referred_by_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    may_use_referrer_name: bool = Field(default=False)
    partner_id: int | None = Field(default=None, foreign_key="community_partner.id", index=True)
    stage: PipelineStage = Field(sa_type=sa.String(16), default=PipelineStage.IDENTIFIED,
                                 index=True)
    created_at: datetime = Field(default_factory=utcnow)


class OutreachChannel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    LINKEDIN = "linkedin"
    IN_PERSON = "in_person"


class OutreachOutcome(StrEnum):
    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"
    CALL_BACK = "call_back"
    SCHEDULED = "scheduled"
    DECLINED = "declined"


class OutreachAttempt(SQLModel, table=True):
    __tablename__ = "outreach_attempt"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr
    # The dashboard: a period's attempts per student, and each contact's first attempt.
    __table_args__ = (sa.Index("ix_outreach_attempt_attempted_on_owner_id", "attempted_on",
                               "owner_id"),
                      sa.Index("ix_outreach_attempt_contact_id_attempted_on", "contact_id",
                               "attempted_on"))

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user_account.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    channel: OutreachChannel = Field(sa_type=sa.String(16))
    outcome: OutreachOutcome = Field(sa_type=sa.String(16))
    attempted_on: date = Field(index=True)
    note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)


class InterviewMode(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class InterviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Interview(SQLModel, table=True):
    # The dashboard: interviews held in a period, and each exploration's first one held.
    __table_args__ = (sa.Index("ix_interview_scheduled_at_status_owner_id_duration_minutes",
                               "scheduled_at", "status", "owner_id", "duration_minutes"),
                      sa.Index("ix_interview_exploration_id_status_scheduled_at",
                               "exploration_id", "status", "scheduled_at"))

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user_account.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    exploration_id: int = Field(foreign_key="exploration.id", index=True)
    scheduled_at: datetime = Field(index=True)
    duration_minutes: int = Field(default=30)
    mode: InterviewMode = Field(sa_type=sa.String(16), default=InterviewMode.IN_PERSON)
    location: str = Field(default="", max_length=300)
    status: InterviewStatus = Field(sa_type=sa.String(16), default=InterviewStatus.SCHEDULED,
                                    index=True)
    notes: str = Field(default="", sa_type=sa.Text)
    business_card_captured: bool = Field(default=False)
    # The professional-presence checklist of interview mode (step 5).
    arrived_early: bool = Field(default=False)
    asked_for_card: bool = Field(default=False)
    thanked_them: bool = Field(default=False)
    will_report_back: bool = Field(default=False)
    completed_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


class InterviewAnswer(SQLModel, table=True):
    """The student's notes for one prepared question in one interview."""

    __tablename__ = "interview_answer"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    position: int = Field(default=0)
    answer: str = Field(default="", sa_type=sa.Text)


class FollowUpKind(StrEnum):
    THANK_YOU_NOTE = "thank_you_note"
    LINKEDIN_CONNECT = "linkedin_connect"
    PROGRESS_UPDATE = "progress_update"
    RECONNECT = "reconnect"
    OUTREACH_NUDGE = "outreach_nudge"
    MOVE_ON = "move_on"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class FollowUpTask(SQLModel, table=True):
    __tablename__ = "follow_up_task"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr
    # The dashboard: follow-ups finished in a period, and each exploration's thank-you notes.
    __table_args__ = (sa.Index("ix_follow_up_task_completed_at", "completed_at"),
                      sa.Index("ix_follow_up_task_exploration_id_kind_status_completed_at",
                               "exploration_id", "kind", "status", "completed_at"))

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user_account.id", index=True)
    exploration_id: int | None = Field(default=None, foreign_key="exploration.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    interview_id: int | None = Field(default=None, foreign_key="interview.id", index=True)
    kind: FollowUpKind = Field(sa_type=sa.String(24))
    due_on: date = Field(index=True)
    status: FollowUpStatus = Field(sa_type=sa.String(16), default=FollowUpStatus.OPEN,
                                   index=True)
    snoozed_until: date | None = Field(default=None)
    completed_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


class PartnerRequest(SQLModel, table=True):
    """A student's request to be introduced to a community partner, counted against the
    partner's monthly cap from when it is made: it stays when the contact it created is
    removed (``contact_id`` then NULL) and when the student deletes their account
    (``student_id`` then NULL)."""

    __tablename__ = "partner_request"  # pyright: ignore[reportAssignmentType] SQLModel types it declared_attr

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="community_partner.id", index=True)
    student_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    requested_at: datetime = Field(default_factory=utcnow, index=True)

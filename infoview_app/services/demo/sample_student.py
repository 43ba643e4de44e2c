"""Realistic demo data for trying the app: one student with a walked-through exploration and
one staff member. Created only by ``infoview demo-data``, never automatically."""

from datetime import date, datetime, timedelta

from sqlmodel import Session

from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    FollowUpKind,
    FollowUpTask,
    Interview,
    InterviewMode,
    InterviewStatus,
    OutreachAttempt,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
    Role,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.accounts.user_accounts import (
    create_user,
    find_user_by_email,
)
from infoview_app.services.core.transactions import transaction

DEMO_STUDENT_EMAIL = "maya.student@demo.infoview.example"
DEMO_STAFF_EMAIL = "jordan.staff@demo.infoview.example"


def create_demo_data(session: Session, password: str, now: datetime | None = None
                     ) -> tuple[User, User]:
    """Create the two demo accounts and the student's data; refuses if they exist."""
    now = now or utcnow()
    for email in (DEMO_STUDENT_EMAIL, DEMO_STAFF_EMAIL):
        if find_user_by_email(session, email) is not None:
            raise ValueError(f"Demo data already exists ({email}).")
    student = create_user(session, role=Role.STUDENT, name="Maya Chen", email=DEMO_STUDENT_EMAIL,
                          password=password, major="Kinesiology", graduation_year=now.year + 1,
                          share_progress=True)
    staff = create_user(session, role=Role.STAFF, name="Jordan Alvarez", email=DEMO_STAFF_EMAIL,
                        password=password)
    assert student.id is not None
    with transaction(session):
        _student_journey(session, student.id, now)
    return student, staff


def _student_journey(session: Session, owner_id: int, now: datetime) -> None:
    today = now.date()
    therapy = Exploration(
        owner_id=owner_id, field_name="Physical therapy", current_step=6,
        research_notes="Doctor of Physical Therapy (DPT), 3 years. Outpatient ortho vs. "
                       "hospital acute care: very different days.",
        pitch="Hi, I'm Maya Chen, a junior in kinesiology at Northfield University. Dr. Rivera "
              "suggested I call you. I'm exploring physical therapy and would value twenty "
              "minutes of your perspective on outpatient practice: what your days look like "
              "and how you prepared for the field.",
        created_at=now - timedelta(days=40))
    design = Exploration(owner_id=owner_id, field_name="UX research", current_step=1,
                         created_at=now - timedelta(days=3))
    session.add_all([therapy, design])
    session.flush()
    assert therapy.id is not None
    rivera = Contact(owner_id=owner_id, exploration_id=therapy.id, name="Dr. Elena Rivera",
                     title="Associate Professor of Kinesiology", organization="Northfield "
                     "University", email="erivera@northfield.example.edu",
                     source=ContactSource.FACULTY, stage=PipelineStage.THANKED)
    session.add(rivera)
    session.flush()
    okafor = Contact(owner_id=owner_id, exploration_id=therapy.id, name="Sam Okafor, DPT",
                     title="Outpatient Physical Therapist", organization="Lakeside Sports Rehab",
                     phone="(555) 013-2290", mailing_address="400 Lake St, Northfield",
                     source=ContactSource.REFERRAL, referred_by_id=rivera.id,
                     may_use_referrer_name=True, stage=PipelineStage.INTERVIEWED)
    aunt = Contact(owner_id=owner_id, exploration_id=therapy.id, name="Lin Chen",
                   title="Occupational Therapist", organization="Mercy Hospital",
                   source=ContactSource.FAMILY, stage=PipelineStage.CONTACTED)
    session.add_all([okafor, aunt])
    session.flush()
    assert okafor.id is not None and aunt.id is not None
    session.add_all([
        OutreachAttempt(owner_id=owner_id, contact_id=okafor.id, channel=OutreachChannel.PHONE,
                        outcome=OutreachOutcome.LEFT_MESSAGE, attempted_on=today - timedelta(12)),
        OutreachAttempt(owner_id=owner_id, contact_id=okafor.id, channel=OutreachChannel.PHONE,
                        outcome=OutreachOutcome.SCHEDULED, attempted_on=today - timedelta(9)),
        OutreachAttempt(owner_id=owner_id, contact_id=aunt.id, channel=OutreachChannel.EMAIL,
                        outcome=OutreachOutcome.NO_ANSWER, attempted_on=today - timedelta(4)),
    ])
    held = Interview(owner_id=owner_id, contact_id=okafor.id, exploration_id=therapy.id,
                     scheduled_at=now - timedelta(days=2), duration_minutes=30,
                     mode=InterviewMode.IN_PERSON, location="Lakeside Sports Rehab",
                     status=InterviewStatus.COMPLETED, business_card_captured=True,
                     will_report_back=True, completed_at=now - timedelta(days=2),
                     notes="Clinic sees mostly ACL and shoulder rehab. Suggested shadowing "
                           "for 20+ hours before applying to DPT programs.")
    upcoming = Interview(owner_id=owner_id, contact_id=aunt.id, exploration_id=therapy.id,
                         scheduled_at=now + timedelta(days=5, hours=2), duration_minutes=20,
                         mode=InterviewMode.VIDEO, location="Video call link sent by email")
    session.add_all([held, upcoming])
    session.flush()
    session.add_all([
        _task(owner_id, therapy.id, okafor.id, held.id, FollowUpKind.THANK_YOU_NOTE,
              today - timedelta(days=1)),
        _task(owner_id, therapy.id, okafor.id, held.id, FollowUpKind.LINKEDIN_CONNECT, today),
        _task(owner_id, therapy.id, okafor.id, held.id, FollowUpKind.PROGRESS_UPDATE,
              today + timedelta(weeks=5)),
    ])


def _task(owner_id: int, exploration_id: int | None, contact_id: int | None,
          interview_id: int | None, kind: FollowUpKind, due_on: date) -> FollowUpTask:
    return FollowUpTask(owner_id=owner_id, exploration_id=exploration_id, contact_id=contact_id,
                        interview_id=interview_id, kind=kind, due_on=due_on)

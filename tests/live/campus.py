"""The small campus that the staff dashboard's tests count (tests/live/test_staff_dashboard_e2e.py)
and the keyboard test's dashboard walk uses: seeded once a run by the session fixture
``campus`` (tests/live/conftest.py), so that every count reads the same whichever modules run."""

import os
from datetime import timedelta
from typing import Any

from infoview_app import db
from infoview_app.models import Interview, InterviewStatus
from infoview_app.models._base import utcnow
from infoview_app.services.connect import outreach
from infoview_app.services.develop import contacts
from infoview_app.services.journey import explorations
from tests import factories

BIG_MAJOR, BIG_YEAR, BIG_GROUP = "Marine Biology", 2027, 10
SMALL_MAJOR, SMALL_YEAR, SMALL_GROUP = "Classics", 2028, 5
CONTACT_EMAIL = "private.contact@example.org"
SOURCES_TITLE = "Where contacts added in the period came from"


def _student(session: Any, major: str, year: int, number: int, tag: str) -> int:
    return factories.student(
        session, name=f"{major} Student {number}",
        email=f"{major.split()[0].lower()}{number}-{tag}@test.example.edu", major=major,
        graduation_year=year, share_progress=number == 0)


def _journey(session: Any, owner: int, number: int, held_at: Any) -> None:
    """An exploration with a LinkedIn/alumni contact reached by email; students 0-4 also add
    a faculty member; with ``held_at``, an interview that took place then."""
    exploration = explorations.start_exploration(session, owner, "Marine research")
    contact = contacts.add_contact(session, owner, exploration, {
        "name": f"Dr Reef {number}", "email": CONTACT_EMAIL, "source": "linkedin_alumni"})
    if number < 5:
        contacts.add_contact(session, owner, exploration,
                             {"name": f"Prof Kelp {number}", "source": "faculty"})
    outreach.log_attempt(session, owner, contact.id, "email", "scheduled",
                         (utcnow() - timedelta(days=5)).date().isoformat())
    if held_at is not None:
        session.add(Interview(owner_id=owner, contact_id=contact.id, exploration_id=exploration,
                              scheduled_at=held_at, status=InterviewStatus.COMPLETED))
        session.commit()


def seed_campus() -> None:
    """Ten students of one major (five with faculty contacts and five with an interview held
    at the same moment: counts under ten), five of another: under ten whatever is counted."""
    tag = os.urandom(3).hex()
    held_at = utcnow() - timedelta(days=2)
    with db.session() as session:
        for number in range(BIG_GROUP):
            owner = _student(session, BIG_MAJOR, BIG_YEAR, number, tag)
            _journey(session, owner, number, held_at if number < 5 else None)
        for number in range(SMALL_GROUP):
            owner = _student(session, SMALL_MAJOR, SMALL_YEAR, number, tag)
            _journey(session, owner, number, None)

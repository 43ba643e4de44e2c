"""A student's private data, planted directly in the database with unique marker strings, and
the pages that show it: for the tests that nothing of it reaches the next person at a tab."""

import os
from dataclasses import dataclass
from datetime import timedelta

from infoview_app import db, routes
from infoview_app.models._base import utcnow
from infoview_app.services.interview import interview_mode
from infoview_app.services.prepare import pitch_store, questions
from infoview_app.services.research import field_research
from tests import factories
from tests.live.interview_data import QUESTION_IDS


@dataclass(frozen=True)
class PlantedJourney:
    exploration_id: int
    secrets: tuple[str, ...]

    def pages(self) -> list[str]:
        """Every page that shows some of the secrets: home, the six steps, notes, network."""
        steps = [routes.exploration_url(self.exploration_id, step) for step in range(1, 7)]
        return [routes.HOME, *steps, routes.NOTES, routes.network_url(self.exploration_id)]

    def found_in(self, text: str) -> list[str]:
        return [secret for secret in self.secrets if secret in text]


def planted_journey(user_id: int) -> PlantedJourney:
    """An exploration whose research notes, pitch, contact (name, email, phone, address) and
    interview notes (an answer and the free notes) each hold a marker no other test uses."""
    tag = os.urandom(4).hex()
    mark = {key: f"{key}{tag}" for key in
            ("research", "pitch", "contact", "mail", "street", "answer", "freenote")}
    with db.session() as session:
        exploration_id = factories.exploration_id(session, user_id)
        field_research.save_research_notes(session, user_id, exploration_id,
                                           f"Salary range noted in {mark['research']}")
        pitch_store.save_pitch(session, user_id, exploration_id,
                               f"Hi, I am a student curious about {mark['pitch']}.")
        contact = factories.add_contact(
            session, user_id, exploration_id, f"Dana {mark['contact']}",
            email=f"{mark['mail']}@lakeside.example",
            phone=f"+1 312 555 {int(tag, 16) % 10_000:04d}",
            mailing_address=f"12 {mark['street']} Road, Springfield",
            organization="Lakeside Rehab")
        phone = contact.phone
        interview = factories.add_interview(session, contact, utcnow() - timedelta(hours=1))
        assert interview.id is not None
        interview_id = interview.id
        for question_id in QUESTION_IDS:
            questions.choose_question(session, user_id, exploration_id, question_id)
        interview_mode.save_answer(session, user_id, interview_id, QUESTION_IDS[0],
                                   f"She said {mark['answer']} matters most")
        interview_mode.save_free_notes(session, user_id, interview_id,
                                       f"Follow up about {mark['freenote']}")
    return PlantedJourney(exploration_id, (*mark.values(), phone))

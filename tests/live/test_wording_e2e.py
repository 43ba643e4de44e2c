"""One voice on a phone: a stage reads the same in step 2 and step 4, a finished exploration's
card says so (not "Next: Research the field"), counts take the right noun and a booked
interview's time reads "Mon 14 Dec, 3:30 pm"."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from infoview_app import db
from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewMode,
    InterviewStatus,
    Occupation,
    PipelineStage,
    Question,
    QuestionOrigin,
)
from infoview_app.models._base import utcnow
from infoview_app.services.core.wording import ALL_STEPS_DONE, date_time_label
from infoview_app.services.develop import contacts
from infoview_app.services.journey import explorations
from infoview_app.services.journey.home_summary import ALL_DONE_ACTION
from infoview_app.services.journey.step_progress import StepStatus, step_states
from infoview_app.services.prepare.pitch_rules import PitchVerdict, pitch_timing
from infoview_app.services.staff.institution import reader_zone
from tests.live.conftest import sign_in

FINISHED, STARTED = "Speech pathology", "Audiology"
PITCH = ("Hi, I'm Jo Park, a sophomore in communication sciences at Northfield University. "
         "Professor Lee suggested I reach out. I'm exploring speech pathology and would value "
         "twenty minutes of your perspective on school-based practice: what your days look "
         "like and how you prepared for the field.")
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Lindqvist\r\nORG:Hearing Clinic\r\nEND:VCARD\r\n"


@pytest.fixture
def viewport_name() -> str:
    """A phone only: the wording is the same on a laptop, the layout is not under test."""
    return "phone"


def _finished_exploration(user_id: int) -> tuple[int, str]:
    """An exploration with all six steps done, and an interview booked ahead; returns its id
    and that interview's time as the home page must show it."""
    assert pitch_timing(PITCH).verdict is PitchVerdict.GOOD
    with db.session() as session:
        code = session.exec(select(Occupation.code)).first()
        question_ids = session.exec(select(Question.id).where(
            Question.origin == QuestionOrigin.SAMPLE).order_by(col(Question.id)).limit(3)).all()
        exploration = Exploration(owner_id=user_id, field_name=FINISHED, current_step=6,
                                  occupation_code=code, research_notes="School-based SLPs.",
                                  pitch=PITCH)
        session.add(exploration)
        session.flush()
        eid = exploration.id
        assert eid is not None
        people = [Contact(owner_id=user_id, exploration_id=eid, name=name,
                          source=ContactSource.FACULTY, stage=stage)
                  for name, stage in (("Ann Lee", PipelineStage.THANKED),
                                      ("Cy Diaz", PipelineStage.SCHEDULED),
                                      ("Eve Moss", PipelineStage.IDENTIFIED))]
        session.add_all(people)
        session.flush()
        session.add_all([ExplorationQuestion(exploration_id=eid, question_id=qid or 0,
                                             position=n) for n, qid in enumerate(question_ids)])
        held = Interview(owner_id=user_id, contact_id=people[0].id or 0, exploration_id=eid,
                         scheduled_at=utcnow() - timedelta(days=3),
                         status=InterviewStatus.COMPLETED, completed_at=utcnow())
        ahead = (utcnow() + timedelta(days=3)).replace(hour=15, minute=30, second=0,
                                                       microsecond=0)
        booked = Interview(owner_id=user_id, contact_id=people[1].id or 0, exploration_id=eid,
                           scheduled_at=ahead, mode=InterviewMode.VIDEO)
        session.add_all([held, booked])
        session.flush()
        session.add(FollowUpTask(owner_id=user_id, exploration_id=eid, contact_id=people[0].id,
                                 interview_id=held.id, kind=FollowUpKind.THANK_YOU_NOTE,
                                 due_on=utcnow().date(), status=FollowUpStatus.DONE,
                                 completed_at=utcnow()))
        session.commit()
        # The premise: every step is done, as the stepper judges it.
        assert {s.status for s in step_states(session, user_id)[eid]} == {StepStatus.DONE}
        return eid, date_time_label(ahead, reader_zone(session, user_id))


def _started_exploration(user_id: int) -> int:
    """A new exploration with one contact not contacted yet."""
    with db.session() as session:
        eid = explorations.start_exploration(session, user_id, STARTED)
        contacts.add_contact(session, user_id, eid, {"name": "Ada Quinn"})
        return eid


def test_one_voice_on_a_phone(page: Page, make_user, tmp_path: Path) -> None:
    user = make_user(name="Wording Student")
    _, when = _finished_exploration(user["id"])
    started = _started_exploration(user["id"])
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Wording Student")).to_be_visible()

    def card(field: str):
        return page.locator(".iv-list-item").filter(
            has=page.get_by_role("link", name=field, exact=True))

    finished = card(FINISHED)
    expect(finished).to_contain_text(ALL_STEPS_DONE)
    expect(finished).to_contain_text(f"Next: {ALL_DONE_ACTION}")
    expect(finished).not_to_contain_text("Research the field")
    expect(finished).not_to_contain_text("Step 6 of 6")
    expect(finished).to_contain_text("6 of 6 steps done · 3 contacts")
    expect(card(STARTED)).to_contain_text("steps done · 1 contact")
    expect(card(STARTED)).not_to_contain_text("1 contacts")
    upcoming = page.locator(".iv-list-item").filter(has_text="Cy Diaz")
    expect(upcoming).to_contain_text(f"{when} · Video call")
    expect(upcoming).not_to_contain_text("UTC")
    page.screenshot(path=tmp_path / "home-phone.png", full_page=True)

    # Step 2 and step 4 name a new contact's stage alike, never by its stored value.
    page.goto(f"/exploration?id={started}&step=2")
    listed = page.get_by_role("list", name="Your contacts").get_by_role("listitem")
    expect(listed.filter(has_text="Ada Quinn")).to_contain_text("Not contacted yet")
    expect(listed.filter(has_text="Ada Quinn")).not_to_contain_text("identified")

    # One card in a vCard: one new contact, singular.
    vcard = tmp_path / "One contact.vcf"
    vcard.write_text(VCARD)
    page.locator("#contact-file input[type=file]").set_input_files(str(vcard))
    expect(page.get_by_text("1 new contact to import.", exact=True)).to_be_visible()
    page.screenshot(path=tmp_path / "import-phone.png", full_page=True)
    page.get_by_role("button", name="Import 1 new contact", exact=True).click()
    expect(page.get_by_text("Imported 1 contact.", exact=True)).to_be_visible()
    expect(listed).to_have_count(2)
    expect(listed.filter(has_text="Bo Lindqvist")).to_contain_text("Not contacted yet")
    page.screenshot(path=tmp_path / "develop-phone.png", full_page=True)

    page.goto(f"/exploration?id={started}&step=4")
    picker = page.get_by_role("list", name="Contacts to reach").get_by_role("listitem")
    expect(picker).to_have_count(2)
    for name in ("Ada Quinn", "Bo Lindqvist"):
        expect(picker.filter(has_text=name)).to_contain_text("Not contacted yet")

"""The six-step journey in one flow: a student starts an exploration on the home page and
walks it through research, contacts, preparation, outreach and booking, the interview and the
follow-up, on a phone and on a laptop, only through the UI. After each step the stepper shows
it done; at the end the home page shows the journey, and the database holds what the pages
said they saved."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlmodel import select

from infoview_app import db
from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewAnswer,
    InterviewStatus,
    OutreachAttempt,
    PipelineStage,
)
from infoview_app.services.core.wording import ALL_STEPS_DONE, STEP_NAMES, date_time_label
from infoview_app.services.journey import home_summary
from infoview_app.services.prepare import questions
from infoview_app.services.prepare.pitch_rules import PitchVerdict, pitch_timing
from tests.live.conftest import sign_in

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout

FIELD = "Occupational therapy"
OCCUPATION = ("29-1122.00", "Occupational Therapists")
RESEARCH_NOTES = "## Where they work\n- children's hospitals\n- schools and home visits"
# (name, title, organization, how the student knows them, email)
CONTACTS = (
    ("Maria Chen", "Occupational Therapist", "Riverside Children's Hospital", "family",
     "maria.chen@riverside.example"),
    ("Prof. David Okafor", "Associate Professor", "Northfield University", "faculty",
     "dokafor@northfield.example.edu"),
    ("Jordan Ellis", "OT Assistant", "Lakeside Schools", "friend", ""),
)
INTERVIEWEE = CONTACTS[0][0]
PARTS = {
    "Who I am": "I'm Ana Lopez, a second-year student at Northfield University",
    "What I study": "I study psychology and I volunteer at an after-school club for children",
    "Why this field": "Watching a therapist help my little brother learn to write made me "
                      "curious about how therapists plan that kind of progress",
    "Why this person": "My aunt says your work with children at Riverside is exactly the kind "
                       "of care I hope to understand",
}
BANK_QUESTIONS = ("What are your primary tasks and responsibilities?",
                  "Why did you choose your field?",
                  "Would you choose this field again?")
SUGGESTION = questions.question_from_task(
    "Watch how a client manages everyday activities and find what gets in the way.")
ANSWERS = ("Evaluations in the morning, then sessions with children until four.",
           "She wanted work that is practical and creative at once.",
           "Yes, without hesitation.",
           "It is mostly watching closely and asking families about routines.")
FREE_NOTES = "Read the AOTA site; ask about the pediatric fieldwork placement in spring."
CARD_ADDRESS = "Riverside Children's Hospital\n400 River Road\nSpringfield, IL 62704"
REFERRALS = (("Sam Ortiz", "Springfield Schools"), ("Priya Nair", "Hand Therapy Clinic"))


def _go_to_step(page: Page, viewport_name: str, number: int) -> None:
    """The next step through the stepper: on a phone its "Next step" arrow, on a laptop the
    step's link in the row of six."""
    if viewport_name == "phone":
        page.get_by_role("link", name="Next step").click()
    else:
        page.get_by_role("navigation", name="The six steps").get_by_role(
            "link", name=re.compile(rf"^{number}\s*{STEP_NAMES[number - 1]}")).click()
    expect(page.get_by_role("heading", name=f"Step {number} · {STEP_NAMES[number - 1]}")
           ).to_be_visible()


def _expect_step_done(page: Page, viewport_name: str, number: int) -> None:
    """The stepper shows step ``number`` (the one open) as done: on a phone in the compact
    header, on a laptop in the row of six, as the current step."""
    name = STEP_NAMES[number - 1]
    if viewport_name == "phone":
        header = page.get_by_role("button", name="Jump to a step")
        expect(header).to_contain_text(f"Step {number} of 6 · {name}")
        expect(header).to_contain_text("Done")
    else:
        link = page.get_by_role("navigation", name="The six steps").get_by_role(
            "link", name=re.compile(rf"^{number}\s*{name}"))
        expect(link).to_have_attribute("aria-current", "step")
        expect(link).to_have_accessible_name(re.compile(r"\(Done\)$"))


def _expect_all_steps_done(page: Page, viewport_name: str) -> None:
    if viewport_name == "phone":
        page.get_by_role("button", name="Jump to a step").click()
        for number, name in enumerate(STEP_NAMES, start=1):
            expect(page.get_by_role("menuitem", name=f"{number}. {name} · Done")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_role("menu")).to_be_hidden()
    else:
        steps = page.get_by_role("navigation", name="The six steps").get_by_role("link")
        expect(steps).to_have_count(6)
        for number in range(6):
            expect(steps.nth(number)).to_have_accessible_name(re.compile(r"\(Done\)$"))


def _research(page: Page, viewport_name: str) -> None:
    page.get_by_label("Search occupations").fill("occupational")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"Choose {OCCUPATION[1]}").click()
    expect(page.get_by_text("Your occupation")).to_be_visible()
    expect(page.get_by_role("heading", name=OCCUPATION[1])).to_be_visible()
    page.get_by_label("Research notes (Markdown)").fill(RESEARCH_NOTES)
    expect(page.locator("#notes-status")).to_have_text("Saved.")
    expect(page.get_by_label("Notes preview").get_by_role(
        "heading", name="Where they work")).to_be_visible()
    _expect_step_done(page, viewport_name, 1)


def _develop(page: Page, viewport_name: str) -> None:
    expect(page.get_by_text("No one on your list yet")).to_be_visible()
    contacts = page.get_by_role("list", name="Your contacts")
    for count, (name, title, organization, source, email) in enumerate(CONTACTS, start=1):
        page.get_by_role("button", name="Add a contact").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Name").fill(name)
        dialog.get_by_label("Title").fill(title)
        dialog.get_by_label("Organization").fill(organization)
        dialog.get_by_label("How you know them").select_option(source)
        dialog.get_by_label("Email").fill(email)
        dialog.get_by_role("button", name="Save contact").click()
        expect(dialog).to_be_hidden()
        expect(contacts.get_by_role("listitem")).to_have_count(count)
    maria = contacts.get_by_role("listitem").filter(has_text=INTERVIEWEE)
    expect(maria).to_contain_text("Family")
    expect(maria).to_contain_text("Occupational Therapist · Riverside Children's Hospital")
    _expect_step_done(page, viewport_name, 2)


def _prepare(page: Page, viewport_name: str) -> str:
    """Write the introduction and choose four questions; returns the pitch as shown."""
    for label, text in PARTS.items():
        page.get_by_label(label).fill(text)
    pitch = page.get_by_label("Your introduction")
    expect(pitch).to_have_value(re.compile(r"^I'm Ana Lopez.*hope to understand\.$"))
    expect(page.locator("#pitch-timing")).to_contain_text("Good length")

    chosen = page.get_by_role("list", name="Your questions").get_by_role("listitem")
    # The bank is collapsed by category: its search finds each question.
    search = page.get_by_label("Search the question bank")
    for count, text in enumerate(BANK_QUESTIONS, start=1):
        search.fill(text.removesuffix("?"))
        page.get_by_role("button", name=f"Add: {text}").click()
        expect(chosen).to_have_count(count)
    # Step 1's occupation gives questions drawn from its tasks.
    expect(page.get_by_text(f"Drawn from the tasks of {OCCUPATION[1]}")).to_be_visible()
    page.get_by_role("button", name=f"Add: {SUGGESTION}").click()
    expect(chosen).to_have_count(4)
    expect(chosen.nth(3)).to_contain_text(SUGGESTION)
    _expect_step_done(page, viewport_name, 3)
    return pitch.input_value()


def _booking_time(page: Page) -> datetime:
    """A start a few minutes from now, to the minute, in the time zone the page books in
    (the browser's): booking takes future times only, and this one can be held at once."""
    zone_text = page.get_by_text(re.compile(r"^Times are in your time zone: [^…]+\.$"))
    expect(zone_text).to_be_visible()
    zone = ZoneInfo(zone_text.inner_text().removeprefix("Times are in your time zone: ")
                    .removesuffix("."))
    return (datetime.now(zone) + timedelta(minutes=3)).replace(second=0, microsecond=0)


def _connect(page: Page, viewport_name: str, tmp_path: Path) -> datetime:
    """Reach out to Maria, log a call, book the interview and download it; returns its
    start."""
    picker = page.get_by_role("list", name="Contacts to reach")
    expect(picker.get_by_role("listitem")).to_have_count(len(CONTACTS))
    page.get_by_role("button", name=f"Reach out to {INTERVIEWEE}").click()
    # Written for someone the family knows, on step 3's introduction.
    script = page.get_by_role("list", name="Phone script")
    expect(script).to_contain_text(f"Hello, is this {INTERVIEWEE}? I'm Ana Lopez, a "
                                   "second-year student")
    expect(script).to_contain_text("You know my family, and they thought you would be")
    expect(page.get_by_role("status", name="Job-word check: phone script")).to_contain_text(
        "No job-seeking words")
    # Step 3's introduction opens the email draft.
    page.get_by_role("tab", name="Email").click()
    expect(page.get_by_role("textbox", name="Email", exact=True)).to_have_value(
        re.compile(rf"^Dear {INTERVIEWEE},\n\nI'm Ana Lopez, a second-year student"))

    form = page.get_by_role("form", name="Log an attempt")
    form.get_by_label("Channel").select_option("phone")
    form.get_by_label("Outcome").select_option("left_message")
    form.get_by_label("Note (optional)").fill("Left a voicemail at the clinic")
    form.get_by_role("button", name="Log attempt").click()
    expect(page.get_by_role("status", name="Reminders set")).to_contain_text("Nudge on")
    expect(page.get_by_role("list", name="Attempts").get_by_role("listitem")).to_have_count(1)
    expect(picker).to_contain_text("Last: Left a message")

    start = _booking_time(page)
    booking = page.get_by_role("form", name="Book the interview")
    booking.get_by_label("Date").fill(start.date().isoformat())
    booking.get_by_label("Time").fill(f"{start:%H:%M}")
    booking.get_by_label("How").select_option("in_person")
    booking.get_by_label("Place or video link").fill("Riverside Children's Hospital, "
                                                     "400 River Road")
    booking.get_by_role("button", name="Book interview").click()
    booked = page.get_by_role("group", name="Booked interview")
    expect(booked).to_contain_text(date_time_label(start, start.tzinfo or UTC))
    expect(booked).to_contain_text("30 minutes · In person")
    expect(picker.get_by_role("listitem").filter(has_text=INTERVIEWEE)).to_contain_text(
        "Interview booked")
    # Booking ends the call's reminders: the page no longer says they are set.
    expect(page.get_by_role("status", name="Reminders set")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Add to calendar (.ics)").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    event = Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == f"Informational interview with {INTERVIEWEE}"
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=30)
    assert "400 River Road" in str(event["LOCATION"])
    _expect_step_done(page, viewport_name, 4)
    return start


def _interview(page: Page, viewport_name: str) -> None:
    expect(page.get_by_role("heading", name=INTERVIEWEE)).to_be_visible()
    expect(page.get_by_text("Scheduled", exact=True)).to_be_visible()
    notes = page.get_by_label("Notes for this question")
    status = page.locator("#save-status")
    texts = (*BANK_QUESTIONS, SUGGESTION)
    for number, (question, answer) in enumerate(zip(texts, ANSWERS, strict=True), start=1):
        expect(page.get_by_text(f"Question {number} of 4")).to_be_visible()
        expect(page.get_by_role("heading", name=question)).to_be_visible()
        notes.fill(answer)
        expect(status).to_have_text("Saved.")
        if number < len(texts):
            page.get_by_role("button", name="Next").click()
            expect(status).to_have_text("")
    expect(page.get_by_role("button", name="Next")).to_be_disabled()

    page.get_by_label("Free notes").fill(FREE_NOTES)
    expect(status).to_have_text("Saved.")
    for label in ("I arrived a few minutes early", "I asked for a business card",
                  "I thanked them for their time"):
        box = page.get_by_role("checkbox", name=label)
        box.click()
        expect(box).to_be_checked()

    page.get_by_role("button", name="Business card", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name")).to_have_value(INTERVIEWEE)
    dialog.get_by_label("Phone").fill("+1 217 555 0142")
    dialog.get_by_label("Mailing address").fill(CARD_ADDRESS)
    dialog.get_by_role("button", name="Save card").click()
    expect(dialog).to_be_hidden()
    card = page.get_by_label("Business card", exact=True).filter(has_text="400 River Road")
    expect(card).to_contain_text("+1 217 555 0142")

    referral_form = page.get_by_role("form", name="Add a person they referred you to")
    referred = page.get_by_role("list", name="People they referred you to")
    for count, (name, organization) in enumerate(REFERRALS, start=1):
        referral_form.get_by_label("Their name").fill(name)
        referral_form.get_by_label("Organization").fill(organization)
        referral_form.get_by_label("May I use your name? (They said yes)").check()
        referral_form.get_by_role("button", name="Add this person").click()
        expect(referred.get_by_role("listitem")).to_have_count(count)
        expect(referral_form.get_by_label("Their name")).to_have_value("")
    expect(referred.get_by_text("May use their name")).to_have_count(2)

    expect(page.get_by_role("checkbox", name="I'll let you know how it goes")).to_be_checked()
    page.get_by_role("button", name="Finish interview").click()
    expect(page.get_by_role("status").filter(has_text="Interview recorded.")).to_contain_text(
        "3 follow-ups are waiting")
    expect(page.get_by_text("Held", exact=True)).to_be_visible()
    _expect_step_done(page, viewport_name, 5)


def _follow_up(page: Page, viewport_name: str) -> None:
    page.get_by_role("link", name="open step 6").click()
    expect(page.get_by_role("heading", name="Step 6 · Follow-up")).to_be_visible()
    todo = page.get_by_role("list", name="Follow-ups in this field")
    expect(todo.get_by_role("listitem")).to_have_count(3)
    expect(todo.get_by_label("Mailing address")).to_have_text(CARD_ADDRESS)
    expect(todo.get_by_label("Thank-you note draft")).to_contain_text(f"Dear {INTERVIEWEE}")
    page.get_by_role("button", name="Mark mailed: Mail a hand-written thank-you note").click()
    expect(todo.get_by_role("listitem")).to_have_count(2)
    expect(todo.get_by_label("Mailing address")).to_have_count(0)
    _expect_step_done(page, viewport_name, 6)

    page.get_by_role("button", name="I'm starting my job search").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Add reconnect tasks").click()
    expect(todo.get_by_role("listitem")).to_have_count(3)
    expect(todo.get_by_role("listitem").filter(has_text="Reconnect: tell them")).to_contain_text(
        INTERVIEWEE)
    expect(page.get_by_text("You told InfoView you're job hunting")).to_be_visible()
    _expect_all_steps_done(page, viewport_name)


def _expect_home(page: Page) -> None:
    page.get_by_role("link", name="All explorations").click()
    card = page.locator(".iv-list-item").filter(
        has=page.get_by_role("link", name=FIELD, exact=True))
    expect(card).to_have_count(1)
    expect(card).to_contain_text(ALL_STEPS_DONE)
    expect(card).not_to_contain_text("Step 6 of 6")
    progress = card.get_by_role("progressbar", name="Progress through the six steps")
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(progress).to_have_attribute("aria-valuetext", "6 of 6 steps done")
    expect(card).to_contain_text(f"6 of 6 steps done · {len(CONTACTS) + len(REFERRALS)} "
                                 "contacts")
    expect(card).to_contain_text(f"Next: {home_summary.ALL_DONE_ACTION}")
    expect(page.get_by_text("No interviews booked.")).to_be_visible()
    due = page.get_by_role("button", name=re.compile("^Mark done: "))
    expect(due).to_have_count(3)
    for label in ("Connect on LinkedIn", "Send a progress update",
                  "Reconnect: tell them you're starting your job search"):
        expect(page.get_by_role("button", name=f"Mark done: {label}")).to_be_visible()
    expect(page.get_by_text("Mail a hand-written thank-you note")).to_have_count(0)


def _expect_stored(user_id: int, pitch: str, start: datetime) -> None:
    """What the pages said they saved is in the database."""
    with db.session() as session:
        exploration = session.exec(select(Exploration).where(
            Exploration.owner_id == user_id)).one()
        eid = exploration.id
        assert exploration.field_name == FIELD
        assert exploration.occupation_code == OCCUPATION[0]
        assert exploration.research_notes == RESEARCH_NOTES
        assert exploration.pitch == pitch
        assert pitch_timing(exploration.pitch).verdict is PitchVerdict.GOOD
        assert exploration.pitch_why_this_person == PARTS["Why this person"]
        assert exploration.job_search_started is True
        chosen = [q["text"] for q in questions.chosen_questions(session, user_id, eid)]
        assert chosen == [*BANK_QUESTIONS, SUGGESTION]

        people = {c.name: c for c in session.exec(select(Contact).where(
            Contact.owner_id == user_id)).all()}
        assert set(people) == {c[0] for c in CONTACTS} | {name for name, _ in REFERRALS}
        assert all(c.exploration_id == eid for c in people.values())
        maria = people[INTERVIEWEE]
        assert maria.source == ContactSource.FAMILY
        assert people["Prof. David Okafor"].source == ContactSource.FACULTY
        assert maria.mailing_address == CARD_ADDRESS and maria.phone == "+1 217 555 0142"
        assert maria.stage == PipelineStage.THANKED
        for name, organization in REFERRALS:
            referral = people[name]
            assert referral.referred_by_id == maria.id
            assert referral.may_use_referrer_name is True
            assert referral.source == ContactSource.REFERRAL
            assert referral.organization == organization

        attempt = session.exec(select(OutreachAttempt).where(
            OutreachAttempt.owner_id == user_id)).one()
        assert (attempt.contact_id, attempt.channel, attempt.outcome) == (
            maria.id, "phone", "left_message")

        interview = session.exec(select(Interview).where(Interview.owner_id == user_id)).one()
        assert interview.contact_id == maria.id and interview.exploration_id == eid
        assert interview.scheduled_at == start
        assert interview.status == InterviewStatus.COMPLETED
        assert interview.completed_at is not None and interview.will_report_back is True
        assert interview.notes == FREE_NOTES
        assert interview.arrived_early and interview.asked_for_card and interview.thanked_them
        assert interview.business_card_captured is True
        answers = session.exec(select(InterviewAnswer.answer).where(
            InterviewAnswer.interview_id == interview.id)
            .order_by(InterviewAnswer.position)).all()
        assert list(answers) == list(ANSWERS)

        tasks = session.exec(select(FollowUpTask).where(FollowUpTask.owner_id == user_id)).all()
        by_kind = {task.kind: task for task in tasks}
        # Booking ended the call's reminders; finishing and the job search added these.
        assert sorted(by_kind) == sorted([
            FollowUpKind.THANK_YOU_NOTE, FollowUpKind.LINKEDIN_CONNECT,
            FollowUpKind.PROGRESS_UPDATE, FollowUpKind.RECONNECT])
        assert len(tasks) == 4
        assert all(t.contact_id == maria.id and t.exploration_id == eid for t in tasks)
        assert by_kind[FollowUpKind.THANK_YOU_NOTE].status == FollowUpStatus.DONE
        assert all(by_kind[kind].status == FollowUpStatus.OPEN for kind in (
            FollowUpKind.LINKEDIN_CONNECT, FollowUpKind.PROGRESS_UPDATE, FollowUpKind.RECONNECT))


def test_one_exploration_through_all_six_steps(page: Page, viewport_name: str, make_user,
                                               tmp_path: Path) -> None:
    user = make_user(name="Ana Lopez")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Ana Lopez")).to_be_visible()

    page.get_by_label("Career field to explore").fill(FIELD)
    page.get_by_role("button", name="Start exploring").click()
    page.get_by_role("link", name=FIELD, exact=True).click()
    expect(page.get_by_role("heading", name="Step 1 · Research")).to_be_visible()

    _research(page, viewport_name)
    _go_to_step(page, viewport_name, 2)
    _develop(page, viewport_name)
    _go_to_step(page, viewport_name, 3)
    pitch = _prepare(page, viewport_name)
    _go_to_step(page, viewport_name, 4)
    start = _connect(page, viewport_name, tmp_path)
    _go_to_step(page, viewport_name, 5)
    _interview(page, viewport_name)
    _follow_up(page, viewport_name)
    _expect_home(page)
    _expect_stored(user["id"], pitch, start)

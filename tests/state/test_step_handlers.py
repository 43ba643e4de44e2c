"""The six steps' handlers, driven through real State objects on a real database: what a
valid call stores and shows, bad arguments answered beside their field with nothing stored,
another student's record ids refused as not found, and the stepper's step states following
the data."""

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from reflex.istate.data import HeaderData
from sqlmodel import SQLModel, col, select

from infoview_app import db, routes
from infoview_app.models import (
    Contact,
    Exploration,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewAnswer,
    OutreachAttempt,
    Question,
    Role,
)
from infoview_app.services.accounts import user_zones
from infoview_app.services.core.wording import SUGGESTION_LABEL
from infoview_app.services.interview import interview_mode
from infoview_app.services.journey import explorations
from infoview_app.services.prepare import questions
from infoview_app.state.base import SessionState
from infoview_app.state.connect import ConnectState
from infoview_app.state.develop import DevelopState
from infoview_app.state.exploration import ExplorationState
from infoview_app.state.follow_up import FollowUpState
from infoview_app.state.interview import InterviewState
from infoview_app.state.prepare import PrepareState
from infoview_app.state.research import ResearchState
from tests.factories import add_contact, add_interview
from tests.integration.helpers import HELD_ON, choose_questions
from tests.state.conftest import Student, call, downloaded, open_page

NOTES_TOO_LONG = "x" * 20_001
OCCUPATION = "29-1123.00"  # Physical Therapists, a starter occupation of every install
# 54 words: about 22 seconds at 150 words a minute, inside the 15-30 s of a good pitch.
GOOD_PITCH = ("Hi, I'm Ana, a second-year student at Northfield studying kinesiology. I "
              "volunteer at a sports clinic on weekends, where I help the therapists set up "
              "exercises. Helping my grandfather recover after surgery made me curious about "
              "physical therapy, and your work with young athletes is exactly what I would "
              "like to learn more about.")


# --- shared set-up -----------------------------------------------------------------------

def _rows_of(owner_id: int) -> list[dict[str, Any]]:
    """Every row a student owns (and the rows hanging off them), as plain data."""
    with db.session() as session:
        explorations = session.exec(select(Exploration.id)
                                    .where(Exploration.owner_id == owner_id)).all()
        interviews = session.exec(select(Interview.id)
                                  .where(Interview.owner_id == owner_id)).all()
        rows: list[SQLModel] = []
        for model in (Exploration, Contact, Interview, FollowUpTask, OutreachAttempt, Question):
            rows += session.exec(select(model).where(model.owner_id == owner_id)).all()
        rows += session.exec(select(ExplorationQuestion).where(
            col(ExplorationQuestion.exploration_id).in_(explorations))).all()
        rows += session.exec(select(InterviewAnswer).where(
            col(InterviewAnswer.interview_id).in_(interviews))).all()
        return sorted(({"table": type(row).__name__, **row.model_dump()} for row in rows),
                      key=lambda row: (row["table"], row["id"]))


@dataclass(frozen=True)
class OtherStudent:
    """Another student's records: ids a malicious browser could send."""

    user_id: int
    exploration_id: int
    contact_id: int
    interview_id: int
    question_id: int
    task_ids: list[int]

    def rows(self) -> list[dict[str, Any]]:
        return _rows_of(self.user_id)


@pytest.fixture
def other(signed_in: Any) -> OtherStudent:
    """A student with a whole journey's worth of data: research notes, a contact, an own
    question, an interview held with notes and its follow-up tasks."""
    user_id, _ = signed_in(Role.STUDENT, name="Eve Other")
    with db.session() as session:
        exploration = Exploration(owner_id=user_id, field_name="Dentistry",
                                  research_notes="Eve's own research", pitch="Eve's pitch")
        session.add(exploration)
        session.commit()
        assert exploration.id is not None
        contact = add_contact(session, user_id, exploration.id, "Dr. Lee")
        own_id = questions.add_own_question(session, user_id, exploration.id,
                                         "What surprised you most?")
        interview = add_interview(session, contact, notes="Eve's interview notes")
        assert interview.id is not None and contact.id is not None
        interview_mode.save_answer(session, user_id, interview.id, own_id, "Eve's answer")
        tasks = interview_mode.complete_interview(session, user_id, interview.id,
                                                  will_report_back=True, today=HELD_ON)
        return OtherStudent(user_id, exploration.id, contact.id, interview.id, own_id,
                            [task["id"] for task in tasks])


def open_step(substate: Any, student: Student, state_class: type, step: int | str,
              exploration_id: int | None = None) -> Any:
    """Open the stepper at ``step`` as the page's on_load does: the exploration, then the
    step's own data. Returns the step's state."""
    open_page(substate(SessionState), student.token,
              routes.exploration_url(exploration_id or student.exploration_id, step))
    call(substate(ExplorationState), "load")
    state = substate(state_class)
    call(state, "load_step")
    return state


def statuses(state: Any) -> list[str]:
    """The six step states the stepper shows, step 1 first."""
    return [row["status"] for row in state.steps]


def stored(model: type, record_id: int) -> Any:
    with db.session() as session:
        row = session.get(model, record_id)
        assert row is not None
        return row


def count(model: Any, *where: Any) -> int:
    with db.session() as session:
        return len(session.exec(select(model).where(*where)).all())


@pytest.fixture
def contact_id(student: Student) -> int:
    with db.session() as session:
        contact = add_contact(session, student.user_id, student.exploration_id, "Sam Okafor",
                              email="sam@clinic.example")
        assert contact.id is not None
        return contact.id


@pytest.fixture
def interview_id(student: Student, contact_id: int) -> int:
    """A booked interview (already held, on HELD_ON) with three questions chosen."""
    with db.session() as session:
        choose_questions(session, student.exploration_id, 3)
        interview = add_interview(session, session.get(Contact, contact_id))
        assert interview.id is not None
        return interview.id


# --- the stepper -------------------------------------------------------------------------

def test_stepper_opens_the_step_in_the_url_and_remembers_it(substate: Any,
                                                            student: Student) -> None:
    state = open_step(substate, student, PrepareState, 3)
    assert (state.exploration_id, state.field_name, state.step) == (
        student.exploration_id, "Physical therapy", 3)
    assert statuses(state) == ["not started"] * 6
    assert stored(Exploration, student.exploration_id).current_step == 3
    for bad_step in ("9", "0", "two", "3.5"):  # the suggested step instead: step 1
        state = open_step(substate, student, ResearchState, bad_step)
        assert state.step == 1 and not state.missing
    assert stored(Exploration, student.exploration_id).current_step == 1


def test_a_stepper_opened_without_a_step_puts_the_shown_step_in_the_url(
        substate: Any, student: Student) -> None:
    """So that a reload stays on the step shown, not on whichever is suggested by then."""
    open_page(substate(SessionState), student.token,
              routes.exploration_url(student.exploration_id))
    stepper = substate(ExplorationState)
    events = call(stepper, "load")
    assert stepper.step == 1 and isinstance(events, list) and len(events) == 2
    shown = routes.exploration_url(student.exploration_id, 1)
    assert "replaceState" in str(events[1]) and json.dumps(shown) in str(events[1])
    open_page(substate(SessionState), student.token,
              routes.exploration_url(student.exploration_id, 3))
    assert not isinstance(call(stepper, "load"), list)  # already in the URL: left alone
    assert stepper.step == 3


def test_stepper_of_another_students_exploration_is_missing(substate: Any, student: Student,
                                                            other: OtherStudent) -> None:
    before = other.rows()
    for foreign in (str(other.exploration_id), "0", "abc", ""):
        open_page(substate(SessionState), student.token,
                  routes.exploration_url(foreign, 4))
        stepper = substate(ExplorationState)
        assert call(stepper, "load") is None  # no toast: the page says it is not found
        assert stepper.missing and stepper.exploration_id == 0 and stepper.steps == []
    assert other.rows() == before


# Every step's saving handlers on a page whose ?id= is someone else's exploration.
WRITES_ON_A_FOREIGN_PAGE = [
    (ResearchState, "save_notes", ("Mine now",)),
    (ResearchState, "choose", (OCCUPATION,)),
    (DevelopState, "save", ({"name": "Sneaky Contact"},)),
    (PrepareState, "save_pitch", (GOOD_PITCH,)),
    (PrepareState, "save_who_i_am", ("I'm Mallory.",)),
    (PrepareState, "add_own", ({"text": "What do you earn?"},)),
    (InterviewState, "load_step", ()),
    (FollowUpState, "start_job_search", ()),
]


@pytest.mark.parametrize(("state_class", "handler", "args"), WRITES_ON_A_FOREIGN_PAGE,
                         ids=[f"{c.__name__}.{h}" for c, h, _ in WRITES_ON_A_FOREIGN_PAGE])
def test_steps_refuse_to_write_into_another_students_exploration(
        substate: Any, student: Student, other: OtherStudent, state_class: type,
        handler: str, args: tuple[Any, ...]) -> None:
    before = other.rows()
    open_page(substate(SessionState), student.token, routes.exploration_url(
        other.exploration_id, 1))
    state = substate(state_class)
    call(state, handler, *args)
    assert state.errors == {"form": "That exploration no longer exists."}
    assert substate(ExplorationState).missing  # the page says "Exploration not found"
    assert other.rows() == before
    assert {row["table"] for row in _rows_of(student.user_id)} == {"Exploration"}


def test_a_step_open_when_its_exploration_is_deleted_elsewhere_says_it_is_gone(
        substate: Any, student: Student) -> None:
    research = open_step(substate, student, ResearchState, 1)
    assert not substate(ExplorationState).missing
    with db.session() as session:  # another tab deletes the exploration
        explorations.delete_exploration(session, student.user_id, student.exploration_id)
    call(research, "save_notes", "Typed after it was deleted")
    assert substate(ExplorationState).missing
    assert count(Exploration, Exploration.owner_id == student.user_id) == 0


# --- step 1: research --------------------------------------------------------------------

def test_occupation_and_notes_complete_research(substate: Any, student: Student) -> None:
    research = open_step(substate, student, ResearchState, 1)
    call(research, "search", {"query": "therap"})
    assert OCCUPATION in [result["code"] for result in research.results]
    call(research, "choose", OCCUPATION)
    assert research.occupation["title"] == "Physical Therapists"
    assert research.links[0]["label"] == "O*NET OnLine: Physical Therapists"
    assert statuses(research)[0] == "in progress"
    call(research, "save_notes", "## Pay\nMedian **$99,710** a year.")
    assert research.notes_status == "Saved." and "<strong>$99,710</strong>" in (
        research.notes_html)
    assert statuses(research)[:2] == ["done", "not started"]
    exploration = stored(Exploration, student.exploration_id)
    assert (exploration.occupation_code, exploration.research_notes) == (
        OCCUPATION, "## Pay\nMedian **$99,710** a year.")


def test_research_refuses_bad_notes_and_unknown_occupations(substate: Any,
                                                            student: Student) -> None:
    research = open_step(substate, student, ResearchState, 1)
    call(research, "save_notes", "Kept notes")
    for bad_notes in (NOTES_TOO_LONG, 42, ["a list"], "NUL \x00 character"):
        call(research, "save_notes", bad_notes)
        assert set(research.errors) == {"research_notes"}
        assert research.notes == "Kept notes"
    for bad_code in ("00-0000.00", "' OR 1=1 --", 2911, {"code": OCCUPATION}):
        research.errors = {}
        call(research, "choose", bad_code)
        assert set(research.errors) == {"occupation"}
    exploration = stored(Exploration, student.exploration_id)
    assert (exploration.research_notes, exploration.occupation_code) == ("Kept notes", None)
    assert statuses(research)[0] == "in progress"
    # Once corrected, the saved value's message goes away.
    call(research, "choose", OCCUPATION)
    assert research.errors == {}
    call(research, "save_notes", NOTES_TOO_LONG)
    call(research, "save_notes", NOTES_TOO_LONG[:20_000])
    assert research.errors == {} and statuses(research)[0] == "done"


# --- step 2: develop ---------------------------------------------------------------------

def test_three_contacts_complete_develop(substate: Any, student: Student) -> None:
    develop = open_step(substate, student, DevelopState, 2)
    for number, name in enumerate(("Sam Okafor", "Priya Das", "Luis Ortega"), start=1):
        call(develop, "open_form", 0)
        call(develop, "save", {"name": name, "organization": "Riverside Clinic",
                               "email": f"{name.split()[0].lower()}@clinic.example",
                               "source": "faculty"})
        assert develop.errors == {} and not develop.form_open
        assert len(develop.contacts) == number
        assert statuses(develop)[1] == ("done" if number == 3 else "in progress")
    assert {c["source_label"] for c in develop.contacts} == {"Faculty"}
    # The stage in the words of step 4 and the network, never the stored "identified".
    assert {c["stage_label"] for c in develop.contacts} == {"Not contacted yet"}
    assert count(Contact, Contact.exploration_id == student.exploration_id) == 3


def test_contact_form_errors_sit_beside_their_fields_and_nothing_is_saved(
        substate: Any, student: Student) -> None:
    develop = open_step(substate, student, DevelopState, 2)
    call(develop, "open_form", 0)
    call(develop, "save", {"name": "", "email": "not an email", "phone": "call me maybe",
                           "source": "carrier pigeon", "title": "t" * 500})
    assert set(develop.errors) == {"name", "email", "phone", "source", "title"}
    assert develop.form_open
    call(develop, "save", "not a form")  # read as an empty form
    assert set(develop.errors) == {"name"}
    assert develop.contacts == [] and count(Contact, Contact.owner_id == student.user_id) == 0
    assert statuses(develop)[1] == "not started"


def test_another_students_contact_cannot_be_opened_or_removed(
        substate: Any, student: Student, other: OtherStudent) -> None:
    before = other.rows()
    develop = open_step(substate, student, DevelopState, 2)
    call(develop, "open_form", other.contact_id)
    assert set(develop.errors) == {"form"} and not develop.form_open
    call(develop, "remove", other.contact_id)
    assert develop.errors == {"form": "That contact no longer exists."}
    assert other.rows() == before


# --- step 3: prepare ---------------------------------------------------------------------

def _sample_question_ids(prepare: Any, how_many: int) -> list[int]:
    return [q["id"] for group in prepare.bank_groups for q in group["questions"]][:how_many]


def test_a_timed_pitch_and_three_questions_complete_prepare(substate: Any,
                                                            student: Student) -> None:
    prepare = open_step(substate, student, PrepareState, 3)
    for question_id in _sample_question_ids(prepare, 3):
        call(prepare, "choose", question_id)
    assert len(prepare.chosen) == 3
    call(prepare, "save_pitch", "Hi, I'm Ana.")
    assert prepare.verdict == "too short" and statuses(prepare)[2] == "in progress"
    call(prepare, "save_pitch", GOOD_PITCH)
    assert prepare.verdict == "good" and 15 <= prepare.seconds <= 30
    assert prepare.pitch_status == "Saved." and statuses(prepare)[2] == "done"
    call(prepare, "remove", prepare.chosen[0]["id"])
    assert statuses(prepare)[2] == "in progress"
    assert stored(Exploration, student.exploration_id).pitch == GOOD_PITCH
    assert count(ExplorationQuestion,
                 ExplorationQuestion.exploration_id == student.exploration_id) == 2


def test_pitch_parts_compose_the_pitch_and_own_questions_join_the_list(
        substate: Any, student: Student) -> None:
    prepare = open_step(substate, student, PrepareState, 3)
    call(prepare, "save_who_i_am", "i'm Ana, a second-year student")
    call(prepare, "save_what_i_study", "I study kinesiology")
    assert prepare.pitch == "I'm Ana, a second-year student. I study kinesiology."
    assert prepare.parts["who_i_am"] == "i'm Ana, a second-year student"
    call(prepare, "add_own", {"text": "How did you choose your specialty?"})
    assert [q["text"] for q in prepare.chosen] == ["How did you choose your specialty?"]
    first, second = _sample_question_ids(prepare, 2)
    for question_id in (first, second):
        call(prepare, "choose", question_id)
    call(prepare, "move", second, "up")
    assert [q["id"] for q in prepare.chosen][1:] == [second, first]
    assert stored(Exploration, student.exploration_id).pitch == prepare.pitch


def test_the_bank_search_narrows_the_bank_and_added_suggestions_stay_suggestions(
        substate: Any, student: Student) -> None:
    with db.session() as session:
        exploration = session.get(Exploration, student.exploration_id)
        exploration.occupation_code = OCCUPATION
        session.add(exploration)
        session.commit()
    prepare = open_step(substate, student, PrepareState, 3)
    everything = sum(len(group["questions"]) for group in prepare.bank_groups)
    assert prepare.bank_matches == everything > 5
    call(prepare, "search_bank", "  CAREER path ")
    assert prepare.bank_query == "CAREER path" and 0 < prepare.bank_matches < everything
    assert all("career path" in (group["title"] + " " + question["text"]).lower()
               for group in prepare.bank_groups for question in group["questions"])
    call(prepare, "search_bank", "x" * 101)
    assert set(prepare.errors) == {"bank_query"} and prepare.bank_query == "CAREER path"
    call(prepare, "search_bank", "")
    assert prepare.bank_matches == everything and prepare.errors == {}

    suggestion = prepare.suggestions[0]
    events = call(prepare, "add_suggestion", suggestion)
    added = prepare.chosen[-1]
    assert (added["text"], added["suggested"]) == (suggestion, True)
    # Focus moves to the added question (its button is gone with the suggestion).
    assert f"chosen-question-{added['id']}" in str(events)
    titles = {group["title"]: [q["text"] for q in group["questions"]]
              for group in prepare.bank_groups}
    assert titles[SUGGESTION_LABEL] == [suggestion]
    assert suggestion not in titles.get("Your own questions", [])
    call(prepare, "add_own", {"text": "What surprised you most?"})
    assert prepare.chosen[-1]["suggested"] is False
    # A search made before a change stays in force after it.
    call(prepare, "search_bank", "surprised")
    call(prepare, "remove", prepare.chosen[-1]["id"])
    assert [q["text"] for g in prepare.bank_groups for q in g["questions"]] == [
        "What surprised you most?"]


def test_prepare_refuses_bad_input_beside_the_field(substate: Any, student: Student) -> None:
    prepare = open_step(substate, student, PrepareState, 3)
    call(prepare, "save_pitch", "Kept pitch.")
    bad_calls = [
        ("save_pitch", ("p" * 2001,), "pitch"),
        ("save_pitch", (12,), "pitch"),
        ("save_who_i_am", ("w" * 401,), "who_i_am"),
        ("save_why_this_person", ({"text": "x"},), "why_this_person"),
        ("add_own", ({"text": ""},), "text"),
        ("add_own", ({"text": "q" * 501},), "text"),
        ("choose", ("1 OR 1=1",), "question_id"),
        ("add_suggestion", ("s" * 501,), "suggestions"),
    ]
    for handler, args, field in bad_calls:
        call(prepare, handler, *args)
        assert set(prepare.errors) == {field}, handler
    question_id = _sample_question_ids(prepare, 1)[0]
    call(prepare, "choose", question_id)
    call(prepare, "move", question_id, "sideways")
    assert set(prepare.errors) == {"direction"}
    assert stored(Exploration, student.exploration_id).pitch == "Kept pitch."
    assert count(Question, Question.owner_id == student.user_id) == 0
    assert [q["id"] for q in prepare.chosen] == [question_id]


FOREIGN_QUESTION = {"choose": "That question no longer exists.",
                    "remove": "That question is not in your list."}


def test_another_students_own_question_cannot_be_chosen_or_removed(
        substate: Any, student: Student, other: OtherStudent) -> None:
    before = other.rows()
    prepare = open_step(substate, student, PrepareState, 3)
    assert other.question_id not in _sample_question_ids(prepare, 1000)
    for handler in ("choose", "remove"):
        prepare.errors = {}
        call(prepare, handler, other.question_id)
        assert prepare.errors == {"form": FOREIGN_QUESTION[handler]}, handler
    assert prepare.chosen == []
    assert other.rows() == before


# --- step 4: connect ---------------------------------------------------------------------

def _set_zone(student: Student, name: str | None) -> None:
    with db.session() as session:
        user_zones.set_time_zone(session, student.user_id, name or "")


def _on_contact(substate: Any, student: Student, contact_id: int) -> Any:
    _set_zone(student, "Europe/Paris")
    connect = open_step(substate, student, ConnectState, 4)
    call(connect, "choose", contact_id)
    return connect


def test_outreach_and_booking_complete_connect(substate: Any, student: Student,
                                               contact_id: int) -> None:
    connect = _on_contact(substate, student, contact_id)
    assert connect.contact_name == "Sam Okafor" and connect.email_subject
    today = date.fromisoformat(connect.today)
    call(connect, "log_attempt", {"channel": "phone", "outcome": "left_message",
                                  "attempted_on": today.isoformat(), "note": "Voicemail"})
    assert connect.errors == {} and [a["outcome_label"] for a in connect.attempts] == [
        "Left a message"]
    assert len(connect.reminders) == 2 and statuses(connect)[3] == "in progress"
    assert count(FollowUpTask, FollowUpTask.contact_id == contact_id) == 2
    call(connect, "book", {"date": (today + timedelta(days=7)).isoformat(), "time": "14:30",
                           "duration_minutes": "25", "mode": "video",
                           "location": "https://meet.example/abc"})
    assert connect.errors == {} and connect.interview["time"] == "14:30"
    assert connect.interview["zone"] == "Europe/Paris"
    assert statuses(connect)[3:5] == ["done", "in progress"]
    interview = stored(Interview, connect.interview["id"])
    assert (interview.contact_id, interview.duration_minutes, interview.location) == (
        contact_id, 25, "https://meet.example/abc")
    assert count(OutreachAttempt, OutreachAttempt.contact_id == contact_id) == 1


def test_connect_refuses_bad_attempts_and_bookings(substate: Any, student: Student,
                                                   contact_id: int) -> None:
    connect = _on_contact(substate, student, contact_id)
    tomorrow = (date.fromisoformat(connect.today) + timedelta(days=1)).isoformat()
    call(connect, "log_attempt", {"channel": "carrier pigeon", "outcome": "maybe",
                                  "attempted_on": "next Tuesday", "note": "n" * 1001})
    assert set(connect.errors) == {"channel", "outcome", "attempted_on", "note"}
    # Not in the future anywhere: tomorrow here can be today already in UTC+14.
    in_three_days = (date.fromisoformat(connect.today) + timedelta(days=3)).isoformat()
    call(connect, "log_attempt", {"channel": "phone", "outcome": "no_answer",
                                  "attempted_on": in_three_days})
    assert set(connect.errors) == {"attempted_on"}
    call(connect, "book", {"date": tomorrow, "time": "25:99", "duration_minutes": "9999",
                           "mode": "teleport"})
    assert {"time", "duration_minutes", "mode"} <= set(connect.errors)
    call(connect, "check_draft", "signature", "Hello")
    assert set(connect.errors) == {"draft"}
    assert connect.attempts == [] and connect.interview == {}
    assert count(OutreachAttempt, OutreachAttempt.owner_id == student.user_id) == 0
    assert count(Interview, Interview.owner_id == student.user_id) == 0
    assert statuses(connect)[3] == "not started"


def test_each_draft_keeps_its_own_message(substate: Any, student: Student,
                                         contact_id: int) -> None:
    """Each draft is checked on its own while it is typed: refusing one leaves the others'
    messages, and a draft's message goes once it is fine."""
    connect = _on_contact(substate, student, contact_id)
    linkedin = connect.linkedin
    call(connect, "check_draft", "email_body", "x" * 5001)
    assert set(connect.errors) == {"draft_email_body"}
    call(connect, "check_draft", "linkedin", "y" * 5001)
    assert set(connect.errors) == {"draft_email_body", "draft_linkedin"}
    assert connect.linkedin == linkedin  # a refused draft is not taken
    call(connect, "check_draft", "email_body", "Are you hiring?")
    assert set(connect.errors) == {"draft_linkedin"}
    assert connect.email_body == "Are you hiring?"
    assert [w["term"] for w in connect.draft_words["email_body"]] == ["hiring"]


def test_booking_times_are_in_the_students_own_zone_else_the_institutions(
        substate: Any, student: Student, contact_id: int) -> None:
    connect = _on_contact(substate, student, contact_id)
    day = date.fromisoformat(connect.today) + timedelta(days=7)
    call(connect, "book", {"date": day.isoformat(), "time": "14:30", "duration_minutes": "25",
                           "mode": "phone"})
    assert connect.interview["zone"] == "Europe/Paris" and connect.errors == {}
    start = datetime.combine(day, time(14, 30), ZoneInfo("Europe/Paris"))
    assert stored(Interview, connect.interview["id"]).scheduled_at.replace(
        tzinfo=UTC) == start
    _set_zone(student, "Asia/Tokyo")
    call(connect, "load_step")
    assert connect.timezone == "Asia/Tokyo"
    assert connect.interview["time"] == f"{start.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M}"
    _set_zone(student, None)  # the institution's zone: UTC unless set
    call(connect, "load_step")
    assert connect.interview["zone"] == "UTC"
    assert connect.interview["time"] == f"{start.astimezone(UTC):%H:%M}"


@pytest.mark.parametrize(("host", "domain"), [
    ("careers.northfield.edu:3000", "careers.northfield.edu"),
    ("Careers.Northfield.EDU", "careers.northfield.edu"),
    ("[::1]:3000", "infoview.local"),
    ("", "infoview.local"),
    ("b\u00fccher.example", "infoview.local"),  # letters, but not a host name
    ("-dash-.example", "infoview.local"),
])
def test_the_calendar_file_names_the_host_the_page_was_reached_at(
        substate: Any, student: Student, contact_id: int, host: str, domain: str) -> None:
    connect = _on_contact(substate, student, contact_id)
    day = (date.fromisoformat(connect.today) + timedelta(days=7)).isoformat()
    call(connect, "book", {"date": day, "time": "09:00", "duration_minutes": "30",
                           "mode": "phone"})
    session_state = substate(SessionState)
    session_state.router = replace(session_state.router, headers=HeaderData(host=host))
    download = downloaded(call(connect, "download_ics"))
    assert download is not None and download["media_type"] == "text/calendar"
    assert (f"UID:interview-{connect.interview['id']}@{domain}\r\n"
            in download["text"].replace("\r\n ", ""))


def test_another_students_contact_cannot_be_contacted(substate: Any, student: Student,
                                                      contact_id: int,
                                                      other: OtherStudent) -> None:
    before = other.rows()
    connect = open_step(substate, student, ConnectState, 4)
    for foreign in (other.contact_id, str(contact_id), True):
        call(connect, "choose", foreign)
        assert set(connect.errors) == {"contact_id"} and connect.contact_id == 0
        assert connect.contact_name == "" and connect.email_body == ""
    call(connect, "log_attempt", {"channel": "phone", "outcome": "no_answer",
                                  "attempted_on": connect.today})
    assert set(connect.errors) == {"contact_id"}
    assert other.rows() == before
    assert count(OutreachAttempt, OutreachAttempt.owner_id == student.user_id) == 0


# --- step 5: interview -------------------------------------------------------------------

def test_interview_notes_and_finishing_complete_interview(substate: Any, student: Student,
                                                          interview_id: int) -> None:
    interview = open_step(substate, student, InterviewState, 5)
    assert interview.interview_id == interview_id and len(interview.questions) == 3
    assert interview.interview_status_label == "Scheduled"
    assert statuses(interview)[3:5] == ["done", "in progress"]
    question_id = interview.questions[1]["question_id"]
    call(interview, "save_answer", interview_id, question_id, "Started as an aide in a clinic.")
    call(interview, "save_notes", interview_id, "Free notes:\nask about the residency.")
    call(interview, "set_check", "arrived_early", True)
    assert interview.save_status == "Saved." and interview.errors == {}
    assert interview.checklist["arrived_early"] is True
    call(interview, "finish")
    assert interview.interview_status == "completed" and interview.finished_tasks == 3
    assert interview.interview_status_label == "Held"
    assert interview.interviews[0]["label"].endswith(" · Held")
    assert statuses(interview)[4:] == ["done", "in progress"]
    row = stored(Interview, interview_id)
    assert (row.status, row.notes, row.arrived_early) == (
        "completed", "Free notes:\nask about the residency.", True)
    with db.session() as session:
        answers = session.exec(select(InterviewAnswer.question_id, InterviewAnswer.answer)
                               .where(InterviewAnswer.interview_id == interview_id)).all()
    assert [tuple(answer) for answer in answers] == [(question_id,
                                                      "Started as an aide in a clinic.")]
    assert count(FollowUpTask, FollowUpTask.interview_id == interview_id) == 3


def test_a_late_save_goes_to_the_interview_it_was_typed_in(substate: Any, student: Student,
                                                           interview_id: int,
                                                           contact_id: int) -> None:
    """A debounced save can arrive after the student switched interviews: it is stored in
    the interview the text was typed in, never in the one now shown."""
    with db.session() as session:
        second = add_interview(session, session.get(Contact, contact_id)).id
    interview = open_step(substate, student, InterviewState, 5)
    call(interview, "choose_interview", str(second))
    assert interview.interview_id == second
    question_id = interview.questions[0]["question_id"]
    call(interview, "save_answer", interview_id, question_id, "Typed in the first one.")
    call(interview, "save_notes", interview_id, "First interview's notes.")
    assert interview.errors == {}
    assert stored(Interview, interview_id).notes == "First interview's notes."
    assert stored(Interview, second).notes == ""
    assert interview.notes == "" and interview.questions[0]["answer"] == ""
    with db.session() as session:
        answers = session.exec(select(InterviewAnswer.interview_id, InterviewAnswer.answer)
                               ).all()
    assert [tuple(answer) for answer in answers] == [(interview_id, "Typed in the first one.")]


def test_interview_refuses_bad_notes_beside_the_field(substate: Any, student: Student,
                                                      interview_id: int) -> None:
    interview = open_step(substate, student, InterviewState, 5)
    question_id = interview.questions[0]["question_id"]
    call(interview, "save_notes", interview_id, "Kept notes")
    call(interview, "save_answer", interview_id, question_id, "Kept answer")
    bad_calls = [
        ("save_notes", (interview_id, NOTES_TOO_LONG), "notes"),
        ("save_notes", (interview_id, ["a", "list"]), "notes"),
        ("save_notes", ("not an id", "text"), "interview_id"),
        ("save_answer", (interview_id, question_id, NOTES_TOO_LONG), "answer"),
        ("save_answer", (interview_id, question_id, 12), "answer"),
        ("save_answer", (interview_id, "first", "text"), "question_id"),
        ("set_check", ("juggled_well", True), "item"),
        ("set_check", ("arrived_early", "perhaps"), "arrived_early"),
        ("choose_interview", ("abc",), "interview"),
    ]
    for handler, args, field in bad_calls:
        call(interview, handler, *args)
        assert set(interview.errors) == {field}, handler
    assert interview.notes == "Kept notes"
    assert interview.questions[0]["answer"] == "Kept answer"
    row = stored(Interview, interview_id)
    assert (row.notes, row.arrived_early, row.status) == ("Kept notes", False, "scheduled")
    with db.session() as session:
        assert session.exec(select(InterviewAnswer.answer).where(
            InterviewAnswer.interview_id == interview_id)).all() == ["Kept answer"]


def test_a_refused_referral_is_explained_beside_the_referral_form(
        substate: Any, student: Student, interview_id: int) -> None:
    """The referral form's inputs are named referral_<field>: its messages show there, not
    beside the business card's fields of the same name."""
    interview = open_step(substate, student, InterviewState, 5)
    call(interview, "add_referral", {"referral_name": "", "referral_email": "not an email",
                                     "may_use_name": "perhaps"})
    assert set(interview.errors) == {"referral_name", "referral_email", "may_use_name"}
    assert interview.referrals == []
    assert count(Contact, Contact.owner_id == student.user_id) == 1


def test_another_students_interview_cannot_be_opened(substate: Any, student: Student,
                                                     interview_id: int,
                                                     other: OtherStudent) -> None:
    before = other.rows()
    interview = open_step(substate, student, InterviewState, 5)
    call(interview, "choose_interview", str(other.interview_id))
    assert set(interview.errors) == {"interview"}
    assert interview.interview_id == interview_id
    assert "Eve" not in interview.notes + str(interview.questions)
    call(interview, "save_notes", other.interview_id, "Overwritten?")
    call(interview, "save_answer", other.interview_id, interview.questions[0]["question_id"],
         "Overwritten?")
    assert other.rows() == before


# --- step 6: follow-up -------------------------------------------------------------------

@pytest.fixture
def held_interview(student: Student, interview_id: int) -> list[dict[str, Any]]:
    """The student's interview recorded as held: its open follow-up tasks."""
    with db.session() as session:
        return interview_mode.complete_interview(session, student.user_id, interview_id,
                                                 will_report_back=False, today=HELD_ON)


def _task(tasks: list[dict[str, Any]], kind: FollowUpKind) -> int:
    return next(task["id"] for task in tasks if task["kind"] == kind.value)


def test_the_thank_you_note_completes_follow_up(substate: Any, student: Student,
                                                held_interview: list[dict[str, Any]]) -> None:
    follow_up = open_step(substate, student, FollowUpState, 6)
    assert {t["id"] for t in follow_up.tasks} == {t["id"] for t in held_interview}
    assert statuses(follow_up)[5] == "in progress"
    linkedin = _task(follow_up.tasks, FollowUpKind.LINKEDIN_CONNECT)
    call(follow_up, "snooze", linkedin, 7)
    assert linkedin not in [t["id"] for t in follow_up.tasks]
    assert stored(FollowUpTask, linkedin).snoozed_until is not None
    thank_you = _task(follow_up.tasks, FollowUpKind.THANK_YOU_NOTE)
    call(follow_up, "done", thank_you)
    assert follow_up.errors == {} and statuses(follow_up) == ["not started", "in progress",
                                                              "in progress", "done", "done",
                                                              "done"]
    assert stored(FollowUpTask, thank_you).status == FollowUpStatus.DONE
    assert stored(Contact, stored(FollowUpTask, thank_you).contact_id).stage == "thanked"
    call(follow_up, "skip", linkedin)
    assert stored(FollowUpTask, linkedin).status == FollowUpStatus.SKIPPED


def test_follow_up_refuses_bad_snoozes_and_task_ids(substate: Any, student: Student,
                                                    held_interview: list[dict[str, Any]]
                                                    ) -> None:
    follow_up = open_step(substate, student, FollowUpState, 6)
    task_id = _task(follow_up.tasks, FollowUpKind.THANK_YOU_NOTE)
    for days in (5, 0, True, "7", 10_000):
        call(follow_up, "snooze", task_id, days)
        assert set(follow_up.errors) == {"until"}, days
    for bad_id in ("abc", -1, 1.5, None):
        call(follow_up, "done", bad_id)
        assert list(follow_up.errors.values()) == ["Unknown record."], bad_id
    row = stored(FollowUpTask, task_id)
    assert (row.status, row.snoozed_until) == (FollowUpStatus.OPEN, None)
    assert statuses(follow_up)[5] == "in progress"


def test_another_students_tasks_cannot_be_touched(substate: Any, student: Student,
                                                  held_interview: list[dict[str, Any]],
                                                  other: OtherStudent) -> None:
    before = other.rows()
    follow_up = open_step(substate, student, FollowUpState, 6)
    assert not {t["id"] for t in follow_up.tasks} & set(other.task_ids)
    for task_id in other.task_ids:
        for handler, args in (("done", ()), ("skip", ()), ("snooze", (7,))):
            follow_up.errors = {}
            call(follow_up, handler, task_id, *args)
            assert follow_up.errors == {"form": "That follow-up no longer exists."}, handler
    assert other.rows() == before


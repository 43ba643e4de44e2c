"""Interview mode against a real database: answers, free notes, the checklist, the business
card, referrals and completing the interview (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from sqlmodel import Session, delete, select

from infoview_app.models import (
    Contact,
    ContactSource,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewAnswer,
    InterviewStatus,
    PipelineStage,
)
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.interview import interview_mode as notes
from tests.factories import HELD_AT, add_contact, add_interview, student, student_with_exploration
from tests.integration.helpers import HELD_ON, choose_questions, count

CARD = {"name": "Sam Okafor, DPT", "title": "Outpatient Physical Therapist",
        "organization": "Lakeside Sports Rehab", "email": "sam@lakeside.example",
        "phone": "(555) 013-2290", "mailing_address": "400 Lake St\nNorthfield, MN 55057"}


@pytest.fixture
def held(session: Session) -> tuple[int, Interview, list[int]]:
    """A student's interview with Sam Okafor and three questions chosen for its field."""
    owner, exploration = student_with_exploration(session, 1)
    sam = add_contact(session, owner, exploration, linkedin_url="linkedin.com/in/samokafor",
                      source="faculty")
    interview = add_interview(session, sam)
    return owner, interview, choose_questions(session, exploration, 3)


def _answers(session: Session, interview: Interview) -> list[tuple[int, str]]:
    return [(a.question_id, a.answer) for a in session.exec(
        select(InterviewAnswer).where(InterviewAnswer.interview_id == interview.id)
        .order_by(InterviewAnswer.id))]


def _tasks(session: Session, interview: Interview) -> dict[str, tuple[str, str]]:
    rows = session.exec(select(FollowUpTask).where(FollowUpTask.interview_id == interview.id))
    found: dict[str, tuple[str, str]] = {}
    for task in rows:
        assert task.kind not in found, f"two {task.kind} tasks"
        found[task.kind] = (task.due_on.isoformat(), task.status)
    return found


def test_sheet_has_chosen_questions_in_order_with_saved_answers(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, (first, second, third) = held
    notes.save_answer(session, owner, interview.id, second, "Mostly ACL rehab.")
    notes.save_free_notes(session, owner, interview.id, "Shadow 20+ hours.\n")
    sheet = notes.interview_sheet(session, owner, interview.id)
    assert [q["question_id"] for q in sheet["questions"]] == [first, second, third]
    assert [q["answer"] for q in sheet["questions"]] == ["", "Mostly ACL rehab.", ""]
    assert all(q["question"] for q in sheet["questions"])
    assert sheet["notes"] == "Shadow 20+ hours.\n"  # kept as typed, for autosave
    assert sheet["checklist"] == dict.fromkeys(notes.CHECKLIST_ITEMS, False)
    assert sheet["contact"]["name"] == "Sam Okafor" and "owner_id" not in sheet["contact"]
    assert sheet["card"]["captured"] is False
    assert sheet["exploration"]["field_name"] == "Physical therapy"
    assert sheet["interview"]["scheduled_at"].startswith("2026-03-04T15:00")


def test_save_answer_upserts_and_needs_a_chosen_or_answered_question(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, (first, second, _) = held
    notes.save_answer(session, owner, interview.id, first, "draft")
    notes.save_answer(session, owner, interview.id, str(first), "final words")
    assert _answers(session, interview) == [(first, "final words")]
    # An answered question no longer chosen keeps its note and can still be edited.
    session.exec(delete(ExplorationQuestion).where(ExplorationQuestion.question_id == first))
    session.commit()
    notes.save_answer(session, owner, interview.id, first, "edited later")
    sheet = notes.interview_sheet(session, owner, interview.id)
    assert [(q["question_id"], q["answer"]) for q in sheet["questions"]][-1] == (
        first, "edited later")
    unchosen = max(first, second) + 1000
    with pytest.raises(NotFound):
        notes.save_answer(session, owner, interview.id, unchosen, "x")
    assert _answers(session, interview) == [(first, "edited later")]
    with pytest.raises(InvalidInput) as bad:
        notes.save_answer(session, owner, interview.id, "abc", 42)
    assert set(bad.value.errors) == {"question_id", "answer"}


def test_notes_are_limited_to_20000_characters(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, (first, *_) = held
    longest = "é" * 20_000
    notes.save_answer(session, owner, interview.id, first, longest)
    notes.save_free_notes(session, owner, interview.id, longest)
    for too_long in ("x" * 20_001, "ok\x00"):
        with pytest.raises(InvalidInput):
            notes.save_answer(session, owner, interview.id, first, too_long)
        with pytest.raises(InvalidInput):
            notes.save_free_notes(session, owner, interview.id, too_long)
    session.refresh(interview)
    assert interview.notes == longest
    assert _answers(session, interview) == [(first, longest)]


def test_checklist_ticks_one_named_item(session: Session,
                                        held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    assert notes.set_checklist(session, owner, interview.id, "asked_for_card", True) == {
        "arrived_early": False, "asked_for_card": True, "thanked_them": False}
    assert notes.set_checklist(session, owner, interview.id, "asked_for_card", "false")[
        "asked_for_card"] is False
    for item in ("notes", "status", "business_card_captured"):
        with pytest.raises(InvalidInput):
            notes.set_checklist(session, owner, interview.id, item, True)
    session.refresh(interview)
    assert (interview.notes, interview.status) == ("", InterviewStatus.SCHEDULED)


def test_business_card_updates_the_contact_and_keeps_its_other_fields(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    result = notes.save_business_card(session, owner, interview.id, CARD)
    assert result["duplicate_warning"] == ""
    sam = session.get(Contact, interview.contact_id)
    assert sam is not None
    assert {k: getattr(sam, k) for k in CARD} == CARD
    assert (sam.source, sam.linkedin_url) == (ContactSource.FACULTY,
                                              "https://www.linkedin.com/in/samokafor")
    assert notes.interview_sheet(session, owner, interview.id)["card"]["captured"] is True
    # A field left out keeps its value; one sent empty is cleared.
    notes.save_business_card(session, owner, interview.id, {"phone": ""})
    session.refresh(sam)
    assert (sam.phone, sam.email) == ("", CARD["email"])


def test_invalid_business_card_reports_every_field_and_changes_nothing(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    with pytest.raises(InvalidInput) as bad:
        notes.save_business_card(session, owner, interview.id,
                                 {**CARD, "name": " ", "email": "sam@", "phone": "call me",
                                  "mailing_address": "x" * 301})
    assert set(bad.value.errors) == {"name", "email", "phone", "mailing_address"}
    sam = session.get(Contact, interview.contact_id)
    session.refresh(sam)
    session.refresh(interview)
    assert sam is not None and (sam.name, sam.email) == ("Sam Okafor", "")
    assert interview.business_card_captured is False


def test_business_card_warns_of_a_duplicate(session: Session,
                                            held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    sam = session.get(Contact, interview.contact_id)
    assert sam is not None and sam.exploration_id is not None
    add_contact(session, owner, sam.exploration_id, "S. Okafor", email="sam@lakeside.example")
    result = notes.save_business_card(session, owner, interview.id, CARD)
    assert result["duplicate_warning"] == "S. Okafor in your list has the same email."


def test_referral_becomes_a_contact_referred_by_the_interviewed_person(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    lee = notes.add_referral(session, owner, interview.id,
                             {"name": "Dana Lee", "organization": "Mercy Hospital",
                              "source": "family"}, True)
    kim = notes.add_referral(session, owner, interview.id, {"name": "Jo Kim"}, False)
    assert lee["duplicate_warning"] == kim["duplicate_warning"] == ""
    for added, permission in ((lee, True), (kim, False)):
        row = session.get(Contact, added["contact"]["id"])
        assert row is not None
        assert (row.owner_id, row.exploration_id, row.referred_by_id, row.source,
                row.may_use_referrer_name, row.stage) == (
            owner, interview.exploration_id, interview.contact_id, ContactSource.REFERRAL,
            permission, PipelineStage.IDENTIFIED)
    sheet = notes.interview_sheet(session, owner, interview.id)
    assert [(r["name"], r["may_use_referrer_name"]) for r in sheet["referrals"]] == [
        ("Dana Lee", True), ("Jo Kim", False)]
    again = notes.add_referral(session, owner, interview.id,
                               {"name": "dana lee", "organization": "MERCY HOSPITAL"}, False)
    assert again["duplicate_warning"] == (
        "Dana Lee in your list has the same name and organization.")


def test_invalid_referral_reports_every_field_and_adds_nothing(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    before = count(session, Contact)
    with pytest.raises(InvalidInput) as bad:
        notes.add_referral(session, owner, interview.id, {"name": "", "email": "x@"}, "maybe")
    assert set(bad.value.errors) == {"name", "email", "may_use_name"}
    assert count(session, Contact) == before


def test_completing_creates_the_follow_ups_once(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    tasks = notes.complete_interview(session, owner, interview.id, will_report_back=True,
                                     today=HELD_ON)
    expected = {FollowUpKind.LINKEDIN_CONNECT: ("2026-03-05", FollowUpStatus.OPEN),
                FollowUpKind.THANK_YOU_NOTE: ("2026-03-06", FollowUpStatus.OPEN),
                FollowUpKind.PROGRESS_UPDATE: ("2026-04-01", FollowUpStatus.OPEN)}
    assert _tasks(session, interview) == expected
    assert [(t["kind"], t["due_on"]) for t in tasks] == [
        (kind, due) for kind, (due, _) in sorted(expected.items(), key=lambda kv: kv[1])]
    session.refresh(interview)
    first_completed_at = interview.completed_at
    assert interview.status == InterviewStatus.COMPLETED and first_completed_at is not None
    assert interview.will_report_back is True
    assert session.get(Contact, interview.contact_id).stage == PipelineStage.INTERVIEWED
    again = notes.complete_interview(session, owner, interview.id, will_report_back=True,
                                     today=HELD_ON + timedelta(days=1))
    assert _tasks(session, interview) == expected
    assert [t["id"] for t in again] == [t["id"] for t in tasks]
    session.refresh(interview)
    assert interview.completed_at == first_completed_at


def test_progress_updates_only_when_the_student_will_report_back(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    notes.complete_interview(session, owner, interview.id, will_report_back=False,
                             today=HELD_ON)
    assert set(_tasks(session, interview)) == {FollowUpKind.LINKEDIN_CONNECT,
                                               FollowUpKind.THANK_YOU_NOTE}
    notes.complete_interview(session, owner, interview.id, will_report_back=True,
                             today=HELD_ON)
    assert _tasks(session, interview)[FollowUpKind.PROGRESS_UPDATE] == ("2026-04-01", "open")
    notes.complete_interview(session, owner, interview.id, will_report_back=False,
                             today=HELD_ON)
    assert FollowUpKind.PROGRESS_UPDATE not in _tasks(session, interview)
    session.refresh(interview)
    assert interview.will_report_back is False


def test_completing_again_never_brings_back_a_skipped_task_nor_lowers_the_stage(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    notes.complete_interview(session, owner, interview.id, will_report_back=True,
                             today=HELD_ON)
    linkedin = session.exec(select(FollowUpTask).where(
        FollowUpTask.interview_id == interview.id,
        FollowUpTask.kind == FollowUpKind.LINKEDIN_CONNECT)).one()
    linkedin.status = FollowUpStatus.SKIPPED
    sam = session.get(Contact, interview.contact_id)
    assert sam is not None
    sam.stage = PipelineStage.THANKED
    session.add_all([linkedin, sam])
    session.commit()
    open_tasks = notes.complete_interview(session, owner, interview.id,
                                          will_report_back=True, today=HELD_ON)
    assert FollowUpKind.LINKEDIN_CONNECT not in {t["kind"] for t in open_tasks}
    assert _tasks(session, interview)[FollowUpKind.LINKEDIN_CONNECT][1] == "skipped"
    session.refresh(sam)
    assert sam.stage == PipelineStage.THANKED


def test_an_interview_recorded_late_gets_no_overdue_task(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, _ = held
    late = HELD_ON + timedelta(days=10)
    notes.complete_interview(session, owner, interview.id, will_report_back=True, today=late)
    assert _tasks(session, interview) == {
        FollowUpKind.LINKEDIN_CONNECT: (late.isoformat(), "open"),
        FollowUpKind.THANK_YOU_NOTE: (late.isoformat(), "open"),
        FollowUpKind.PROGRESS_UPDATE: ("2026-04-01", "open")}


def test_an_interview_held_before_its_booked_date_counts_from_today(
        session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    moved = add_interview(session, add_contact(session, owner, exploration),
                          scheduled_at=HELD_AT + timedelta(days=7))
    notes.complete_interview(session, owner, moved.id, will_report_back=False, today=HELD_ON)
    assert _tasks(session, moved) == {
        FollowUpKind.LINKEDIN_CONNECT: ("2026-03-05", "open"),
        FollowUpKind.THANK_YOU_NOTE: ("2026-03-06", "open")}


def test_a_failed_save_leaves_nothing_behind(
        session: Session, held: tuple[int, Interview, list[int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """All or nothing: when the commit fails, the half-made changes are rolled back, so the
    session's next commit can't carry them in."""
    owner, interview, _ = held
    commit = session.commit

    def failing_commit() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(session, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        notes.complete_interview(session, owner, interview.id, will_report_back=True,
                                 today=HELD_ON)
    with pytest.raises(RuntimeError):
        notes.add_referral(session, owner, interview.id, {"name": "Dana Lee"}, True)
    monkeypatch.setattr(session, "commit", commit)
    notes.save_free_notes(session, owner, interview.id, "saved later")
    assert count(session, FollowUpTask) == 0
    assert count(session, Contact, Contact.name == "Dana Lee") == 0
    stored = session.exec(select(Interview.status, Interview.notes)
                          .where(Interview.id == interview.id)).one()
    assert tuple(stored) == (InterviewStatus.SCHEDULED, "saved later")
    assert session.get(Contact, interview.contact_id).stage == PipelineStage.IDENTIFIED


def test_a_cancelled_interview_cannot_be_completed(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    cancelled = add_interview(session, add_contact(session, owner, exploration),
                              status=InterviewStatus.CANCELLED)
    with pytest.raises(InvalidInput):
        notes.complete_interview(session, owner, cancelled.id, will_report_back=True,
                                 today=HELD_ON)
    assert count(session, FollowUpTask) == 0
    session.refresh(cancelled)
    assert cancelled.status == InterviewStatus.CANCELLED


def test_another_students_interview_reads_as_not_found_and_stays_unchanged(
        session: Session, held: tuple[int, Interview, list[int]]) -> None:
    owner, interview, (first, *_) = held
    notes.save_answer(session, owner, interview.id, first, "mine")
    intruder = student(session, 2)
    calls = [
        lambda i: notes.interview_sheet(session, intruder, i),
        lambda i: notes.save_answer(session, intruder, i, first, "theirs"),
        lambda i: notes.save_free_notes(session, intruder, i, "theirs"),
        lambda i: notes.set_checklist(session, intruder, i, "thanked_them", True),
        lambda i: notes.save_business_card(session, intruder, i, CARD),
        lambda i: notes.add_referral(session, intruder, i, {"name": "Spy"}, True),
        lambda i: notes.complete_interview(session, intruder, i, will_report_back=True,
                                           today=HELD_ON),
    ]
    contacts_before = count(session, Contact)
    for call in calls:
        for interview_id in (interview.id, 10**9):
            with pytest.raises(NotFound):
                call(interview_id)
    with pytest.raises(InvalidInput):
        notes.interview_sheet(session, owner, "1 OR 1=1")
    session.refresh(interview)
    assert (interview.notes, interview.thanked_them, interview.status,
            interview.business_card_captured) == ("", False, InterviewStatus.SCHEDULED, False)
    assert _answers(session, interview) == [(first, "mine")]
    assert count(session, Contact) == contacts_before
    assert session.get(Contact, interview.contact_id).name == "Sam Okafor"
    assert count(session, FollowUpTask) == 0


def test_a_foreign_question_id_cannot_be_answered(session: Session) -> None:
    """A question chosen in another student's exploration is not this interview's."""
    owner, exploration = student_with_exploration(session, 1)
    mine = add_interview(session, add_contact(session, owner, exploration))
    other, other_exploration = student_with_exploration(session, 2)
    (theirs,) = choose_questions(session, other_exploration, 1)
    with pytest.raises(NotFound):
        notes.save_answer(session, owner, mine.id, theirs, "x")
    assert count(session, InterviewAnswer) == 0
    assert count(session, Interview, Interview.owner_id == other) == 0

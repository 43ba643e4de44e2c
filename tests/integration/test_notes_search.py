"""Notes against a real database: a contact's notes page, search across a student's own
notes, and one interview as Markdown (SQLite and PostgreSQL)."""

from datetime import date, timedelta

import pytest
from markdown_it import MarkdownIt
from sqlmodel import Session

from infoview_app.models import Contact, Exploration, Interview, InterviewStatus
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.wording import MODE_LABELS, date_label
from infoview_app.services.interview import interview_mode
from infoview_app.services.notes import notes_view
from tests.factories import HELD_AT, add_contact, add_interview, student_with_exploration
from tests.integration.helpers import choose_questions


def _noted(session: Session, interview: Interview, free: str, answers: dict[int, str]
           ) -> None:
    owner = interview.owner_id
    interview_mode.save_free_notes(session, owner, interview.id, free)
    for question, text in answers.items():
        interview_mode.save_answer(session, owner, interview.id, question, text)


@pytest.fixture
def two_students(session: Session) -> dict:
    """Maya with two interviews of Sam (and one of Ana), Theo with a look-alike note."""
    maya, exploration = student_with_exploration(session, 1)
    q1, q2 = choose_questions(session, exploration, 2)
    sam = add_contact(session, maya, exploration, "Sam Okafor")
    ana = add_contact(session, maya, exploration, "Ana Ruiz")
    first = add_interview(session, sam, HELD_AT - timedelta(days=30),
                          status=InterviewStatus.COMPLETED)
    second = add_interview(session, sam, HELD_AT)
    with_ana = add_interview(session, ana, HELD_AT - timedelta(days=1))
    _noted(session, first, "Suggested SHADOWING for 20+ hours.", {q1: "Mostly ACL rehab."})
    _noted(session, second, "Follow-up chat.", {q2: "Shadowing at a clinic: ask early.",
                                                q1: ""})
    _noted(session, with_ana, "Ärzte and nurses share the floor; 100% teamwork.",
           {q1: "file_name of the form"})
    theo, theirs = student_with_exploration(session, 2)
    other = add_interview(session, add_contact(session, theo, theirs, "Theo's contact"))
    _noted(session, other, "Shadowing is key, says Theo's contact.", {})
    return {"maya": maya, "theo": theo, "sam": sam, "ana": ana, "first": first,
            "second": second, "with_ana": with_ana, "other": other, "q1": q1, "q2": q2}


def test_contact_notes_lists_every_interview_newest_first(session: Session,
                                                          two_students: dict) -> None:
    data = notes_view.contact_notes(session, two_students["maya"], two_students["sam"].id)
    assert data["contact"]["name"] == "Sam Okafor"
    assert [i["id"] for i in data["interviews"]] == [two_students["second"].id,
                                                     two_students["first"].id]
    newest, oldest = data["interviews"]
    assert (newest["notes"], newest["date"]) == ("Follow-up chat.", date_label(date(2026, 3, 4)))
    assert [a["answer"] for a in newest["answers"]] == ["Shadowing at a clinic: ask early."]
    assert [(a["question_id"], a["answer"]) for a in oldest["answers"]] == [
        (two_students["q1"], "Mostly ACL rehab.")]
    assert all(a["question"] for a in oldest["answers"])
    assert (oldest["status"], oldest["status_label"]) == ("completed", "Held")
    assert newest["status_label"] == "Scheduled"


def test_contact_notes_of_another_students_contact_is_not_found(
        session: Session, two_students: dict) -> None:
    # Even a stray interview of another student's pointing at this contact is not shown.
    stray = Interview(owner_id=two_students["theo"], contact_id=two_students["sam"].id,
                      exploration_id=two_students["sam"].exploration_id, scheduled_at=HELD_AT,
                      notes="not Maya's")
    session.add(stray)
    session.commit()
    data = notes_view.contact_notes(session, two_students["maya"], two_students["sam"].id)
    assert stray.id not in [i["id"] for i in data["interviews"]]
    with pytest.raises(NotFound):
        notes_view.contact_notes(session, two_students["theo"], two_students["sam"].id)
    with pytest.raises(InvalidInput):
        notes_view.contact_notes(session, two_students["maya"], "sam")


def test_search_finds_own_notes_and_answers_case_insensitively(
        session: Session, two_students: dict) -> None:
    found = notes_view.search_notes(session, two_students["maya"], "  shadowing ")
    assert [(r["interview_id"], r["question_id"]) for r in found] == [
        (two_students["second"].id, two_students["q2"]), (two_students["first"].id, None)]
    answer, free = found
    assert answer["match"] == "Shadowing" and free["match"] == "SHADOWING"
    assert free["where"] == "Notes" and answer["where"] not in ("", "Notes")
    assert free["snippet"] == "Suggested SHADOWING for 20+ hours."
    assert (free["contact_name"], free["date"], free["field_name"]) == (
        "Sam Okafor", date_label(date(2026, 2, 2)), "Physical therapy")
    assert notes_view.search_notes(session, two_students["maya"], "ärzte")[0]["match"] == "Ärzte"
    assert [r["where"] for r in notes_view.search_notes(session, two_students["maya"], "ACL")] != []


def test_the_students_interviews_are_listed_newest_first(session: Session,
                                                          two_students: dict) -> None:
    listed = notes_view.interview_list(session, two_students["maya"])
    assert [(i["id"], i["contact_name"]) for i in listed] == [
        (two_students["second"].id, "Sam Okafor"), (two_students["with_ana"].id, "Ana Ruiz"),
        (two_students["first"].id, "Sam Okafor")]
    assert (listed[2]["date"], listed[2]["status_label"], listed[2]["field_name"]) == (
        date_label(date(2026, 2, 2)), "Held", "Physical therapy")
    assert listed[2]["contact_id"] == two_students["sam"].id
    assert [i["id"] for i in notes_view.interview_list(session, two_students["theo"])] == [
        two_students["other"].id]


def test_search_covers_research_notes_after_interview_notes(session: Session,
                                                            two_students: dict) -> None:
    maya = two_students["maya"]
    exploration = session.get(Exploration, two_students["sam"].exploration_id)
    assert exploration is not None
    exploration.research_notes = "## Pay\nShadowing hours count for admission."
    session.add(exploration)
    session.commit()
    found = notes_view.search_notes(session, maya, "shadowing")
    assert [(r["interview_id"], r["where"]) for r in found][-1] == (0, "Research notes")
    research = found[-1]
    assert (research["exploration_id"], research["contact_id"], research["match"]) == (
        exploration.id, 0, "Shadowing")
    assert research["field_name"] == "Physical therapy" and len(found) == 3
    # Only one's own research notes.
    assert notes_view.search_notes(session, two_students["theo"], "admission") == []


def test_search_never_shows_another_students_notes(session: Session,
                                                   two_students: dict) -> None:
    theirs = notes_view.search_notes(session, two_students["theo"], "shadowing")
    assert [r["interview_id"] for r in theirs] == [two_students["other"].id]
    assert notes_view.search_notes(session, two_students["theo"], "ACL rehab") == []
    mine = notes_view.search_notes(session, two_students["maya"], "says Theo")
    assert mine == []


def test_search_treats_percent_and_underscore_literally(session: Session,
                                                        two_students: dict) -> None:
    maya = two_students["maya"]
    assert [r["match"] for r in notes_view.search_notes(session, maya, "100%")] == ["100%"]
    assert notes_view.search_notes(session, maya, "%") != []  # "100%" holds one
    assert notes_view.search_notes(session, maya, "10_%") == []
    assert notes_view.search_notes(session, maya, "S%ING") == []
    found = notes_view.search_notes(session, maya, "file_name")
    assert [r["match"] for r in found] == ["file_name"]
    assert notes_view.search_notes(session, maya, "file_nam_") == []


def test_search_limits_its_query_and_results(session: Session, two_students: dict) -> None:
    maya = two_students["maya"]
    assert notes_view.search_notes(session, maya, "") == []
    assert notes_view.search_notes(session, maya, "   ") == []
    assert notes_view.search_notes(session, maya, None) == []
    assert notes_view.search_notes(session, maya, "x" * 100) == []
    with pytest.raises(InvalidInput) as too_long:
        notes_view.search_notes(session, maya, "x" * 101)
    assert too_long.value.field == "query"
    assert len(notes_view.search_notes(session, maya, "a", limit=2)) == 2
    assert len(notes_view.search_notes(session, maya, "a")) > 2
    for bad in (0, notes_view.LIMIT_MAX + 1, "5", True):
        with pytest.raises(InvalidInput):
            notes_view.search_notes(session, maya, "a", limit=bad)


def test_interview_markdown_is_the_interview_with_user_text_escaped(
        session: Session, two_students: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOVIEW_TIME_ZONE", "America/Chicago")  # the institution's zone
    maya, first = two_students["maya"], two_students["first"]
    sam = session.get(Contact, first.contact_id)
    assert sam is not None
    sam.title, sam.organization = "PT *lead*", "Lakeside <Rehab>"
    session.add(sam)
    session.commit()
    interview_mode.save_free_notes(session, maya, first.id,
                                   "# Not a heading\n- not a list\n\n[link](http://x)")
    filename, markdown = notes_view.interview_markdown(session, maya, first.id)
    assert filename == "interview-sam-okafor-2026-02-02.md"
    assert markdown.startswith("# Informational interview with Sam Okafor\n")
    # 15:00 UTC in the institution's zone, with the year: a file outlives the year.
    assert "- **Date:** Mon 2 Feb 2026, 9 am\n" in markdown
    assert r"- **Contact:** Sam Okafor, PT \*lead\*, Lakeside \<Rehab\>" in markdown
    assert "- **Field:** Physical therapy" in markdown
    # The same words as the pages: core/wording's labels, not the stored values.
    assert "- **Status:** Held\n" in markdown
    assert first.status.value not in markdown and first.mode.value not in markdown
    assert "UTC" not in markdown
    assert (f"- **Format:** {MODE_LABELS[first.mode]}, {first.duration_minutes} minutes\n"
            in markdown)
    assert "Mostly ACL rehab." in markdown
    assert markdown.count("### ") == 1  # only the answered question
    assert "\\# Not a heading\\\n\\- not a list\n\n\\[link\\](http://x)" in markdown
    rendered = MarkdownIt("commonmark").render(markdown)
    assert "<em>" not in rendered and "<a " not in rendered and "<Rehab>" not in rendered
    assert rendered.count("<h1>") == 1 and rendered.count("<h3>") == 1


def test_interview_markdown_without_notes_or_a_plain_name(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    interview = add_interview(session, add_contact(session, owner, exploration, "李 明"))
    filename, markdown = notes_view.interview_markdown(session, owner, interview.id)
    assert filename == f"interview-{interview.id}.md"
    assert "## Questions" not in markdown and "_No notes._" in markdown


def test_interview_markdown_of_another_students_interview_is_not_found(
        session: Session, two_students: dict) -> None:
    with pytest.raises(NotFound):
        notes_view.interview_markdown(session, two_students["theo"], two_students["first"].id)

"""Step 3's introduction and step 1's research notes against SQLite and PostgreSQL: owner
scoping, validation, when the pitch follows its parts, and notes shown safely."""

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from infoview_app.models import Exploration
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.prepare import pitch_store
from infoview_app.services.prepare.pitch_rules import PART_MAX, PITCH_MAX
from infoview_app.services.research import field_research
from tests.factories import student_with_exploration

PARTS = {
    "who_i_am": "hi, I'm Ana Lopez, a second-year student at State",
    "what_i_study": "I study environmental engineering",
    "why_this_field": "I want to help towns get clean water!",
    "why_this_person": "I read your article on river restoration",
}
COMPOSED = ("Hi, I'm Ana Lopez, a second-year student at State. I study environmental "
            "engineering. I want to help towns get clean water! I read your article on river "
            "restoration.")


def _stored(session: Session, exploration_id: int) -> dict[str, Any]:
    """The exploration's step 3 columns as the database holds them (not the session's
    copy)."""
    row = session.exec(select(
        Exploration.pitch, Exploration.pitch_who_i_am, Exploration.pitch_what_i_study,
        Exploration.pitch_why_this_field, Exploration.pitch_why_this_person,
        Exploration.research_notes, Exploration.updated_at,
    ).where(Exploration.id == exploration_id)).one()
    return dict(row._mapping)


def words(count: int) -> str:
    return " ".join(["word"] * count)


# --- The introduction ---------------------------------------------------------------------

def test_a_new_exploration_has_an_empty_introduction(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    assert pitch_store.get_pitch(session, owner, exploration) == {
        "who_i_am": "", "what_i_study": "", "why_this_field": "", "why_this_person": "",
        "pitch": "", "composed": "", "edited": False,
        "timing": {"words": 0, "seconds": 0.0, "verdict": "too short",
                   "message": "Write a few sentences to time your introduction."},
        "job_words": [],
    }


def test_saving_the_parts_composes_and_stores_the_pitch(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    result = pitch_store.save_pitch_parts(session, owner, exploration, PARTS)
    assert result["pitch"] == result["composed"] == COMPOSED
    assert result["edited"] is False
    assert result["who_i_am"] == PARTS["who_i_am"]
    assert result["timing"] == {"words": 29, "seconds": 11.6, "verdict": "too short",
                                "message": "About 12 seconds: a little short. Aim for 15 to "
                                           "30 seconds."}
    stored = _stored(session, exploration)
    assert stored["pitch"] == COMPOSED
    assert [stored[f"pitch_{name}"] for name in PARTS] == list(PARTS.values())
    assert pitch_store.get_pitch(session, owner, exploration) == result


def test_a_part_left_out_keeps_its_saved_text(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    pitch_store.save_pitch_parts(session, owner, exploration, PARTS)
    result = pitch_store.save_pitch_parts(session, owner, exploration,
                                          {"why_this_person": "  Your talk at State inspired me. "})
    assert result["why_this_person"] == "Your talk at State inspired me."
    assert result["who_i_am"] == PARTS["who_i_am"]
    assert result["pitch"].endswith("clean water! Your talk at State inspired me.")
    assert _stored(session, exploration)["pitch"] == result["pitch"]


def test_a_hand_edited_pitch_is_kept_when_the_parts_change(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    pitch_store.save_pitch_parts(session, owner, exploration, PARTS)
    edited = pitch_store.save_pitch(session, owner, exploration, "  My own words, said my way. ")
    assert edited["pitch"] == "My own words, said my way."
    assert edited["edited"] is True
    result = pitch_store.save_pitch_parts(session, owner, exploration,
                                          {"what_i_study": "I study civil engineering."})
    assert result["pitch"] == "My own words, said my way."
    assert result["edited"] is True
    assert "civil engineering" in result["composed"]
    assert _stored(session, exploration)["pitch"] == "My own words, said my way."
    # On request, the parts replace the edit; from then on the pitch follows them again.
    rebuilt = pitch_store.recompose_pitch(session, owner, exploration)
    assert rebuilt["pitch"] == rebuilt["composed"] and rebuilt["edited"] is False
    assert "civil engineering" in _stored(session, exploration)["pitch"]
    again = pitch_store.save_pitch_parts(session, owner, exploration, {"who_i_am": "I'm Ana."})
    assert again["pitch"].startswith("I'm Ana. I study civil engineering.")


def test_recomposing_from_empty_parts_is_refused_and_keeps_the_pitch(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    pitch_store.save_pitch(session, owner, exploration, "Written straight away.")
    with pytest.raises(InvalidInput) as error:
        pitch_store.recompose_pitch(session, owner, exploration)
    assert error.value.field == "parts"
    assert _stored(session, exploration)["pitch"] == "Written straight away."


def test_clearing_the_pitch_lets_the_parts_compose_it_again(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    pitch_store.save_pitch_parts(session, owner, exploration, PARTS)
    pitch_store.save_pitch(session, owner, exploration, "Edited by hand.")
    cleared = pitch_store.save_pitch(session, owner, exploration, "   ")
    assert cleared["pitch"] == "" and cleared["edited"] is False
    result = pitch_store.save_pitch_parts(session, owner, exploration, {})
    assert result["pitch"] == COMPOSED


def test_a_pitch_typed_to_equal_the_composition_follows_the_parts(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    pitch_store.save_pitch_parts(session, owner, exploration, {"who_i_am": "I'm Ana."})
    pitch_store.save_pitch(session, owner, exploration, "Something else.")
    assert pitch_store.save_pitch(session, owner, exploration, "I'm Ana.")["edited"] is False
    result = pitch_store.save_pitch_parts(session, owner, exploration, {"who_i_am": "I'm Bo."})
    assert result["pitch"] == "I'm Bo."


@pytest.mark.parametrize(("count", "seconds", "verdict"), [
    (37, 14.8, "too short"), (38, 15.2, "good"), (75, 30.0, "good"), (76, 30.4, "too long")])
def test_the_pitch_is_timed_at_150_words_a_minute(session: Session, count: int,
                                                   seconds: float, verdict: str) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    timing = pitch_store.save_pitch(session, owner, exploration, words(count))["timing"]
    assert (timing["words"], timing["seconds"], timing["verdict"]) == (count, seconds, verdict)


def test_wording_that_asks_for_a_job_is_flagged(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    result = pitch_store.save_pitch(session, owner, exploration,
                                    "I'm Ana. Are you hiring? I'd love to send my résumé.")
    assert [hint["term"] for hint in result["job_words"]] == ["hiring", "résumé"]
    assert all(hint["suggestion"] for hint in result["job_words"])


def test_invalid_parts_are_all_reported_and_nothing_changes(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    pitch_store.save_pitch_parts(session, owner, exploration, PARTS)
    before = _stored(session, exploration)
    with pytest.raises(InvalidInput) as error:
        pitch_store.save_pitch_parts(session, owner, exploration, {
            "who_i_am": "x" * (PART_MAX + 1), "what_i_study": 42,
            "why_this_field": "fine", "why_this_person": "y" * (PART_MAX + 1)})
    assert set(error.value.errors) == {"who_i_am", "what_i_study", "why_this_person"}
    assert error.value.errors["what_i_study"] == "What I study must be text."
    assert _stored(session, exploration) == before


@pytest.mark.parametrize("parts", [["who_i_am", "Ana"], "who_i_am=Ana", None,
                                   {"who_i_am": "Ana", "extra": "x"}, {1: "Ana"}])
def test_parts_that_are_not_a_form_of_the_four_parts_are_refused(session: Session,
                                                                 parts: Any) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    with pytest.raises(InvalidInput) as error:
        pitch_store.save_pitch_parts(session, owner, exploration, parts)
    assert error.value.field == "parts"
    assert _stored(session, exploration)["pitch_who_i_am"] == ""


@pytest.mark.parametrize("bad", ["a\x00b", "lone \ud800 surrogate"])
def test_characters_a_database_cannot_hold_are_refused_not_crashed_on(session: Session,
                                                                      bad: str) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    with pytest.raises(InvalidInput) as error:
        pitch_store.save_pitch_parts(session, owner, exploration, {"who_i_am": "ok",
                                                                   "why_this_person": bad})
    assert set(error.value.errors) == {"why_this_person"}
    for save, field in ((pitch_store.save_pitch, "pitch"),
                        (field_research.save_research_notes, "research_notes")):
        with pytest.raises(InvalidInput) as error:
            save(session, owner, exploration, bad)
        assert error.value.field == field
    stored = _stored(session, exploration)
    assert (stored["pitch"], stored["pitch_who_i_am"], stored["research_notes"]) == ("", "", "")
    # The session is still usable: nothing failed half-way in the database.
    assert pitch_store.save_pitch(session, owner, exploration, "Fine.")["pitch"] == "Fine."


@pytest.mark.parametrize("text", ["x" * (PITCH_MAX + 1), 42, ["pitch"], {"text": "x"}])
def test_an_invalid_pitch_is_refused_and_nothing_changes(session: Session, text: Any) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    pitch_store.save_pitch(session, owner, exploration, "Kept.")
    with pytest.raises(InvalidInput) as error:
        pitch_store.save_pitch(session, owner, exploration, text)
    assert error.value.field == "pitch"
    assert _stored(session, exploration)["pitch"] == "Kept."


def test_the_longest_pitch_is_accepted(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    text = ("word " * (PITCH_MAX // 5)).strip()[:PITCH_MAX]
    assert pitch_store.save_pitch(session, owner, exploration, "x" * PITCH_MAX)["pitch"] == (
        "x" * PITCH_MAX)
    assert pitch_store.save_pitch(session, owner, exploration, text)["timing"]["verdict"] == (
        "too long")


# --- Owner scoping ------------------------------------------------------------------------

CALLS: dict[str, Callable[[Session, int, Any], Any]] = {
    "get_pitch": pitch_store.get_pitch,
    "save_pitch_parts": lambda s, o, e: pitch_store.save_pitch_parts(s, o, e, {"who_i_am": "Eve"}),
    "save_pitch": lambda s, o, e: pitch_store.save_pitch(s, o, e, "Hijacked."),
    "recompose_pitch": pitch_store.recompose_pitch,
    "save_research_notes": lambda s, o, e: field_research.save_research_notes(s, o, e, "Hijacked"),
    "get_research_notes": field_research.get_research_notes,
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_another_students_exploration_reads_as_not_found(session: Session,
                                                         call: Callable[..., Any]) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    intruder, _ = student_with_exploration(session, 2, "Environmental work")
    pitch_store.save_pitch_parts(session, owner, exploration, PARTS)
    pitch_store.save_pitch(session, owner, exploration, "Mine, edited.")
    field_research.save_research_notes(session, owner, exploration, "My notes")
    before = _stored(session, exploration)
    with pytest.raises(NotFound):
        call(session, intruder, exploration)
    with pytest.raises(NotFound):
        call(session, owner, exploration + 1000)
    assert _stored(session, exploration) == before


@pytest.mark.parametrize("exploration_id", ["abc", -1, 0, True, 1.5, None, [1]])
def test_a_malformed_exploration_id_is_invalid_input(session: Session,
                                                     exploration_id: Any) -> None:
    owner, _ = student_with_exploration(session, 1, "Environmental work")
    with pytest.raises(InvalidInput) as error:
        pitch_store.get_pitch(session, owner, exploration_id)
    assert error.value.field == "exploration_id"


def test_an_exploration_id_may_arrive_as_a_string(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    assert pitch_store.save_pitch(session, owner, str(exploration), "Hello.")["pitch"] == "Hello."


# --- Research notes -----------------------------------------------------------------------

def test_notes_are_stored_as_typed_and_shown_as_html(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    typed = "# Water engineers\n\n    indented\n\n* [BLS](https://www.bls.gov/ooh/)\n\n"
    assert field_research.save_research_notes(session, owner, exploration, typed) is None
    assert _stored(session, exploration)["research_notes"] == typed
    notes = field_research.get_research_notes(session, owner, exploration)
    assert notes["text"] == typed
    assert notes["html"] == field_research.research_notes_html(typed)
    assert "<h1>Water engineers</h1>" in notes["html"]
    assert ('<a href="https://www.bls.gov/ooh/" target="_blank" '
            'rel="nofollow noopener noreferrer">BLS</a>') in notes["html"]


def test_dangerous_notes_are_kept_as_text_and_shown_inert(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    typed = ("<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
             "<img src=x onerror=alert(1)>")
    field_research.save_research_notes(session, owner, exploration, typed)
    html = field_research.get_research_notes(session, owner, exploration)["html"]
    assert _stored(session, exploration)["research_notes"] == typed
    assert html == ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
                    "<p>[x](javascript:alert(1))</p>\n"
                    "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n")


def test_notes_at_the_limit_are_kept_and_beyond_it_refused(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    longest = "n" * field_research.RESEARCH_NOTES_MAX
    field_research.save_research_notes(session, owner, exploration, longest)
    with pytest.raises(InvalidInput) as error:
        field_research.save_research_notes(session, owner, exploration,
                                           "m" * (field_research.RESEARCH_NOTES_MAX + 1))
    assert error.value.message == "Research notes: 20,000 characters at most; this is 20,001."
    with pytest.raises(InvalidInput):
        field_research.save_research_notes(session, owner, exploration, 12)
    with pytest.raises(InvalidInput):
        field_research.save_research_notes(session, owner, exploration, None)
    assert _stored(session, exploration)["research_notes"] == longest


def test_autosaving_unchanged_notes_writes_nothing(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Environmental work")
    field_research.save_research_notes(session, owner, exploration, "Draft")
    saved_at = _stored(session, exploration)["updated_at"]
    field_research.save_research_notes(session, owner, exploration, "Draft")
    assert _stored(session, exploration)["updated_at"] == saved_at
    field_research.save_research_notes(session, owner, exploration, "Draft 2")
    assert _stored(session, exploration)["updated_at"] > saved_at

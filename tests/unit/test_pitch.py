"""The introduction: composing it from four parts, counting its words, timing it."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.prepare.pitch_rules import (
    GOOD_WORDS,
    PART_MAX,
    PITCH_MAX,
    PitchParts,
    PitchVerdict,
    compose_pitch,
    pitch_timing,
    speaking_seconds,
    word_count,
    word_spans,
)


def words(count: int) -> str:
    return " ".join(["word"] * count)


# --- PitchParts and compose_pitch ---------------------------------------------------------

def test_parts_are_trimmed_and_may_be_empty() -> None:
    parts = PitchParts(who_i_am="  I'm Ana.  ", what_i_study="")
    assert parts.who_i_am == "I'm Ana."
    assert parts.what_i_study == ""
    assert PitchParts().why_this_person == ""


def test_a_part_sent_as_null_is_refused_beside_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        PitchParts(who_i_am="I'm Ana.", what_i_study=None)  # type: ignore[arg-type]
    assert refused.value.errors == {"what_i_study": "What I study must be text."}


@pytest.mark.parametrize("name", ["who_i_am", "what_i_study", "why_this_field",
                                  "why_this_person"])
def test_each_part_is_at_most_400_characters(name: str) -> None:
    assert getattr(PitchParts(**{name: "x" * PART_MAX}), name) == "x" * PART_MAX
    with pytest.raises(InvalidInput) as error:
        PitchParts(**{name: "x" * (PART_MAX + 1)})
    assert error.value.field == name
    assert "400 characters at most; this is 401." in error.value.message


def test_every_overlong_part_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        PitchParts(who_i_am="x" * 401, why_this_person="y" * 401, what_i_study=42)  # type: ignore[arg-type]
    assert set(error.value.errors) == {"who_i_am", "why_this_person", "what_i_study"}
    assert error.value.errors["what_i_study"] == "What I study must be text."


def test_compose_joins_the_parts_in_order_as_sentences() -> None:
    parts = PitchParts(
        who_i_am="Hi, I'm Ana Lopez, a second-year student at State",
        what_i_study="I study environmental engineering.",
        why_this_field="I want to help towns get clean water!",
        why_this_person="I read your article on river restoration",
    )
    assert compose_pitch(parts) == (
        "Hi, I'm Ana Lopez, a second-year student at State. "
        "I study environmental engineering. "
        "I want to help towns get clean water! "
        "I read your article on river restoration."
    )


def test_compose_skips_empty_parts_and_tidies_each_one() -> None:
    parts = PitchParts(who_i_am="i'm   Ana,\n a junior ,", why_this_field="   ",
                       why_this_person="why not?")
    assert compose_pitch(parts) == "I'm Ana, a junior. Why not?"
    assert compose_pitch(PitchParts()) == ""


@pytest.mark.parametrize(("part", "sentence"), [
    ("I love it", "I love it."),
    ("I love it.", "I love it."),
    ("Really?", "Really?"),
    ("And then…", "And then…"),
    ('She said "go for it!"', 'She said "go for it!"'),
    ("(see my portfolio)", "(see my portfolio)."),
    ("I study: ", "I study."),
    ("ábaco first", "Ábaco first."),
    ("3D printing is my thing", "3D printing is my thing."),
    ("I know - ", "I know."),
])
def test_compose_punctuates_a_single_part(part: str, sentence: str) -> None:
    assert compose_pitch(PitchParts(what_i_study=part)) == sentence


# Text a database can store (no NUL, no lone surrogates: those are refused as input).
STORABLE_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
STORABLE_TEXT = st.text(STORABLE_CHARACTERS, max_size=PART_MAX)


@given(st.lists(STORABLE_TEXT, min_size=4, max_size=4))
def test_compose_keeps_every_word_and_stays_within_the_pitch_limit(texts: list[str]) -> None:
    parts = PitchParts(*texts)
    pitch = compose_pitch(parts)
    assert len(pitch) <= PITCH_MAX
    assert word_count(pitch) == sum(word_count(text) for text in texts)
    assert pitch == pitch.strip()
    assert "  " not in pitch


# --- word_count ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "count"), [
    ("", 0),
    ("   \n\t ", 0),
    ("Hello", 1),
    ("Hello, world!", 2),
    ("  multiple   spaces\n\tand\nlines  ", 4),
    ("don't", 1),
    ("don\u2019t stop", 2),
    ("rock 'n' roll", 3),
    ("the students' lounge", 3),
    ("'quoted'", 1),
    ("''' -- ...", 0),
    ("e-mail", 2),
    ("well...done", 2),
    ("I 🎓 love 🌊🌊 water", 3),
    ("🎓🎓", 0),
    ("résumé", 1),
    ("re\u0301sume\u0301 and cafe\u0301", 3),  # accents as combining marks
    ("Class of 2027, GPA 3.9", 6),
    ("naïve Zoë Ünïcode", 3),
    ("中文 text", 2),
    ("a_b", 2),
])
def test_word_count(text: str, count: int) -> None:
    assert word_count(text) == count


def test_word_spans_leave_out_surrounding_apostrophes() -> None:
    text = "'Hi' there, students' lounge"
    assert [text[start:end] for start, end in word_spans(text)] == [
        "Hi", "there", "students", "lounge"]


_WORD = st.text(alphabet=st.characters(categories=["L", "Nd"]), min_size=1, max_size=12)
_SEPARATOR = st.text(alphabet=" \n\t,.;:!?-—()\"🎓👋", min_size=1, max_size=4)


@given(st.lists(st.tuples(_WORD, _SEPARATOR), max_size=30))
def test_words_are_counted_whatever_separates_them(pairs: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in pairs)
    assert word_count(text) == len(pairs)


@given(st.text(), st.text())
def test_word_count_adds_up_across_a_space(first: str, second: str) -> None:
    assert word_count(f"{first} {second}") == word_count(first) + word_count(second)
    assert 0 <= word_count(first) <= len(first)


@given(st.text())
def test_word_spans_are_in_order_and_inside_the_text(text: str) -> None:
    previous_end = 0
    for start, end in word_spans(text):
        assert previous_end <= start < end <= len(text)
        previous_end = end


# --- speaking_seconds and pitch_timing ------------------------------------------------------

def test_speaking_seconds_at_150_words_a_minute() -> None:
    assert speaking_seconds(words(150)) == 60.0
    assert speaking_seconds(words(75)) == 30.0
    assert speaking_seconds(words(1)) == pytest.approx(0.4)
    assert speaking_seconds("") == 0.0
    assert speaking_seconds(words(150), words_per_minute=100) == 90.0


@pytest.mark.parametrize("rate", [0, -150, math.nan, math.inf])
def test_speaking_rate_must_be_positive(rate: float) -> None:
    with pytest.raises(ValueError, match="words_per_minute"):
        speaking_seconds("hello", words_per_minute=rate)


@pytest.mark.parametrize(("count", "seconds", "verdict", "message"), [
    (1, 0.4, "too short", "About 1 second: a little short. Aim for 15 to 30 seconds."),
    (22, 8.8, "too short", "About 9 seconds: a little short. Aim for 15 to 30 seconds."),
    (37, 14.8, "too short", "About 14 seconds: a little short. Aim for 15 to 30 seconds."),
    (38, 15.2, "good", "About 15 seconds: a good length."),
    (55, 22.0, "good", "About 22 seconds: a good length."),
    (62, 24.8, "good", "About 25 seconds: a good length."),
    (75, 30.0, "good", "About 30 seconds: a good length."),
    (76, 30.4, "too long", "About 31 seconds: too long. Trim it to 30 seconds or less."),
    (100, 40.0, "too long", "About 40 seconds: too long. Trim it to 30 seconds or less."),
])
def test_pitch_timing(count: int, seconds: float, verdict: str, message: str) -> None:
    timing = pitch_timing(words(count))
    assert (timing.words, timing.seconds, timing.verdict, timing.message) == (
        count, seconds, verdict, message)


def test_the_word_range_in_the_hint_is_a_good_length() -> None:
    """The hint beside the pitch says "roughly 40-75 words": both ends time as good."""
    assert GOOD_WORDS == (40, 75)
    assert {pitch_timing(words(count)).verdict for count in GOOD_WORDS} == {PitchVerdict.GOOD}


def test_an_empty_pitch_asks_for_words() -> None:
    timing = pitch_timing("  \n ")
    assert (timing.words, timing.seconds, timing.verdict) == (0, 0.0, PitchVerdict.TOO_SHORT)
    assert timing.message == "Write a few sentences to time your introduction."


def test_seconds_are_rounded_to_one_decimal() -> None:
    assert pitch_timing(words(7)).seconds == 2.8  # 2.8000000000000003 unrounded


def test_pitch_is_at_most_2000_characters() -> None:
    assert pitch_timing("a " * 1000).words == 1000  # 1,999 characters once trimmed
    for bad in ["a" * (PITCH_MAX + 1), 42, ["a"]]:
        with pytest.raises(InvalidInput) as error:
            pitch_timing(bad)  # type: ignore[arg-type]
        assert error.value.field == "pitch"


@given(st.text(STORABLE_CHARACTERS, max_size=PITCH_MAX))
def test_verdict_and_message_always_agree(text: str) -> None:
    timing = pitch_timing(text)
    assert timing.seconds == round(timing.words * 0.4, 1)
    if timing.words == 0:
        assert timing.verdict == PitchVerdict.TOO_SHORT
        return
    shown = int(timing.message.split()[1])
    if timing.seconds < 15:
        assert timing.verdict == PitchVerdict.TOO_SHORT and 1 <= shown <= 14
    elif timing.seconds > 30:
        assert timing.verdict == PitchVerdict.TOO_LONG and shown >= 31
    else:
        assert timing.verdict == PitchVerdict.GOOD and 15 <= shown <= 30
    assert abs(shown - timing.seconds) < 1

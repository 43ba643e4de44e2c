"""Step 3, Prepare: the student's 15-30 second introduction, composed from four parts and
timed at an ordinary speaking pace."""

import math
import unicodedata
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import partial
from itertools import groupby

from infoview_app.services.core import validation as check
from infoview_app.services.core.wording import plural

PART_MAX = 400
PITCH_MAX = 2000
WORDS_PER_MINUTE = 150
GOOD_SECONDS = (15, 30)
# The same target in words at that pace, rounded to fives for the hint beside the pitch.
GOOD_WORDS = tuple(5 * math.floor(seconds * WORDS_PER_MINUTE / 60 / 5 + 0.5)
                   for seconds in GOOD_SECONDS)

# Apostrophes inside a word: straight, right single quote (U+2019), modifier letter (U+02BC).
APOSTROPHES = "'\u2019\u02bc"
_END_PUNCTUATION = ".!?\u2026"
_CLOSERS = "\"')]\u2019\u201d\u00bb"


@dataclass(frozen=True)
class PitchParts:
    """The four parts of an introduction, each the student's own words (a sentence or two).

    Built from browser input: each part is trimmed and at most ``PART_MAX`` characters, or
    InvalidInput names every part that is too long.
    """

    who_i_am: str = ""
    what_i_study: str = ""
    why_this_field: str = ""
    why_this_person: str = ""

    def __post_init__(self) -> None:
        labels = {"who_i_am": "Who I am", "what_i_study": "What I study",
                  "why_this_field": "Why this field", "why_this_person": "Why this person"}
        clean = check.form(dict[str, str], **{
            part.name: partial(check.text, getattr(self, part.name), part.name,
                               max_length=PART_MAX, required=False, label=labels[part.name],
                               none_is_empty=False)
            for part in fields(self)
        })
        for name, value in clean.items():
            object.__setattr__(self, name, value)


def _as_sentence(part: str) -> str:
    """One part as a sentence: single spaces, a capital first letter, end punctuation."""
    sentence = " ".join(part.split()).rstrip(",;:-\u2013\u2014 ")
    first = sentence[:1]
    if first and unicodedata.category(first) == "Ll" and len(first.upper()) == 1:
        sentence = first.upper() + sentence[1:]
    if sentence and sentence.rstrip(_CLOSERS)[-1:] not in _END_PUNCTUATION:
        sentence += "."
    return sentence


def compose_pitch(parts: PitchParts) -> str:
    """The introduction as running text, parts in order, empty parts skipped.

    The parts are kept in the student's own words (no template phrases that could read
    twice, as in "I'm I'm Ana"); only spacing, the first capital and the full stop are
    tidied.
    """
    sentences = (_as_sentence(getattr(parts, part.name)) for part in fields(parts))
    return " ".join(sentence for sentence in sentences if sentence)


def _is_word_char(char: str) -> bool:
    return char in APOSTROPHES or unicodedata.category(char)[0] in "LMN"


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word: a run of letters (with their accents), digits and
    apostrophes, trimmed of apostrophes at either end, holding at least one letter or digit.

    Punctuation, hyphens, emoji and spaces separate words; "don't" is one word, "e-mail" two.
    """
    spans: list[tuple[int, int]] = []
    runs = groupby(enumerate(text), key=lambda item: _is_word_char(item[1]))
    for is_word, run in runs:
        if not is_word:
            continue
        chars = list(run)
        start = chars[0][0]
        text_run = "".join(char for _, char in chars)
        word = text_run.strip(APOSTROPHES)
        if any(unicodedata.category(char)[0] in "LN" for char in word):
            start += len(text_run) - len(text_run.lstrip(APOSTROPHES))
            spans.append((start, start + len(word)))
    return spans


def word_count(text: str) -> int:
    return len(word_spans(text))


def speaking_seconds(text: str, words_per_minute: float = WORDS_PER_MINUTE) -> float:
    """How long ``text`` takes to say aloud at ``words_per_minute`` (unrounded)."""
    if not (words_per_minute > 0 and math.isfinite(words_per_minute)):
        raise ValueError("words_per_minute must be a positive number")
    return word_count(text) * 60 / words_per_minute


class PitchVerdict(StrEnum):
    TOO_SHORT = "too short"
    GOOD = "good"
    TOO_LONG = "too long"


@dataclass(frozen=True)
class PitchTiming:
    words: int
    seconds: float
    verdict: PitchVerdict
    message: str


def _seconds_phrase(seconds: int) -> str:
    return f"About {plural(seconds, 'second')}"


def pitch_timing(text: str) -> PitchTiming:
    """Words, spoken seconds (one decimal) and a verdict against the 15-30 second target.

    The verdict is taken on the rounded seconds. The message shows whole seconds, rounded
    and then kept inside the verdict's band (14.8 s reads "About 14 seconds: ... short",
    never "About 15 seconds" beside "too short"). Raises InvalidInput(field="pitch") beyond
    ``PITCH_MAX`` characters.
    """
    text = check.text(text, "pitch", max_length=PITCH_MAX, required=False)
    words = word_count(text)
    seconds = round(speaking_seconds(text), 1)
    shown = math.floor(seconds + 0.5)
    low, high = GOOD_SECONDS
    if words == 0:
        verdict = PitchVerdict.TOO_SHORT
        message = "Write a few sentences to time your introduction."
    elif seconds < low:
        verdict = PitchVerdict.TOO_SHORT
        message = (f"{_seconds_phrase(min(max(shown, 1), low - 1))}: a little short. "
                   f"Aim for {low} to {high} seconds.")
    elif seconds > high:
        verdict = PitchVerdict.TOO_LONG
        message = (f"{_seconds_phrase(max(shown, high + 1))}: too long. "
                   f"Trim it to {high} seconds or less.")
    else:
        verdict = PitchVerdict.GOOD
        message = f"{_seconds_phrase(shown)}: a good length."
    return PitchTiming(words=words, seconds=seconds, verdict=verdict, message=message)

"""Step 3, Prepare: flag wording that asks for a job rather than for information.

An informational interview is not a job interview: a draft that mentions hiring, openings or
a résumé makes the contact wary. This check is a gentle nudge, not a gate, so it leans
towards flagging.

Decisions:
- Whole words only, compared case-insensitively and without accents ("RÉSUMÉ", "resume" and
  "résumé" are alike; Unicode is decomposed, so "e" plus a combining accent counts too).
  Words are as ``pitch.word_spans`` finds them, so "jobsite", "jobless", "rehiring" and
  "hireable" are not flagged, while a hyphen splits a compound: "job-seeking" flags "job".
  A possessive counts as its word ("the job's hours" flags "job's").
- A phrase (words separated only by whitespace) is one match, longest first: "job
  position" and "looking for work" are flagged once, never as "job" plus "position".
- "opening" alone is usually innocent ("eye-opening", "the opening talk"): it is flagged
  only as "openings", in "job/internship opening(s)", "open positions" or after "an"/"any".
- Plain "resume" is also a verb ("resume our talk"): it is flagged when written with an
  accent, or after a determiner or possessive ("my resume", "a resume").
- "applied" (applied mathematics) and "hired" ("how did you get hired?" is a fair question)
  are not flagged. Accepted false positives: "position" in "in a position to" and
  "application" in "a software application".
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from infoview_app.services.prepare.pitch_rules import APOSTROPHES, word_spans

GENERAL_SUGGESTION = "Ask for information and advice, not a job."
_HIRING = "Ask what the work is like, not whether they are hiring."
_RESUME = "Leave your résumé out: ask for their advice instead."
_APPLY = "Ask how people get into the field, not how to apply."
_LOOKING = "Say you are learning about the field, not looking for work."

_DETERMINERS = frozenset({"a", "an", "the", "my", "your", "our", "his", "her", "their",
                          "this", "that", "attached", "updated"})


@dataclass(frozen=True)
class JobWordMatch:
    """One flagged term: ``text[start:end]`` (Python string indices), the term as written
    with its whitespace collapsed, and what to write instead."""

    term: str
    start: int
    end: int
    suggestion: str


@dataclass(frozen=True)
class _Rule:
    words: tuple[str, ...]
    suggestion: str
    after: frozenset[str] = frozenset()  # if set, the previous word must be one of these
    accent_suffices: bool = False  # an accented spelling matches even without ``after``


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    key: str
    accented: bool


def _rules(suggestion: str, *phrases: str, after: frozenset[str] = frozenset(),
           accent_suffices: bool = False) -> list[_Rule]:
    return [_Rule(tuple(phrase.split()), suggestion, after, accent_suffices)
            for phrase in phrases]


_RULES: list[_Rule] = [
    *_rules(GENERAL_SUGGESTION, "job", "jobs", "employment",
            *(f"job {second}" for second in (
                "offer", "offers", "opening", "openings", "position", "positions",
                "application", "applications", "opportunity", "opportunities", "posting",
                "postings", "search", "hunt", "hunting"))),
    *_rules(_HIRING, "hire", "hires", "hiring", "vacancy", "vacancies", "openings",
            "position", "positions", "open position", "open positions", "recruiter",
            "recruiters", "recruiting", "recruitment", "internship opening",
            "internship openings"),
    *_rules(_HIRING, "opening", after=frozenset({"an", "any"})),
    *_rules(_RESUME, "cv", "curriculum vitae"),
    *_rules(_RESUME, "resume", "resumes", after=_DETERMINERS, accent_suffices=True),
    *_rules(_APPLY, "apply", "applying", "application", "applications"),
    *_rules(_LOOKING, *(f"{verb} {thing}"
                        for verb in ("looking for", "searching for", "seeking")
                        for thing in ("work", "a job", "jobs", "employment", "a position",
                                      "an internship"))),
]


def _index(rules: Iterable[_Rule]) -> dict[str, list[_Rule]]:
    """Rules by their first word, longest phrase first."""
    index: dict[str, list[_Rule]] = {}
    for rule in sorted(rules, key=lambda rule: -len(rule.words)):
        index.setdefault(rule.words[0], []).append(rule)
    return index


_BY_FIRST_WORD = _index(_RULES)
_APOSTROPHE_TO_ASCII = str.maketrans({mark: "'" for mark in APOSTROPHES})


def _word(text: str, start: int, end: int) -> _Word:
    """A word with its comparison key: case-folded, accents dropped, possessive removed."""
    decomposed = unicodedata.normalize("NFKD", text[start:end].casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    key = bare.translate(_APOSTROPHE_TO_ASCII).removesuffix("'s")
    return _Word(start, end, key, accented=len(bare) != len(decomposed))


def _joined(text: str, before: _Word, after: _Word) -> bool:
    """Only whitespace between two words, so they can form a phrase."""
    return text[before.end:after.start].isspace()


def _matches(rule: _Rule, text: str, words: list[_Word], index: int) -> bool:
    candidate = words[index:index + len(rule.words)]
    if [word.key for word in candidate] != list(rule.words):
        return False
    if not all(_joined(text, a, b) for a, b in pairwise(candidate)):
        return False
    if not rule.after or (rule.accent_suffices and any(word.accented for word in candidate)):
        return True
    return (index > 0 and words[index - 1].key in rule.after
            and _joined(text, words[index - 1], candidate[0]))


def find_job_seeking_words(text: str) -> list[JobWordMatch]:
    """Every job-seeking term in ``text``, in order, non-overlapping (see module notes)."""
    words = [_word(text, start, end) for start, end in word_spans(text)]
    found: list[JobWordMatch] = []
    index = 0
    while index < len(words):
        rule = next((rule for rule in _BY_FIRST_WORD.get(words[index].key, ())
                     if _matches(rule, text, words, index)), None)
        if rule is None:
            index += 1
            continue
        start, end = words[index].start, words[index + len(rule.words) - 1].end
        found.append(JobWordMatch(" ".join(text[start:end].split()), start, end,
                                  rule.suggestion))
        index += len(rule.words)
    return found

"""The job-seeking wording check on drafts (introductions, outreach messages)."""

import unicodedata
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.prepare.job_words import (
    GENERAL_SUGGESTION,
    JobWordMatch,
    find_job_seeking_words,
)
from infoview_app.services.prepare.pitch_rules import word_spans


def terms(text: str) -> list[str]:
    return [match.term for match in find_job_seeking_words(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Do you have a job for me?", ["job"]),
    ("Any JOBS going? Jobs!", ["JOBS", "Jobs"]),
    ("Are you hiring this summer?", ["hiring"]),
    ("Would you hire me?", ["hire"]),
    ("She hires interns.", ["hires"]),
    ("Are there openings on your team?", ["openings"]),
    ("Is there an opening?", ["opening"]),
    ("Do you have any opening for me", ["opening"]),
    ("a job opening", ["job opening"]),
    ("internship openings in May", ["internship openings"]),
    ("Is the vacancy still open? Other vacancies?", ["vacancy", "vacancies"]),
    ("I attached my résumé", ["résumé"]),
    ("My RÉSUMÉ is attached", ["RÉSUMÉ"]),
    ("here is my resume", ["resume"]),
    ("the attached resumes", ["resumes"]),
    ("A resumé and a résume", ["resumé", "résume"]),
    ("re\u0301sume\u0301", ["re\u0301sume\u0301"]),  # accents as combining marks
    ("My CV is attached", ["CV"]),
    ("my curriculum vitae", ["curriculum vitae"]),
    ("Any open position?", ["open position"]),
    ("Is there a position for me?", ["position"]),
    ("We have open positions", ["open positions"]),
    ("Is the job position filled?", ["job position"]),
    ("Job\n  positions", ["Job positions"]),
    ("How do I apply? Is applying hard?", ["apply", "applying"]),
    ("my job application and other applications", ["job application", "applications"]),
    ("I'm looking for work.", ["looking for work"]),
    ("I am looking for a job", ["looking for a job"]),
    ("seeking employment", ["seeking employment"]),
    ("searching for an internship", ["searching for an internship"]),
    ("stable employment", ["employment"]),
    ("Could I talk to a recruiter? Recruiters, recruiting, recruitment",
     ["recruiter", "Recruiters", "recruiting", "recruitment"]),
    ("Any job offers or job opportunities?", ["job offers", "job opportunities"]),
    ("I'm job-seeking", ["job"]),
    ("the job's hours", ["job's"]),
    ("\uff2a\uff4f\uff42", ["\uff2a\uff4f\uff42"]),  # full-width "Job" folds to "job"
])
def test_flags_job_seeking_words(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


@pytest.mark.parametrize("text", [
    "",
    "I'd love to learn how you chose this field.",
    "Visit the jobsite, meet the jobless, rehiring and hireable",  # whole words only
    "An eye-opening talk at the opening ceremony.",
    "Could we resume our conversation next week?",
    "I study applied mathematics.",
    "How did you get hired?",
    "What does a typical day look like?",
    "Thank you for your time and advice.",
    "looking for advice about work",
    "I'm looking forward to it; work is fun.",
    "CVS pharmacy",
])
def test_leaves_informational_wording_alone(text: str) -> None:
    assert find_job_seeking_words(text) == []


def test_offsets_point_into_the_original_text() -> None:
    text = "Hi! Are you hiring? Here's my résumé; I'm looking for  work."
    found = find_job_seeking_words(text)
    assert [(m.start, m.end) for m in found] == [(12, 18), (30, 36), (42, 59)]
    assert [text[m.start:m.end] for m in found] == ["hiring", "résumé", "looking for  work"]
    assert found[2].term == "looking for work"


def test_each_match_says_what_to_ask_instead() -> None:
    by_term = {m.term: m.suggestion for m in find_job_seeking_words(
        "job; hiring; resume attached to my CV; apply; looking for work")}
    assert by_term["job"] == GENERAL_SUGGESTION == "Ask for information and advice, not a job."
    assert by_term["hiring"] == "Ask what the work is like, not whether they are hiring."
    assert by_term["CV"] == "Leave your résumé out: ask for their advice instead."
    assert by_term["apply"] == "Ask how people get into the field, not how to apply."
    assert by_term["looking for work"] == (
        "Say you are learning about the field, not looking for work.")
    assert "resume" not in by_term  # "resume attached": no determiner before, no accent


def test_a_phrase_across_punctuation_is_not_one_phrase() -> None:
    assert terms("job, position") == ["job", "position"]
    assert terms("looking for: work") == []
    assert terms("an, opening") == []


def test_matches_are_value_objects() -> None:
    assert find_job_seeking_words("job") == [JobWordMatch("job", 0, 3, GENERAL_SUGGESTION)]


# --- properties ----------------------------------------------------------------------------

def check_matches(text: str, found: list[JobWordMatch]) -> None:
    previous_end = 0
    for match in found:
        assert previous_end <= match.start < match.end <= len(text)
        assert match.term == " ".join(text[match.start:match.end].split())
        assert match.suggestion
        previous_end = match.end


@given(st.text())
def test_never_raises_and_matches_are_sorted_inside_and_apart(text: str) -> None:
    check_matches(text, find_job_seeking_words(text))


_VOCABULARY = ["job", "jobs", "hiring", "hire", "openings", "vacancy", "résumé", "cv",
               "position", "positions", "apply", "application", "employment", "recruiter",
               "looking for work", "job position", "internship opening"]


@given(st.text(), st.sampled_from(_VOCABULARY), st.text(), st.randoms())
def test_a_flagged_term_is_found_wherever_it_stands(
        before: str, term: str, after: str, rng: Random) -> None:
    written = "".join(char.upper() if rng.random() < 0.5 else char for char in term)
    text = f"{before} {written} {after}"
    found = find_job_seeking_words(text)
    check_matches(text, found)
    offset = len(before) + 1
    # Longest first: a word of the term may be absorbed into a phrase that starts earlier
    # ("job" in "... looking for a job"), but some match still covers every word.
    for start, end in word_spans(written):
        assert any(m.start <= offset + start and offset + end <= m.end for m in found)


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=5),
       st.sampled_from(["hiring", "recruiter", "vacancy", "openings"]))
def test_a_term_inside_a_longer_word_is_not_flagged(prefix: str, term: str) -> None:
    assert find_job_seeking_words(prefix + term) == []


@given(st.sampled_from(["résumé", "Résumé", "RÉSUMÉ", "résume", "resumé"]),
       st.sampled_from(["NFC", "NFD"]))
def test_accented_resume_is_flagged_in_any_normal_form(word: str, form: str) -> None:
    text = f"Here is {unicodedata.normalize(form, word)}."
    found = find_job_seeking_words(text)
    assert len(found) == 1 and found[0].start == len("Here is ")
    assert text[found[0].start:found[0].end] == unicodedata.normalize(form, word)

"""Outreach drafts (step 4): the phone script's points, the referral sentence, the LinkedIn
limit and the job-word check, as pure text rules."""

from dataclasses import replace
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.models import ContactSource
from infoview_app.services.connect.scripts import (
    ASK_FOR_TIME,
    DRAFT_MAX,
    GOOD_TIME,
    LINKEDIN_MAX,
    DraftFacts,
    check_draft,
    email_draft,
    how_we_met,
    job_word_dicts,
    linkedin_length,
    linkedin_message,
    phone_script,
    shorten,
)
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.prepare.job_words import find_job_seeking_words

ANA = DraftFacts(student_name="Ana Lopez", contact_name="Sam Okafor",
                 field_name="Physical therapy", major="Kinesiology",
                 source=ContactSource.FRIEND, referrer_name="Dr. Elena Rivera",
                 may_use_referrer_name=True)
NOT_NAMED = replace(ANA, may_use_referrer_name=False)
NOT_REFERRED = replace(ANA, referrer_name="", may_use_referrer_name=True)


def drafts(facts: DraftFacts) -> list[str]:
    email = email_draft(facts)
    return [*phone_script(facts), email["subject"], email["body"], linkedin_message(facts)]


# --- the phone script ----------------------------------------------------------------------

def test_phone_script_follows_the_offices_points_in_order() -> None:
    assert phone_script(ANA) == [
        "Hello, is this Sam Okafor? My name is Ana Lopez. I study Kinesiology and I'm "
        "exploring a career in Physical therapy.",
        "Dr. Elena Rivera suggested I call you.",
        "Is this a good time to talk for a minute?",
        "I'm not asking for work, only for information: I'd value your advice and what you "
        "can tell me about your experience in Physical therapy.",
        "Could we set up 20 to 30 minutes, in person, by phone or on a video call?",
    ]


def test_greeting_without_a_major_or_a_field() -> None:
    script = phone_script(replace(ANA, major="", field_name=""))
    assert script[0] == ("Hello, is this Sam Okafor? My name is Ana Lopez, and I'm a student "
                         "exploring a career in your field.")


def test_line_breaks_in_stored_text_are_collapsed() -> None:
    facts = replace(ANA, contact_name="Sam\nOkafor", referrer_name="Dr. Elena\r\n Rivera")
    assert phone_script(facts)[0].startswith("Hello, is this Sam Okafor? ")
    assert email_draft(facts)["subject"] == "Dr. Elena Rivera suggested I contact you"


# --- how the student got the name ----------------------------------------------------------

def test_referrer_is_named_only_with_permission() -> None:
    assert how_we_met(ANA, "call") == "Dr. Elena Rivera suggested I call you."
    for facts in (NOT_NAMED, replace(NOT_NAMED, source=ContactSource.REFERRAL)):
        assert how_we_met(facts, "call") == "Someone who knows your work suggested I call you."
        assert all("Rivera" not in text for text in drafts(facts))
    assert any("Dr. Elena Rivera" in text for text in drafts(ANA))


def test_permission_without_a_referrer_falls_back_to_the_source() -> None:
    assert how_we_met(NOT_REFERRED, "call") == (
        "As a friend, you were the first person I thought of to ask about Physical therapy.")
    assert "suggested" not in " ".join(drafts(NOT_REFERRED))


@pytest.mark.parametrize(("source", "sentence"), [
    (ContactSource.FACULTY, "You know me from school, and you were the first person I "
                            "thought of to ask about Physical therapy."),
    (ContactSource.FAMILY, "You know my family, and they thought you would be the right "
                           "person to ask about Physical therapy."),
    (ContactSource.FRIEND, "As a friend, you were the first person I thought of to ask about "
                           "Physical therapy."),
    (ContactSource.LINKEDIN_ALUMNI,
     "I found you through LinkedIn and my school's alumni network."),
    (ContactSource.COMMUNITY_PARTNER,
     "I found your name through my school's career office and its community partners."),
    (ContactSource.REFERRAL, "Someone who knows your work suggested I contact you."),
    (ContactSource.OTHER, "I came across your name while learning about Physical therapy."),
])
def test_how_we_met_by_source(source: ContactSource, sentence: str) -> None:
    assert how_we_met(replace(NOT_REFERRED, source=source)) == sentence


def test_source_may_arrive_as_its_stored_string() -> None:
    facts = replace(NOT_REFERRED, source="family")  # type: ignore[arg-type]
    assert how_we_met(facts).startswith("You know my family")


PITCH = ("I'm Ana, a kinesiology junior who volunteers at a sports clinic.\nHelping my "
         "grandfather recover made me want to understand how therapists plan a recovery.")


def test_a_professor_is_called_as_someone_who_knows_the_student_with_the_pitch() -> None:
    professor = replace(NOT_REFERRED, contact_name="Dr. Elena Rivera",
                        source=ContactSource.FACULTY, pitch=PITCH)
    script = phone_script(professor)
    assert script[0] == ("Hi Dr. Elena Rivera, it's Ana Lopez. I'm Ana, a kinesiology junior "
                         "who volunteers at a sports clinic. Helping my grandfather recover "
                         "made me want to understand how therapists plan a recovery.")
    assert script[1] == ("You know me from school, and you were the first person I thought "
                         "of to ask about Physical therapy.")
    assert all("got your name" not in line and "is this" not in line for line in script)
    # Without a pitch, no "My name is" to someone who knows the student.
    assert phone_script(replace(professor, pitch=""))[0] == (
        "Hi Dr. Elena Rivera, it's Ana Lopez. I'm exploring a career in Physical therapy.")


def test_a_stranger_is_asked_who_answered_and_hears_the_pitch() -> None:
    for source in (ContactSource.LINKEDIN_ALUMNI, ContactSource.FAMILY):
        assert phone_script(replace(NOT_REFERRED, source=source, pitch=PITCH))[0] == (
            "Hello, is this Sam Okafor? I'm Ana, a kinesiology junior who volunteers at a "
            "sports clinic. Helping my grandfather recover made me want to understand how "
            "therapists plan a recovery.")
    # A named referrer is said, whatever the source.
    assert phone_script(replace(ANA, source=ContactSource.FACULTY))[:2] == [
        "Hello, is this Sam Okafor? My name is Ana Lopez. I study Kinesiology and I'm "
        "exploring a career in Physical therapy.",
        "Dr. Elena Rivera suggested I call you."]


# --- email ---------------------------------------------------------------------------------

def test_email_without_a_pitch_introduces_the_student() -> None:
    email = email_draft(ANA)
    assert email["subject"] == "Dr. Elena Rivera suggested I contact you"
    assert email["body"] == (
        "Dear Sam Okafor,\n\n"
        "My name is Ana Lopez. I study Kinesiology and I'm exploring a career in Physical "
        "therapy. Dr. Elena Rivera suggested I contact you.\n\n"
        "I'm not asking for work, only for information: I'd value your advice and what you "
        "can tell me about your experience in Physical therapy. Could we set up 20 to 30 "
        "minutes, in person, by phone or on a video call, at a time that suits you?\n\n"
        "Thank you for considering it.\n\n"
        "Best regards,\nAna Lopez")


def test_email_uses_the_pitch_in_the_students_words() -> None:
    pitch = "I'm Ana, a kinesiology junior.\nI want to help people recover after injuries."
    body = email_draft(replace(NOT_NAMED, pitch=pitch))["body"]
    assert ("I'm Ana, a kinesiology junior. I want to help people recover after injuries. "
            "Someone who knows your work suggested I contact you.") in body
    assert "My name is" not in body


def test_email_subject_without_a_named_referrer() -> None:
    assert email_draft(NOT_NAMED)["subject"] == (
        "Informational interview request: Physical therapy")


# --- LinkedIn ------------------------------------------------------------------------------

def test_linkedin_message_holds_every_point_for_ordinary_names() -> None:
    message = linkedin_message(ANA)
    assert message == (
        "Hello Sam Okafor, I'm Ana Lopez, a student exploring Physical therapy. Dr. Elena "
        "Rivera suggested I reach out to you. Could you spare 20-30 minutes to share advice "
        "about your work? I'm asking for information, not for work. Thank you!")
    assert linkedin_length(message) <= LINKEDIN_MAX


def test_linkedin_message_shortens_very_long_names() -> None:
    facts = replace(ANA, contact_name="Maximilian " * 30, student_name="A" * 500,
                    field_name="Very long field " * 20, referrer_name="\U0001f600" * 200)
    message = linkedin_message(facts)
    assert linkedin_length(message) <= LINKEDIN_MAX
    assert message.startswith("Hello Maximilian")
    assert "Could you spare 20-30 minutes" in message
    assert "\u2026" in message


texts = st.text(max_size=600)


@given(student=texts, contact=texts, field=texts, major=texts, pitch=texts, referrer=texts,
       source=st.sampled_from(ContactSource), may_use=st.booleans())
def test_linkedin_message_never_exceeds_the_limit(student: str, contact: str, field: str,
                                                  major: str, pitch: str, referrer: str,
                                                  source: ContactSource, may_use: bool) -> None:
    message = linkedin_message(DraftFacts(
        student_name=student, contact_name=contact, field_name=field, major=major,
        pitch=pitch, source=source, referrer_name=referrer, may_use_referrer_name=may_use))
    assert linkedin_length(message) <= LINKEDIN_MAX
    assert "Could you spare 20-30 minutes" in message  # the request itself is never dropped


def test_linkedin_length_counts_utf16_units() -> None:
    assert linkedin_length("abc") == 3
    assert linkedin_length("\U0001f600") == 2  # an emoji is a surrogate pair in the browser
    assert linkedin_length("é") == 1


@given(text=st.text(max_size=300), limit=st.integers(min_value=1, max_value=80))
def test_shorten_respects_its_limit_and_never_splits_a_pair(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert linkedin_length(short) <= limit
    short.encode("utf-8")  # a lone surrogate would not encode
    if linkedin_length(" ".join(text.split())) <= limit:
        assert short == " ".join(text.split())
    else:
        assert short.endswith("\u2026")


def test_shorten_prefers_a_space_and_keeps_accents_with_their_letter() -> None:
    assert shorten("Maria Fernanda Gonzalez", 16) == "Maria Fernanda\u2026"
    decomposed = "Rene\u0301e"  # "Renée" with a combining accent
    assert shorten(decomposed, 5) == "Ren\u2026"  # "e" and its accent go together
    assert shorten("short", 5) == "short"


# --- the job-word check --------------------------------------------------------------------

STUDENTS = ["Ana Lopez", "Dr. Kwame Mensah-Boateng", "Zoë O'Brien", "李小龍"]
CONTACTS = ["Sam Okafor", "Prof. Ingrid Sørensen", "Jo"]
FIELDS = ["Physical therapy", "Civil engineering", "Data science", "Public health", ""]
MAJORS = ["Kinesiology", "Computer Science", ""]
PITCHES = ["", "I'm Ana, a kinesiology junior who loves helping people move again."]
REFERRERS = [("", False), ("Dr. Elena Rivera", True), ("Dr. Elena Rivera", False)]


@pytest.mark.parametrize("source", list(ContactSource))
def test_generated_drafts_hold_no_job_seeking_words(source: ContactSource) -> None:
    for student, contact, field, major, pitch, (referrer, may_use) in product(
            STUDENTS, CONTACTS, FIELDS, MAJORS, PITCHES, REFERRERS):
        facts = DraftFacts(student_name=student, contact_name=contact, field_name=field,
                           major=major, pitch=pitch, source=source, referrer_name=referrer,
                           may_use_referrer_name=may_use)
        for text in drafts(facts):
            assert find_job_seeking_words(text) == [], text


def test_fixed_sentences_hold_no_job_seeking_words() -> None:
    assert find_job_seeking_words(GOOD_TIME) == []
    assert find_job_seeking_words(ASK_FOR_TIME) == []


def test_the_students_own_words_are_flagged() -> None:
    body = email_draft(replace(ANA, pitch="I'm hoping you are hiring interns."))["body"]
    matches = job_word_dicts(body)
    assert [match["term"] for match in matches] == ["hiring"]
    assert body[matches[0]["start"]:matches[0]["end"]] == "hiring"


def test_an_edited_draft_is_checked() -> None:
    draft = "Hello Sam, could I send you my resume? I'd love to hear about any openings."
    resume, openings = draft.index("resume"), draft.index("openings")
    assert check_draft(draft) == [
        {"term": "resume", "start": resume, "end": resume + 6,
         "suggestion": "Leave your résumé out: ask for their advice instead."},
        {"term": "openings", "start": openings, "end": openings + 8,
         "suggestion": "Ask what the work is like, not whether they are hiring."},
    ]
    assert check_draft(drafts(ANA)[-1]) == []
    assert check_draft("") == []
    assert check_draft(None) == []


def test_positions_index_the_draft_as_given() -> None:
    draft = "\n\n   Are you hiring?  "
    [match] = check_draft(draft)
    assert draft[match["start"]:match["end"]] == "hiring"


def test_an_edited_draft_is_limited_in_length_and_type() -> None:
    assert check_draft("a" * DRAFT_MAX) == []
    for bad in ("a" * (DRAFT_MAX + 1), " " * (DRAFT_MAX + 1), 42, ["job"]):
        with pytest.raises(InvalidInput) as error:
            check_draft(bad)
        assert error.value.field == "draft"

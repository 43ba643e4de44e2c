"""Step 4, Connect: what the student says or writes to ask a contact for an informational
interview. A phone script following the career office's points, an email and a LinkedIn
message, each checked for job-seeking wording.

The office's points, in order: introduce yourself, say how you got the name, ask whether it
is a good time, stress that you want information and not a job, ask for 20-30 minutes.

Decisions:
- The referrer is named ("Dr. Elena Rivera suggested I call you") only when the contact was
  referred by one of the student's contacts AND the student may use that name. Otherwise the
  sentence says how the student found the contact (the contact's source), naming nobody.
- The generated text itself never trips the job-word check: the "not a job" point is said as
  "I'm not asking for work", since "I'm not looking for a job" is exactly the wording the
  check flags. Only the student's own words (names, field, pitch) can be flagged.
- Text from the database is put inline with its whitespace collapsed, so a stray line break
  in a name can't break a line of the script or the email's subject.
- The LinkedIn message fits LinkedIn's 300-character invitation note by construction (counted
  in UTF-16 code units, as the browser counts, so an emoji counts as two).
"""

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, TypedDict

from sqlmodel import Session, select

from infoview_app.models import Contact, ContactSource, User
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.journey.explorations import owned_exploration
from infoview_app.services.prepare.job_words import find_job_seeking_words

DRAFT_MAX = 5000
LINKEDIN_MAX = 300
# How much of each name or field the LinkedIn message keeps before shortening it with "…".
_LINKEDIN_CAPS = {"contact_name": 40, "student_name": 40, "field_name": 60, "referrer_name": 40}
_ELLIPSIS = "\u2026"
_YOUR_FIELD = "your field"

GOOD_TIME = "Is this a good time to talk for a minute?"
ASK_FOR_TIME = "Could we set up 20 to 30 minutes, in person, by phone or on a video call?"

# The source is how the student knows the person. Faculty (one's own professor) and friends
# know the student already: greeted by name and told why they were asked, not where their
# name came from. "Family" may be a relative or someone the family knows: the sentence fits
# both. {field} is the field explored.
_WHY_ASKED = {
    ContactSource.FACULTY: "You know me from school, and you were the first person I "
                           "thought of to ask about {field}.",
    ContactSource.FAMILY: "You know my family, and they thought you would be the right "
                          "person to ask about {field}.",
    ContactSource.FRIEND: "As a friend, you were the first person I thought of to ask about "
                          "{field}.",
}
_KNOW_THE_STUDENT = (ContactSource.FACULTY, ContactSource.FRIEND)
_FOUND_THROUGH = {
    ContactSource.LINKEDIN_ALUMNI: "I found you through LinkedIn and my school's alumni network.",
    ContactSource.COMMUNITY_PARTNER: ("I found your name through my school's career office and "
                                      "its community partners."),
}


@dataclass(frozen=True)
class DraftFacts:
    """What the drafts are built from, as plain text. ``referrer_name`` is the contact who
    referred this one ("" if nobody did); it appears only if ``may_use_referrer_name``."""

    student_name: str
    contact_name: str
    field_name: str = ""
    major: str = ""
    pitch: str = ""
    source: ContactSource = ContactSource.OTHER
    referrer_name: str = ""
    may_use_referrer_name: bool = False


def _inline(value: str) -> str:
    return " ".join(value.split())


def named_referrer(facts: DraftFacts) -> str:
    """The referrer's name if the drafts may say it, else ""."""
    return _inline(facts.referrer_name) if facts.may_use_referrer_name else ""


def _field(facts: DraftFacts) -> str:
    return _inline(facts.field_name) or _YOUR_FIELD


def knows_the_student(facts: DraftFacts) -> bool:
    """Whether the contact knows the student already (their professor, a friend)."""
    return not named_referrer(facts) and ContactSource(facts.source) in _KNOW_THE_STUDENT


def introduction(facts: DraftFacts) -> str:
    """Who the student is: name, what they study (if known) and the field explored; to
    someone who knows them, only the field."""
    name, major, field = _inline(facts.student_name), _inline(facts.major), _field(facts)
    if knows_the_student(facts):
        return f"I'm exploring a career in {field}."
    if major:
        return f"My name is {name}. I study {major} and I'm exploring a career in {field}."
    return f"My name is {name}, and I'm a student exploring a career in {field}."


def opening(facts: DraftFacts) -> str:
    """The student's step 3 introduction (the pitch they rehearsed), in their own words,
    when they wrote one; else a plain introduction."""
    return _inline(facts.pitch) or introduction(facts)


def greeting(facts: DraftFacts) -> str:
    """The phone's first words: a name the contact knows, or a check of who answered."""
    contact, student = _inline(facts.contact_name), _inline(facts.student_name)
    if knows_the_student(facts):
        return f"Hi {contact}, it's {student}."
    return f"Hello, is this {contact}?"


def how_we_met(facts: DraftFacts, verb: str = "contact") -> str:
    """How the student got the contact's name, e.g. "Dr. Elena Rivera suggested I call you."
    (``verb`` "call") when the referrer may be named, else by the contact's source."""
    referrer = named_referrer(facts)
    if referrer:
        return f"{referrer} suggested I {verb} you."
    source = ContactSource(facts.source)
    if _inline(facts.referrer_name) or source is ContactSource.REFERRAL:
        return f"Someone who knows your work suggested I {verb} you."
    if source in _WHY_ASKED:
        return _WHY_ASKED[source].format(field=_field(facts))
    found = _FOUND_THROUGH.get(source)
    return found or f"I came across your name while learning about {_field(facts)}."


def information_not_a_job(facts: DraftFacts) -> str:
    return (f"I'm not asking for work, only for information: I'd value your advice and what "
            f"you can tell me about your experience in {_field(facts)}.")


def phone_script(facts: DraftFacts) -> list[str]:
    """The office's five points as short lines to read out, in order: written for how the
    student knows the person, opening with their step 3 introduction when they have one."""
    return [
        f"{greeting(facts)} {opening(facts)}",
        how_we_met(facts, "call"),
        GOOD_TIME,
        information_not_a_job(facts),
        ASK_FOR_TIME,
    ]


class EmailDraft(TypedDict):
    subject: str
    body: str


def email_draft(facts: DraftFacts) -> EmailDraft:
    """Subject and body. The student's pitch, in their own words, introduces them when they
    have written one; otherwise a plain introduction does."""
    referrer = named_referrer(facts)
    subject = (f"{referrer} suggested I contact you" if referrer
               else f"Informational interview request: {_field(facts)}")
    body = "\n\n".join([
        f"Dear {_inline(facts.contact_name)},",
        f"{opening(facts)} {how_we_met(facts)}",
        f"{information_not_a_job(facts)} {ASK_FOR_TIME.removesuffix('?')}, at a time that "
        "suits you?",
        "Thank you for considering it.",
        f"Best regards,\n{_inline(facts.student_name)}",
    ])
    return EmailDraft(subject=subject, body=body)


def linkedin_length(text: str) -> int:
    """Length as LinkedIn's page counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """``text`` inline, cut to at most ``limit`` UTF-16 units with "…" if it was longer.
    Cuts at a space when one is near, never inside a surrogate pair or before an accent."""
    text = _inline(text)
    if linkedin_length(text) <= limit:
        return text
    end = 0
    budget = limit - 1  # room for the ellipsis
    for index, char in enumerate(text):
        budget -= linkedin_length(char)
        if budget < 0:
            break
        end = index + 1
    while 0 < end < len(text) and unicodedata.category(text[end]).startswith("M"):
        end -= 1  # keep a letter and its combining accents together
    space = text.rfind(" ", 0, end)
    if space > end // 2:
        end = space
    return text[:end].rstrip() + _ELLIPSIS


def linkedin_message(facts: DraftFacts) -> str:
    """A connection note of at most ``LINKEDIN_MAX`` characters.

    Names and the field are shortened to fixed caps, which keeps the greeting, introduction
    and request for time (at most 237 units together) within the limit whatever the input;
    the other sentences are added in order of importance (how we met, not a job, thanks)
    where they fit, each in its place in the message.
    """
    short = DraftFacts(**{**asdict(facts), "pitch": "", **{
        name: shorten(getattr(facts, name), cap) for name, cap in _LINKEDIN_CAPS.items()}})
    parts = {
        "greeting": f"Hello {short.contact_name},",
        "intro": f"I'm {short.student_name}, a student exploring {_field(short)}.",
        "how": how_we_met(short, "reach out to"),
        "ask": "Could you spare 20-30 minutes to share advice about your work?",
        "not_a_job": "I'm asking for information, not for work.",
        "thanks": "Thank you!",
    }
    kept = {"greeting", "intro", "ask"}
    for optional in ("how", "not_a_job", "thanks"):
        candidate = kept | {optional}
        if linkedin_length(" ".join(parts[n] for n in parts if n in candidate)) <= LINKEDIN_MAX:
            kept = candidate
    return " ".join(text for name, text in parts.items() if name in kept)


class JobWord(TypedDict):
    """A JobWordMatch as plain data."""
    term: str
    start: int
    end: int
    suggestion: str


class ScriptJobWord(JobWord):
    """A match in the phone script, with the index of the line it was found in."""
    line: int


class DraftJobWords(TypedDict):
    phone_script: list[ScriptJobWord]
    email_subject: list[JobWord]
    email_body: list[JobWord]
    linkedin_message: list[JobWord]


class OutreachDrafts(TypedDict):
    contact_id: int
    contact_name: str
    phone_script: list[str]
    email: EmailDraft
    linkedin_message: str
    job_words: DraftJobWords


def job_word_dicts(text: str) -> list[JobWord]:
    """find_job_seeking_words as plain dicts: term, start, end, suggestion."""
    return [JobWord(term=match.term, start=match.start, end=match.end,
                    suggestion=match.suggestion) for match in find_job_seeking_words(text)]


def check_draft(text: Any, field: str = "draft") -> list[JobWord]:
    """The job-seeking words in a draft the student edited (at most ``DRAFT_MAX`` characters).
    Positions index the text as given, untrimmed, so the page can highlight them. A refused
    draft is InvalidInput on ``field`` (the page's name for that draft)."""
    check.text(text, field, max_length=DRAFT_MAX, required=False, label="Draft")
    draft = text or ""
    if len(draft) > DRAFT_MAX:  # the check above measured it trimmed
        raise InvalidInput(f"Draft must be at most {DRAFT_MAX} characters.", field)
    return job_word_dicts(draft)


def _facts(session: Session, owner_id: int, contact: Contact) -> DraftFacts:
    student = session.exec(select(User).where(User.id == owner_id)).one()
    exploration = (owned_exploration(session, owner_id, contact.exploration_id)
                   if contact.exploration_id is not None else None)
    referrer = None
    if contact.referred_by_id is not None:
        referrer = session.exec(select(Contact).where(
            Contact.id == contact.referred_by_id, Contact.owner_id == owner_id)).first()
    return DraftFacts(
        student_name=student.name,
        contact_name=contact.name,
        field_name=exploration.field_name if exploration else "",
        major=student.major or "",
        pitch=exploration.pitch if exploration else "",
        source=ContactSource(contact.source),
        referrer_name=referrer.name if referrer else "",
        may_use_referrer_name=contact.may_use_referrer_name,
    )


def outreach_drafts(session: Session, owner_id: int, contact_id: Any) -> OutreachDrafts:
    """The three drafts for one of the student's contacts, with the job-seeking words found
    in each: ``job_words`` has one list per draft part; phone-script matches carry the
    ``line`` index they were found in."""
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    facts = _facts(session, owner_id, contact)
    script = phone_script(facts)
    email = email_draft(facts)
    linkedin = linkedin_message(facts)
    return OutreachDrafts(
        contact_id=contact.id or 0,
        contact_name=contact.name,
        phone_script=script,
        email=email,
        linkedin_message=linkedin,
        job_words=DraftJobWords(
            phone_script=[ScriptJobWord(**match, line=line) for line, text in enumerate(script)
                          for match in job_word_dicts(text)],
            email_subject=job_word_dicts(email["subject"]),
            email_body=job_word_dicts(email["body"]),
            linkedin_message=job_word_dicts(linkedin),
        ),
    )

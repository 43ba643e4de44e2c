"""Notes and data: a contact's notes page, search across the student's own notes, and one
interview as Markdown (print view and download)."""

import re
import unicodedata
from datetime import datetime
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from infoview_app.models import Contact, Exploration, Interview, InterviewMode, InterviewStatus
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.wording import (
    INTERVIEW_STATUS_LABELS,
    MODE_LABELS,
    date_label,
    date_time_label,
    plural,
)
from infoview_app.services.develop.contacts import ContactRecord
from infoview_app.services.interview.interview_mode import (
    InterviewRecord,
    SavedAnswer,
    answers_by_interview,
    contact_data,
    interview_data,
    interview_sheet,
)
from infoview_app.services.staff.institution import reader_zone

QUERY_MAX = 100
LIMIT_MAX = 100
SNIPPET_RADIUS = 60
FREE_NOTES = "Notes"
RESEARCH_NOTES = "Research notes"
ELLIPSIS = "…"


class NotedInterview(InterviewRecord):
    """An interview on a contact's notes page: its free notes, its date ("Mon 14 Dec", in
    the reader's zone) and the questions answered."""
    notes: str
    date: str
    status_label: str
    answers: list[SavedAnswer]


class ContactNotes(TypedDict):
    contact: ContactRecord
    interviews: list[NotedInterview]


class NoteMatch(TypedDict):
    """One note that mentions the query, with a snippet around the match: an interview's
    (``interview_id`` and ``contact_id`` set) or an exploration's research notes (both 0)."""
    interview_id: int
    contact_id: int
    exploration_id: int
    contact_name: str
    field_name: str
    date: str
    where: str
    question_id: int | None
    snippet: str
    before: str
    match: str
    after: str


# --- a contact's notes page ----------------------------------------------------------------

def contact_notes(session: Session, owner_id: int, contact_id: Any) -> ContactNotes:
    """The contact and every interview with them, newest first, each with its free notes and
    the questions answered (in order)."""
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    interviews = session.exec(select(Interview).where(
        Interview.owner_id == owner_id, Interview.contact_id == contact.id)
        .order_by(col(Interview.scheduled_at).desc(), col(Interview.id).desc())).all()
    answers = answers_by_interview(session, [i.id for i in interviews])
    zone = reader_zone(session, owner_id)
    return ContactNotes(
        contact=contact_data(contact),
        interviews=[
            NotedInterview(
                **interview_data(interview), notes=interview.notes,
                date=date_label(interview.scheduled_at, zone),
                status_label=INTERVIEW_STATUS_LABELS[interview.status],
                answers=[a for a in answers.get(interview.id or 0, []) if a["answer"].strip()])
            for interview in interviews],
    )


# --- the student's interviews -----------------------------------------------------------------

class InterviewEntry(TypedDict):
    """One interview in the Notes page's list: with whom, for which field, when (ISO)."""
    id: int
    contact_id: int
    contact_name: str
    field_name: str
    date: str
    status_label: str


def interview_list(session: Session, owner_id: int) -> list[InterviewEntry]:
    """Every interview of the student, newest first: what /notes opens on."""
    zone = reader_zone(session, owner_id)
    return [InterviewEntry(id=interview.id or 0, contact_id=interview.contact_id,
                           contact_name=name, field_name=field_name,
                           date=date_label(interview.scheduled_at, zone),
                           status_label=INTERVIEW_STATUS_LABELS[interview.status])
            for interview, name, field_name in _interviews(session, owner_id)]


def _interviews(session: Session, owner_id: int) -> list[tuple[Interview, str, str]]:
    """The owner's interviews with their contact's name and field, newest first."""
    return [(interview, name, field_name) for interview, name, field_name in session.exec(
        select(Interview, Contact.name, Exploration.field_name)
        .join(Contact, col(Contact.id) == col(Interview.contact_id))
        .join(Exploration, col(Exploration.id) == col(Interview.exploration_id))
        .where(Interview.owner_id == owner_id)
        .order_by(col(Interview.scheduled_at).desc(), col(Interview.id).desc()))]


# --- search ----------------------------------------------------------------------------------

def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` case-folded, with the index in ``text`` of every folded character (folding may
    lengthen a character: "ß" becomes "ss")."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        fold = char.casefold()
        folded.append(fold)
        origin.extend([index] * len(fold))
    return "".join(folded), origin


def find_match(text: str, query: str) -> tuple[int, int] | None:
    """Where ``query`` first occurs in ``text`` ignoring case (Unicode case folding, so
    "STRASSE" finds "Straße"), as (start, end) indices in ``text``; None if nowhere. Every
    character is literal: "%" and "_" are no wildcards."""
    needle = query.casefold()
    if not needle:
        return None
    haystack, origin = _folded(text)
    at = haystack.find(needle)
    if at < 0:
        return None
    return origin[at], origin[at + len(needle) - 1] + 1


def snippet(text: str, start: int, end: int, radius: int = SNIPPET_RADIUS
            ) -> tuple[str, str, str]:
    """The match ``text[start:end]`` with up to ``radius`` characters of context each side,
    cut at a word boundary, runs of whitespace (line breaks too) made one space, and "…"
    where text was cut: (before, match, after), so a page can highlight the match."""
    left, right = max(0, start - radius), min(len(text), end + radius)
    before, after = text[left:start], text[end:right]
    if left > 0:
        before = re.sub(r"^\S*", "", before)  # a word cut in two is dropped
    if right < len(text):
        after = re.sub(r"\S*$", "", after)
    head = (ELLIPSIS if left > 0 else "") + _squash(before).lstrip()
    tail = _squash(after).rstrip() + (ELLIPSIS if right < len(text) else "")
    return head, _squash(text[start:end]), tail


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _limit(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LIMIT_MAX:
        raise InvalidInput(f"Show 1 to {LIMIT_MAX} results.", "limit")
    return value


class _Search(TypedDict):
    query: str
    limit: int


def search_notes(session: Session, owner_id: int, query: Any, limit: Any = 50
                 ) -> list[NoteMatch]:
    """Where the student's own interview notes and answers, then their explorations'
    research notes, mention ``query`` (up to 100 characters; empty finds nothing), newest
    first: one result per note that matches, with a snippet around its first match.

    Matched in Python rather than with SQL LIKE: SQLite's case folding is ASCII-only, and a
    student's notes are few enough to read (three queries, owner-scoped in SQL)."""
    clean = check.form(_Search,
                       query=lambda: check.text(query, "query", max_length=QUERY_MAX,
                                                required=False, label="Search"),
                       limit=lambda: _limit(limit))
    needle, most = clean["query"], clean["limit"]
    if not needle:
        return []
    interviews = _interviews(session, owner_id)
    answers = answers_by_interview(session, [i.id for i, _, _ in interviews])
    research = session.exec(
        select(Exploration.id, Exploration.field_name, Exploration.created_at,
               Exploration.research_notes)
        .where(Exploration.owner_id == owner_id, Exploration.research_notes != "")
        .order_by(col(Exploration.created_at).desc(), col(Exploration.id).desc())).all()
    zone = reader_zone(session, owner_id)
    # (interview id, contact id, exploration id, contact, field, date, where, question, text)
    notes: list[tuple[int, int, int, str, str, str, str, int | None, str]] = []
    for interview, contact_name, field_name in interviews:
        held = (interview.id or 0, interview.contact_id, interview.exploration_id,
                contact_name, field_name, date_label(interview.scheduled_at, zone))
        notes.append((*held, FREE_NOTES, None, interview.notes))
        notes += [(*held, a["question"], a["question_id"], a["answer"])
                  for a in answers.get(interview.id or 0, [])]
    notes += [(0, 0, eid or 0, "", field_name, date_label(created, zone), RESEARCH_NOTES,
               None, text) for eid, field_name, created, text in research]
    results: list[NoteMatch] = []
    for (interview_id, contact_id, exploration_id, contact_name, field_name, day, where,
         question_id, text) in notes:
        found = find_match(text, needle)
        if found is None:
            continue
        before, match, after = snippet(text, *found)
        results.append(NoteMatch(
            interview_id=interview_id, contact_id=contact_id, exploration_id=exploration_id,
            contact_name=contact_name, field_name=field_name, date=day, where=where,
            question_id=question_id, snippet=before + match + after,
            before=before, match=match, after=after))
        if len(results) == most:
            break
    return results


# --- Markdown --------------------------------------------------------------------------------

_INLINE = re.compile(r"([\\`*_\[\]{}<>|~#])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:[-+=>]|\d+(?=[.)]))")


def markdown_inline(text: str) -> str:
    """User text made literal inside one line of Markdown: every character that could start
    emphasis, a link, code, raw HTML, a table cell or an entity is backslash-escaped, and
    line breaks become spaces."""
    one_line = " ".join(text.split())
    return _INLINE.sub(lambda m: "\\" + m.group(0), one_line)


def markdown_block(text: str) -> str:
    """Multi-line user text as literal Markdown paragraphs: escaped as ``markdown_inline``,
    plus what would start a list, quote, heading rule or code block at a line's start; a line
    break stays a line break, a blank line starts a new paragraph."""
    paragraphs: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = markdown_inline(raw)
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        mark = _LINE_START.match(line)
        if mark:  # "1." becomes "1\.", "- " becomes "\- "
            line = (mark.group() + "\\" + line[mark.end():] if mark.group().isdigit()
                    else "\\" + line)
        paragraphs[-1].append(line)
    return "\n\n".join("\\\n".join(lines) for lines in paragraphs if lines)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")


def interview_markdown(session: Session, owner_id: int, interview_id: Any) -> tuple[str, str]:
    """One interview as a Markdown document: (file name, text). Title, date, contact, the
    answered questions with their notes, and the free notes; all user text escaped."""
    sheet = interview_sheet(session, owner_id, interview_id)
    interview, contact = sheet["interview"], sheet["contact"]
    # A file kept beyond the year: its date says the year.
    when = date_time_label(datetime.fromisoformat(interview["scheduled_at"]),
                           reader_zone(session, owner_id), year=True)
    who = ", ".join(part for part in (contact["name"], contact["title"],
                                      contact["organization"]) if part)
    lines = [f"# Informational interview with {markdown_inline(contact['name'])}", "",
             f"- **Date:** {when}",
             f"- **Field:** {markdown_inline(sheet['exploration']['field_name'])}",
             f"- **Contact:** {markdown_inline(who)}",
             f"- **Format:** {MODE_LABELS[InterviewMode(interview['mode'])]}, "
             f"{plural(interview['duration_minutes'], 'minute')}",
             f"- **Status:** {INTERVIEW_STATUS_LABELS[InterviewStatus(interview['status'])]}",
             ""]
    answered = [q for q in sheet["questions"] if q["answer"].strip()]
    if answered:
        lines += ["## Questions", ""]
        for question in answered:
            lines += [f"### {markdown_inline(question['question'])}", "",
                      markdown_block(question["answer"]), ""]
    lines += ["## Notes", "", markdown_block(sheet["notes"]) or "_No notes._", ""]
    date = interview["scheduled_at"][:10]
    name = _slug(contact["name"])
    filename = f"interview-{name}-{date}.md" if name else f"interview-{interview['id']}.md"
    return filename, "\n".join(lines)

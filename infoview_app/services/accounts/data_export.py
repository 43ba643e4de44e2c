"""Students own their data: everything of one student as JSON, and their contacts as CSV
(for a spreadsheet) and vCard (for an address book). Owner-scoped in SQL, a fixed number of
queries however much there is."""

import csv
import io
import json
from typing import Any

import vobject
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    ExplorationQuestion,
    FollowUpTask,
    Interview,
    OutreachAttempt,
    PipelineStage,
    Question,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.core.errors import NotFound
from infoview_app.services.core.spreadsheets import csv_cell
from infoview_app.services.core.wording import label
from infoview_app.services.develop.contacts import ContactRecord
from infoview_app.services.interview.interview_mode import (
    JsonValue,
    answers_by_interview,
    contact_data,
    record_data,
)

FORMAT = "infoview-export"
FORMAT_VERSION = 1
# The spreadsheet's columns: (the contact's field, its heading), in the words of the pages.
CSV_COLUMNS = (("name", "Name"), ("title", "Title"), ("organization", "Organization"),
               ("email", "Email"), ("phone", "Phone"), ("linkedin_url", "LinkedIn profile"),
               ("mailing_address", "Mailing address"), ("source", "How you know them"),
               ("stage", "Stage"), ("exploration", "Exploration"),
               ("referred_by", "Referred by"))
_HONORIFICS = frozenset({"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms",
                         "ms.", "mx", "mx."})


def _rows(session: Session, model: Any, owner_id: int, *order: Any
          ) -> list[tuple[int, dict[str, JsonValue]]]:
    """The student's rows of one table, each as (id, every column but the owner)."""
    found = session.exec(select(model).where(model.owner_id == owner_id)
                         .order_by(*order, model.id)).all()
    return [(row.id, record_data(row, "owner_id")) for row in found]


def _records(session: Session, model: Any, owner_id: int, *order: Any
             ) -> list[dict[str, JsonValue]]:
    return [record for _, record in _rows(session, model, owner_id, *order)]


def export_json(session: Session, owner_id: int) -> bytes:
    """All of the student's data as UTF-8 JSON: profile (no password hash), explorations
    with their chosen questions, contacts, outreach, interviews with answers, follow-up tasks
    and the student's own questions. Dates are ISO 8601; ``format_version`` changes when the
    layout does."""
    user = session.get(User, owner_id)
    if user is None:
        raise NotFound("That account no longer exists.")
    chosen: dict[int, list[JsonValue]] = {}
    for exploration_id, question_id, position, text in session.exec(
            select(ExplorationQuestion.exploration_id, ExplorationQuestion.question_id,
                   ExplorationQuestion.position, Question.text)
            .join(Exploration, col(Exploration.id) == col(ExplorationQuestion.exploration_id))
            .join(Question, col(Question.id) == col(ExplorationQuestion.question_id))
            .where(Exploration.owner_id == owner_id)
            .order_by(col(ExplorationQuestion.position), col(ExplorationQuestion.id))):
        chosen.setdefault(exploration_id, []).append(
            {"question_id": question_id, "position": position, "text": text})
    explorations = [exploration | {"questions": chosen.get(exploration_id, [])}
                    for exploration_id, exploration in _rows(session, Exploration, owner_id,
                                                             Exploration.created_at)]
    interviews = _rows(session, Interview, owner_id, Interview.scheduled_at)
    answers = answers_by_interview(session, [interview_id for interview_id, _ in interviews])
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "profile": record_data(user, "password_hash"),
        "explorations": explorations,
        "contacts": _records(session, Contact, owner_id, Contact.created_at),
        "outreach_attempts": _records(session, OutreachAttempt, owner_id,
                                      OutreachAttempt.attempted_on),
        "interviews": [{**interview, "answers": answers.get(interview_id, [])}
                       for interview_id, interview in interviews],
        "follow_up_tasks": _records(session, FollowUpTask, owner_id, FollowUpTask.due_on),
        "questions": _records(session, Question, owner_id, Question.position),
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _contacts(session: Session, owner_id: int) -> list[tuple[ContactRecord, str, str]]:
    """Every contact of the student with its field's name and its referrer's name; one
    query."""
    referrer = aliased(Contact)
    rows = session.exec(
        select(Contact, Exploration.field_name, referrer.name)
        .join(Exploration, col(Exploration.id) == col(Contact.exploration_id), isouter=True)
        .join(referrer, col(referrer.id) == col(Contact.referred_by_id), isouter=True)
        .where(Contact.owner_id == owner_id)
        .order_by(func.lower(Contact.name), col(Contact.id))).all()
    return [(contact_data(contact), field or "", referred_by or "")
            for contact, field, referred_by in rows]


def contacts_csv(session: Session, owner_id: int) -> bytes:
    """The student's contacts, one row each, as CSV in UTF-8 with a byte-order mark (so
    Excel reads the accents right) and CRLF line ends. A spreadsheet is read by people: its
    headings and its sources and stages are the pages' words (the JSON keeps the values)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for _, heading in CSV_COLUMNS])
    for contact, field, referred_by in _contacts(session, owner_id):
        values: dict[str, object] = {**contact, "exploration": field,
                                     "referred_by": referred_by,
                                     "source": label(ContactSource, contact["source"]),
                                     "stage": label(PipelineStage, contact["stage"])}
        writer.writerow([csv_cell(values[column]) for column, _ in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def name_parts(full_name: str) -> vobject.vcard.Name:
    """A best guess at the structured name (vCard N) from one name field: "Dr. Elena
    Rivera" has the prefix "Dr.", given name "Elena", family name "Rivera"; a suffix after a
    comma ("Sam Okafor, DPT") is kept as the suffix."""
    name, _, suffix = full_name.partition(",")
    words = name.split()
    prefix = words.pop(0) if len(words) > 1 and words[0].casefold() in _HONORIFICS else ""
    family = words.pop() if words else ""
    return vobject.vcard.Name(family=family, given=" ".join(words), prefix=prefix,
                              suffix=suffix.strip())


def contacts_vcard(session: Session, owner_id: int) -> bytes:
    """The student's contacts as vCard 3.0, one card each (FN, N, ORG, TITLE, EMAIL, TEL,
    the mailing address as ADR and LABEL, the LinkedIn URL, and a NOTE naming the field
    explored), UTF-8 with CRLF line ends."""
    cards = []
    for contact, field, referred_by in _contacts(session, owner_id):
        card = vobject.vCard()
        card.add("fn").value = contact["name"]
        card.add("n").value = name_parts(contact["name"])
        if contact["organization"]:
            card.add("org").value = [contact["organization"]]
        if contact["title"]:
            card.add("title").value = contact["title"]
        if contact["email"]:
            email = card.add("email")
            email.value = contact["email"]
            email.type_param = "INTERNET"
        if contact["phone"]:
            card.add("tel").value = contact["phone"]
        if contact["mailing_address"]:
            # One free-text field: the whole address is the street, and the label to print.
            card.add("adr").value = vobject.vcard.Address(street=contact["mailing_address"])
            card.add("label").value = contact["mailing_address"]
        if contact["linkedin_url"]:
            card.add("url").value = contact["linkedin_url"]
        note = [f"Informational interview contact: exploring {field}." if field
                else "Informational interview contact."]
        if referred_by:
            note.append(f"Referred by {referred_by}.")
        card.add("note").value = " ".join(note)
        cards.append(card.serialize())
    return "".join(cards).encode("utf-8")

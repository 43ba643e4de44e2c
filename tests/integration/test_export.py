"""Export against a real database: all of a student's data as JSON, contacts as CSV and
vCard; only the student's own, in a fixed number of queries (SQLite and PostgreSQL)."""

import csv
import io
import json
from datetime import date, datetime

import vobject
from sqlmodel import Session, select

from infoview_app.models import (
    Contact,
    Exploration,
    FollowUpTask,
    Interview,
    OutreachAttempt,
    PipelineStage,
    Question,
    QuestionOrigin,
    User,
)
from infoview_app.services.accounts import data_export
from infoview_app.services.core.wording import STAGE_LABELS
from infoview_app.services.demo import sample_student
from infoview_app.services.interview import interview_mode
from tests.factories import PASSWORD, add_contact, add_interview, student_with_exploration
from tests.integration.helpers import choose_questions, statements

TRICKY = {"name": "Zoë =Evil", "title": "=HYPERLINK(\"http://evil.example\",\"x\")",
          "organization": "Acme; Rehab, Inc.", "phone": "+1 (555) 010-0100",
          "email": "zoe@acme.example", "mailing_address": "1 Main St\nApt 2, Springfield",
          "linkedin_url": "https://www.linkedin.com/in/zoe-evil"}


def _ids(session: Session, model: type, owner_id: int) -> set[int]:
    return set(session.exec(select(model.id).where(model.owner_id == owner_id)).all())


def _maya_and_someone_else(session: Session) -> tuple[User, int]:
    """The demo student (with her own question and answers) and another student's data."""
    maya, _ = sample_student.create_demo_data(session, PASSWORD)
    therapy = session.exec(select(Exploration).where(
        Exploration.owner_id == maya.id, Exploration.field_name == "Physical therapy")).one()
    question = choose_questions(session, therapy.id, 2)[0]
    own = Question(text="What surprised you?", origin=QuestionOrigin.STUDENT,
                   owner_id=maya.id)
    session.add(own)
    session.commit()
    held = session.exec(select(Interview).where(Interview.owner_id == maya.id,
                                                Interview.status == "completed")).one()
    interview_mode.save_answer(session, maya.id, held.id, question, "Mostly ACL rehab.")
    other, theirs = student_with_exploration(session, 9)
    stranger = add_contact(session, other, theirs, "Stranger Danger", email="x@y.example")
    add_interview(session, stranger, notes="their secret note")
    session.add(Question(text="Their own question", origin=QuestionOrigin.STUDENT,
                         owner_id=other))
    session.commit()
    return maya, other


def test_json_export_holds_all_of_the_students_data_and_nothing_else(
        session: Session) -> None:
    maya, _ = _maya_and_someone_else(session)
    data = json.loads(data_export.export_json(session, maya.id))
    assert (data["format"], data["format_version"]) == ("infoview-export", 1)
    datetime.fromisoformat(data["exported_at"])
    assert data["profile"]["email"] == maya.email and data["profile"]["name"] == "Maya Chen"
    assert "password_hash" not in data["profile"]
    assert maya.password_hash not in json.dumps(data)
    for key, model in (("explorations", Exploration), ("contacts", Contact),
                       ("outreach_attempts", OutreachAttempt), ("interviews", Interview),
                       ("follow_up_tasks", FollowUpTask), ("questions", Question)):
        assert {row["id"] for row in data[key]} == _ids(session, model, maya.id), key
        assert data[key], key
    assert [q["text"] for q in data["questions"]] == ["What surprised you?"]
    therapy = next(e for e in data["explorations"] if e["field_name"] == "Physical therapy")
    assert [q["position"] for q in therapy["questions"]] == [0, 1]
    held = next(i for i in data["interviews"] if i["status"] == "completed")
    assert [a["answer"] for a in held["answers"]] == ["Mostly ACL rehab."]
    assert held["notes"].startswith("Clinic sees mostly ACL")
    okafor = next(c for c in data["contacts"] if c["name"] == "Sam Okafor, DPT")
    rivera = next(c for c in data["contacts"] if c["name"] == "Dr. Elena Rivera")
    assert okafor["referred_by_id"] == rivera["id"] and okafor["may_use_referrer_name"]
    # Dates are ISO 8601.
    datetime.fromisoformat(held["scheduled_at"])
    date.fromisoformat(data["follow_up_tasks"][0]["due_on"])
    date.fromisoformat(data["outreach_attempts"][0]["attempted_on"])
    text = json.dumps(data)
    assert "their secret note" not in text and "Stranger Danger" not in text
    assert "Their own question" not in text


def test_csv_has_one_row_per_contact_for_excel_with_formulas_defused(
        session: Session) -> None:
    maya, _ = _maya_and_someone_else(session)
    therapy = session.exec(select(Exploration.id).where(
        Exploration.owner_id == maya.id, Exploration.field_name == "Physical therapy")).one()
    add_contact(session, maya.id, therapy, **TRICKY)
    raw = data_export.contacts_csv(session, maya.id)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    headings = {heading: key for key, heading in data_export.CSV_COLUMNS}
    assert table[0][:3] == ["Name", "Title", "Organization"]
    assert table[0] == list(headings)
    rows = [{headings[h]: cell for h, cell in zip(table[0], row, strict=True)}
            for row in table[1:]]
    assert sorted(r["name"] for r in rows) == sorted(
        session.exec(select(Contact.name).where(Contact.owner_id == maya.id)).all())
    okafor = next(r for r in rows if r["name"] == "Sam Okafor, DPT")
    # The pages' words, never the stored values.
    assert (okafor["referred_by"], okafor["exploration"], okafor["source"], okafor["stage"]) == (
        "Dr. Elena Rivera", "Physical therapy", "Referral", "Interviewed")
    rivera = next(r for r in rows if r["name"] == "Dr. Elena Rivera")
    assert rivera["source"] == "Faculty"
    stages = {r["stage"] for r in rows}
    assert stages <= set(STAGE_LABELS.values()) and not stages & {s.value for s in PipelineStage}
    assert okafor["phone"] == "(555) 013-2290"
    zoe = next(r for r in rows if r["name"] == "Zoë =Evil")
    assert zoe["title"] == "'" + TRICKY["title"]
    assert zoe["phone"] == "'" + TRICKY["phone"]
    assert zoe["mailing_address"] == TRICKY["mailing_address"]
    assert zoe["organization"] == TRICKY["organization"]
    assert "Stranger Danger" not in raw.decode("utf-8-sig")


def test_vcard_has_one_card_per_contact_that_reads_back(session: Session) -> None:
    maya, _ = _maya_and_someone_else(session)
    therapy = session.exec(select(Exploration.id).where(
        Exploration.owner_id == maya.id, Exploration.field_name == "Physical therapy")).one()
    add_contact(session, maya.id, therapy, **TRICKY)
    raw = data_export.contacts_vcard(session, maya.id)
    assert b"\r\n" in raw
    cards = {card.fn.value: card for card in vobject.readComponents(raw.decode("utf-8"))}
    assert set(cards) == set(session.exec(select(Contact.name).where(
        Contact.owner_id == maya.id)).all())
    assert all(card.version.value == "3.0" for card in cards.values())
    zoe = cards["Zoë =Evil"]
    assert zoe.org.value == [TRICKY["organization"]]
    assert zoe.title.value == TRICKY["title"]
    assert zoe.email.value == TRICKY["email"] and zoe.tel.value == TRICKY["phone"]
    assert zoe.adr.value.street == TRICKY["mailing_address"]
    assert zoe.label.value == TRICKY["mailing_address"]
    assert zoe.url.value == TRICKY["linkedin_url"]
    assert zoe.n.value.given == "Zoë" and zoe.n.value.family == "=Evil"
    assert zoe.note.value == "Informational interview contact: exploring Physical therapy."
    okafor = cards["Sam Okafor, DPT"]
    assert (okafor.n.value.given, okafor.n.value.family, okafor.n.value.suffix) == (
        "Sam", "Okafor", "DPT")
    assert "Referred by Dr. Elena Rivera." in okafor.note.value
    assert not hasattr(cards["Dr. Elena Rivera"], "adr")
    assert "Stranger" not in raw.decode("utf-8")


def test_an_empty_account_exports_empty_lists(session: Session) -> None:
    owner, _ = student_with_exploration(session, 1)
    data = json.loads(data_export.export_json(session, owner))
    assert data["contacts"] == data["interviews"] == data["questions"] == []
    assert len(data["explorations"]) == 1
    assert data_export.contacts_csv(session, owner).decode("utf-8-sig").splitlines() == [
        ",".join(heading for _, heading in data_export.CSV_COLUMNS)]
    assert data_export.contacts_vcard(session, owner) == b""


def test_exports_run_a_fixed_number_of_queries(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    add_interview(session, add_contact(session, owner, exploration, "First"))

    def counts() -> list[int]:
        found = []
        for make in (data_export.export_json, data_export.contacts_csv, data_export.contacts_vcard):
            with statements(session) as seen:
                make(session, owner)
            found.append(len(seen))
        return found

    few = counts()
    for n in range(5):
        contact = add_contact(session, owner, exploration, f"Person {n}", email=f"p{n}@x.org")
        add_interview(session, contact)
        add_interview(session, contact)
    assert counts() == few
    assert few[1] == few[2] == 1

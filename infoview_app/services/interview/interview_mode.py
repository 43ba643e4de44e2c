"""Step 5, Interview: interview mode's data. The prepared questions with a note each, free
notes and the professional-presence checklist, saved as the student types; the business card;
the two more names; and completing the interview, which creates the follow-up tasks.

Every interview id comes from the browser and is loaded with its owner (ownership.owned)."""

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TypedDict

from sqlmodel import Session, SQLModel, col, select, update

from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewAnswer,
    InterviewStatus,
    PipelineStage,
    Question,
)
from infoview_app.models._base import utcnow
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.time_zones import in_zone
from infoview_app.services.core.transactions import save, transaction
from infoview_app.services.develop.contacts import (
    ContactFields,
    ContactRecord,
    clean_contact,
    duplicate_warning,
)
from infoview_app.services.follow_up.due_dates import after_interview_tasks
from infoview_app.services.follow_up.to_do import TaskRow, keep_in_touch, new_task, task_row
from infoview_app.services.staff.institution import reader_zone, today_for

NOTES_MAX = 20_000
CHECKLIST_ITEMS = ("arrived_early", "asked_for_card", "thanked_them")
# What a business card holds: the contact's other fields (source, LinkedIn) stay as they are.
CARD_FIELDS = ("name", "title", "organization", "email", "phone", "mailing_address")
_STAGE_ORDER = list(PipelineStage)


def notes_text(value: Any, field: str, label: str = "Notes") -> str:
    """Free text of at most 20,000 characters, kept exactly as typed (not trimmed: autosave
    stores the field mid-sentence). Refuses what the databases can't store: NUL characters
    (PostgreSQL) and lone surrogates (not UTF-8)."""
    return check.free_text(value, field, max_length=NOTES_MAX, label=label)


JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


class InterviewRecord(TypedDict):
    """An interview as JSON-ready data, without its owner and its free notes."""
    id: int
    contact_id: int
    exploration_id: int
    scheduled_at: str
    duration_minutes: int
    mode: str
    location: str
    status: str
    business_card_captured: bool
    arrived_early: bool
    asked_for_card: bool
    thanked_them: bool
    will_report_back: bool
    completed_at: str | None
    created_at: str


class SavedAnswer(TypedDict):
    question_id: int
    question: str
    position: int
    answer: str


class SheetQuestion(TypedDict):
    question_id: int
    question: str
    category: str
    answer: str


class ExplorationRef(TypedDict):
    id: int
    field_name: str


class BusinessCard(TypedDict):
    name: str
    title: str
    organization: str
    email: str
    phone: str
    mailing_address: str
    captured: bool


class Referral(TypedDict):
    id: int
    name: str
    may_use_referrer_name: bool


class InterviewSheet(TypedDict):
    interview: InterviewRecord
    contact: ContactRecord
    exploration: ExplorationRef
    questions: list[SheetQuestion]
    notes: str
    checklist: dict[str, bool]
    card: BusinessCard
    referrals: list[Referral]


class SavedContact(TypedDict):
    """A contact saved from interview mode, and a duplicate warning (or "")."""
    contact: ContactRecord
    duplicate_warning: str


def _dump(row: SQLModel, *exclude: str) -> Any:
    """A row as plain JSON-ready data (ISO dates, enum values). Enum columns are stored as
    strings and read back as such: not a serializer problem."""
    return row.model_dump(mode="json", exclude=set(exclude), warnings=False)


def record_data(row: SQLModel, *exclude: str) -> dict[str, JsonValue]:
    """Any row as JSON-ready data, for the export (which writes every column)."""
    return _dump(row, *exclude)


def contact_data(contact: Contact) -> ContactRecord:
    return ContactRecord(**_dump(contact, "owner_id"))


def interview_data(interview: Interview) -> InterviewRecord:
    return InterviewRecord(**_dump(interview, "owner_id", "notes"))


def owned_interview(session: Session, owner_id: int, interview_id: Any) -> Interview:
    return owned(session, Interview, owner_id, interview_id, "interview")


def answers_by_interview(session: Session, interview_ids: Iterable[int | None]
                         ) -> dict[int, list[SavedAnswer]]:
    """The saved answers of these interviews (the caller has checked their owner), each with
    its question's text, in question order. One query."""
    rows = session.exec(
        select(InterviewAnswer, Question.text)
        .join(Question, col(Question.id) == col(InterviewAnswer.question_id), isouter=True)
        .where(col(InterviewAnswer.interview_id).in_(list(interview_ids)))
        .order_by(col(InterviewAnswer.interview_id), col(InterviewAnswer.position),
                  col(InterviewAnswer.id))
    ).all()
    found: dict[int, list[SavedAnswer]] = {}
    seen: set[tuple[int, int]] = set()
    for answer, text in rows:
        # Two autosaves racing may both insert; they hold the same text (save_answer updates
        # every copy), so the first is the answer.
        if (answer.interview_id, answer.question_id) in seen:
            continue
        seen.add((answer.interview_id, answer.question_id))
        found.setdefault(answer.interview_id, []).append(SavedAnswer(
            question_id=answer.question_id, question=text or "", position=answer.position,
            answer=answer.answer))
    return found


def interview_sheet(session: Session, owner_id: int, interview_id: Any) -> InterviewSheet:
    """Everything interview mode shows: the interview, the contact and the field, the
    questions chosen for the exploration in order (then any answered question no longer
    chosen) with their saved answers, the free notes, the checklist, the business card and
    the people this contact referred."""
    interview = owned_interview(session, owner_id, interview_id)
    contact = owned(session, Contact, owner_id, interview.contact_id, "contact")
    exploration = owned(session, Exploration, owner_id, interview.exploration_id, "exploration")
    chosen = session.exec(
        select(Question.id, Question.text, Question.category, ExplorationQuestion.position)
        .join(ExplorationQuestion, col(ExplorationQuestion.question_id) == col(Question.id))
        .where(ExplorationQuestion.exploration_id == exploration.id)
        .order_by(col(ExplorationQuestion.position), col(ExplorationQuestion.id))).all()
    answers = {a["question_id"]: a for a in
               answers_by_interview(session, [interview.id]).get(interview.id or 0, [])}
    questions: list[SheetQuestion] = []
    for question_id, text, category, _position in chosen:
        saved = answers.pop(question_id or 0, None)
        questions.append(SheetQuestion(question_id=question_id or 0, question=text,
                                       category=category,
                                       answer=saved["answer"] if saved else ""))
    questions += [SheetQuestion(question_id=a["question_id"], question=a["question"],
                                category="", answer=a["answer"]) for a in answers.values()]
    referrals = session.exec(
        select(Contact.id, Contact.name, Contact.may_use_referrer_name)
        .where(Contact.owner_id == owner_id, Contact.referred_by_id == contact.id)
        .order_by(col(Contact.id))).all()
    return InterviewSheet(
        interview=interview_data(interview),
        contact=contact_data(contact),
        exploration=ExplorationRef(id=exploration.id or 0, field_name=exploration.field_name),
        questions=questions,
        notes=interview.notes,
        checklist={item: getattr(interview, item) for item in CHECKLIST_ITEMS},
        card=BusinessCard(name=contact.name, title=contact.title,
                          organization=contact.organization, email=contact.email,
                          phone=contact.phone, mailing_address=contact.mailing_address,
                          captured=interview.business_card_captured),
        referrals=[Referral(id=rid or 0, name=name, may_use_referrer_name=may_use)
                   for rid, name, may_use in referrals],
    )


class _Answer(TypedDict):
    question_id: int
    text: str


def save_answer(session: Session, owner_id: int, interview_id: Any, question_id: Any,
                text: Any, *, now: datetime | None = None) -> None:
    """Save the note for one question (autosave: creates it or replaces it). The question
    must be chosen for the interview's exploration, or already answered in this interview.
    A note is a touch with the contact (``keep_in_touch``)."""
    clean = check.form(_Answer, question_id=lambda: check.record_id(question_id, "question_id"),
                       text=lambda: notes_text(text, "answer", "Notes"))
    interview = owned_interview(session, owner_id, interview_id)
    qid = clean["question_id"]
    with transaction(session):
        # Every copy is updated, so two autosaves that raced to insert stay identical.
        updated = session.exec(update(InterviewAnswer).where(
            col(InterviewAnswer.interview_id) == interview.id,
            col(InterviewAnswer.question_id) == qid).values(answer=clean["text"]))
        if updated.rowcount == 0:
            position = session.exec(select(ExplorationQuestion.position).where(
                ExplorationQuestion.exploration_id == interview.exploration_id,
                ExplorationQuestion.question_id == qid)).first()
            if position is None:
                raise NotFound("That question is not in this interview.", "question_id")
            session.add(InterviewAnswer(interview_id=interview.id or 0, question_id=qid,
                                        position=position, answer=clean["text"]))
        _touched(session, owner_id, interview, now)


def _touched(session: Session, owner_id: int, interview: Interview,
             now: datetime | None) -> None:
    """Notes written about a held interview are a touch with its contact: their progress
    update restarts its 4-week cadence from the student's today (``now`` is for tests). Notes
    typed while it is under way cost nothing more: no progress update exists before it is
    held. The caller commits."""
    if interview.status != InterviewStatus.COMPLETED:
        return
    keep_in_touch(session, owner_id, interview.contact_id, today_for(session, owner_id, now))


def save_free_notes(session: Session, owner_id: int, interview_id: Any, text: Any, *,
                    now: datetime | None = None) -> None:
    """Save the interview's free notes (autosave): a touch with the contact, as a note is."""
    notes = notes_text(text, "notes", "Notes")
    interview = owned_interview(session, owner_id, interview_id)
    interview.notes = notes
    with transaction(session):
        _touched(session, owner_id, interview, now)
        session.add(interview)


def set_checklist(session: Session, owner_id: int, interview_id: Any, item: Any,
                  value: Any) -> dict[str, bool]:
    """Tick or untick one professional-presence item; returns the whole checklist."""
    if item not in CHECKLIST_ITEMS:
        raise InvalidInput("Choose one of the listed items.", "item")
    ticked = check.flag(value, str(item))
    interview = owned_interview(session, owner_id, interview_id)
    setattr(interview, item, ticked)
    save(session, interview)
    return {name: getattr(interview, name) for name in CHECKLIST_ITEMS}


def save_business_card(session: Session, owner_id: int, interview_id: Any, form: Any
                       ) -> SavedContact:
    """Copy the business card onto the interviewed contact, with the contact form's rules.
    A card field left out of ``form`` keeps its value (one field can be saved at a time); a
    field sent empty is cleared. Returns the contact and a duplicate warning (or "")."""
    interview = owned_interview(session, owner_id, interview_id)
    contact = owned(session, Contact, owner_id, interview.contact_id, "contact")
    if not isinstance(form, Mapping):
        clean_contact(form)  # raises the contact form's "could not be read"
    # Only the card's fields are checked: a hidden field (LinkedIn, source) can't block it.
    current = {name: getattr(contact, name) for name in CARD_FIELDS}
    fields = clean_contact(current | {name: form[name] for name in CARD_FIELDS if name in form})
    for name in CARD_FIELDS:
        setattr(contact, name, getattr(fields, name))
    interview.business_card_captured = True
    warning = duplicate_warning(session, owner_id, fields, exclude_id=contact.id)
    save(session, contact, interview)
    return SavedContact(contact=contact_data(contact), duplicate_warning=warning)


def _clean_referral(form: Any, may_use_name: Any) -> tuple[ContactFields, bool]:
    """The referred person's form and the permission, every bad field reported at once."""
    errors: dict[str, str] = {}
    fields: ContactFields | None = None
    permission = False
    try:
        fields = clean_contact((dict(form) | {"source": ContactSource.REFERRAL})
                               if isinstance(form, Mapping) else form)
    except InvalidInput as error:
        errors |= error.errors
    try:
        permission = check.flag(may_use_name, "may_use_name")
    except InvalidInput as error:
        errors |= error.errors
    if errors:
        field, message = next(iter(errors.items()))
        raise InvalidInput(message, field, errors)
    assert fields is not None
    return fields, permission


def add_referral(session: Session, owner_id: int, interview_id: Any, form: Any,
                 may_use_name: Any) -> SavedContact:
    """One of the "two more names": a new contact in the same exploration, referred by the
    interviewed contact, with whether the student may say who sent them. Returns the new
    contact and a duplicate warning (or "": it is added either way, as the contact form
    does)."""
    fields, permission = _clean_referral(form, may_use_name)
    interview = owned_interview(session, owner_id, interview_id)
    referrer = owned(session, Contact, owner_id, interview.contact_id, "contact")
    warning = duplicate_warning(session, owner_id, fields)
    contact = Contact(owner_id=owner_id, exploration_id=interview.exploration_id,
                      referred_by_id=referrer.id, may_use_referrer_name=permission,
                      **asdict(fields))
    save(session, contact)
    return SavedContact(contact=contact_data(contact), duplicate_warning=warning)


def _ended_on(interview: Interview, zone: tzinfo, today: date) -> datetime:
    """When the interview ended, in the student's zone (an interview ending at 23:30 in Los
    Angeles ended that day, not on the next UTC day); never after ``today`` (the student's),
    as an interview recorded as held has happened."""
    end = in_zone(interview.scheduled_at + timedelta(minutes=interview.duration_minutes), zone)
    return end if end.date() <= today else datetime.combine(today, time(), zone)


def complete_interview(session: Session, owner_id: int, interview_id: Any, *,
                       will_report_back: Any, today: date) -> list[TaskRow]:
    """Record the interview as held: the contact moves to "interviewed" (never back from
    "thanked"), and the thank-you note, LinkedIn and, if the student said "I'll let you know
    how it goes", progress-update tasks are added. Completing again adds no task twice nor
    brings back one the student skipped; saying no longer reporting back drops the open
    progress update. Due dates count from the interview's local date in the student's zone
    (``reader_zone``); ``today`` is the student's. Returns the interview's open tasks."""
    report_back = check.flag(will_report_back, "will_report_back")
    interview = owned_interview(session, owner_id, interview_id)
    zone = reader_zone(session, owner_id)
    if interview.status == InterviewStatus.CANCELLED:
        raise InvalidInput("This interview was cancelled.", "status")
    contact = owned(session, Contact, owner_id, interview.contact_id, "contact")
    tasks = session.exec(select(FollowUpTask).where(
        FollowUpTask.owner_id == owner_id, FollowUpTask.interview_id == interview.id)).all()
    dropped = [] if report_back else [
        t for t in tasks
        if t.kind == FollowUpKind.PROGRESS_UPDATE and t.status == FollowUpStatus.OPEN]
    kept = [t for t in tasks if t not in dropped]
    present = {t.kind for t in kept}
    added = [new_task(owner_id, interview.exploration_id, contact.id, interview.id, due)
             for due in after_interview_tasks(_ended_on(interview, zone, today), today)
             if due.kind not in present
             and (report_back or due.kind != FollowUpKind.PROGRESS_UPDATE)]
    interview.status = InterviewStatus.COMPLETED
    interview.completed_at = interview.completed_at or utcnow()
    interview.will_report_back = report_back
    if _STAGE_ORDER.index(PipelineStage(contact.stage)) < _STAGE_ORDER.index(
            PipelineStage.INTERVIEWED):
        contact.stage = PipelineStage.INTERVIEWED
    for task in dropped:
        session.delete(task)
    save(session, interview, contact, *added)
    open_tasks = sorted((t for t in kept + added if t.status == FollowUpStatus.OPEN),
                        key=lambda t: (t.due_on, t.id or 0))
    return [task_row(task, contact.name, today) for task in open_tasks]

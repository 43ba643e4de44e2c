"""The office's question bank as career-office staff keep it: the sample questions and the
staff's own, added, edited, retired and restored, in categories.

Decisions:
- Staff manage the office's questions (origin "sample" or "staff"); a student's own
  questions are theirs alone and read as not found here.
- Retiring is not deleting: a retired question is no longer offered to students
  (services/prepare/questions.py keeps only active ones in the bank), but the explorations and
  interviews that chose it keep it, with the student's answers.
- Editing changes the wording everywhere, also where students already chose the question,
  so corrections reach them. To ask something different, staff add a new question and retire
  the old one (the edit form says so).
"""

from dataclasses import dataclass
from typing import Any, TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from infoview_app.models import Exploration, ExplorationQuestion, Question, QuestionOrigin
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import NotFound
from infoview_app.services.core.transactions import save
from infoview_app.services.prepare.questions import CATEGORY_MAX, QUESTION_MAX
from infoview_app.services.staff import institution
from infoview_app.services.staff.records import set_active
from infoview_app.services.staff.suppression import CellRounder, rounding_key, shown, small

OFFICE_ORIGINS = (QuestionOrigin.SAMPLE.value, QuestionOrigin.STAFF.value)
FORM_FIELDS = ("text", "category")


def _is_office_question() -> Any:
    return col(Question.origin).in_(OFFICE_ORIGINS)


@dataclass(frozen=True)
class SavedQuestion:
    """An office question just added, edited, retired or restored."""
    id: int
    text: str
    category: str
    is_active: bool


def _saved(question: Question) -> SavedQuestion:
    return SavedQuestion(id=question.id or 0, text=question.text, category=question.category,
                         is_active=question.is_active)


class QuestionFields(TypedDict):
    text: str
    category: str


class OfficeQuestion(TypedDict):
    """An office question in the staff bank; ``chosen`` is the rounded count as shown."""
    id: int
    text: str
    category: str
    active: bool
    sample: bool
    chosen: str


def clean_question(form: Any) -> QuestionFields:
    form = form if isinstance(form, dict) else {}
    return check.form(
        QuestionFields,
        text=lambda: check.text(form.get("text"), "text", max_length=QUESTION_MAX,
                                label="Question"),
        category=lambda: check.text(form.get("category"), "category",
                                    max_length=CATEGORY_MAX, label="Category"),
    )


def _question(session: Session, question_id: Any) -> Question:
    qid = check.record_id(question_id, "question_id")
    question = session.exec(select(Question).where(Question.id == qid,
                                                   _is_office_question())).first()
    if question is None:
        raise NotFound("That question no longer exists.", "form")
    return question


def office_questions(session: Session) -> list[OfficeQuestion]:
    """Every office question, active ones first, by category and position, with how many
    explorations chose it, rounded to a multiple of 5 ("<N" when fewer students than the
    institution's minimum group size did: staff see no individual's choices). One query for
    the questions."""
    def per_question(counted: Any) -> Any:
        return (select(counted).select_from(ExplorationQuestion)
                .join(Exploration, col(Exploration.id) == col(ExplorationQuestion.exploration_id))
                .where(ExplorationQuestion.question_id == Question.id).scalar_subquery())

    chosen = per_question(func.count())
    students = per_question(func.count(func.distinct(Exploration.owner_id)))
    rows = session.exec(
        select(Question, chosen.label("chosen"), students.label("students"))
        .where(_is_office_question())
        .order_by(col(Question.is_active).desc(), func.lower(Question.category),
                  col(Question.position), col(Question.id))
    ).all()
    k = institution.min_group_size(session)
    rounder = CellRounder(rounding_key(session))

    def chosen_as_shown(question_id: int, times: int, students: int) -> str:
        """Rounded like every staff figure (services/staff/suppression.py: each question a
        cell of its own), so comparing the counts of two days tells no single student's choice."""
        if not times:
            return "0"  # nobody chose it: no student to protect
        if students < k:
            return small(k)
        return shown(rounder.row(("question chosen", question_id), [times])[0], k)

    return [OfficeQuestion(id=q.id or 0, text=q.text, category=q.category, active=q.is_active,
                           sample=q.origin == QuestionOrigin.SAMPLE.value,
                           chosen=chosen_as_shown(q.id or 0, times, students))
            for q, times, students in rows]


def categories(session: Session) -> list[str]:
    """The categories the office's active questions use, to offer when writing one."""
    return sorted(set(session.exec(select(Question.category).where(
        _is_office_question(), col(Question.is_active).is_(True))).all()), key=str.casefold)


def add_question(session: Session, form: Any) -> SavedQuestion:
    """A staff question, placed after the office's other questions of its category."""
    values = clean_question(form)
    last = session.exec(select(func.max(Question.position)).where(
        _is_office_question(), Question.category == values["category"])).one()
    question = Question(**values, origin=QuestionOrigin.STAFF, position=(last or 0) + 1)
    save(session, question)
    return _saved(question)


def update_question(session: Session, question_id: Any, form: Any) -> SavedQuestion:
    values = clean_question(form)
    question = _question(session, question_id)
    question.text, question.category = values["text"], values["category"]
    save(session, question)
    return _saved(question)


def set_question_active(session: Session, question_id: Any, active: Any) -> SavedQuestion:
    """Retire (``active`` False) or restore an office question."""
    return _saved(set_active(session, lambda: _question(session, question_id), active))


def question_form_values(session: Session, question_id: Any) -> dict[str, str]:
    question = _question(session, question_id)
    return {"text": question.text, "category": question.category}

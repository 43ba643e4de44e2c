"""Step 3, Prepare: the questions a student will ask in one exploration, chosen from their
question bank (the office's sample questions, staff questions and their own) and put in
order, plus suggestions written from the chosen occupation's tasks.

Decisions:
- The bank is every active sample and staff question and the student's own active
  questions. Another student's question reads as not found.
- A question the office retires stays in the explorations that already chose it (marked
  ``retired``); it can no longer be chosen anew.
- Positions are renumbered 1..n on every change, so the order never depends on old gaps or
  ties; the renumbering is one bulk UPDATE, not one statement per question.
- Each function runs a fixed number of queries whatever the number of questions.
"""

from typing import Any, NamedTuple, TypedDict

from sqlalchemy import case, func, update
from sqlmodel import Session, col, delete, or_, select

from infoview_app.models import Exploration, ExplorationQuestion, Question, QuestionOrigin
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.transactions import saving
from infoview_app.services.core.wording import ORIGIN_LABELS, SUGGESTION_LABEL
from infoview_app.services.develop.contacts import fold
from infoview_app.services.journey.explorations import owned_exploration
from infoview_app.services.prepare.pitch_store import JobWordHint, job_word_hints
from infoview_app.services.research.occupations import get_occupation

QUESTION_MAX = 500
CATEGORY_MAX = 60
OWN_QUESTIONS_MAX = 50
OWN_CATEGORY = "My questions"
# The category of a suggestion the student added: it stays marked as a suggestion in their
# bank and their list (the student's own form never sets a category).
SUGGESTION_CATEGORY = "Suggested"
BANK_QUERY_MAX = 100
SUGGESTIONS_MAX = 20
SUGGESTION_TEMPLATE = "What is it like to {task}?"
DIRECTIONS = ("up", "down")

_ORIGIN_ORDER = case({QuestionOrigin.SAMPLE.value: 0, QuestionOrigin.STAFF.value: 1},
                     value=col(Question.origin), else_=2)


class BankQuestion(TypedDict):
    id: int
    text: str
    category: str
    origin: str


class ChosenQuestion(BankQuestion):
    """A question chosen for an exploration: its place, whether staff retired it, and the
    job-seeking words in it."""
    position: int
    retired: bool
    suggested: bool  # added from the occupation's suggestions
    job_words: list[JobWordHint]


def _in_bank(owner_id: int) -> Any:
    """The condition for a question in ``owner_id``'s bank."""
    shared = col(Question.origin).in_([QuestionOrigin.SAMPLE.value, QuestionOrigin.STAFF.value])
    own = (Question.origin == QuestionOrigin.STUDENT.value) & (Question.owner_id == owner_id)
    return col(Question.is_active).is_(True) & or_(shared, own)


def is_suggestion(origin: str, category: str) -> bool:
    """Whether a question is a suggestion the student added (see SUGGESTION_CATEGORY)."""
    return origin == QuestionOrigin.STUDENT.value and category == SUGGESTION_CATEGORY


class GroupedQuestion(TypedDict):
    id: int
    text: str
    chosen: bool  # already among the exploration's questions


class BankGroup(TypedDict):
    title: str  # "Sample questions · About the work", the student's own, or suggestions
    questions: list[GroupedQuestion]


def bank_groups(bank: list[BankQuestion], chosen_ids: set[int]) -> list[BankGroup]:
    """The bank as the page lists it: groups (origin · category) in the bank's order, each
    question saying whether it is already chosen. The student's added suggestions form their
    own group, apart from the questions they wrote."""
    groups: list[BankGroup] = []
    for question in bank:
        title = ORIGIN_LABELS.get(question["origin"], "Questions")
        if is_suggestion(question["origin"], question["category"]):
            title = SUGGESTION_LABEL
        elif question["origin"] != "student":
            title += f" · {question['category']}"
        if not groups or groups[-1]["title"] != title:
            groups.append(BankGroup(title=title, questions=[]))
        groups[-1]["questions"].append(GroupedQuestion(
            id=question["id"], text=question["text"], chosen=question["id"] in chosen_ids))
    return groups


def bank_search(query: Any) -> str:
    """The question bank's search words, checked: at most ``BANK_QUERY_MAX`` characters."""
    return check.text(query, "bank_query", max_length=BANK_QUERY_MAX, required=False,
                      label="Search")


def filter_bank(groups: list[BankGroup], query: str) -> list[BankGroup]:
    """The groups keeping only the questions whose text or group title holds every word of
    ``query`` (ignoring case); groups left empty are dropped. An
    empty query keeps everything."""
    words = fold(query).split()
    if not words:
        return groups
    kept: list[BankGroup] = []
    for group in groups:
        title = fold(group["title"])
        found = [q for q in group["questions"]
                 if all(word in fold(q["text"]) or word in title for word in words)]
        if found:
            kept.append(BankGroup(title=group["title"], questions=found))
    return kept


def question_bank(session: Session, owner_id: int) -> list[BankQuestion]:
    """The questions ``owner_id`` may choose from: sample, then staff, then their own; within
    each, by category and then the curated position. Each has id, text, category, origin."""
    rows = session.exec(
        select(Question.id, Question.text, Question.category, Question.origin)
        .where(_in_bank(owner_id))
        .order_by(_ORIGIN_ORDER, func.lower(Question.category), col(Question.category),
                  col(Question.position), col(Question.id))
    ).all()
    return [BankQuestion(id=question_id or 0, text=text, category=category,
                         origin=QuestionOrigin(origin).value)
            for question_id, text, category, origin in rows]


class _Chosen(NamedTuple):
    """One chosen question of an exploration (plain columns: never a stale ORM object)."""

    id: int
    question_id: int
    position: int


def _chosen_rows(session: Session, exploration: Exploration) -> list[_Chosen]:
    """The exploration's chosen questions in their order."""
    rows = session.exec(
        select(ExplorationQuestion.id, ExplorationQuestion.question_id,
               ExplorationQuestion.position)
        .where(ExplorationQuestion.exploration_id == exploration.id)
        .order_by(col(ExplorationQuestion.position), col(ExplorationQuestion.id)))
    return [_Chosen(row_id or 0, question_id, position)
            for row_id, question_id, position in rows]


def _save_order(session: Session, rows: list[_Chosen]) -> None:
    """Number ``rows`` 1..n in the given order, in one bulk UPDATE by primary key."""
    changed = [{"id": row.id, "position": position}
               for position, row in enumerate(rows, start=1) if row.position != position]
    if changed:
        session.exec(update(ExplorationQuestion), params=changed)


def chosen_questions(session: Session, owner_id: int, exploration_id: Any
                     ) -> list[ChosenQuestion]:
    """The questions chosen for one of the owner's explorations, in order. Each has id
    (the question's), text, category, origin, position, ``retired`` and ``job_words``."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    chosen = session.exec(
        select(Question)
        .join(ExplorationQuestion, col(ExplorationQuestion.question_id) == col(Question.id))
        .where(ExplorationQuestion.exploration_id == exploration.id)
        .order_by(col(ExplorationQuestion.position), col(ExplorationQuestion.id))
    ).all()
    return [ChosenQuestion(id=question.id or 0, text=question.text, category=question.category,
                           origin=QuestionOrigin(question.origin).value, position=position,
                           retired=not question.is_active,
                           suggested=is_suggestion(question.origin, question.category),
                           job_words=job_word_hints(question.text))
            for position, question in enumerate(chosen, start=1)]


def _append(session: Session, exploration: Exploration, rows: list[_Chosen],
            question_id: int) -> None:
    """Add ``question_id`` at the end of the list (call inside ``saving``)."""
    assert exploration.id is not None
    _save_order(session, rows)
    session.add(ExplorationQuestion(exploration_id=exploration.id, question_id=question_id,
                                    position=len(rows) + 1))


def choose_question(session: Session, owner_id: int, exploration_id: Any,
                    question_id: Any) -> None:
    """Add a question from the owner's bank to the end of the exploration's list. Choosing a
    question already in the list changes nothing; one outside the bank is NotFound."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    qid = check.record_id(question_id, "question_id")
    rows = _chosen_rows(session, exploration)
    if any(row.question_id == qid for row in rows):
        return
    if session.exec(select(Question.id).where(Question.id == qid, _in_bank(owner_id))
                    ).first() is None:
        raise NotFound("That question no longer exists.")
    with saving(session, exploration):
        _append(session, exploration, rows, qid)


def _chosen_and_index(session: Session, owner_id: int, exploration_id: Any,
                      question_id: Any) -> tuple[Exploration, list[_Chosen], int]:
    """The exploration, its chosen questions in order and the index of ``question_id``
    among them (NotFound if it is not chosen)."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    qid = check.record_id(question_id, "question_id")
    rows = _chosen_rows(session, exploration)
    index = next((i for i, row in enumerate(rows) if row.question_id == qid), None)
    if index is None:
        raise NotFound("That question is not in your list.")
    return exploration, rows, index


def remove_question(session: Session, owner_id: int, exploration_id: Any,
                    question_id: Any) -> None:
    """Take a question out of the exploration's list (it stays in the bank)."""
    exploration, rows, index = _chosen_and_index(session, owner_id, exploration_id,
                                                 question_id)
    removed = rows.pop(index)
    with saving(session, exploration):
        session.exec(delete(ExplorationQuestion).where(
            col(ExplorationQuestion.id) == removed.id))
        _save_order(session, rows)


def move_question(session: Session, owner_id: int, exploration_id: Any, question_id: Any,
                  direction: Any) -> None:
    """Move a chosen question one place "up" or "down"; at either end it stays put."""
    if direction not in DIRECTIONS:
        raise InvalidInput("Choose up or down.", "direction")
    exploration, rows, index = _chosen_and_index(session, owner_id, exploration_id,
                                                 question_id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
        with saving(session, exploration):
            _save_order(session, rows)


def reorder_questions(session: Session, owner_id: int, exploration_id: Any,
                      question_ids: Any) -> None:
    """Put the chosen questions in the order of ``question_ids``, which must name each
    chosen question exactly once (else InvalidInput: the list changed elsewhere)."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    rows = _chosen_rows(session, exploration)
    changed = InvalidInput("Your list of questions has changed. Reload the page and try "
                           "again.", "question_ids")
    if not isinstance(question_ids, list | tuple) or len(question_ids) != len(rows):
        raise changed
    ids = [check.record_id(qid, "question_ids") for qid in question_ids]
    by_question = {row.question_id: row for row in rows}
    if set(ids) != set(by_question):  # with the lengths equal, this also rules out repeats
        raise changed
    with saving(session, exploration):
        _save_order(session, [by_question[qid] for qid in ids])


class _OwnQuestion(TypedDict):
    text: str
    category: str


def add_own_question(session: Session, owner_id: int, exploration_id: Any, text: Any,
                     category: Any = OWN_CATEGORY) -> int:
    """Write a question of the student's own: it joins their bank and the end of this
    exploration's list. The same wording as one of their questions (ignoring case and
    spacing) reuses that question. At most ``OWN_QUESTIONS_MAX`` per student. Returns the
    question's id."""
    values = check.form(
        _OwnQuestion,
        text=lambda: check.text(text, "text", max_length=QUESTION_MAX, label="Question"),
        category=lambda: check.text(category, "category", max_length=CATEGORY_MAX,
                                    required=False, label="Category"),
    )
    exploration = owned_exploration(session, owner_id, exploration_id)
    own = session.exec(
        select(Question.id, Question.text, Question.position)
        .where(Question.origin == QuestionOrigin.STUDENT.value, Question.owner_id == owner_id,
               col(Question.is_active).is_(True))
    ).all()
    rows = _chosen_rows(session, exploration)
    same = next((qid for qid, text, _ in own if fold(text) == fold(values["text"])), None)
    if same is not None:
        if all(row.question_id != same for row in rows):
            with saving(session, exploration):
                _append(session, exploration, rows, same)
        return same
    if len(own) >= OWN_QUESTIONS_MAX:
        raise InvalidInput(f"You can write at most {OWN_QUESTIONS_MAX} questions of your own.",
                           "text")
    question = Question(text=values["text"], category=values["category"] or OWN_CATEGORY,
                        origin=QuestionOrigin.STUDENT, owner_id=owner_id,
                        position=max((position for _, _, position in own), default=0) + 1)
    with saving(session, exploration):
        session.add(question)
        session.flush()
        assert question.id is not None
        _append(session, exploration, rows, question.id)
    return question.id


def question_from_task(statement: str) -> str:
    """An open interview question about one task statement, or "" if the statement is empty
    or the question would be longer than a question may be: "Direct or coordinate financial
    activities." gives "What is it like to direct or coordinate financial activities?".
    Task statements are verb phrases, so the template needs no grammar beyond lower-casing
    the first letter (kept when the first word is an acronym, "IT" or "3D")."""
    task = " ".join(statement.split()).rstrip(".;:!?, ")
    first_word = task.split(" ", 1)[0]
    if len(first_word) < 2 or not (first_word[1].isupper() or first_word[1].isdigit()):
        task = task[:1].lower() + task[1:]
    question = SUGGESTION_TEMPLATE.format(task=task) if task else ""
    return question if len(question) <= QUESTION_MAX else ""


def suggested_questions(session: Session, owner_id: int, exploration_id: Any,
                        limit: Any = 5) -> list[str]:
    """Up to ``limit`` questions written from the tasks of the exploration's occupation,
    typical (Core) tasks first, leaving out any the student already has among their own
    questions. Empty when no occupation is chosen."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= SUGGESTIONS_MAX:
        raise InvalidInput(f"Ask for 1 to {SUGGESTIONS_MAX} suggestions.", "limit")
    exploration = owned_exploration(session, owner_id, exploration_id)
    occupation = (get_occupation(session, exploration.occupation_code)
                  if exploration.occupation_code else None)
    if occupation is None:
        return []
    taken = {fold(text) for text in session.exec(
        select(Question.text).where(Question.origin == QuestionOrigin.STUDENT.value,
                                    Question.owner_id == owner_id))}
    suggestions: list[str] = []
    for task in occupation["tasks"]:
        question = question_from_task(task["statement"])
        if question and fold(question) not in taken:
            taken.add(fold(question))
            suggestions.append(question)
            if len(suggestions) == limit:
                break
    return suggestions

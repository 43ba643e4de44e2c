"""Step 3's questions against SQLite and PostgreSQL: the bank, choosing and ordering, the
student's own questions, retired questions, suggestions from tasks, owner scoping and the
number of queries."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Exploration,
    ExplorationQuestion,
    Occupation,
    OccupationTask,
    Question,
    QuestionOrigin,
)
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.journey import explorations
from infoview_app.services.prepare import questions
from tests.factories import student_with_exploration

ACCOUNTANTS = "13-2011.00"  # a starter occupation (migration 0003), tasks without a type
# The sample questions' positions (migration 0002) in bank order: by category, then position.
SAMPLE_BANK_ORDER = [5, 9, 11,  # Career path
                     3, 4,  # Learning more
                     8, 12,  # Preparing
                     2,  # Skills
                     6, 7,  # The field
                     1, 10]  # The work


def _samples(session: Session) -> dict[int, int]:
    """{position: id} of the seeded sample questions."""
    return {position: qid for qid, position in session.exec(
        select(Question.id, Question.position).where(Question.origin == "sample"))}


def _question(session: Session, text: str, origin: QuestionOrigin, *, category: str = "General",
              position: int = 0, owner_id: int | None = None, active: bool = True) -> int:
    question = Question(text=text, category=category, origin=origin, owner_id=owner_id,
                        position=position, is_active=active)
    session.add(question)
    session.commit()
    assert question.id is not None
    return question.id


def _chosen_ids(session: Session, exploration_id: int) -> list[tuple[int, int]]:
    """(question id, position) of the exploration's choices, as the database holds them."""
    return [tuple(row) for row in session.exec(
        select(ExplorationQuestion.question_id, ExplorationQuestion.position)
        .where(ExplorationQuestion.exploration_id == exploration_id)
        .order_by(ExplorationQuestion.position, ExplorationQuestion.id))]


def _state(session: Session) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every choice and every question in the database, to show a refused call changed
    nothing."""
    choices = session.exec(select(ExplorationQuestion.exploration_id,
                                  ExplorationQuestion.question_id, ExplorationQuestion.position)
                           .order_by(ExplorationQuestion.id)).all()
    bank = session.exec(select(Question.id, Question.text, Question.owner_id, Question.position,
                               Question.is_active).order_by(Question.id)).all()
    return [tuple(row) for row in choices], [tuple(row) for row in bank]


def _choose(session: Session, owner: int, exploration: int, *question_ids: int) -> None:
    for qid in question_ids:
        questions.choose_question(session, owner, exploration, qid)


# --- The bank -----------------------------------------------------------------------------

def test_the_bank_is_samples_then_staff_then_own_by_category_and_position(
        session: Session) -> None:
    owner, _ = student_with_exploration(session, 1, "Accounting")
    other, _ = student_with_exploration(session, 2, "Accounting")
    samples = _samples(session)
    staff_b = _question(session, "Staff B2", QuestionOrigin.STAFF, category="b", position=2)
    staff_a = _question(session, "Staff A", QuestionOrigin.STAFF, category="A", position=9)
    staff_b1 = _question(session, "Staff B1", QuestionOrigin.STAFF, category="b", position=1)
    _question(session, "Retired staff", QuestionOrigin.STAFF, category="A", active=False)
    own_2 = _question(session, "Own 2", QuestionOrigin.STUDENT, category="My questions",
                      position=2, owner_id=owner)
    own_1 = _question(session, "Own 1", QuestionOrigin.STUDENT, category="My questions",
                      position=1, owner_id=owner)
    _question(session, "Own retired", QuestionOrigin.STUDENT, owner_id=owner, active=False)
    _question(session, "Someone else's", QuestionOrigin.STUDENT, owner_id=other)

    bank = questions.question_bank(session, owner)
    assert [q["id"] for q in bank] == (
        [samples[p] for p in SAMPLE_BANK_ORDER] + [staff_a, staff_b1, staff_b, own_1, own_2])
    assert bank[0] == {"id": samples[5], "category": "Career path", "origin": "sample",
                       "text": "What has made you successful in your career? What things did "
                               "you do to achieve your success?"}
    assert bank[-1] == {"id": own_2, "text": "Own 2", "category": "My questions",
                        "origin": "student"}
    assert {q["origin"] for q in bank[12:15]} == {"staff"}
    assert [q["text"] for q in questions.question_bank(session, other)][-1] == "Someone else's"


def test_the_bank_takes_a_fixed_number_of_queries(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    with counting(session) as few:
        questions.question_bank(session, owner)
    for n in range(10):
        questions.add_own_question(session, owner, exploration, f"Own question {n}?")
    with counting(session) as many:
        assert len(questions.question_bank(session, owner)) == 22
    assert len(many) == len(few)


# --- Choosing, removing, ordering ---------------------------------------------------------

def test_chosen_questions_keep_their_order_and_choosing_twice_changes_nothing(
        session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    samples = _samples(session)
    staff = _question(session, "What does a typical week look like?", QuestionOrigin.STAFF,
                      category="The work")
    assert questions.chosen_questions(session, owner, exploration) == []
    _choose(session, owner, exploration, samples[9], staff, samples[1])
    questions.choose_question(session, owner, exploration, str(samples[9]))
    assert _chosen_ids(session, exploration) == [(samples[9], 1), (staff, 2), (samples[1], 3)]
    chosen = questions.chosen_questions(session, owner, exploration)
    assert chosen[1] == {"id": staff, "text": "What does a typical week look like?",
                         "category": "The work", "origin": "staff", "position": 2,
                         "retired": False, "suggested": False, "job_words": []}
    assert [q["id"] for q in chosen] == [samples[9], staff, samples[1]]


def test_remove_takes_a_question_out_and_renumbers(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    samples = _samples(session)
    _choose(session, owner, exploration, samples[1], samples[2], samples[3])
    questions.remove_question(session, owner, exploration, samples[2])
    assert _chosen_ids(session, exploration) == [(samples[1], 1), (samples[3], 2)]
    assert samples[2] in {q["id"] for q in questions.question_bank(session, owner)}
    with pytest.raises(NotFound):
        questions.remove_question(session, owner, exploration, samples[2])
    questions.choose_question(session, owner, exploration, samples[2])
    assert _chosen_ids(session, exploration)[-1] == (samples[2], 3)


def test_move_up_and_down_and_at_the_ends_nothing_moves(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    a, b, c = (_samples(session)[p] for p in (1, 2, 3))
    _choose(session, owner, exploration, a, b, c)
    questions.move_question(session, owner, exploration, c, "up")
    assert _chosen_ids(session, exploration) == [(a, 1), (c, 2), (b, 3)]
    questions.move_question(session, owner, exploration, a, "down")
    assert _chosen_ids(session, exploration) == [(c, 1), (a, 2), (b, 3)]
    questions.move_question(session, owner, exploration, c, "up")
    questions.move_question(session, owner, exploration, b, "down")
    assert _chosen_ids(session, exploration) == [(c, 1), (a, 2), (b, 3)]


@pytest.mark.parametrize("direction", ["left", "UP", "", None, 1, ["up"]])
def test_an_unknown_direction_is_refused(session: Session, direction: Any) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    a, b = (_samples(session)[p] for p in (1, 2))
    _choose(session, owner, exploration, a, b)
    with pytest.raises(InvalidInput) as error:
        questions.move_question(session, owner, exploration, b, direction)
    assert error.value.field == "direction"
    assert _chosen_ids(session, exploration) == [(a, 1), (b, 2)]


def test_moving_a_question_not_chosen_is_not_found(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    a, b = (_samples(session)[p] for p in (1, 2))
    _choose(session, owner, exploration, a)
    with pytest.raises(NotFound):
        questions.move_question(session, owner, exploration, b, "up")


def test_order_survives_ties_and_gaps_left_in_the_database(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    a, b, c = (_samples(session)[p] for p in (1, 2, 3))
    session.add_all([ExplorationQuestion(exploration_id=exploration, question_id=qid,
                                         position=position)
                     for qid, position in ((a, 0), (b, 0), (c, 7))])
    session.commit()
    questions.move_question(session, owner, exploration, b, "up")
    assert _chosen_ids(session, exploration) == [(b, 1), (a, 2), (c, 3)]


def test_reorder_sets_positions_one_to_n(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    a, b, c = (_samples(session)[p] for p in (1, 2, 3))
    _choose(session, owner, exploration, a, b, c)
    questions.reorder_questions(session, owner, exploration, [c, str(a), b])
    assert _chosen_ids(session, exploration) == [(c, 1), (a, 2), (b, 3)]
    assert [q["position"] for q in questions.chosen_questions(session, owner, exploration)] == [
        1, 2, 3]
    questions.reorder_questions(session, owner, exploration, (b, a, c))
    assert _chosen_ids(session, exploration) == [(b, 1), (a, 2), (c, 3)]


WRONG_SETS: dict[str, Callable[[int, int, int, int], Any]] = {
    "one missing": lambda a, b, c, other: [a, b],
    "one extra": lambda a, b, c, other: [a, b, c, other],
    "one swapped for another": lambda a, b, c, other: [a, b, other],
    "a repeat": lambda a, b, c, other: [a, b, b],
    "empty": lambda a, b, c, other: [],
    "not a list": lambda a, b, c, other: f"{a},{b},{c}",
    "a set": lambda a, b, c, other: {a, b, c},
    "a mapping": lambda a, b, c, other: {a: 1, b: 2, c: 3},
    "junk ids": lambda a, b, c, other: [a, b, "c"],
    "a boolean id": lambda a, b, c, other: [a, b, True],
    "None": lambda a, b, c, other: None,
}


@pytest.mark.parametrize("make", WRONG_SETS.values(), ids=WRONG_SETS.keys())
def test_reorder_refuses_anything_but_the_chosen_set(session: Session,
                                                     make: Callable[..., Any]) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    a, b, c, other = (_samples(session)[p] for p in (1, 2, 3, 4))
    _choose(session, owner, exploration, a, b, c)
    before = _state(session)
    with pytest.raises(InvalidInput) as error:
        questions.reorder_questions(session, owner, exploration, make(c, b, a, other))
    assert error.value.field == "question_ids"
    assert _state(session) == before


def test_an_empty_list_reorders_to_nothing(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    questions.reorder_questions(session, owner, exploration, [])
    assert _chosen_ids(session, exploration) == []


# --- Retired questions --------------------------------------------------------------------

@pytest.fixture
def retiring(session: Session) -> Iterator[Session]:
    """The session, for a test that retires sample questions: the PostgreSQL database is
    shared by the tests and keeps the seeded samples, so they are made active again after."""
    yield session
    session.rollback()
    session.exec(sa.update(Question).where(Question.origin == "sample").values(is_active=True))
    session.commit()


def test_a_retired_question_stays_where_it_was_chosen(retiring: Session) -> None:
    session = retiring
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    second = explorations.start_exploration(session, owner, "Auditing")
    staff = _question(session, "Staff question?", QuestionOrigin.STAFF)
    sample = _samples(session)[1]
    _choose(session, owner, exploration, staff, sample)
    session.exec(sa.update(Question).where(col(Question.id).in_([staff, sample]))
                 .values(is_active=False))
    session.commit()

    chosen = questions.chosen_questions(session, owner, exploration)
    assert [(q["id"], q["retired"]) for q in chosen] == [(staff, True), (sample, True)]
    bank_ids = {q["id"] for q in questions.question_bank(session, owner)}
    assert staff not in bank_ids and sample not in bank_ids
    questions.choose_question(session, owner, exploration, staff)  # already chosen: no-op
    questions.move_question(session, owner, exploration, sample, "up")
    assert _chosen_ids(session, exploration) == [(sample, 1), (staff, 2)]
    with pytest.raises(NotFound):
        questions.choose_question(session, owner, second, staff)
    assert _chosen_ids(session, second) == []
    questions.remove_question(session, owner, exploration, staff)
    with pytest.raises(NotFound):
        questions.choose_question(session, owner, exploration, staff)
    assert _chosen_ids(session, exploration) == [(sample, 1)]


# --- The student's own questions ----------------------------------------------------------

def test_an_own_question_joins_the_bank_and_the_list(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    second = explorations.start_exploration(session, owner, "Auditing")
    sample = _samples(session)[1]
    questions.choose_question(session, owner, exploration, sample)
    qid = questions.add_own_question(session, owner, exploration,
                                     "  How did your first year in audit go?  ")
    assert _chosen_ids(session, exploration) == [(sample, 1), (qid, 2)]
    stored = session.exec(select(Question).where(Question.id == qid)).one()
    assert (stored.text, stored.category, stored.origin, stored.owner_id, stored.is_active) == (
        "How did your first year in audit go?", "My questions", "student", owner, True)
    assert questions.question_bank(session, owner)[-1] == {
        "id": qid, "text": "How did your first year in audit go?", "category": "My questions",
        "origin": "student"}
    questions.choose_question(session, owner, second, qid)
    assert _chosen_ids(session, second) == [(qid, 1)]
    other_id = questions.add_own_question(session, owner, exploration, "Q2?", "Money")
    assert session.exec(select(Question.category, Question.position)
                        .where(Question.id == other_id)).one() == ("Money", 2)
    blank = questions.add_own_question(session, owner, exploration, "Q3?", "  ")
    assert session.exec(select(Question.category).where(Question.id == blank)).one() == (
        "My questions")


def test_the_same_wording_reuses_the_question(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    second = explorations.start_exploration(session, owner, "Auditing")
    qid = questions.add_own_question(session, owner, exploration, "How do audits start?")
    assert questions.add_own_question(session, owner, exploration,
                                      "how do  AUDITS start?") == qid
    assert questions.add_own_question(session, owner, second, "How do audits start?") == qid
    assert _chosen_ids(session, exploration) == [(qid, 1)]
    assert _chosen_ids(session, second) == [(qid, 1)]
    assert session.exec(select(func.count()).select_from(Question)
                        .where(Question.owner_id == owner)).one() == 1


def test_own_questions_are_capped_at_fifty(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    for n in range(questions.OWN_QUESTIONS_MAX):
        questions.add_own_question(session, owner, exploration, f"Question {n}?")
    before = _state(session)
    with pytest.raises(InvalidInput) as error:
        questions.add_own_question(session, owner, exploration, "One too many?")
    assert error.value.field == "text"
    assert _state(session) == before
    # An existing one can still be chosen again by its wording.
    assert questions.add_own_question(session, owner, exploration, "Question 0?") > 0


@pytest.mark.parametrize(("text", "category", "fields"), [
    ("x" * 501, "c" * 61, {"text", "category"}),
    ("", "Money", {"text"}),
    ("   ", None, {"text"}),
    (None, "Money", {"text"}),
    (42, ["Money"], {"text", "category"}),
    ("Fine?", "c" * 61, {"category"}),
    ("Bad\x00text?", "Money", {"text"}),
    ("Fine?", "Bad \ud800", {"category"}),
])
def test_an_invalid_own_question_is_refused_whole(session: Session, text: Any, category: Any,
                                                  fields: set[str]) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    before = _state(session)
    with pytest.raises(InvalidInput) as error:
        questions.add_own_question(session, owner, exploration, text, category)
    assert set(error.value.errors) == fields
    assert _state(session) == before


def test_the_longest_own_question_is_accepted(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    qid = questions.add_own_question(session, owner, exploration, "q" * 500, "c" * 60)
    assert questions.chosen_questions(session, owner, exploration)[0]["text"] == "q" * 500
    assert qid > 0


def test_an_own_question_that_asks_for_a_job_is_flagged(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    questions.add_own_question(session, owner, exploration, "Are you hiring interns?")
    [chosen] = questions.chosen_questions(session, owner, exploration)
    assert [hint["term"] for hint in chosen["job_words"]] == ["hiring"]


def test_adding_an_own_question_is_all_or_nothing(session: Session,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    before = _state(session)

    def broken_append(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(questions, "_append", broken_append)
    with pytest.raises(RuntimeError):
        questions.add_own_question(session, owner, exploration, "Will this be kept?")
    assert _state(session) == before


# --- Owner scoping ------------------------------------------------------------------------

def test_another_students_own_question_reads_as_not_found(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    other, other_exploration = student_with_exploration(session, 2, "Accounting")
    theirs = questions.add_own_question(session, other, other_exploration, "Their question?")
    mine = questions.add_own_question(session, owner, exploration, "My question?")
    before = _state(session)
    with pytest.raises(NotFound):
        questions.choose_question(session, owner, exploration, theirs)
    with pytest.raises(NotFound):
        questions.choose_question(session, owner, exploration, theirs + 1000)
    for call in (questions.remove_question,
                 lambda s, o, e, q: questions.move_question(s, o, e, q, "up")):
        with pytest.raises(NotFound):
            call(session, owner, exploration, theirs)
    with pytest.raises(InvalidInput):
        questions.reorder_questions(session, owner, exploration, [theirs])
    assert _state(session) == before
    assert theirs not in {q["id"] for q in questions.question_bank(session, owner)}
    assert [q["id"] for q in questions.chosen_questions(session, owner, exploration)] == [mine]


EXPLORATION_CALLS: dict[str, Callable[[Session, int, int, int], Any]] = {
    "chosen_questions": lambda s, o, e, q: questions.chosen_questions(s, o, e),
    "choose_question": questions.choose_question,
    "remove_question": questions.remove_question,
    "move_question": lambda s, o, e, q: questions.move_question(s, o, e, q, "down"),
    "reorder_questions": lambda s, o, e, q: questions.reorder_questions(s, o, e, [q]),
    "add_own_question": lambda s, o, e, q: questions.add_own_question(s, o, e, "Hijack?"),
    "suggested_questions": lambda s, o, e, q: questions.suggested_questions(s, o, e),
}


@pytest.mark.parametrize("call", EXPLORATION_CALLS.values(), ids=EXPLORATION_CALLS.keys())
def test_another_students_exploration_reads_as_not_found(
        session: Session, call: Callable[[Session, int, int, int], Any]) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    intruder, _ = student_with_exploration(session, 2, "Accounting")
    session.exec(sa.update(Exploration).where(Exploration.id == exploration)
                 .values(occupation_code=ACCOUNTANTS))
    session.commit()
    sample = _samples(session)[1]
    questions.choose_question(session, owner, exploration, sample)
    before = _state(session)
    with pytest.raises(NotFound):
        call(session, intruder, exploration, sample)
    with pytest.raises(NotFound):
        call(session, owner, exploration + 1000, sample)
    assert _state(session) == before


@pytest.mark.parametrize("question_id", ["abc", -1, 0, True, 2.0, None, [1], 2**63])
def test_a_malformed_question_id_is_invalid_input(session: Session, question_id: Any) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    for call in (questions.choose_question, questions.remove_question):
        with pytest.raises(InvalidInput) as error:
            call(session, owner, exploration, question_id)
        assert error.value.field == "question_id"


# --- Suggestions --------------------------------------------------------------------------

def _set_occupation(session: Session, exploration: int, code: str | None) -> None:
    session.exec(sa.update(Exploration).where(Exploration.id == exploration)
                 .values(occupation_code=code))
    session.commit()


def test_no_occupation_means_no_suggestions(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    assert questions.suggested_questions(session, owner, exploration) == []


def test_suggestions_are_written_from_the_occupations_tasks(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    _set_occupation(session, exploration, ACCOUNTANTS)
    assert questions.suggested_questions(session, owner, exploration) == [
        "What is it like to prepare financial statements and tax returns?",
        "What is it like to check accounts and records for errors and compliance with the "
        "law?",
        "What is it like to recommend ways to cut costs or improve financial controls?",
        "What is it like to explain financial results to managers and clients?",
    ]
    assert questions.suggested_questions(session, owner, exploration, limit=1) == [
        "What is it like to prepare financial statements and tax returns?"]


def test_core_tasks_come_first_and_added_suggestions_drop_out(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    session.add(Occupation(code="11-3031.01", title="Treasurers and Controllers",
                           description="Direct financial activities.", major_group="11",
                           source="onet"))
    session.add_all([
        OccupationTask(occupation_code="11-3031.01", onet_task_id=1, task_type="Supplemental",
                       statement="Lead staff training on cash handling."),
        OccupationTask(occupation_code="11-3031.01", onet_task_id=2, task_type=None,
                       statement="Advise on tax matters."),
        OccupationTask(occupation_code="11-3031.01", onet_task_id=3, task_type="Core",
                       statement="Direct or coordinate an organization's financial "
                                 "activities."),
        OccupationTask(occupation_code="11-3031.01", onet_task_id=4, task_type="Core",
                       statement="Prepare or direct preparation of financial statements."),
    ])
    session.commit()
    _set_occupation(session, exploration, "11-3031.01")
    first = ("What is it like to direct or coordinate an organization's financial "
             "activities?")
    assert questions.suggested_questions(session, owner, exploration, limit=3) == [
        first,
        "What is it like to prepare or direct preparation of financial statements?",
        "What is it like to lead staff training on cash handling?",
    ]
    qid = questions.add_own_question(session, owner, exploration, first)
    assert questions.chosen_questions(session, owner, exploration)[0]["text"] == first
    assert first not in questions.suggested_questions(session, owner, exploration)
    assert len(questions.suggested_questions(session, owner, exploration)) == 3
    # Only the student's own questions count: another student still gets it.
    other, other_exploration = student_with_exploration(session, 2, "Accounting")
    _set_occupation(session, other_exploration, "11-3031.01")
    assert questions.suggested_questions(session, other, other_exploration, limit=1) == [first]
    assert qid > 0


@pytest.mark.parametrize("limit", [0, -1, 21, True, "5", 2.5, None])
def test_a_bad_limit_is_refused(session: Session, limit: Any) -> None:
    owner, exploration = student_with_exploration(session, 1, "Accounting")
    with pytest.raises(InvalidInput) as error:
        questions.suggested_questions(session, owner, exploration, limit=limit)
    assert error.value.field == "limit"


# --- A fixed number of queries ------------------------------------------------------------

@contextmanager
def counting(session: Session) -> Iterator[list[str]]:
    """The SQL statements the block sends (an executemany is one)."""
    statements: list[str] = []
    engine = session.get_bind()

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def _calls_counted(session: Session, owner: int, exploration: int, ids: list[int]
                   ) -> list[int]:
    """How many statements each call sends, for an exploration with these chosen ids."""
    counts = []
    for call in (lambda: questions.chosen_questions(session, owner, exploration),
                 lambda: questions.reorder_questions(session, owner, exploration, ids[::-1]),
                 lambda: questions.move_question(session, owner, exploration, ids[0], "down"),
                 lambda: questions.remove_question(session, owner, exploration, ids[1]),
                 lambda: questions.choose_question(session, owner, exploration, ids[1]),
                 lambda: questions.suggested_questions(session, owner, exploration)):
        with counting(session) as statements:
            call()
        counts.append(len(statements))
    return counts


def test_each_call_takes_the_same_queries_for_few_or_many_questions(session: Session) -> None:
    owner, small = student_with_exploration(session, 1, "Accounting")
    large = explorations.start_exploration(session, owner, "Auditing")
    for exploration in (small, large):
        _set_occupation(session, exploration, ACCOUNTANTS)
    samples = list(_samples(session).values())
    _choose(session, owner, small, *samples[:3])
    _choose(session, owner, large, *samples)
    for n in range(5):
        questions.add_own_question(session, owner, large, f"Own {n}?")
    large_ids = [q["id"] for q in questions.chosen_questions(session, owner, large)]
    assert len(large_ids) == 17
    assert _calls_counted(session, owner, small, samples[:3]) == _calls_counted(
        session, owner, large, large_ids)

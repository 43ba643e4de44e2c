"""Where each exploration stands in the six steps, from what the student has done (a pitch
written, a call logged, notes saved), never from a checkbox alone.

Computed for many explorations at once: one query counting each exploration's rows, the rules
as SQL conditions (shared with the staff dashboard's funnel), then the pitch's timing in
Python.
"""

import functools
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, bindparam, case, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Contact,
    Exploration,
    ExplorationProgress,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewStatus,
    OutreachAttempt,
)
from infoview_app.services.core.sql_dialects import has_text
from infoview_app.services.core.wording import STEP_NAMES
from infoview_app.services.prepare.pitch_rules import PitchVerdict, pitch_timing

DEVELOP_DONE_AT = 3  # contacts on the list
PREPARE_QUESTIONS_DONE_AT = 3  # questions chosen


class StepStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


@dataclass(frozen=True)
class StepState:
    number: int
    name: str
    status: StepStatus


@dataclass(frozen=True)
class Facts:
    """What one exploration's step states are judged from, as SQL expressions (columns of a
    query, or literal values)."""

    occupation_code: Any
    research_notes: Any
    pitch: Any
    contacts: Any
    questions: Any
    attempts: Any
    interviews_booked: Any
    interviews_held: Any
    thank_yous: Any
    thank_yous_sent: Any


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


# More columns than sqlmodel's select is typed for: these subqueries use SQLAlchemy's.
_EXPLORATION_COLUMNS = (col(Exploration.id), col(Exploration.owner_id),
                        col(Exploration.created_at), col(Exploration.occupation_code),
                        col(Exploration.research_notes), col(Exploration.pitch))


def facts_subquery(*where: Any) -> tuple[Any, Facts]:
    """The explorations matching ``where`` as a subquery: id, owner_id, created_at, their
    facts, and the dates they first reached a step (first_contact, first_attempt,
    first_held, first_thanked; NULL until then). Returns it with its fact columns.

    Each child table is read once, grouped by exploration (only rows of the matching
    explorations), so the cost follows the rows involved, for one student or a campus.
    """
    ids = select(select(Exploration.id).where(*where).cte("chosen").c.id)
    contacts = (select(col(Contact.exploration_id).label("key"), func.count().label("contacts"),
                       func.min(Contact.created_at).label("first_contact"))
                .where(col(Contact.exploration_id).in_(ids))
                .group_by(col(Contact.exploration_id)).subquery("contacts"))
    questions = (select(col(ExplorationQuestion.exploration_id).label("key"),
                        func.count().label("questions"))
                 .where(col(ExplorationQuestion.exploration_id).in_(ids))
                 .group_by(col(ExplorationQuestion.exploration_id)).subquery("questions"))
    attempts = (select(col(Contact.exploration_id).label("key"), func.count().label("attempts"),
                       func.min(OutreachAttempt.attempted_on).label("first_attempt"))
                .join(Contact, col(Contact.id) == col(OutreachAttempt.contact_id))
                .where(col(Contact.exploration_id).in_(ids))
                .group_by(col(Contact.exploration_id)).subquery("attempts"))
    held = col(Interview.status) == InterviewStatus.COMPLETED
    interviews = (select(col(Interview.exploration_id).label("key"),
                         _count_if(col(Interview.status) == InterviewStatus.SCHEDULED)
                         .label("interviews_booked"),
                         _count_if(held).label("interviews_held"),
                         func.min(case((held, col(Interview.scheduled_at)))).label("first_held"))
                  .where(col(Interview.exploration_id).in_(ids))
                  .group_by(col(Interview.exploration_id)).subquery("interviews"))
    sent = col(FollowUpTask.status) == FollowUpStatus.DONE
    thanks = (select(col(FollowUpTask.exploration_id).label("key"),
                     func.count().label("thank_yous"), _count_if(sent).label("thank_yous_sent"),
                     func.min(case((sent, col(FollowUpTask.completed_at)))).label("first_thanked"))
              .where(col(FollowUpTask.exploration_id).in_(ids),
                     FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE)
              .group_by(col(FollowUpTask.exploration_id)).subquery("thanks"))
    counts = {"contacts": contacts, "questions": questions, "attempts": attempts,
              "interviews_booked": interviews, "interviews_held": interviews,
              "thank_yous": thanks, "thank_yous_sent": thanks}
    query = core_select(
        *_EXPLORATION_COLUMNS,
        *(func.coalesce(table.c[name], 0).label(name) for name, table in counts.items()),
        contacts.c.first_contact, attempts.c.first_attempt, interviews.c.first_held,
        thanks.c.first_thanked)
    for table in (contacts, questions, attempts, interviews, thanks):
        query = query.join(table, table.c.key == Exploration.id, isouter=True)
    facts = query.where(*where).subquery("facts")
    return facts, facts_of(facts)


def progress_subquery(*where: Any) -> tuple[Any, Facts]:
    """``facts_subquery``'s columns for the explorations matching ``where``, read from the
    ``exploration_progress`` rows the database keeps on every write: one row per exploration
    instead of a count of their contacts, attempts, interviews and notes. For the staff
    dashboard, which reads a campus's explorations at a time."""
    progress = ExplorationProgress.metadata.tables["exploration_progress"]
    counts_and_dates = [column for column in progress.c
                        if column.name != "exploration_id"]  # in facts_subquery's order
    facts = (core_select(*_EXPLORATION_COLUMNS, *counts_and_dates)
             .join(ExplorationProgress,
                   col(ExplorationProgress.exploration_id) == col(Exploration.id))
             .where(*where).subquery("facts"))
    return facts, facts_of(facts)


def facts_of(selectable: Any) -> Facts:
    """The fact columns of a subquery or CTE with ``facts_subquery``'s columns."""
    return Facts(**{f.name: selectable.c[f.name] for f in fields(Facts)})


def step_rules(facts: Facts) -> list[tuple[Any, Any]]:
    """(started, done) of each of the six steps, as SQL conditions on the facts. The one rule
    SQL can't judge, a pitch of a good length (step 3 done), is left to ``steps_from_facts``."""
    occupation = func.coalesce(facts.occupation_code, "") != ""
    notes = has_text(facts.research_notes)
    return [
        (or_(occupation, notes), and_(occupation, notes)),
        (facts.contacts > 0, facts.contacts >= DEVELOP_DONE_AT),
        (or_(has_text(facts.pitch), facts.questions > 0),
         facts.questions >= PREPARE_QUESTIONS_DONE_AT),
        (facts.attempts > 0, facts.interviews_booked + facts.interviews_held > 0),
        (facts.interviews_booked > 0, facts.interviews_held > 0),
        (facts.thank_yous > 0,
         and_(facts.thank_yous > 0, facts.thank_yous_sent == facts.thank_yous)),
    ]


def reached(facts: Facts) -> list[Any]:
    """Whether the exploration reached each step (started or done it), as SQL conditions:
    exact, since a step done needs more than a good pitch only once it is started."""
    return [or_(started, done) for started, done in step_rules(facts)]


def rule_columns(facts: Facts) -> list[Any]:
    """The step rules as labelled boolean columns (started_1, done_1, ... done_6) and the
    pitch, the row ``steps_from_facts`` reads."""
    columns = [facts.pitch.label("pitch")]
    for number, (started, done) in enumerate(step_rules(facts), start=1):
        columns += [sa.type_coerce(started, sa.Boolean).label(f"started_{number}"),
                    sa.type_coerce(done, sa.Boolean).label(f"done_{number}")]
    return columns


_FACTS, _FACT_VALUES = facts_subquery(Exploration.owner_id == bindparam("owner_id"))
_EXPLORATION_STEPS = select(_FACTS.c.id, *rule_columns(_FACT_VALUES))


def _status(done: bool, started: bool) -> StepStatus:
    if done:
        return StepStatus.DONE
    return StepStatus.IN_PROGRESS if started else StepStatus.NOT_STARTED


@functools.lru_cache(maxsize=1024)
def _pitch_is_good(pitch: str | None) -> bool:
    """Whether a pitch times as good: judged character by character in Python, so cached by
    its text (every home and stepper load judges the same few pitches again)."""
    return pitch_timing(pitch or "").verdict is PitchVerdict.GOOD


def steps_from_facts(row: Any) -> list[StepState]:
    """The six steps' states from one exploration's row of ``rule_columns``. The pitch is
    judged only when SQL found the rest of step 3 done."""
    pitch_good = bool(row.done_3) and _pitch_is_good(row.pitch)
    statuses = [_status(bool(getattr(row, f"done_{number}")) and (number != 3 or pitch_good),
                        bool(getattr(row, f"started_{number}")))
                for number in range(1, len(STEP_NAMES) + 1)]
    return [StepState(number, name, status) for number, (name, status)
            in enumerate(zip(STEP_NAMES, statuses, strict=True), start=1)]


def step_states(session: Session, owner_id: int) -> dict[int, list[StepState]]:
    """Every exploration of the student, by id, with its six steps' states."""
    return {row.id: steps_from_facts(row)
            for row in session.exec(_EXPLORATION_STEPS, params={"owner_id": owner_id})}


def suggested_step(states: list[StepState]) -> int:
    """The step to work on next: the first one not done (the last step once all are)."""
    return next((s.number for s in states if s.status is not StepStatus.DONE), len(states))

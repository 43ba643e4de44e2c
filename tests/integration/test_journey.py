"""Step states come from what the student did, computed for all explorations at once."""

import sqlalchemy as sa
from sqlmodel import Session, select

from infoview_app.models import (
    Exploration,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Question,
)
from infoview_app.services.demo import sample_student
from infoview_app.services.journey import step_progress
from infoview_app.services.journey.step_progress import StepStatus

DONE, BUSY, NEW = StepStatus.DONE, StepStatus.IN_PROGRESS, StepStatus.NOT_STARTED
GOOD_PITCH = ("Hi, I'm Maya Chen, a junior in kinesiology at Northfield University. Dr. Rivera "
              "suggested I call you. I'm exploring physical therapy and would value twenty "
              "minutes of your perspective on outpatient practice: what your days look like "
              "and how you prepared for the field.")


TEXT_FACTS = ("occupation_code", "research_notes", "pitch")


def _states(session: Session, **overrides: object) -> list[step_progress.StepState]:
    """The steps of facts given as values, judged by the SQL rules in the database."""
    values: dict[str, object] = {
        "occupation_code": None, "research_notes": "", "pitch": "", "contacts": 0,
        "questions": 0, "attempts": 0, "interviews_booked": 0, "interviews_held": 0,
        "thank_yous": 0, "thank_yous_sent": 0, **overrides}
    facts = step_progress.Facts(**{
        name: sa.literal(value, sa.String if name in TEXT_FACTS else None)
        for name, value in values.items()})
    row = session.exec(select(*step_progress.rule_columns(facts))).one()
    return step_progress.steps_from_facts(row)


def _statuses(session: Session, **overrides: object) -> list[StepStatus]:
    return [s.status for s in _states(session, **overrides)]


def test_a_new_exploration_has_started_nothing(session: Session) -> None:
    states = _states(session)
    assert [s.name for s in states] == ["Research", "Develop", "Prepare", "Connect",
                                        "Interview", "Follow-up"]
    assert {s.status for s in states} == {NEW}
    assert step_progress.suggested_step(states) == 1


def test_the_sample_pitch_is_a_good_length_and_asks_for_no_job() -> None:
    from infoview_app.services.prepare.job_words import find_job_seeking_words
    from infoview_app.services.prepare.pitch_rules import PitchVerdict, pitch_timing

    assert pitch_timing(GOOD_PITCH).verdict is PitchVerdict.GOOD
    assert find_job_seeking_words(GOOD_PITCH) == []


def test_each_step_needs_real_work_to_be_done(session: Session) -> None:
    assert _statuses(session, research_notes="Read O*NET")[0] is BUSY
    assert _statuses(session, research_notes="Read O*NET",
                     occupation_code="29-1123.00")[0] is DONE
    assert _statuses(session, contacts=2)[1] is BUSY
    assert _statuses(session, contacts=3)[1] is DONE
    # Far too short a pitch.
    assert _statuses(session, pitch="Hi, I'm Maya.", questions=5)[2] is BUSY
    assert _statuses(session, pitch=GOOD_PITCH, questions=2)[2] is BUSY
    assert _statuses(session, pitch=GOOD_PITCH, questions=3)[2] is DONE
    assert _statuses(session, attempts=1)[3] is BUSY
    assert _statuses(session, attempts=1, interviews_booked=1)[3:5] == [DONE, BUSY]
    assert _statuses(session, interviews_held=1)[4] is DONE
    assert _statuses(session, thank_yous=2, thank_yous_sent=1)[5] is BUSY
    assert _statuses(session, thank_yous=2, thank_yous_sent=2)[5] is DONE


def test_blank_means_the_same_in_sql_as_in_python(session: Session) -> None:
    # Whitespace of every kind (tabs, newlines, no-break and ideographic spaces) is blank.
    blank = " \t\n\u00a0\u3000\u2003"
    assert _statuses(session, research_notes=blank, pitch=blank)[:3] == [NEW, NEW, NEW]
    assert _statuses(session, research_notes=blank + "x", occupation_code="")[0] is BUSY
    assert _statuses(session, occupation_code="29-1123.00")[0] is BUSY


def test_states_from_the_database_for_every_exploration(session: Session) -> None:
    maya, _ = sample_student.create_demo_data(session, "correct-horse-battery")
    by_name = {e.field_name: e.id for e in session.exec(
        select(Exploration).where(Exploration.owner_id == maya.id))}
    states = step_progress.step_states(session, maya.id)
    assert set(states) == set(by_name.values())
    therapy = [s.status for s in states[by_name["Physical therapy"]]]
    # Notes but no occupation; 3 contacts; a pitch but no questions; calls logged and an
    # interview booked and one held; a thank-you note still to mail.
    assert therapy == [BUSY, DONE, BUSY, DONE, DONE, BUSY]
    assert {s.status for s in states[by_name["UX research"]]} == {NEW}

    therapy_id = by_name["Physical therapy"]
    for question in session.exec(select(Question).limit(3)):
        session.add(ExplorationQuestion(exploration_id=therapy_id, question_id=question.id))
    for task in session.exec(select(FollowUpTask).where(
            FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE)):
        task.status = FollowUpStatus.DONE
        session.add(task)
    session.commit()
    therapy = [s.status for s in step_progress.step_states(session, maya.id)[therapy_id]]
    assert therapy[2] is DONE and therapy[5] is DONE
    assert step_progress.step_states(session, maya.id + 1000) == {}

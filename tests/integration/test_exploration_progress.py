"""The ``exploration_progress`` rows the database triggers keep equal what the tables say:
after a bulk-written campus and after each kind of write the application makes, on SQLite
and PostgreSQL; and on PostgreSQL, when two transactions write to one exploration at once."""

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from infoview_app import db
from infoview_app.models import (
    Contact,
    Exploration,
    ExplorationProgress,
    FollowUpKind,
    FollowUpTask,
    InterviewStatus,
)
from infoview_app.services.accounts import user_accounts
from infoview_app.services.connect import booking, outreach
from infoview_app.services.demo import synthetic_campus
from infoview_app.services.develop import contacts
from infoview_app.services.follow_up import to_do
from infoview_app.services.interview import interview_mode
from infoview_app.services.journey import explorations
from infoview_app.services.journey.step_progress import facts_subquery, progress_subquery
from infoview_app.services.prepare import questions
from tests.factories import BY, PASSWORD, add_contact, add_interview, student_with_exploration

TODAY = date(2026, 3, 10)


def _facts(session: Session, subquery: Any) -> dict[int, tuple[Any, ...]]:
    facts, _ = subquery(sa.true())
    return {row[0]: tuple(row[1:]) for row in session.execute(sa.select(facts)).all()}


def assert_progress_is_current(session: Session) -> int:
    """Every exploration has a progress row, equal to its facts counted from the tables now;
    returns how many explorations there are."""
    session.expire_all()
    counted = _facts(session, facts_subquery)
    kept = _facts(session, progress_subquery)
    assert kept == counted
    rows = session.exec(select(sa.func.count()).select_from(ExplorationProgress)).one()
    assert rows == len(counted)
    return len(counted)


def test_a_bulk_written_campus_is_counted(session: Session) -> None:
    size = synthetic_campus.CampusSize(students=40, explorations=120, contacts=400, interviews=160,
                                       outreach_attempts=800)
    catalogue = synthetic_campus.catalogue(session, TODAY)
    synthetic_campus.insert_campus(session, list(synthetic_campus.campus_rows(size, catalogue, 3,
                                                                              chunk_students=20)))
    assert assert_progress_is_current(session) == 120
    totals = session.exec(select(sa.func.sum(ExplorationProgress.contacts),
                                 sa.func.sum(ExplorationProgress.attempts))).one()
    assert tuple(totals) == (400, 800)


def test_each_kind_of_write_keeps_the_row_current(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other_owner, other_exploration = student_with_exploration(session, 2)
    assert assert_progress_is_current(session) == 2

    first = add_contact(session, owner, exploration, "Sam Okafor")
    second = add_contact(session, owner, exploration, "Ana Ruiz")
    add_contact(session, other_owner, other_exploration, "Lee Chan")
    assert_progress_is_current(session)
    progress = session.get(ExplorationProgress, exploration)
    assert progress is not None and progress.contacts == 2 and progress.first_contact

    bank = questions.question_bank(session, owner)
    for question in bank[:3]:
        questions.choose_question(session, owner, exploration, question["id"])
    questions.remove_question(session, owner, exploration, bank[0]["id"])
    assert_progress_is_current(session)

    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    outreach.log_attempt(session, owner, first.id, "phone", "left_message", "2026-03-02",
                         now=now)
    outreach.log_attempt(session, owner, first.id, "email", "scheduled", "2026-03-03",
                         now=now + timedelta(days=1))
    assert_progress_is_current(session)

    booked = booking.book_interview(session, owner, second.id, date="2026-03-20", time="15:00",
                                    mode="phone", location="", timezone="UTC", now=now)
    held = add_interview(session, first, status=InterviewStatus.SCHEDULED)
    assert_progress_is_current(session)
    booking.cancel_interview(session, owner, booked["id"])
    interview_mode.complete_interview(session, owner, held.id, will_report_back=False,
                                      today=TODAY)
    assert_progress_is_current(session)

    thank_you = session.exec(select(FollowUpTask).where(
        FollowUpTask.interview_id == held.id,
        FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE)).one()
    to_do.mark_done(session, owner, thank_you.id, TODAY)
    progress = session.get(ExplorationProgress, exploration)
    assert progress is not None and progress.thank_yous_sent == 1
    assert_progress_is_current(session)

    # A contact moved to another of the student's explorations takes its attempts along.
    spare = explorations.start_exploration(session, owner, "Occupational therapy")
    moved = session.get(Contact, first.id)
    assert moved is not None
    moved.exploration_id = spare
    session.add(moved)
    session.commit()
    assert_progress_is_current(session)

    contacts.delete_contact(session, owner, second.id)
    assert_progress_is_current(session)
    explorations.delete_exploration(session, owner, exploration)
    assert session.get(ExplorationProgress, exploration) is None
    assert assert_progress_is_current(session) == 2
    user_accounts.delete_account(session, owner, PASSWORD, by=BY)
    assert assert_progress_is_current(session) == 1


def _add_contact_in_its_own_transaction(url: str, owner: int, exploration: int, name: str,
                                        committed: threading.Event | None = None,
                                        hold: threading.Event | None = None) -> None:
    with Session(db.engine_for(url)) as session:
        session.add(Contact(owner_id=owner, exploration_id=exploration, name=name))
        session.flush()
        if committed is not None and hold is not None:
            committed.set()
            assert hold.wait(10)
        session.commit()


def test_two_transactions_adding_to_one_exploration_are_both_counted(postgres_url: str
                                                                       ) -> None:
    with Session(db.engine_for(postgres_url)) as session:
        owner, exploration = student_with_exploration(session, 1)
    flushed, release = threading.Event(), threading.Event()
    first = threading.Thread(target=_add_contact_in_its_own_transaction,
                             args=(postgres_url, owner, exploration, "First", flushed, release))
    first.start()
    assert flushed.wait(10)  # the first transaction has counted its contact, not committed
    second = threading.Thread(target=_add_contact_in_its_own_transaction,
                              args=(postgres_url, owner, exploration, "Second"))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the first one's progress row
    release.set()
    first.join(10)
    second.join(10)
    with Session(db.engine_for(postgres_url)) as session:
        progress = session.get(ExplorationProgress, exploration)
        assert progress is not None and progress.contacts == 2
        assert assert_progress_is_current(session) == 1


@pytest.mark.parametrize("exploration_count", [3])
def test_migrating_counts_the_explorations_already_there(db_url: str,
                                                         exploration_count: int) -> None:
    """The migration's backfill: progress rows emptied by hand are counted again by it."""
    engine = db.engine_for(db_url)
    with Session(engine) as session:
        owner, exploration = student_with_exploration(session, 1)
        for n in range(exploration_count - 1):
            explorations.start_exploration(session, owner, f"Field {n}")
        add_contact(session, owner, exploration)
    command.downgrade(db.alembic_config(db_url), "0005")
    db.upgrade_to_head(db_url)
    with Session(engine) as session:
        assert assert_progress_is_current(session) == exploration_count
        progress = session.get(ExplorationProgress, exploration)
        assert progress is not None and progress.contacts == 1
        assert session.get(Exploration, exploration) is not None

"""Keep in touch (issue 14, item 4) against a real database (SQLite and PostgreSQL): after
a completed interview, the contact's progress update falls due 4 weeks after the last touch
(an outreach attempt, interview notes, a follow-up done with them), on time until 6 weeks,
and the home's to-do list shows it from the task rows."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from infoview_app.models import Contact, FollowUpKind, FollowUpStatus, FollowUpTask
from infoview_app.services.accounts import user_zones
from infoview_app.services.connect import outreach
from infoview_app.services.follow_up import to_do
from infoview_app.services.interview import interview_mode
from infoview_app.services.journey import explorations
from tests.factories import add_contact, add_interview, student
from tests.integration.helpers import HELD_ON, choose_questions, statements

FIRST_DUE = HELD_ON + timedelta(weeks=4)  # 2026-04-01: the interview was the first touch


def _interviewed(session: Session) -> tuple[int, Contact, int]:
    """A student who held an interview with Sam Okafor on HELD_ON and offered to report back,
    and an untouched second contact; returns (owner, Sam, the interview's id)."""
    owner = student(session, 1, name="Maya Chen")
    exploration = explorations.start_exploration(session, owner, "Physical therapy")
    sam = add_contact(session, owner, exploration)
    interview = add_interview(session, sam)
    interview_mode.complete_interview(session, owner, interview.id, will_report_back=True,
                                      today=HELD_ON)
    assert interview.id is not None
    return owner, sam, interview.id


def _progress_updates(session: Session, owner: int) -> list[tuple[int | None, str, date]]:
    """Every progress-update row of the student: (contact, status, due on)."""
    session.expire_all()
    return [(t.contact_id, t.status, t.due_on) for t in session.exec(
        select(FollowUpTask).where(FollowUpTask.owner_id == owner,
                                   FollowUpTask.kind == FollowUpKind.PROGRESS_UPDATE)
        .order_by(col(FollowUpTask.id))).all()]


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_an_outreach_attempt_restarts_the_cadence_from_that_day(session: Session) -> None:
    owner, sam, _ = _interviewed(session)
    assert _progress_updates(session, owner) == [(sam.id, "open", FIRST_DUE)]
    touched = date(2026, 3, 20)
    outreach.log_attempt(session, owner, sam.id, "email", "scheduled", touched.isoformat(),
                         now=_at(touched))
    assert _progress_updates(session, owner) == [(sam.id, "open", date(2026, 4, 17))]
    # The home's list reads the row: it is not due yet on the old date.
    todo = {t["kind"]: t for t in to_do.todo_list(session, owner, FIRST_DUE)}
    assert todo["progress_update"]["due"] == "due in 16 days"


def test_interview_notes_restart_the_cadence_and_a_snooze_ends(session: Session) -> None:
    owner, sam, interview_id = _interviewed(session)
    task = session.exec(select(FollowUpTask).where(
        FollowUpTask.kind == FollowUpKind.PROGRESS_UPDATE)).one()
    to_do.snooze(session, owner, task.id, FIRST_DUE + timedelta(days=10), today=FIRST_DUE)
    written = date(2026, 4, 5)
    interview_mode.save_free_notes(session, owner, interview_id, "They answered my update.",
                                   now=_at(written))
    assert _progress_updates(session, owner) == [(sam.id, "open", date(2026, 5, 3))]
    session.refresh(task)
    assert task.snoozed_until is None
    [question] = choose_questions(session, sam.exploration_id or 0, 1)
    interview_mode.save_answer(session, owner, interview_id, question, "More on the clinic",
                               now=_at(date(2026, 5, 1)))
    assert _progress_updates(session, owner) == [(sam.id, "open", date(2026, 5, 29))]


def test_a_follow_up_done_with_them_is_a_touch(session: Session) -> None:
    owner, sam, _ = _interviewed(session)
    thank_you = session.exec(select(FollowUpTask).where(
        FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE)).one()
    to_do.mark_done(session, owner, thank_you.id, date(2026, 3, 6))
    assert _progress_updates(session, owner) == [(sam.id, "open", date(2026, 4, 3))]


def test_the_restart_counts_from_the_students_local_today(session: Session) -> None:
    owner, sam, _ = _interviewed(session)
    user_zones.set_time_zone(session, owner, "America/Los_Angeles")
    # 05:00 UTC on 21 March is still 22:00 on the 20th in Los Angeles.
    outreach.log_attempt(session, owner, sam.id, "phone", "call_back", "2026-03-20",
                         now=datetime(2026, 3, 21, 5, 0, tzinfo=UTC))
    assert _progress_updates(session, owner) == [(sam.id, "open", date(2026, 4, 17))]


def test_no_reminder_for_a_contact_never_interviewed_and_others_are_left(
        session: Session) -> None:
    owner, sam, _ = _interviewed(session)
    ana = add_contact(session, owner, sam.exploration_id or 0, "Ana Ruiz")
    outreach.log_attempt(session, owner, ana.id, "email", "no_answer", "2026-03-20",
                         now=_at(date(2026, 3, 20)))
    # Ana gets her 3B7 reminders but no progress update; Sam's stays where it was.
    assert _progress_updates(session, owner) == [(sam.id, "open", FIRST_DUE)]
    kinds = session.exec(select(FollowUpTask.kind).where(
        FollowUpTask.contact_id == ana.id)).all()
    assert sorted(kinds) == ["move_on", "outreach_nudge"]
    # Another student's touch moves nothing of this one.
    other = student(session, 2)
    other_contact = add_contact(session, other,
                                explorations.start_exploration(session, other, "Nursing"))
    outreach.log_attempt(session, other, other_contact.id, "email", "no_answer",
                         "2026-03-25", now=_at(date(2026, 3, 25)))
    assert _progress_updates(session, owner) == [(sam.id, "open", FIRST_DUE)]


def test_the_update_is_due_after_4_weeks_and_late_only_after_6(session: Session) -> None:
    owner, _, _ = _interviewed(session)

    def row(today: date) -> dict:
        return {t["kind"]: t for t in to_do.todo_list(session, owner, today)}[
            "progress_update"]

    before = row(FIRST_DUE - timedelta(days=1))
    assert (before["due"], before["overdue"]) == ("due in 1 day", False)
    for day in (FIRST_DUE, FIRST_DUE + timedelta(days=14)):  # weeks 4 to 6: on time
        assert (row(day)["due"], row(day)["overdue"]) == ("due by Wed 15 Apr", False), day
    late = row(FIRST_DUE + timedelta(days=15))
    assert (late["due"], late["overdue"]) == ("overdue", True)
    # A thank-you note has no such window: late the day after.
    thank_you = {t["kind"]: t for t in to_do.todo_list(session, owner, HELD_ON + timedelta(
        days=3))}["thank_you_note"]
    assert (thank_you["due"], thank_you["overdue"]) == ("overdue", True)
    done = session.exec(select(FollowUpTask).where(
        FollowUpTask.status == FollowUpStatus.OPEN,
        FollowUpTask.kind == FollowUpKind.PROGRESS_UPDATE)).one()
    assert done.due_on == FIRST_DUE


def test_notes_typed_during_the_interview_cost_no_keep_in_touch_query(
        session: Session) -> None:
    """Autosave runs every few seconds while the interview is under way; no progress update
    exists before it is held, so none is looked for."""
    owner = student(session, 1)
    sam = add_contact(session, owner, explorations.start_exploration(session, owner, "Law"))
    interview_id = add_interview(session, sam).id
    with statements(session) as seen:
        interview_mode.save_free_notes(session, owner, interview_id, "Under way")
    assert not [sql for sql in seen if "follow_up_task" in sql or "user_account" in sql]

"""The follow-up to-do list against a real database: one list across explorations, done,
snooze, skip and the job-search reconnect (SQLite and PostgreSQL)."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from infoview_app.models import (
    Contact,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    PipelineStage,
)
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.wording import FOLLOW_UP_LABELS
from infoview_app.services.follow_up import to_do as tasks
from infoview_app.services.interview import interview_mode
from infoview_app.services.journey import explorations
from tests.factories import add_contact, add_interview, student, student_with_exploration
from tests.integration.helpers import HELD_ON, count, statements

TODAY = date(2026, 3, 10)


def _task(session: Session, contact: Contact, kind: FollowUpKind, due_on: date,
          **values: object) -> FollowUpTask:
    task = FollowUpTask(owner_id=contact.owner_id, exploration_id=contact.exploration_id,
                        contact_id=contact.id, kind=kind, due_on=due_on, **values)
    session.add(task)
    session.commit()
    return task


def _interviewed(session: Session, n: int = 1) -> tuple[int, Contact, list[dict]]:
    """A student (named "Maya Chen") who held an interview with Sam Okafor on HELD_ON and
    will report back; returns the open tasks it created."""
    owner = student(session, n, name="Maya Chen")
    exploration = explorations.start_exploration(session, owner, "Physical therapy")
    sam = add_contact(session, owner, exploration, mailing_address="400 Lake St")
    interview = add_interview(session, sam)
    created = interview_mode.complete_interview(session, owner, interview.id,
                                                will_report_back=True, today=HELD_ON)
    return owner, sam, created


def _by_kind(todo: list[dict]) -> dict[str, dict]:
    return {item["kind"]: item for item in todo}


def test_todo_list_spans_explorations_oldest_due_first(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    design = explorations.start_exploration(session, owner, "UX research")
    sam = add_contact(session, owner, exploration, mailing_address="400 Lake St\nNorthfield")
    ana = add_contact(session, owner, design, "Ana Ruiz")
    _task(session, ana, FollowUpKind.OUTREACH_NUDGE, TODAY + timedelta(days=3))
    _task(session, sam, FollowUpKind.THANK_YOU_NOTE, TODAY - timedelta(days=1))
    _task(session, ana, FollowUpKind.LINKEDIN_CONNECT, TODAY)
    todo = tasks.todo_list(session, owner, TODAY)
    assert [(t["kind"], t["contact_name"], t["field_name"], t["due"]) for t in todo] == [
        ("thank_you_note", "Sam Okafor", "Physical therapy", "overdue"),
        ("linkedin_connect", "Ana Ruiz", "UX research", "due today"),
        ("outreach_nudge", "Ana Ruiz", "UX research", "due in 3 days")]
    assert [t["label"] for t in todo] == [
        FOLLOW_UP_LABELS[FollowUpKind(t["kind"])] for t in todo]
    assert todo[0]["overdue"] is True and todo[1]["overdue"] is False
    assert tasks.todo_list(session, owner, TODAY, design) == todo[1:]
    assert tasks.todo_list(session, owner, TODAY, exploration) == todo[:1]
    thank_you, nudge = todo[0], todo[2]
    assert thank_you["mailing_address"] == "400 Lake St\nNorthfield"
    assert thank_you["draft"].startswith("Dear Sam Okafor,")
    assert "Physical therapy" in thank_you["draft"]
    assert thank_you["draft"].rstrip().endswith("Student 1")
    assert (nudge["mailing_address"], nudge["draft"]) == ("", "")


def test_todo_list_hides_closed_snoozed_and_other_students_tasks(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = add_contact(session, owner, exploration)
    shown = [
        _task(session, sam, FollowUpKind.LINKEDIN_CONNECT, TODAY),
        _task(session, sam, FollowUpKind.RECONNECT, TODAY, snoozed_until=TODAY),
        _task(session, sam, FollowUpKind.MOVE_ON, TODAY + timedelta(days=40)),
    ]
    _task(session, sam, FollowUpKind.THANK_YOU_NOTE, TODAY, snoozed_until=TODAY + timedelta(1))
    _task(session, sam, FollowUpKind.OUTREACH_NUDGE, TODAY, status=FollowUpStatus.DONE)
    _task(session, sam, FollowUpKind.PROGRESS_UPDATE, TODAY, status=FollowUpStatus.SKIPPED)
    other, other_exploration = student_with_exploration(session, 2)
    _task(session, add_contact(session, other, other_exploration), FollowUpKind.MOVE_ON, TODAY)
    assert [t["id"] for t in tasks.todo_list(session, owner, TODAY)] == [t.id for t in shown]
    assert len(tasks.todo_list(session, owner, TODAY + timedelta(days=1))) == 4


def test_todo_list_runs_one_query_however_many_tasks(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = add_contact(session, owner, exploration)
    _task(session, sam, FollowUpKind.THANK_YOU_NOTE, TODAY)
    with statements(session) as few:
        assert len(tasks.todo_list(session, owner, TODAY)) == 1
    for n in range(6):
        field = explorations.start_exploration(session, owner, f"Field {n}")
        person = add_contact(session, owner, field, f"P{n}")
        _task(session, person, FollowUpKind.THANK_YOU_NOTE, TODAY)
        _task(session, person, FollowUpKind.LINKEDIN_CONNECT, TODAY)
    with statements(session) as many:
        assert len(tasks.todo_list(session, owner, TODAY)) == 13
    assert len(few) == len(many) == 1


def test_a_mailed_thank_you_note_marks_the_contact_thanked(session: Session) -> None:
    owner, sam, created = _interviewed(session)
    note = _by_kind(created)[FollowUpKind.THANK_YOU_NOTE]
    assert tasks.mark_done(session, owner, note["id"], TODAY) is None
    session.refresh(sam)
    assert sam.stage == PipelineStage.THANKED
    row = session.get(FollowUpTask, note["id"])
    assert row is not None and row.status == FollowUpStatus.DONE
    assert row.completed_at is not None
    assert FollowUpKind.THANK_YOU_NOTE not in _by_kind(tasks.todo_list(session, owner, TODAY))


def test_a_done_progress_update_schedules_the_next_one_once(session: Session) -> None:
    owner, sam, created = _interviewed(session)
    update = _by_kind(created)[FollowUpKind.PROGRESS_UPDATE]
    sent_on = date(2026, 4, 2)
    following = tasks.mark_done(session, owner, update["id"], sent_on)
    assert following is not None and following["due_on"] == "2026-04-30"
    assert following["kind"] == FollowUpKind.PROGRESS_UPDATE
    assert following["contact_name"] == "Sam Okafor"
    assert tasks.mark_done(session, owner, update["id"], sent_on) is None
    progress = session.exec(select(FollowUpTask).where(
        FollowUpTask.kind == FollowUpKind.PROGRESS_UPDATE)
        .order_by(FollowUpTask.id)).all()
    assert [(t.status, t.due_on.isoformat()) for t in progress] == [
        ("done", "2026-04-01"), ("open", "2026-04-30")]
    assert progress[1].interview_id == progress[0].interview_id is not None
    session.refresh(sam)
    assert sam.stage == PipelineStage.INTERVIEWED


def test_snooze_hides_a_task_for_1_to_60_days(session: Session) -> None:
    owner, _, created = _interviewed(session)
    linkedin = _by_kind(created)[FollowUpKind.LINKEDIN_CONNECT]["id"]
    for bad in (TODAY, TODAY + timedelta(days=61), TODAY - timedelta(days=3), "soon",
                "2026-02-30", None, 3):
        with pytest.raises(InvalidInput) as refused:
            tasks.snooze(session, owner, linkedin, bad, today=TODAY)
        assert refused.value.field == "until"
    assert session.get(FollowUpTask, linkedin).snoozed_until is None
    tasks.snooze(session, owner, linkedin, TODAY + timedelta(days=60), today=TODAY)
    tasks.snooze(session, owner, linkedin, "2026-03-11", today=TODAY)
    assert session.get(FollowUpTask, linkedin).snoozed_until == date(2026, 3, 11)
    assert linkedin not in [t["id"] for t in tasks.todo_list(session, owner, TODAY)]
    assert linkedin in [t["id"] for t in tasks.todo_list(session, owner, date(2026, 3, 11))]


def test_skip_closes_a_task_and_closed_tasks_stay_closed(session: Session) -> None:
    owner, _, created = _interviewed(session)
    kinds = _by_kind(created)
    linkedin = kinds[FollowUpKind.LINKEDIN_CONNECT]["id"]
    note = kinds[FollowUpKind.THANK_YOU_NOTE]["id"]
    tasks.skip(session, owner, linkedin)
    tasks.skip(session, owner, linkedin)
    assert session.get(FollowUpTask, linkedin).status == FollowUpStatus.SKIPPED
    tasks.mark_done(session, owner, note, TODAY)
    with pytest.raises(InvalidInput):
        tasks.skip(session, owner, note)
    with pytest.raises(InvalidInput):
        tasks.snooze(session, owner, linkedin, TODAY + timedelta(days=2), today=TODAY)
    assert session.get(FollowUpTask, note).status == FollowUpStatus.DONE
    assert session.get(FollowUpTask, linkedin).snoozed_until is None
    assert {t["kind"] for t in tasks.todo_list(session, owner, TODAY)} == {
        FollowUpKind.PROGRESS_UPDATE}
    # Changed their mind: a skipped task can still be done.
    tasks.mark_done(session, owner, linkedin, TODAY)
    assert session.get(FollowUpTask, linkedin).status == FollowUpStatus.DONE


def test_another_students_task_reads_as_not_found_and_stays_unchanged(
        session: Session) -> None:
    _, sam, created = _interviewed(session)
    intruder = student(session, 2)
    for item in created:
        for call in (lambda i: tasks.mark_done(session, intruder, i, TODAY),
                     lambda i: tasks.snooze(session, intruder, i, TODAY + timedelta(days=2),
                                            today=TODAY),
                     lambda i: tasks.skip(session, intruder, i)):
            with pytest.raises(NotFound):
                call(item["id"])
    assert tasks.todo_list(session, intruder, TODAY) == []
    rows = session.exec(select(FollowUpTask)).all()
    assert len(rows) == 3
    assert all((t.status, t.snoozed_until) == ("open", None) for t in rows)
    session.refresh(sam)
    assert sam.stage == PipelineStage.INTERVIEWED


def test_job_search_adds_one_reconnect_per_contact_met_in_that_field(
        session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other_field = explorations.start_exploration(session, owner, "UX research")
    met = {stage: add_contact(session, owner, exploration, f"Met {stage}")
           for stage in PipelineStage}
    for stage, contact in met.items():
        contact.stage = stage
        session.add(contact)
    elsewhere = add_contact(session, owner, other_field, "Interviewed elsewhere")
    elsewhere.stage = PipelineStage.INTERVIEWED
    session.add(elsewhere)
    session.commit()
    added = tasks.start_job_search(session, owner, exploration, TODAY)
    assert sorted(t["contact_name"] for t in added) == ["Met interviewed", "Met thanked"]
    assert {(t["kind"], t["due_on"], t["exploration_id"]) for t in added} == {
        (FollowUpKind.RECONNECT, TODAY.isoformat(), exploration)}
    assert session.get(Exploration, exploration).job_search_started is True
    assert session.get(Exploration, other_field).job_search_started is False
    # Again, later: nothing new, not even for a reconnect already done.
    tasks.mark_done(session, owner, added[0]["id"], TODAY)
    assert tasks.start_job_search(session, owner, exploration, TODAY + timedelta(5)) == []
    assert count(session, FollowUpTask, FollowUpTask.kind == FollowUpKind.RECONNECT) == 2
    # A contact met since then gets one.
    met[PipelineStage.SCHEDULED].stage = PipelineStage.INTERVIEWED
    session.add(met[PipelineStage.SCHEDULED])
    session.commit()
    assert [t["contact_name"] for t in tasks.start_job_search(
        session, owner, exploration, TODAY)] == ["Met scheduled"]


def test_job_search_on_another_students_exploration_changes_nothing(
        session: Session) -> None:
    _, sam, _ = _interviewed(session)
    intruder = student(session, 2)
    with pytest.raises(NotFound):
        tasks.start_job_search(session, intruder, sam.exploration_id, TODAY)
    assert session.get(Exploration, sam.exploration_id).job_search_started is False
    assert count(session, FollowUpTask, FollowUpTask.kind == FollowUpKind.RECONNECT) == 0

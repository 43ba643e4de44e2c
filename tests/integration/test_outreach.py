"""Outreach (step 4) against a real database: the attempt log, the 3B7 reminders it sets,
the contact's stage, owner scoping and the drafts built from stored data."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from infoview_app.models import (
    Contact,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    OutreachAttempt,
    PipelineStage,
)
from infoview_app.models._base import utcnow
from infoview_app.services.connect import outreach, scripts
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.follow_up import to_do
from infoview_app.services.journey import explorations
from tests.factories import contact_id, student_with_exploration

FRIDAY = date(2025, 1, 10)
NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)


def _open_reminders(session: Session, contact_id: int) -> list[tuple[str, date]]:
    rows = session.exec(select(FollowUpTask).where(
        FollowUpTask.contact_id == contact_id, FollowUpTask.status == FollowUpStatus.OPEN)
        .order_by(FollowUpTask.due_on)).all()
    return [(FollowUpKind(row.kind).value, row.due_on) for row in rows]


def _stage(session: Session, contact_id: int) -> PipelineStage:
    session.expire_all()
    contact = session.get(Contact, contact_id)
    assert contact is not None
    return PipelineStage(contact.stage)


def _count(session: Session, model: Any) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _log(session: Session, owner: int, contact: Any, outcome: str = "no_answer",
         on: Any = FRIDAY, channel: str = "phone", note: Any = "") -> dict[str, Any]:
    return outreach.log_attempt(session, owner, contact, channel, outcome, on, note, now=NOW)


# --- the 3B7 routine -----------------------------------------------------------------------

def test_unanswered_attempt_on_a_friday_sets_nudge_and_move_on(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    result = _log(session, owner, sam, "no_answer", FRIDAY, note="Rang twice")
    # Friday + 3 business days is Wednesday; + 7 is the Tuesday after next.
    assert [(r["kind"], r["due_on"]) for r in result["reminders"]] == [
        ("outreach_nudge", "2025-01-15"), ("move_on", "2025-01-21")]
    assert _open_reminders(session, sam) == [
        ("outreach_nudge", date(2025, 1, 15)), ("move_on", date(2025, 1, 21))]
    tasks = session.exec(select(FollowUpTask).where(FollowUpTask.contact_id == sam)).all()
    assert {(t.owner_id, t.exploration_id) for t in tasks} == {(owner, exploration)}
    assert result["channel"] == "phone" and result["outcome"] == "no_answer"
    assert result["attempted_on"] == "2025-01-10" and result["note"] == "Rang twice"
    stored = session.exec(select(OutreachAttempt)).one()
    assert (stored.id, stored.contact_id, stored.owner_id) == (result["id"], sam, owner)


def test_a_second_attempt_replaces_the_open_reminders(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    lee = contact_id(session, owner, exploration, "Lee Chen")
    _log(session, owner, sam, "no_answer", FRIDAY)
    _log(session, owner, lee, "no_answer", FRIDAY)
    done = session.exec(select(FollowUpTask).where(
        FollowUpTask.contact_id == sam, FollowUpTask.kind == FollowUpKind.OUTREACH_NUDGE)).one()
    to_do.mark_done(session, owner, done.id, utcnow().date())

    result = _log(session, owner, sam, "left_message", date(2025, 1, 15), channel="email")
    assert [(r["kind"], r["due_on"]) for r in result["reminders"]] == [
        ("outreach_nudge", "2025-01-20"), ("move_on", "2025-01-24")]
    assert _open_reminders(session, sam) == [
        ("outreach_nudge", date(2025, 1, 20)), ("move_on", date(2025, 1, 24))]
    session.expire_all()
    assert session.get(FollowUpTask, done.id).status == FollowUpStatus.DONE  # history stays
    assert _open_reminders(session, lee) == [  # another contact's reminders are untouched
        ("outreach_nudge", date(2025, 1, 15)), ("move_on", date(2025, 1, 21))]


def test_call_back_keeps_only_the_nudge(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    _log(session, owner, sam, "no_answer", FRIDAY)
    result = _log(session, owner, sam, "call_back", date(2025, 1, 13))
    assert [(r["kind"], r["due_on"]) for r in result["reminders"]] == [
        ("outreach_nudge", "2025-01-16")]
    assert _open_reminders(session, sam) == [("outreach_nudge", date(2025, 1, 16))]


@pytest.mark.parametrize(("outcome", "stage"), [("scheduled", PipelineStage.SCHEDULED),
                                                 ("declined", PipelineStage.CONTACTED)])
def test_scheduled_or_declined_clears_the_reminders(session: Session, outcome: str,
                                                    stage: PipelineStage) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    _log(session, owner, sam, "no_answer", FRIDAY)
    result = _log(session, owner, sam, outcome, date(2025, 1, 14))
    assert result["reminders"] == []
    assert _open_reminders(session, sam) == []
    assert result["stage"] == stage.value
    assert _stage(session, sam) is stage


def test_an_older_attempt_logged_late_keeps_the_newer_reminders(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    _log(session, owner, sam, "left_message", date(2025, 1, 15))
    result = _log(session, owner, sam, "no_answer", FRIDAY)
    assert result["reminders"] == []
    assert _open_reminders(session, sam) == [
        ("outreach_nudge", date(2025, 1, 20)), ("move_on", date(2025, 1, 24))]
    assert _count(session, OutreachAttempt) == 2


# --- stages --------------------------------------------------------------------------------

def test_stage_moves_forward_on_attempts(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    assert _stage(session, sam) is PipelineStage.IDENTIFIED
    assert _log(session, owner, sam, "no_answer")["stage"] == "contacted"
    assert _stage(session, sam) is PipelineStage.CONTACTED
    assert _log(session, owner, sam, "scheduled", date(2025, 1, 13))["stage"] == "scheduled"
    assert _stage(session, sam) is PipelineStage.SCHEDULED
    # A later unanswered call (say, to confirm) never moves the contact back.
    assert _log(session, owner, sam, "no_answer", date(2025, 1, 14))["stage"] == "scheduled"
    assert _stage(session, sam) is PipelineStage.SCHEDULED


@pytest.mark.parametrize("outcome", ["no_answer", "scheduled"])
def test_stage_never_moves_backwards(session: Session, outcome: str) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration, stage=PipelineStage.INTERVIEWED)
    assert _log(session, owner, sam, outcome)["stage"] == "interviewed"
    assert _stage(session, sam) is PipelineStage.INTERVIEWED


# --- validation ----------------------------------------------------------------------------

def _refused(session: Session, owner: int, contact: int, **changes: Any) -> InvalidInput:
    arguments: dict[str, Any] = {"channel": "phone", "outcome": "no_answer", "on": FRIDAY}
    arguments.update(changes)
    with pytest.raises(InvalidInput) as error:
        _log(session, owner, contact, **arguments)
    return error.value


def test_invalid_attempts_are_refused_and_store_nothing(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    every_field = _refused(session, owner, sam, channel="carrier_pigeon", outcome="maybe",
                           on="next week", note="x" * 1001)
    assert set(every_field.errors) == {"channel", "outcome", "attempted_on", "note"}
    # NOW is 2026-03-10 18:00 UTC, already 2026-03-11 in UTC+14: the 12th is everyone's future.
    for on in (date(2026, 3, 12), "2026-03-12", date(1999, 12, 31), "2025-13-01",
               datetime(2025, 1, 10, 9, 0, tzinfo=UTC), None, 20250110):
        assert set(_refused(session, owner, sam, on=on).errors) == {"attempted_on"}, on
    assert set(_refused(session, owner, sam, channel=None).errors) == {"channel"}
    assert _count(session, OutreachAttempt) == 0
    assert _count(session, FollowUpTask) == 0
    assert _stage(session, sam) is PipelineStage.IDENTIFIED


def test_dates_up_to_the_earliest_time_zones_today_are_accepted(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    assert _log(session, owner, sam, on="2026-03-11")["attempted_on"] == "2026-03-11"
    assert _log(session, owner, sam, on=" 2026-03-10 ")["attempted_on"] == "2026-03-10"
    assert _log(session, owner, sam, on=date(2000, 1, 1))["attempted_on"] == "2000-01-01"
    # Without ``now``, today (the server's) is accepted.
    today = datetime.now(UTC).date()
    result = outreach.log_attempt(session, owner, sam, "email", "no_answer", today)
    assert result["attempted_on"] == today.isoformat()
    with pytest.raises(InvalidInput):
        outreach.log_attempt(session, owner, sam, "email", "no_answer",
                             today + timedelta(days=2))


def test_a_failed_write_leaves_nothing_behind(session: Session,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    _log(session, owner, sam, "no_answer", FRIDAY)

    def broken(*_: Any) -> list[Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(outreach, "outreach_reminders", broken)
    with pytest.raises(RuntimeError):
        _log(session, owner, sam, "scheduled", date(2025, 1, 13))
    session.expire_all()
    assert _count(session, OutreachAttempt) == 1
    assert _open_reminders(session, sam) == [
        ("outreach_nudge", date(2025, 1, 15)), ("move_on", date(2025, 1, 21))]
    assert _stage(session, sam) is PipelineStage.CONTACTED


# --- owner scoping -------------------------------------------------------------------------

def test_someone_elses_contact_reads_as_not_found(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other, other_exploration = student_with_exploration(session, 2)
    sam = contact_id(session, owner, exploration)
    _log(session, owner, sam, "no_answer", FRIDAY)
    before = _open_reminders(session, sam)
    with pytest.raises(NotFound):
        _log(session, other, sam, "scheduled", date(2025, 1, 13))
    with pytest.raises(NotFound):
        outreach.attempts_for(session, other, sam)
    with pytest.raises(NotFound):
        outreach.last_attempt_by_contact(session, other, exploration)
    with pytest.raises(NotFound):
        scripts.outreach_drafts(session, other, sam)
    with pytest.raises(NotFound):
        _log(session, owner, 10**9)
    with pytest.raises(InvalidInput):
        _log(session, owner, "1; DROP TABLE contact")
    assert _count(session, OutreachAttempt) == 1
    assert _open_reminders(session, sam) == before
    assert _stage(session, sam) is PipelineStage.CONTACTED
    assert outreach.last_attempt_by_contact(session, other, other_exploration) == {}


# --- reading the log -----------------------------------------------------------------------

def test_attempts_for_lists_newest_first(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    lee = contact_id(session, owner, exploration, "Lee Chen")
    _log(session, owner, sam, "no_answer", date(2025, 1, 13), note="second")
    _log(session, owner, sam, "no_answer", FRIDAY, note="first")
    _log(session, owner, sam, "call_back", date(2025, 1, 20), channel="email", note="third")
    _log(session, owner, sam, "scheduled", date(2025, 1, 20), note="fourth, same day")
    _log(session, owner, lee, "no_answer", FRIDAY, note="Lee")
    attempts = outreach.attempts_for(session, owner, str(sam))
    assert [a["note"] for a in attempts] == ["fourth, same day", "third", "second", "first"]
    assert attempts[1] == {"id": attempts[1]["id"], "contact_id": sam, "channel": "email",
                           "outcome": "call_back", "attempted_on": "2025-01-20",
                           "note": "third"}
    assert outreach.attempts_for(session, owner, lee)[0]["note"] == "Lee"


@contextmanager
def _counting_selects(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_last_attempt_by_contact_in_one_query(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other, other_exploration = student_with_exploration(session, 2)
    second = explorations.start_exploration(session, owner, "Occupational therapy")
    people = [contact_id(session, owner, exploration, f"Person {i}") for i in range(5)]
    elsewhere = contact_id(session, owner, second, "Elsewhere")
    theirs = contact_id(session, other, other_exploration, "Theirs")
    for day in (13, 10, 15):
        for person in people[:4]:
            _log(session, owner, person, "no_answer", date(2025, 1, day), note=f"day {day}")
    _log(session, owner, people[0], "scheduled", date(2025, 1, 15), note="latest, same day")
    _log(session, owner, elsewhere, "no_answer", date(2025, 1, 16))
    _log(session, other, theirs, "no_answer", date(2025, 1, 16))
    session.expire_all()

    with _counting_selects(session) as selects:
        latest = outreach.last_attempt_by_contact(session, owner, exploration)
    assert len(selects) == 2  # the exploration's owner check, then every contact at once
    assert set(latest) == set(people[:4])  # never tried: absent; other exploration: absent
    assert latest[people[0]]["note"] == "latest, same day"
    assert latest[people[0]]["outcome"] == "scheduled"
    assert all(latest[p]["note"] == "day 15" for p in people[1:4])
    assert latest[people[1]]["attempted_on"] == "2025-01-15"
    assert outreach.last_attempt_by_contact(session, owner, second)[elsewhere][
        "attempted_on"] == "2025-01-16"


# --- drafts from stored data ---------------------------------------------------------------

def _referred(session: Session, may_use: bool) -> tuple[int, int]:
    owner, exploration = student_with_exploration(session, 1, major="Kinesiology")
    rivera = contact_id(session, owner, exploration, "Dr. Elena Rivera", source="faculty")
    sam = contact_id(session, owner, exploration, "Sam Okafor", source="referral",
                   referred_by_id=rivera, may_use_referrer_name=may_use)
    return owner, sam


def test_drafts_name_the_referrer_with_permission(session: Session) -> None:
    owner, sam = _referred(session, may_use=True)
    drafts = scripts.outreach_drafts(session, owner, sam)
    assert drafts["contact_id"] == sam and drafts["contact_name"] == "Sam Okafor"
    assert drafts["phone_script"][0] == (
        "Hello, is this Sam Okafor? My name is Student 1. I study Kinesiology and I'm "
        "exploring a career in Physical therapy.")
    assert drafts["phone_script"][1] == "Dr. Elena Rivera suggested I call you."
    assert drafts["email"]["subject"] == "Dr. Elena Rivera suggested I contact you"
    assert "Dr. Elena Rivera suggested I reach out to you." in drafts["linkedin_message"]
    assert len(drafts["linkedin_message"]) <= scripts.LINKEDIN_MAX
    assert drafts["job_words"] == {"phone_script": [], "email_subject": [], "email_body": [],
                                   "linkedin_message": []}


def test_drafts_keep_the_referrer_private_without_permission(session: Session) -> None:
    owner, sam = _referred(session, may_use=False)
    drafts = scripts.outreach_drafts(session, owner, sam)
    texts = [*drafts["phone_script"], *drafts["email"].values(), drafts["linkedin_message"]]
    assert not any("Rivera" in text for text in texts)
    assert drafts["phone_script"][1] == "Someone who knows your work suggested I call you."


def test_drafts_use_the_pitch_and_flag_its_job_words(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration, source="friend")
    row = session.get(Exploration, exploration)
    assert row is not None
    row.pitch = "I'm Ana. I'd love to know if your clinic is hiring."
    session.add(row)
    session.commit()
    drafts = scripts.outreach_drafts(session, owner, sam)
    body = drafts["email"]["body"]
    assert "I'm Ana. I'd love to know if your clinic is hiring. As a friend, you" in body
    [match] = drafts["job_words"]["email_body"]
    assert match["term"] == "hiring" and body[match["start"]:match["end"]] == "hiring"
    # The phone script is built on the pitch too, to a friend as to someone who knows them.
    assert drafts["phone_script"][0] == (
        "Hi Sam Okafor, it's Student 1. I'm Ana. I'd love to know if your clinic is hiring.")
    [said] = drafts["job_words"]["phone_script"]
    assert (said["line"], said["term"]) == (0, "hiring")


def test_job_words_in_the_script_carry_their_line(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1, major="Recruiting")
    sam = contact_id(session, owner, exploration)
    drafts = scripts.outreach_drafts(session, owner, sam)
    [match] = drafts["job_words"]["phone_script"]
    assert match["line"] == 0 and match["term"] == "Recruiting"
    line = drafts["phone_script"][0]
    assert line[match["start"]:match["end"]] == "Recruiting"

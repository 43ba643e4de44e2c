"""What the home pages show, computed against a real database."""

from datetime import UTC, timedelta

import pytest
from sqlmodel import Session, select

from infoview_app.models import Exploration, FollowUpKind, FollowUpTask
from infoview_app.models._base import utcnow
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.wording import date_time_label
from infoview_app.services.demo import sample_student
from infoview_app.services.follow_up import to_do
from infoview_app.services.journey import explorations, home_summary
from tests.factories import PASSWORD, student


def test_brand_new_student_has_an_empty_home(session: Session) -> None:
    data = home_summary.student_home(session, student(session, 1))
    assert (data.explorations, data.upcoming_interviews) == ([], [])


def test_demo_student_home_lists_explorations_interviews_and_overdue_first(
        session: Session) -> None:
    now = utcnow()
    maya, _ = sample_student.create_demo_data(session, PASSWORD, now)
    data = home_summary.student_home(session, maya.id, now)
    by_name = {e["field_name"]: e for e in data.explorations}
    assert (by_name["Physical therapy"]["contacts"],
            by_name["Physical therapy"]["contacts_label"]) == (3, "3 contacts")
    assert by_name["Physical therapy"]["step_label"] == "Step 6 of 6 · Follow-up"
    assert by_name["UX research"]["next_action"].startswith("Research the field")
    assert [i["contact_name"] for i in data.upcoming_interviews] == ["Lin Chen"]
    # In the institution's zone (UTC by default), in the one date-time style; the mode's label.
    lin = data.upcoming_interviews[0]
    assert lin["when"] == date_time_label(now + timedelta(days=5, hours=2), UTC)
    assert "UTC" not in lin["when"] and lin["mode"] == "Video call"
    todo = to_do.todo_list(session, maya.id, now.date())
    assert [t["label"] for t in todo][:2] == ["Mail a hand-written thank-you note",
                                              "Connect on LinkedIn"]
    assert [t["due"] for t in todo][:2] == ["overdue", "due today"]


def test_start_exploration_validates_and_caps(session: Session) -> None:
    owner = student(session, 1)
    with pytest.raises(InvalidInput) as blank:
        explorations.start_exploration(session, owner, "  ")
    assert blank.value.field == "field_name"
    for n in range(explorations.MAX_EXPLORATIONS):
        explorations.start_exploration(session, owner, f"Field {n}")
    with pytest.raises(InvalidInput, match="at most"):
        explorations.start_exploration(session, owner, "One too many")


def test_owner_scoping_of_exploration_and_follow_up_changes(session: Session) -> None:
    maya, _ = sample_student.create_demo_data(session, PASSWORD)
    intruder = student(session, 9)
    theirs = session.exec(select(Exploration).where(Exploration.owner_id == maya.id)).first()
    task = session.exec(select(FollowUpTask).where(FollowUpTask.owner_id == maya.id)).first()
    with pytest.raises(NotFound):
        explorations.delete_exploration(session, intruder, theirs.id)
    with pytest.raises(NotFound):
        to_do.mark_done(session, intruder, task.id, utcnow().date())
    to_do.mark_done(session, maya.id, task.id, utcnow().date())
    session.refresh(task)
    assert task.status == "done" and task.completed_at is not None


def test_delete_exploration_removes_its_whole_tree(session: Session) -> None:
    maya, _ = sample_student.create_demo_data(session, PASSWORD)
    therapy = session.exec(select(Exploration).where(
        Exploration.field_name == "Physical therapy")).one()
    session.add(FollowUpTask(owner_id=maya.id, kind=FollowUpKind.RECONNECT,
                             due_on=utcnow().date() + timedelta(days=1)))
    session.commit()
    assert explorations.delete_exploration(session, maya.id, therapy.id) == "Physical therapy"
    data = home_summary.student_home(session, maya.id)
    assert [e["field_name"] for e in data.explorations] == ["UX research"]
    assert data.upcoming_interviews == []
    # The follow-up that belonged to no exploration stays.
    todo = to_do.todo_list(session, maya.id, utcnow().date() + timedelta(days=1))
    assert [t["label"] for t in todo] == [
        "Reconnect: tell them you're starting your job search"]


def test_home_progress_counts_the_steps_done_not_the_step_opened(session: Session) -> None:
    owner = student(session, 1)
    eid = explorations.start_exploration(session, owner, "Nursing")
    explorations.set_current_step(session, owner, eid, 6)  # opened step 6, did nothing
    card = home_summary.student_home(session, owner).explorations[0]
    assert card["step_label"] == "Step 6 of 6 · Follow-up"
    assert (card["steps_done"], card["steps_done_label"]) == (0, "0 of 6 steps done")
    # The badge names step 6, so "Next" says it points back: the two never disagree.
    assert card["next_action"].startswith("Back to step 1 · Research the field")
    assert card["contacts_label"] == "0 contacts"


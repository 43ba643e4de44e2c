"""Step 5 (interview mode) and step 6 (follow-up), as a student uses them on a phone and on a
laptop. Interviews are booked in step 4; here they are created directly in the database."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from infoview_app import db
from infoview_app.models import (
    Contact,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    PipelineStage,
)
from infoview_app.models._base import utcnow
from infoview_app.services.journey import explorations
from tests.live.conftest import sign_in
from tests.live.interview_data import QUESTION_IDS, booked_interview, eventually, stored_answer

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout


def _contact(contact_id: int) -> Contact:
    with db.session() as session:
        contact = session.get(Contact, contact_id)
        session.expunge(contact)
        return contact


def _tasks(user_id: int) -> list[FollowUpTask]:
    with db.session() as session:
        tasks = session.exec(select(FollowUpTask).where(FollowUpTask.owner_id == user_id)).all()
        for task in tasks:
            session.expunge(task)
        return list(tasks)


def _task(user_id: int, kind: FollowUpKind) -> FollowUpTask:
    return next(t for t in _tasks(user_id) if t.kind == kind)


def test_interview_mode_then_follow_up(page: Page, make_user) -> None:
    user = make_user(name="Interview Student")
    booked = booked_interview(user["id"])
    eid, cid, iid = booked["exploration_id"], booked["contact_id"], booked["interview_id"]
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Interview Student")).to_be_visible()

    # One question at a time; notes autosave and come back from the server after a reload.
    page.goto(f"/exploration?id={eid}&step=5")
    expect(page.get_by_role("heading", name="Step 5 · Interview")).to_be_visible()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    expect(page.get_by_role("heading", name=booked["questions"][0])).to_be_visible()
    page.get_by_label("Notes for this question").fill("Loves the variety of patients.")
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    expect(page.get_by_role("heading", name=booked["questions"][1])).to_be_visible()
    expect(page.get_by_label("Notes for this question")).to_have_value("")
    eventually(lambda: stored_answer(iid, QUESTION_IDS[0]) == "Loves the variety of patients.")
    page.reload()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    expect(page.get_by_label("Notes for this question")).to_have_value(
        "Loves the variety of patients.")
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()

    # The professional-presence checklist, saved on change.
    arrived = page.get_by_role("checkbox", name="I arrived a few minutes early")
    arrived.click()
    expect(arrived).to_be_checked()
    page.get_by_role("checkbox", name="I thanked them for their time").click()
    eventually(lambda: _interview(iid).arrived_early and _interview(iid).thanked_them)

    # The business card updates the contact.
    page.get_by_role("button", name="Business card", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name")).to_have_value("Dana Lee")
    dialog.get_by_label("Email").fill("dana.lee@lakeside.example")
    dialog.get_by_label("Mailing address").fill("12 Elm Street\nSpringfield, IL 62701")
    dialog.get_by_role("button", name="Save card").click()
    expect(dialog).to_be_hidden()
    card = page.get_by_label("Business card", exact=True).filter(has_text="12 Elm Street")
    expect(card).to_contain_text("dana.lee@lakeside.example")
    eventually(lambda: _contact(cid).email == "dana.lee@lakeside.example")
    assert _contact(cid).mailing_address.startswith("12 Elm Street")

    # Two more names: a new contact referred by Dana, with the permission recorded.
    page.get_by_label("Their name").fill("Sam Ortiz")
    page.get_by_label("May I use your name? (They said yes)").check()
    page.get_by_role("button", name="Add this person").click()
    referred = page.get_by_role("list", name="People they referred you to")
    expect(referred.get_by_text("Sam Ortiz")).to_be_visible()
    expect(referred.get_by_text("May use their name")).to_be_visible()
    expect(page.get_by_label("Their name")).to_have_value("")
    with db.session() as session:
        sam = session.exec(select(Contact).where(Contact.owner_id == user["id"],
                                                 Contact.name == "Sam Ortiz")).one()
        assert sam.referred_by_id == cid and sam.may_use_referrer_name is True
        assert sam.exploration_id == eid

    # Finish, saying "I'll let you know how it goes": the follow-ups are created.
    expect(page.get_by_role("checkbox", name="I'll let you know how it goes")).to_be_checked()
    page.get_by_role("button", name="Finish interview").click()
    expect(page.get_by_text("Interview recorded.").first).to_be_visible()
    kinds = {t.kind for t in _tasks(user["id"])}
    assert kinds == {FollowUpKind.THANK_YOU_NOTE, FollowUpKind.LINKEDIN_CONNECT,
                     FollowUpKind.PROGRESS_UPDATE}
    assert _interview(iid).will_report_back is True

    # Step 6: the thank-you note shows the card's address and a draft; mark it mailed.
    page.get_by_role("link", name="open step 6").click()
    expect(page.get_by_role("heading", name="Step 6 · Follow-up")).to_be_visible()
    todo = page.get_by_role("list", name="Follow-ups in this field")
    expect(todo.get_by_role("listitem")).to_have_count(3)
    expect(todo.get_by_label("Mailing address")).to_contain_text("12 Elm Street")
    expect(todo.get_by_label("Thank-you note draft")).to_contain_text("Dear Dana Lee")
    page.get_by_role("button", name="Mark mailed: Mail a hand-written thank-you note").click()
    expect(todo.get_by_role("listitem")).to_have_count(2)
    eventually(lambda: _contact(cid).stage == PipelineStage.THANKED)

    # Snooze one (gone until its date), skip another.
    page.get_by_role("button", name="Snooze: Connect on LinkedIn").click()
    page.get_by_role("menuitem", name="1 week").click()
    expect(todo.get_by_role("listitem")).to_have_count(1)
    snoozed = _task(user["id"], FollowUpKind.LINKEDIN_CONNECT)
    assert snoozed.snoozed_until == utcnow().date() + timedelta(days=7)
    assert snoozed.status == FollowUpStatus.OPEN
    page.get_by_role("button", name="Skip: Send a progress update").click()
    expect(page.get_by_text("Nothing to follow up right now")).to_be_visible()
    assert _task(user["id"], FollowUpKind.PROGRESS_UPDATE).status == FollowUpStatus.SKIPPED

    # Starting the job search, after confirming, adds a reconnect task for Dana (met), not
    # for Sam (not met yet).
    page.get_by_role("button", name="I'm starting my job search").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Add reconnect tasks").click()
    expect(todo.get_by_text(re.compile("Reconnect: tell them"))).to_be_visible()
    reconnect = [t for t in _tasks(user["id"]) if t.kind == FollowUpKind.RECONNECT]
    assert [t.contact_id for t in reconnect] == [cid]
    expect(page.get_by_text("You told InfoView you're job hunting")).to_be_visible()


def _interview(interview_id: int) -> Interview:
    with db.session() as session:
        interview = session.get(Interview, interview_id)
        session.expunge(interview)
        return interview


def test_interview_step_without_an_interview_points_to_step_4(page: Page, make_user) -> None:
    user = make_user(name="No Interview Student")
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Nursing")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, No Interview Student")).to_be_visible()
    page.goto(f"/exploration?id={eid}&step=5")
    expect(page.get_by_text("No interview booked in this exploration yet")).to_be_visible()
    expect(page.get_by_role("link", name="Go to step 4")).to_have_attribute(
        "href", re.compile(r"step=4"))

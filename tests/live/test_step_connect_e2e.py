"""Step 4 · Connect, as a student uses it on a phone and on a laptop: the phone script names
the referrer, the job-word check flags an edited draft, a logged attempt sets its 3B7
reminders, and the booked interview downloads as an .ics file."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlmodel import select

from infoview_app import db
from infoview_app.models import Contact, FollowUpKind, FollowUpTask, Interview, OutreachAttempt
from infoview_app.services.core.wording import date_label as day_label
from infoview_app.services.develop import contacts
from infoview_app.services.follow_up.due_dates import add_business_days
from infoview_app.services.journey import explorations
from tests.live.conftest import sign_in

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout


def _seed(user_id: int) -> tuple[int, int]:
    """An exploration with Dr. Rivera, who referred Sam Lee (and allowed her name used)."""
    with db.session() as session:
        eid = explorations.start_exploration(session, user_id, "Physical therapy")
        rivera = contacts.add_contact(session, user_id, eid, {
            "name": "Dr. Elena Rivera", "organization": "Northfield University",
            "source": "faculty"})
        lee = contacts.add_contact(session, user_id, eid, {
            "name": "Sam Lee", "organization": "Lakeside Rehab", "source": "referral"})
        lee.referred_by_id = rivera.id
        lee.may_use_referrer_name = True
        session.add(lee)
        session.commit()
        assert lee.id is not None
        return eid, lee.id


def _last_friday(today: date) -> date:
    return today - timedelta(days=(today.weekday() - 4) % 7 or 7)


def test_connect_script_check_log_and_book(page: Page, make_user, tmp_path: Path) -> None:
    user = make_user(name="Connect Student")
    eid, lee_id = _seed(user["id"])
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Connect Student")).to_be_visible()
    page.goto(f"/exploration?id={eid}&step=4")
    expect(page.get_by_role("heading", name="Step 4 · Connect")).to_be_visible()

    picker = page.get_by_role("list", name="Contacts to reach")
    expect(picker.get_by_role("listitem")).to_have_count(2)
    expect(picker.get_by_text("Not contacted yet").first).to_be_visible()
    page.get_by_role("button", name="Reach out to Sam Lee").click()

    script = page.get_by_role("list", name="Phone script")
    expect(script).to_contain_text("Dr. Elena Rivera suggested I call you.")
    expect(script).to_contain_text("Is this a good time")
    expect(page.get_by_role("status", name="Job-word check: phone script")).to_contain_text(
        "No job-seeking words")

    page.get_by_role("tab", name="LinkedIn").click()
    message = page.get_by_role("textbox", name="LinkedIn message")
    expect(message).to_have_value(re.compile("Dr. Elena Rivera suggested I reach out"))
    message.fill("Hello Sam, are you hiring? I would love a job at Lakeside.")
    check = page.get_by_role("status", name="Job-word check: LinkedIn message")
    expect(check).to_contain_text("\u201cjob\u201d")
    expect(check).to_contain_text("\u201chiring\u201d")
    expect(page.get_by_text(re.compile(r"^58 / 300 characters"))).to_be_visible()

    friday = _last_friday(date.today())
    form = page.get_by_role("form", name="Log an attempt")
    form.get_by_label("Channel").select_option("phone")
    form.get_by_label("Date").fill(friday.isoformat())
    form.get_by_label("Outcome").select_option("left_message")
    form.get_by_label("Note (optional)").fill("Spoke to the front desk")
    form.get_by_role("button", name="Log attempt").click()
    nudge = add_business_days(friday, 3)
    assert nudge.weekday() == 2  # Friday + 3 business days is a Wednesday
    reminders = page.get_by_role("status", name="Reminders set")
    expect(reminders).to_contain_text(f"Nudge on {day_label(nudge)}")
    expect(reminders).to_contain_text(f"Move on after {day_label(add_business_days(friday, 7))}")
    attempts = page.get_by_role("list", name="Attempts")
    expect(attempts.get_by_role("listitem")).to_have_count(1)
    expect(attempts).to_contain_text("Left a message")
    expect(picker).to_contain_text("Last: Left a message")
    expect(form.get_by_label("Note (optional)")).to_have_value("")
    expect(message).to_have_value(re.compile("are you hiring"))  # the edit is kept
    expect(check).to_contain_text("\u201cjob\u201d")

    day = date.today() + timedelta(days=8)
    booking = page.get_by_role("form", name="Book the interview")
    booking.get_by_label("Date").fill(day.isoformat())
    booking.get_by_label("Time").fill("10:30")
    booking.get_by_label("How").select_option("video")
    booking.get_by_label("Place or video link").fill("not a link")
    booking.get_by_role("button", name="Book interview").click()
    expect(booking.locator("#location-error")).to_contain_text("https://")
    booking.get_by_label("Place or video link").fill("https://meet.example.com/abc")
    booking.get_by_role("button", name="Book interview").click()
    booked = page.get_by_role("group", name="Booked interview")
    expect(booked).to_contain_text(f"{day_label(day)}, 10:30 am")
    expect(booked).to_contain_text("30 minutes")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Add to calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    event = Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Informational interview with Sam Lee"
    start = event.decoded("DTSTART")

    with db.session() as session:
        attempt = session.exec(select(OutreachAttempt).where(
            OutreachAttempt.contact_id == lee_id)).one()
        assert attempt.attempted_on == friday and attempt.outcome == "left_message"
        interview = session.exec(select(Interview).where(Interview.contact_id == lee_id)).one()
        assert interview.duration_minutes == 30 and interview.mode == "video"
        assert interview.location == "https://meet.example.com/abc"
        assert start == interview.scheduled_at
        # Booking ends the outreach reminders: the outreach worked.
        assert session.exec(select(FollowUpTask).where(
            FollowUpTask.contact_id == lee_id,
            FollowUpTask.kind == FollowUpKind.OUTREACH_NUDGE)).first() is None
        assert session.get(Contact, lee_id).stage == "scheduled"

    page.get_by_role("button", name="Reschedule").click()
    booking = page.get_by_role("form", name="Book the interview")
    expect(booking.get_by_label("Time")).to_have_value("10:30")
    booking.get_by_label("Time").fill("11:15")
    booking.get_by_label("Length in minutes (20-30)").fill("20")
    booking.get_by_role("button", name="Save new time").click()
    expect(booked).to_contain_text(f"{day_label(day)}, 11:15 am")
    expect(booked).to_contain_text("20 minutes")

    page.get_by_role("button", name="Cancel interview").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel interview").click()
    expect(page.get_by_role("form", name="Book the interview")).to_be_visible()
    with db.session() as session:
        assert session.get(Interview, interview.id).status == "cancelled"


def test_connect_empty_state_points_to_step_2(page: Page, make_user) -> None:
    user = make_user(name="Empty Student")
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Nursing")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Empty Student")).to_be_visible()
    page.goto(f"/exploration?id={eid}&step=4")
    expect(page.get_by_text("No contacts yet")).to_be_visible()
    page.get_by_role("link", name="Go to Step 2 · Develop").click()
    expect(page.get_by_role("heading", name="Step 2 · Develop")).to_be_visible()

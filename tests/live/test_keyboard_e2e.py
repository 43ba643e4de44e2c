"""The keyboard alone, on a phone and a laptop: a student signs in, starts an exploration and
does each step's main action, and staff use the dashboard's filters and tables, with Tab,
Shift+Tab, Enter, Space, Escape and the arrow keys only, typing into the field that has focus.
Every stop shows where focus is, and focus is never dropped to the page's body when a dialog
closes, a toast appears, a list changes or a step changes (tests/live/keyboard.py)."""

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from infoview_app.models import Role
from infoview_app.services.core.wording import STEP_NAMES

# Fifteen students of two majors (one of each sharing their progress): the ``campus`` fixture.
from tests.live.campus import BIG_GROUP, BIG_MAJOR, SOURCES_TITLE
from tests.live.conftest import wait_hydrated
from tests.live.keyboard import expect_focus_shown, press_on, tab_to, type_into

FIELD = "Occupational therapy"
OCCUPATION = "Occupational Therapists"
CONTACT = "Maria Chen"
ANSWERS = ("Evaluations in the morning, then sessions with children.",
           "She wanted work that is practical and creative.")


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), password)
    press_on(page, page.get_by_role("button", name="Sign in", exact=True))


def _go_to_step(page: Page, viewport_name: str, number: int) -> None:
    """The next step through the stepper: its "Next step" arrow on a phone, the step's link
    in the row of six on a laptop. Focus stays on the stepper as the step changes."""
    name = STEP_NAMES[number - 1]
    if viewport_name == "phone":
        press_on(page, page.get_by_role("link", name="Next step"))
    else:
        press_on(page, page.get_by_role("navigation", name="The six steps").get_by_role(
            "link", name=re.compile(rf"^{number}\s*{name}")))
    expect(page.get_by_role("heading", name=f"Step {number} · {name}")).to_be_visible()
    expect_focus_shown(page, f"going to step {number}")


def _start_exploration(page: Page) -> None:
    type_into(page, page.get_by_label("Career field to explore"), FIELD)
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name=FIELD, exact=True)
    expect(link).to_be_visible()
    expect_focus_shown(page, "starting an exploration")
    press_on(page, link)
    expect(page.get_by_role("heading", name="Step 1 · Research")).to_be_visible()


def _research(page: Page) -> None:
    type_into(page, page.get_by_label("Search occupations"), "occupational")
    page.keyboard.press("Enter")
    press_on(page, page.get_by_role("button", name=f"Choose {OCCUPATION}"))
    expect(page.get_by_text("Your occupation")).to_be_visible()
    expect_focus_shown(page, "choosing the occupation")
    type_into(page, page.get_by_label("Research notes (Markdown)"), "Hospitals and schools.")
    expect(page.locator("#notes-status")).to_have_text("Saved.")
    expect_focus_shown(page, "the notes were saved")


def _develop(page: Page) -> None:
    press_on(page, page.get_by_role("button", name="Add a contact"))
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect_focus_shown(page, "opening the contact form")
    type_into(page, dialog.get_by_label("Name"), CONTACT)
    type_into(page, dialog.get_by_label("Title"), "Occupational Therapist")
    tab_to(page, dialog.get_by_label("How you know them"))
    page.keyboard.type("Family")
    expect(dialog.get_by_label("How you know them")).to_have_value("family")
    press_on(page, dialog.get_by_role("button", name="Save contact"))
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("list", name="Your contacts").get_by_role("listitem")
           ).to_have_count(1)
    # Back on the button that opened the form (components/dialog.py), not on the page's body.
    expect(page.get_by_role("button", name="Add a contact")).to_be_focused()
    expect_focus_shown(page, "the contact form closed")
    # Escape closes a dialog too, and focus goes back where it was.
    press_on(page, page.get_by_role("button", name=f"Edit {CONTACT}"))
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name=f"Edit {CONTACT}")).to_be_focused()
    expect_focus_shown(page, "Escape closed the contact form")


def _prepare(page: Page) -> None:
    type_into(page, page.get_by_label("Who I am"), "I'm Ana Lopez, a student")
    type_into(page, page.get_by_label("Why this field"), "A therapist helped my brother")
    add = page.get_by_role("button", name=re.compile(r"^Add: ")).first
    chosen = page.get_by_role("list", name="Your questions").get_by_role("listitem")
    for count in (1, 2):
        press_on(page, add)
        expect(chosen).to_have_count(count)
        expect_focus_shown(page, f"adding question {count} from the bank")


def _connect(page: Page) -> None:
    press_on(page, page.get_by_role("button", name=f"Reach out to {CONTACT}"))
    expect(page.get_by_role("list", name="Phone script")).to_contain_text(
        f"Hello, is this {CONTACT}?")
    expect_focus_shown(page, "choosing whom to reach")
    # The drafts' tabs: arrow keys move between them.
    tab_to(page, page.get_by_role("tab", name="Phone script"))
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Email")).to_have_attribute("aria-selected", "true")
    expect_focus_shown(page, "the Email tab")

    form = page.get_by_role("form", name="Log an attempt")
    tab_to(page, form.get_by_label("Channel"))
    page.keyboard.type("Phone")
    tab_to(page, form.get_by_label("Outcome"))
    page.keyboard.type("Left")
    expect(form.get_by_label("Outcome")).to_have_value("left_message")
    press_on(page, form.get_by_role("button", name="Log attempt"))
    expect(page.get_by_role("list", name="Attempts").get_by_role("listitem")).to_have_count(1)
    expect_focus_shown(page, "logging the attempt")

    booking = page.get_by_role("form", name="Book the interview")
    start = datetime.now() + timedelta(days=2)
    tab_to(page, booking.get_by_label("Date"))
    page.keyboard.type(start.strftime("%m%d%Y"))
    expect(booking.get_by_label("Date")).to_have_value(start.date().isoformat())
    tab_to(page, booking.get_by_label("Time"))
    page.keyboard.type("1030AM")
    expect(booking.get_by_label("Time")).to_have_value("10:30")
    type_into(page, booking.get_by_label("Place or video link"), "Riverside Hospital")
    press_on(page, booking.get_by_role("button", name="Book interview"))
    expect(page.get_by_role("group", name="Booked interview")).to_contain_text("10:30")
    expect_focus_shown(page, "booking the interview")


def _interview(page: Page) -> None:
    """Interview mode from its first question to its last, and finishing."""
    notes = page.get_by_label("Notes for this question")
    following = page.get_by_role("button", name="Next")
    last = len(ANSWERS)
    for number, answer in enumerate(ANSWERS, start=1):
        expect(page.get_by_text(f"Question {number} of {last}")).to_be_visible()
        type_into(page, notes, answer)
        expect(page.locator("#save-status")).to_have_text("Saved.")
        if number < last:
            press_on(page, following)
            expect(page.get_by_text(f"Question {number + 1} of {last}")).to_be_visible()
            expect_focus_shown(page, f"Next on question {number}")
        if number == last - 1:
            # The last "Next" is unavailable now and keeps focus; Enter on it does nothing.
            expect(following).to_be_disabled()
            expect(following).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.get_by_text(f"Question {last} of {last}")).to_be_visible()
    press_on(page, page.get_by_role("button", name="Previous"))
    expect(page.get_by_text(f"Question 1 of {len(ANSWERS)}")).to_be_visible()
    expect_focus_shown(page, "Previous back to the first question")

    box = page.get_by_role("checkbox", name="I thanked them for their time")
    press_on(page, box, " ")
    expect(box).to_be_checked()
    press_on(page, page.get_by_role("button", name="Finish interview"))
    expect(page.get_by_role("status").filter(has_text="Interview recorded.")).to_be_visible()
    expect_focus_shown(page, "finishing the interview")


def _follow_up(page: Page) -> None:
    todo = page.get_by_role("list", name="Follow-ups in this field").get_by_role("listitem")
    expect(todo).to_have_count(3)
    press_on(page, page.get_by_role("button", name=re.compile("^Mark mailed: ")))
    expect(todo).to_have_count(2)
    expect_focus_shown(page, "ticking a follow-up off")


def test_student_journey_by_keyboard(page: Page, viewport_name: str,
                                     make_user: Any) -> None:
    user = make_user(name="Ana Lopez")
    _sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Ana Lopez")).to_be_visible()
    _start_exploration(page)
    _research(page)
    for number, step in ((2, _develop), (3, _prepare), (4, _connect), (5, _interview),
                         (6, _follow_up)):
        _go_to_step(page, viewport_name, number)
        step(page)


@pytest.mark.usefixtures("campus")
def test_staff_dashboard_by_keyboard(page: Page, make_user: Any) -> None:
    """Filters applied and reset, a chart's table opened and closed, a student searched."""
    user = make_user(Role.STAFF, name="Jordan Alvarez")
    _sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    wait_hydrated(page)

    figure = page.locator(".iv-figure").filter(has_text="Registered students")
    everyone = figure.text_content() or ""
    major = page.get_by_label("Major", exact=True)
    tab_to(page, major)
    page.keyboard.type(BIG_MAJOR)
    expect(major).to_have_value(BIG_MAJOR)
    press_on(page, page.get_by_role("button", name="Apply"))
    expect(figure).not_to_have_text(everyone)
    expect(figure.get_by_text(str(BIG_GROUP), exact=True)).to_be_visible()
    expect_focus_shown(page, "applying the filters")

    card = page.locator(".iv-chart-card").filter(
        has=page.get_by_role("heading", name=SOURCES_TITLE, exact=True))
    table = card.get_by_role("table")
    summary = card.locator("summary")
    press_on(page, summary)
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"^LinkedIn or alumni"))).to_be_visible()
    expect(summary.get_by_text("Hide table")).to_be_visible()
    page.keyboard.press(" ")
    expect(table).to_be_hidden()
    expect_focus_shown(page, "closing a chart's table")

    type_into(page, page.get_by_label("Search students by name"), f"{BIG_MAJOR} Student 0")
    page.keyboard.press("Enter")
    progress = page.get_by_role("table").filter(has_text="Furthest step")
    expect(progress.get_by_role("row", name=re.compile(f"{BIG_MAJOR} Student 0")).first
           ).to_be_visible()
    expect_focus_shown(page, "searching the students")

    press_on(page, page.get_by_role("button", name="Reset"))
    expect(major).to_have_value("")
    expect(figure).to_have_text(everyone)
    expect_focus_shown(page, "resetting the filters")

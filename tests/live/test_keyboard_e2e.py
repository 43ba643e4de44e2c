"""The keyboard alone, on a phone and a laptop: staff use the dashboard's filters and tables
with Tab, Shift+Tab, Enter, Space, Escape and the arrow keys only, typing into the field that
has focus. Every stop shows where focus is, and focus is never dropped to the page's body
when the figures, a table or the list of students change (tests/live/keyboard.py)."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from infoview_app.models import Role

# Fifteen students of two majors (one of each sharing their progress): the ``campus`` fixture.
from tests.live.campus import BIG_GROUP, BIG_MAJOR, SOURCES_TITLE
from tests.live.conftest import wait_hydrated
from tests.live.keyboard import expect_focus_shown, press_on, tab_to, type_into


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), password)
    press_on(page, page.get_by_role("button", name="Sign in", exact=True))


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

    press_on(page, page.get_by_role("button", name="Reset"), backwards=True)
    expect(major).to_have_value("")
    expect(figure).to_have_text(everyone)
    expect_focus_shown(page, "resetting the filters")

"""Everyone's own time zone in the production build, on a phone and a laptop: the browser's
zone taken at the first sign-in and kept at the next (from a browser elsewhere), changed in
Account, an unknown zone refused beside the field, and the section axe-clean."""

import re
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from infoview_app import db
from infoview_app.models import User
from infoview_app.services.accounts import user_zones
from infoview_app.services.core.wording import date_label
from infoview_app.services.interview import interview_mode
from infoview_app.services.staff.institution import today_for
from tests import factories
from tests.live.accessibility import violations
from tests.live.conftest import VIEWPORTS, main_nav, sign_in, wait_hydrated

SHOTS = Path(__file__).resolve().parents[2] / ".screenshots"


@pytest.fixture
def browser_in(browser: Browser, viewport_name: str, app_url: str
               ) -> Iterator[Callable[[str], Page]]:
    """A fresh browser context whose clock is in the given zone (what Intl reports)."""
    contexts = []

    def open_in(zone: str) -> Page:
        size = VIEWPORTS[viewport_name]
        context = browser.new_context(
            viewport={"width": size["width"], "height": size["height"]}, base_url=app_url,
            timezone_id=zone)
        contexts.append(context)
        return context.new_page()

    yield open_in
    for context in contexts:
        context.close()


def _stored_zone(user_id: int) -> str | None:
    with db.session() as session:
        return session.exec(select(User.time_zone).where(User.id == user_id)).one()


def _zone_select(page: Page) -> Any:
    return page.get_by_label("Your time zone")


def _signed_in(page: Page, user: dict[str, Any]) -> None:
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name=f"Welcome, {user['name']}")).to_be_visible()
    wait_hydrated(page)


def _account_from(page: Page, user: dict[str, Any], expected: str) -> Page:
    """Sign in on ``page`` (a browser in some zone), open Account: the zone shown and stored
    is ``expected``. The browser's report is an event on the tab's socket, handled before
    the next page's."""
    _signed_in(page, user)
    page.goto("/account")
    wait_hydrated(page)
    expect(_zone_select(page)).to_have_value(expected)
    assert _stored_zone(user["id"]) == expected
    return page


def test_the_zone_is_taken_at_first_sign_in_and_changed_in_account(
        browser_in: Callable[[str], Page], make_user: Callable[..., dict[str, Any]],
        viewport_name: str) -> None:
    user = make_user(name="Lee Pacific")
    page = _account_from(browser_in("America/Los_Angeles"), user, "America/Los_Angeles")
    section = page.get_by_role("form", name="Time zone")
    expect(_zone_select(page).locator("option").first).to_have_text("Institution's zone (UTC)")
    assert violations(page, "form[aria-label='Time zone']") == []
    SHOTS.mkdir(exist_ok=True)
    section.screenshot(path=str(SHOTS / f"account-time-zone-{viewport_name}.png"))

    _zone_select(page).select_option("Europe/Berlin")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text("Time zone saved: Europe/Berlin.")).to_be_visible()
    assert _stored_zone(user["id"]) == "Europe/Berlin"

    # A zone not on the list (a page tampered with) is refused beside the field.
    page.evaluate("""() => {
        const select = document.getElementById('field-time_zone');
        select.add(new Option('Atlantis', 'Atlantis/Capital'));
        select.value = 'Atlantis/Capital';
    }""")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator("#time_zone-error")).to_have_text(
        "Choose your time zone from the list.")
    expect(_zone_select(page)).to_have_attribute("aria-invalid", "true")
    assert _stored_zone(user["id"]) == "Europe/Berlin"
    assert violations(page, "form[aria-label='Time zone']") == []
    page.screenshot(path=str(SHOTS / f"account-time-zone-refused-{viewport_name}.png"),
                    full_page=True)

    # Signing in again from a browser in Tokyo keeps the zone the student chose.
    main_nav(page, viewport_name).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    tokyo = _account_from(browser_in("Asia/Tokyo"), user, "Europe/Berlin")

    # Back to the institution's zone: stored as none.
    _zone_select(tokyo).select_option("")
    tokyo.get_by_role("button", name="Save time zone").click()
    expect(tokyo.get_by_text("Time zone saved: UTC.")).to_be_visible()
    assert _stored_zone(user["id"]) is None


def test_home_lists_the_progress_update_on_time_within_its_window(
        browser_in: Callable[[str], Page], make_user: Callable[..., dict[str, Any]]) -> None:
    """Keep in touch: an interview held 30 days ago (local, in Chicago) whose student offered
    to report back: the update fell due 2 days ago and is on time until week 6."""
    user = make_user(name="Kai Update")
    with db.session() as session:
        user_zones.set_time_zone(session, user["id"], "America/Chicago")
        today = today_for(session, user["id"])
        held_on = today - timedelta(days=30)
        exploration = factories.exploration_id(session, user["id"])
        sam = factories.add_contact(session, user["id"], exploration)
        interview = factories.add_interview(
            session, sam, datetime.combine(held_on, time(10), ZoneInfo("America/Chicago")))
        interview_mode.complete_interview(session, user["id"], interview.id,
                                          will_report_back=True, today=held_on)
    page = browser_in("America/Chicago")
    _signed_in(page, user)
    task = page.get_by_text("Send a progress update", exact=True).locator("..")
    expect(task).to_contain_text(
        f"due by {date_label(held_on + timedelta(weeks=6), today=today)}")
    expect(task).not_to_contain_text("overdue")

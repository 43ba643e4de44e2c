"""The private calendar feed from the Account page, in the browser on a phone and a laptop:
make the link, copy it, fetch it as a calendar app would, make a new one (the old one is dead
at once), turn it off."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar
from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import InterviewMode
from tests import factories
from tests.live.accessibility import violations
from tests.live.calendar_feed import feed_link_shown
from tests.live.conftest import sign_in

SHOTS = Path("/tmp/infoview-feed-shots")


def _student_with_an_interview(make_user: Any, name: str) -> dict[str, Any]:
    user = make_user(name=name)
    with db.session() as session:
        exploration = factories.exploration_id(session, user["id"])
        contact = factories.add_contact(session, user["id"], exploration, "Dana Whitfield")
        factories.add_interview(session, contact,
                                datetime.now(UTC).replace(microsecond=0) + timedelta(days=3),
                                mode=InterviewMode.VIDEO,
                                location="https://meet.example.org/dana")
    return user


def _fetch(page: Page, url: str) -> Any:
    return page.request.get(url, fail_on_status_code=False)


def test_subscribe_copy_fetch_replace_and_turn_off(page: Page, make_user: Any,
                                                   viewport_name: str, app_url: str) -> None:
    user = _student_with_an_interview(make_user, f"Feed Student {viewport_name}")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name=f"Welcome, {user['name']}")).to_be_visible()
    page.goto("/account")
    card = page.locator("#calendar-feed")
    expect(card.get_by_text("Your feed is off.")).to_be_visible()
    for app in ("Google Calendar", "Apple Calendar", "Outlook"):
        expect(card.get_by_text(app)).to_be_visible()
    expect(card.get_by_text("every few hours")).to_be_visible()

    first = feed_link_shown(page)
    subscribe = card.get_by_role("link", name="Subscribe")
    expect(subscribe).to_have_attribute("href", "webcal://" + first.split("://", 1)[1])
    card.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == first
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"feed-{viewport_name}.png", full_page=True)
    assert violations(page, "#calendar-feed") == []

    answer = _fetch(page, first)
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(answer.body()).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [
        "Informational interview with Dana Whitfield"]
    assert str(events[0]["URL"]) == "https://meet.example.org/dana"

    card.get_by_role("button", name="New link…").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("The old link stops working at once")
    page.screenshot(path=SHOTS / f"feed-dialog-{viewport_name}.png")
    dialog.get_by_role("button", name="Make a new link").click()
    expect(page.get_by_text("New link made. The old link no longer works.")).to_be_visible()
    url = page.locator("#calendar-feed-url")
    expect(url).not_to_have_value(first)
    second = url.input_value()
    assert _fetch(page, first).status == 404
    assert _fetch(page, second).status == 200

    # Signed out and in again: the link still works but is not shown any more.
    page.get_by_role("button", name="Sign out").first.click()
    expect(page).to_have_url(re.compile(r"/login$"))
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name=f"Welcome, {user['name']}")).to_be_visible()
    page.goto("/account")
    expect(card.get_by_text(re.compile(r"^Your feed is on \(link made \w{3} \d+ \w{3}"))
           ).to_be_visible()
    expect(page.locator("#calendar-feed-url")).to_have_count(0)
    assert second not in page.content()
    assert _fetch(page, second).status == 200

    card.get_by_role("button", name="Turn off…").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Turn off").click()
    expect(card.get_by_text("Your feed is off.")).to_be_visible()
    expect(page.locator("#calendar-feed-url")).to_have_count(0)
    assert _fetch(page, second).status == 404

"""The Account page's calendar feed card, as the live tests drive it."""

import re

from playwright.sync_api import Page, expect

FEED_URL = re.compile(r"/calendar/[A-Za-z0-9_-]{43}\.ics$")


def feed_link_shown(page: Page) -> str:
    """On the Account page: make the calendar feed's link (a new one, confirmed in its
    dialog, if the feed is on already) and wait for it; returns it."""
    card = page.locator("#calendar-feed")
    expect(card.get_by_role("button").first).to_be_visible()
    make = card.get_by_role("button", name="Make my feed link")
    if make.count():
        make.click()
    else:
        card.get_by_role("button", name="New link…").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Make a new link").click()
    url = page.locator("#calendar-feed-url")
    expect(url).to_have_value(FEED_URL)
    return url.input_value()

"""The admin's audit log in the browser, on a phone and a laptop: a failed and a successful
sign-in appear with the browser's address, the filters narrow them (a bad range is refused
beside its field), the CSV downloads, and axe-core finds nothing to fix on the page."""

import csv
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from infoview_app.models import Role
from tests.live.conftest import main_nav, sign_in


def test_admin_filters_the_audit_log_and_downloads_it(page: Page, viewport_name: str,
                                                       make_user) -> None:
    admin = make_user(role=Role.ADMIN, name="Ada Audit")
    sign_in(page, admin["email"], "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, admin["email"], admin["password"])
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()

    main_nav(page, viewport_name).get_by_role("link", name="Audit log").click()
    expect(page).to_have_url(re.compile(r"/admin/audit/?$"))
    expect(page.get_by_role("heading", name="Audit log", exact=True)).to_be_visible()
    events = page.locator(".iv-audit-table tbody tr")
    expect(events.first).to_be_visible()

    # A range that ends before it starts is refused beside its field.
    page.get_by_label("From (UTC)").fill("2026-12-07")
    page.get_by_label("To (UTC)").fill("2026-12-01")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#end-error")).to_have_text("The end date is before the start date.")

    page.get_by_label("Event").select_option(label="Signed in")
    page.get_by_label("Email contains").fill(admin["email"].upper())
    page.get_by_label("From (UTC)").fill("")
    page.get_by_label("To (UTC)").fill("")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#end-error")).to_have_count(0)
    expect(events).to_have_count(1)
    row = events.first
    expect(row).to_be_visible()
    expect(row).to_contain_text("Signed in")
    expect(row).to_contain_text(admin["email"])
    expect(row).to_contain_text("127.0.0.1")
    expect(row).to_contain_text("Role: Administrator")

    page.get_by_label("Event").select_option(label="Sign-in failed")
    page.get_by_role("button", name="Apply").click()
    expect(events).to_have_count(1)
    expect(events.first).to_contain_text("Not signed in")
    expect(events.first).to_contain_text("wrong email or password")

    if viewport_name == "phone":  # one card per event, every line labelled, nothing cut off
        box = events.first.bounding_box()
        assert box is not None and 300 < box["width"] <= 390 and box["height"] > 100
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=f"/tmp/audit-{viewport_name}.png", full_page=True)

    # The page's own content (the app shell around it is every page's).
    results = Axe().run(page, context="#main-content")
    assert results.violations_count == 0, results.generate_report()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "infoview-audit-log.csv"
    with open(download.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:3] == ["When (UTC)", "Event", "Actor email"]
    assert [line[1] for line in rows[1:]] == ["Sign-in failed"]
    assert rows[1][4] == admin["email"] and rows[1][7] == "127.0.0.1"
    # The download itself is recorded, and the list (reset) shows it first.
    page.get_by_role("button", name="Reset").click()
    expect(events.first).to_contain_text("Data export downloaded")
    expect(events.first).to_contain_text("file: infoview-audit-log.csv")

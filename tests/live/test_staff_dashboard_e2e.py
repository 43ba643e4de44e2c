"""The staff dashboard in the browser, on a phone and a laptop: the minimum group size set at
/staff/settings (checked beside its field), filters in whole weeks, "<10" for small counts, the
note on rounding, a chart's table and its CSV download, the opted-in students' progress.

Groups and counts are multiples of 5 (one cell each: a major and year, one week), which the
rounding to multiples of 5 leaves as they are, so the figures below are exact."""

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import delete

from infoview_app import db
from infoview_app.models import InstitutionSettings, Role
from infoview_app.state.staff import PROGRESS_FIRST
from tests.factories import student_with_exploration
from tests.live.campus import (
    BIG_GROUP,
    BIG_MAJOR,
    CONTACT_EMAIL,
    SMALL_MAJOR,
    SOURCES_TITLE,
)
from tests.live.conftest import sign_in, wait_hydrated

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout


@pytest.fixture(scope="module", autouse=True)
def settings_dropped(app_harness: Any) -> Iterator[None]:
    """The settings saved here (the minimum group size) are dropped afterwards."""
    yield
    with db.session() as session:
        session.exec(delete(InstitutionSettings))
        session.commit()


def _figure(page: Page, label: str, value: str) -> None:
    """The headline figure ``label`` reads exactly ``value``."""
    figure = page.locator(".iv-figure").filter(has=page.get_by_text(label, exact=True))
    expect(figure.get_by_text(value, exact=True)).to_be_visible()


def _apply(page: Page, major: str) -> None:
    page.get_by_label("Major", exact=True).select_option(major)
    page.get_by_role("button", name="Apply").click()


def _chart_card(page: Page, title: str) -> Locator:
    return page.locator(".iv-chart-card").filter(
        has=page.get_by_role("heading", name=title, exact=True))


def _table_cells(table: Locator) -> list[list[str]]:
    header = [cell.strip() for cell in table.get_by_role("columnheader").all_inner_texts()]
    rows = [[cell.strip() for cell in row.locator("th, td").all_inner_texts()]
            for row in table.locator("tbody tr").all()]
    return [header, *rows]


def _minimum_group_size_of_ten(page: Page) -> None:
    """Set at /staff/settings: a size under 5 is refused beside the field."""
    page.goto("/staff/settings")
    form = page.get_by_role("form", name="Institution settings")
    field = form.get_by_label("Minimum group size")
    expect(field).to_have_value(re.compile(r"^(5|10)$"))
    field.fill("3")
    form.get_by_role("button", name="Save settings").click()
    expect(page.locator("#min_group_size-error")).to_have_text(
        "Enter a whole number from 5 to 50.")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("10")
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.locator("#min_group_size-error")).to_have_count(0)


def test_staff_filters_by_major_and_downloads_a_chart_table(page: Page, make_user, campus,
                                                            viewport_name: str) -> None:
    staff = make_user(role=Role.STAFF, name="Stella Staff")
    sign_in(page, staff["email"], staff["password"])
    expect(page).to_have_url(re.compile(r"/staff$"))
    _minimum_group_size_of_ten(page)
    page.goto("/staff")
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    wait_hydrated(page)
    note = page.get_by_text(re.compile(r"^Counts are rounded to a multiple of 5 "))
    expect(note).to_contain_text("counts under 10 show as <10")
    expect(note).to_contain_text("Periods are whole weeks, Monday to Sunday.")

    # A group of five students: every figure about them reads "<10".
    _apply(page, SMALL_MAJOR)
    _figure(page, "Registered students", "<10")
    _figure(page, "Explorations started", "<10")
    expect(page.get_by_label("Major", exact=True)).to_have_value(SMALL_MAJOR)

    # Ten students: counted, except their five interviews and five faculty contacts.
    _apply(page, BIG_MAJOR)
    _figure(page, "Registered students", str(BIG_GROUP))
    _figure(page, "Explorations started", str(BIG_GROUP))
    _figure(page, "Interviews held", "<10")
    card = _chart_card(page, SOURCES_TITLE)
    expect(card.get_by_role("application", name=SOURCES_TITLE)).to_be_visible()
    expect(card.locator("svg.recharts-surface").first).to_be_visible()

    table = card.get_by_role("table")
    expect(table).to_be_hidden()
    card.get_by_text("Show table").click()
    expect(table).to_be_visible()
    # Faculty's five read "<10" with their share withheld; LinkedIn's ten are shown, their
    # share taken from the rounded counts (ten of fifteen).
    expect(table.get_by_role("row", name=re.compile(r"Faculty\s+<10\s+withheld"))
           ).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"LinkedIn or alumni\s+10\s+66.7%"))
           ).to_be_visible()
    shown = _table_cells(table)
    assert shown[0][:2] == ["Source", "Contacts"]

    start = page.get_by_label("From", exact=True).input_value()
    end = page.get_by_label("To", exact=True).input_value()
    assert (date.fromisoformat(start).weekday(), date.fromisoformat(end).weekday()) == (0, 6)
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"infoview-contact_sources-{start}-{end}.csv"
    with open(download.path(), encoding="utf-8") as file:
        content = file.read()
    assert list(csv.reader(io.StringIO(content))) == [*shown, [], [note.inner_text()]]
    assert "<10" in content

    # The opted-in student of this major, with their step and counts; no contact details.
    progress = page.get_by_role("table").filter(has_text="Furthest step")
    expect(progress.get_by_role("row", name=re.compile(f"{BIG_MAJOR} Student 0"))).to_be_visible()
    expect(progress.get_by_role("row")).to_have_count(2)
    assert CONTACT_EMAIL not in page.content() and "Dr Reef" not in page.content()

    if viewport_name == "phone":  # wide tables scroll inside their card, not the page
        progress.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


CHART_SVG = '.iv-chart svg[role="application"]'  # a chart drawn (not its legend's icons)


def _dashboard_of(page: Page, make_user, name: str) -> Locator:
    """A new staff member on the dashboard, once its charts' cards are there: the cards."""
    staff = make_user(role=Role.STAFF, name=name)
    sign_in(page, staff["email"], staff["password"])
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    wait_hydrated(page)
    cards = page.locator(".iv-chart-card")
    expect(cards.nth(1)).to_be_visible()
    return cards


def test_a_charts_table_is_built_only_while_it_is_open(page: Page, make_user, campus) -> None:
    """Closed, a chart's <details> holds its summary and nothing else (the page renders none
    of the tables' rows); Enter on the summary builds the table with the chart's rows, and
    closing it drops them again."""
    cards = _dashboard_of(page, make_user, "Tilda Tables").count()
    # Each closed <details>: the summary and its "Show table" / "Hide table" spans.
    assert page.locator(".iv-table-details *").count() == 3 * cards
    assert page.locator(".iv-chart-card tr, .iv-chart-card td").count() == 0

    card = _chart_card(page, SOURCES_TITLE)
    summary = card.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = card.get_by_role("table", name=SOURCES_TITLE)
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"LinkedIn or alumni"))).to_be_visible()
    assert _table_cells(table)[0][:2] == ["Source", "Contacts"]
    expect(page.locator(".iv-table-details table")).to_have_count(1)  # the others stay unbuilt
    expect(summary).to_be_focused()

    page.keyboard.press("Enter")
    expect(card.locator("tr")).to_have_count(0)
    assert page.locator(".iv-table-details *").count() == 3 * cards


def test_charts_are_drawn_when_the_reader_gets_near_them_in_boxes_of_their_height(
        page: Page, make_user, campus) -> None:
    """A chart far below the fold is not drawn while the page loads; its box already has
    the height it will have. Scrolled to, it is drawn; the first key press draws them all."""
    cards = _dashboard_of(page, make_user, "Fern Fold")
    total = cards.count()
    first, last = cards.first, cards.nth(total - 1)
    first.locator("h3").scroll_into_view_if_needed()
    expect(first.locator(CHART_SVG)).to_be_visible()  # Recharts has loaded
    assert last.locator(".iv-chart *").count() == 1  # the empty slot: nothing drawn
    reserved = last.locator(".iv-chart").evaluate("e => e.getBoundingClientRect().height")
    assert reserved > 100

    last.locator("h3").scroll_into_view_if_needed()
    expect(last.locator(CHART_SVG)).to_be_visible()
    assert last.locator(".iv-chart").evaluate(
        "e => e.getBoundingClientRect().height") == reserved

    # Loaded again at the top: a key press (a keyboard user's first Tab) draws every chart,
    # and so does printing the page (Chromium's print to PDF runs the page's beforeprint).
    for draw_all in (lambda: page.keyboard.press("Shift"), page.pdf):
        page.reload()
        expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
        wait_hydrated(page)
        expect(cards.nth(total - 1)).to_be_attached()
        expect(page.locator(CHART_SVG)).not_to_have_count(total)
        draw_all()
        expect(page.locator(CHART_SVG)).to_have_count(total)


def test_filters_are_validated_beside_the_fields_and_reset(page: Page, make_user,
                                                           campus) -> None:
    staff = make_user(role=Role.STAFF, name="Stella Staff")
    sign_in(page, staff["email"], staff["password"])
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    wait_hydrated(page)
    default_start = page.get_by_label("From", exact=True).input_value()

    page.get_by_label("From", exact=True).fill("2026-06-10")
    page.get_by_label("To", exact=True).fill("2026-06-01")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#end-error")).to_have_text(
        "The end date can't be before the start date.")
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")

    _apply(page, SMALL_MAJOR)  # the bad dates are still in the form
    expect(page.locator("#end-error")).to_be_visible()
    page.get_by_label("To", exact=True).fill("2026-06-30")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#end-error")).to_have_count(0)
    # Whole weeks: Wednesday 10 June widens to Monday 8 June.
    expect(page.get_by_label("From", exact=True)).to_have_value("2026-06-08")

    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_label("From", exact=True)).to_have_value(default_start)
    expect(page.get_by_label("Major", exact=True)).to_have_value("")

    page.get_by_label("Search students by name").fill("Classics")
    page.get_by_role("button", name="Search").click()
    progress = page.get_by_role("table").filter(has_text="Furthest step")
    expect(progress.get_by_role("row", name=re.compile("Classics Student 0"))).to_be_visible()
    expect(progress.get_by_role("row")).to_have_count(2)


def test_student_opening_the_dashboard_is_refused(page: Page, make_user, campus) -> None:
    student = make_user(name="Nosy Student")
    sign_in(page, student["email"], student["password"])
    expect(page.get_by_role("heading", name="Welcome, Nosy Student")).to_be_visible()
    page.goto("/staff")
    expect(page).to_have_url(re.compile(r"/not-allowed$"))
    expect(page.get_by_role("heading", name="This page isn't available to you")).to_be_visible()
    expect(page.get_by_role("button", name="Download CSV")).to_have_count(0)
    expect(page.get_by_text("Registered students")).to_have_count(0)


def test_the_progress_table_draws_its_first_rows_and_the_rest_when_asked(
        page: Page, make_user, campus, viewport_name: str) -> None:
    """Up to 50 students are listed; the first ten are drawn, "Show all" (a button, so the
    keyboard reaches it, and it keeps the focus) draws the others and takes them away again."""
    major = f"Zoology {viewport_name}"  # a group of this test's own
    with db.session() as session:
        for number in range(PROGRESS_FIRST + 2):
            student_with_exploration(
                session, number, "Marine biology", name=f"{major} Sharer {number:02d}",
                email=f"zoology-{viewport_name}-{number}@test.example.edu", major=major,
                graduation_year=2031, share_progress=True)
    _dashboard_of(page, make_user, "Rowan Rows")
    _apply(page, major)
    progress = page.get_by_role("table").filter(has_text="Furthest step")
    expect(progress.get_by_role("row")).to_have_count(1 + PROGRESS_FIRST)
    show = page.get_by_role("button", name=f"Show all {PROGRESS_FIRST + 2} students")
    expect(show).to_have_attribute("aria-expanded", "false")
    show.focus()
    page.keyboard.press("Enter")
    expect(progress.get_by_role("row")).to_have_count(1 + PROGRESS_FIRST + 2)
    expect(progress.get_by_role("row", name=re.compile(f"{major} Sharer 11"))).to_be_visible()
    fewer = page.get_by_role("button", name=f"Show the first {PROGRESS_FIRST}")
    expect(fewer).to_be_focused()
    expect(fewer).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(progress.get_by_role("row")).to_have_count(1 + PROGRESS_FIRST)
    expect(show).to_be_focused()

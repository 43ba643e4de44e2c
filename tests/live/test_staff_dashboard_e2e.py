"""The staff dashboard in the browser, on a phone and a laptop: filters, "<5" for small
groups, a chart's table and its CSV download, the opted-in students' progress."""

import csv
import io
import os
import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from infoview_app import db
from infoview_app.models import Interview, InterviewStatus, Role
from infoview_app.models._base import utcnow
from infoview_app.services import accounts, contacts, explorations, outreach
from tests.live.conftest import PASSWORD, sign_in, wait_hydrated

BIG_MAJOR, BIG_YEAR, BIG_GROUP = "Marine Biology", 2027, 6
SMALL_MAJOR, SMALL_YEAR, SMALL_GROUP = "Classics", 2028, 3
CONTACT_EMAIL = "private.contact@example.org"
SOURCES_TITLE = "Where contacts added in the period came from"


def _student(session: Any, major: str, year: int, number: int, tag: str) -> int:
    user = accounts.create_user(
        session, role=Role.STUDENT, name=f"{major} Student {number}", password=PASSWORD,
        email=f"{major.split()[0].lower()}{number}-{tag}@test.example.edu", major=major,
        graduation_year=year, share_progress=number == 0)
    assert user.id is not None
    return user.id


def _journey(session: Any, owner: int, number: int, *, held: bool) -> None:
    """An exploration with a LinkedIn/alumni contact reached by email; students 0-2 also add
    a faculty member; with ``held``, an interview that took place two days ago."""
    exploration = explorations.start_exploration(session, owner, "Marine research")
    contact = contacts.add_contact(session, owner, exploration, {
        "name": f"Dr Reef {number}", "email": CONTACT_EMAIL, "source": "linkedin_alumni"})
    if number < 3:
        contacts.add_contact(session, owner, exploration,
                             {"name": f"Prof Kelp {number}", "source": "faculty"})
    outreach.log_attempt(session, owner, contact.id, "email", "scheduled",
                         (utcnow() - timedelta(days=5)).date().isoformat())
    if held:
        session.add(Interview(owner_id=owner, contact_id=contact.id, exploration_id=exploration,
                              scheduled_at=utcnow() - timedelta(days=2),
                              status=InterviewStatus.COMPLETED))
        session.commit()


@pytest.fixture(scope="module")
def campus(live_db_url: str, app_harness: Any) -> None:
    """Six students of one major (three with faculty contacts: a group under five), three of
    another: a small group whatever is counted."""
    tag = os.urandom(3).hex()
    with db.session() as session:
        for number in range(BIG_GROUP):
            owner = _student(session, BIG_MAJOR, BIG_YEAR, number, tag)
            _journey(session, owner, number, held=number < 5)
        for number in range(SMALL_GROUP):
            owner = _student(session, SMALL_MAJOR, SMALL_YEAR, number, tag)
            _journey(session, owner, number, held=False)


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


def test_staff_filters_by_major_and_downloads_a_chart_table(page: Page, make_user, campus,
                                                            viewport_name: str) -> None:
    staff = make_user(role=Role.STAFF, name="Stella Staff")
    sign_in(page, staff["email"], staff["password"])
    expect(page).to_have_url(re.compile(r"/staff$"))
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    wait_hydrated(page)

    # A group of three students: every figure about them reads "<5".
    _apply(page, SMALL_MAJOR)
    _figure(page, "Registered students", "<5")
    _figure(page, "Explorations started", "<5")
    expect(page.get_by_label("Major", exact=True)).to_have_value(SMALL_MAJOR)

    # Six students: counted, except the faculty contacts of three of them.
    _apply(page, BIG_MAJOR)
    _figure(page, "Registered students", str(BIG_GROUP))
    _figure(page, "Explorations started", str(BIG_GROUP))
    _figure(page, "Interviews held", "5")
    card = _chart_card(page, SOURCES_TITLE)
    expect(card.get_by_role("img", name=re.compile(r"bar chart"))).to_be_visible()
    expect(card.locator("svg.recharts-surface").first).to_be_visible()

    table = card.get_by_role("table")
    expect(table).to_be_hidden()
    card.get_by_text("Show table").click()
    expect(table).to_be_visible()
    # Faculty is the one small group: the smallest other group is withheld with it, or
    # Faculty would be the whole (known from any share) minus the rest.
    expect(table.get_by_role("row", name=re.compile(r"Faculty\s+<5"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"LinkedIn or alumni\s+withheld"))
           ).to_be_visible()
    shown = _table_cells(table)
    assert shown[0][:2] == ["Source", "Contacts"]

    start = page.get_by_label("From", exact=True).input_value()
    end = page.get_by_label("To", exact=True).input_value()
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"infoview-contact_sources-{start}-{end}.csv"
    with open(download.path(), encoding="utf-8") as file:
        content = file.read()
    assert list(csv.reader(io.StringIO(content))) == shown
    assert "<5" in content

    # The opted-in student of this major, with their step and counts; no contact details.
    progress = page.get_by_role("table").filter(has_text="Furthest step")
    expect(progress.get_by_role("row", name=re.compile(f"{BIG_MAJOR} Student 0"))).to_be_visible()
    expect(progress.get_by_role("row")).to_have_count(2)
    assert CONTACT_EMAIL not in page.content() and "Dr Reef" not in page.content()

    if viewport_name == "phone":  # wide tables scroll inside their card, not the page
        progress.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


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
    expect(page.get_by_label("From", exact=True)).to_have_value("2026-06-10")

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

"""The staff's programme tools in the production build, on a phone and on a laptop: staff add
a community partner that a student then finds in step 2, keep the question bank and change
the institution settings students see."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import delete

from infoview_app import db
from infoview_app.models import InstitutionSettings, Role
from infoview_app.services.journey import explorations
from infoview_app.services.staff import institution
from tests.live.conftest import VIEWPORTS, sign_in


@pytest.fixture
def student_page(browser: Browser, viewport_name: str, app_url: str) -> Iterator[Page]:
    """A second browser (its own LocalStorage) at the same size, for the student."""
    context = browser.new_context(viewport=VIEWPORTS[viewport_name], base_url=app_url)
    yield context.new_page()
    context.close()


def _open_programme(page: Page, staff: dict) -> None:
    sign_in(page, staff["email"], staff["password"])
    expect(page).to_have_url(re.compile(r"/staff/?$"))
    page.get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", name="Community partners")).to_be_visible()


def test_staff_add_a_partner_that_a_student_then_asks_for(
        page: Page, student_page: Page, viewport_name: str, make_user) -> None:
    name = f"Dana Reyes {viewport_name}"
    staff = make_user(role=Role.STAFF, name="Stella Staff")
    student = make_user(name="Partner Seeker")
    with db.session() as session:
        exploration_id = explorations.start_exploration(session, student["id"], "Nursing")

    _open_programme(page, staff)
    page.get_by_role("button", name="Add a partner").click()
    dialog = page.get_by_role("dialog", name="Add a community partner")
    dialog.get_by_role("button", name="Save partner").click()
    expect(dialog.get_by_text("Name is required.")).to_be_visible()
    expect(dialog.get_by_text("Give an email or a phone number")).to_be_visible()
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Organization").fill("Mercy Hospital")
    dialog.get_by_label("Field").fill("Nursing")
    dialog.get_by_label("Email").fill("dana@mercy.example")
    dialog.get_by_label("They agreed to be listed for students").check()
    dialog.get_by_label("Requests per month").fill("1")
    dialog.get_by_role("button", name="Save partner").click()
    expect(dialog).to_be_hidden()
    listed = page.get_by_role("list", name="Community partners").get_by_role(
        "listitem").filter(has_text=name)
    expect(listed).to_contain_text("0 of 1 requests this month · 0 in total")

    sign_in(student_page, student["email"], student["password"])
    expect(student_page.get_by_role("heading", name="Welcome, Partner Seeker")).to_be_visible()
    student_page.goto(f"/exploration?id={exploration_id}&step=2")
    expect(student_page.get_by_role("heading", name="Need connections?")).to_be_visible()
    student_page.get_by_role("button", name=f"Add to my list: {name}").click()
    expect(student_page.get_by_role("list", name="Your contacts").get_by_text(name)
           ).to_be_visible()
    expect(student_page.get_by_text("No more requests this month")).to_be_visible()

    page.reload()
    expect(listed).to_contain_text("1 of 1 requests this month · 1 in total")
    expect(listed.get_by_text("Full this month")).to_be_visible()
    listed.get_by_role("button", name=f"Retire {name}").click()
    confirm = page.get_by_role("alertdialog", name=f"Retire {name}?")
    expect(confirm).to_contain_text("requested and the contacts students made stay")
    confirm.get_by_role("button", name="Retire").click()
    expect(listed.get_by_text("Retired")).to_be_visible()
    expect(listed.get_by_role("button", name=f"Restore {name}")).to_be_visible()

    student_page.reload()
    expect(student_page.get_by_role("heading", name="Need connections?")).to_be_visible()
    expect(student_page.get_by_role("list", name="Your contacts").get_by_text(name)
           ).to_be_visible()  # the contact stays
    expect(student_page.get_by_text("No more requests this month")).to_have_count(0)


def test_staff_add_and_retire_a_question(page: Page, viewport_name: str, make_user) -> None:
    text = f"What would you tell a student on a {viewport_name}?"
    _open_programme(page, make_user(role=Role.STAFF, name="Stella Staff"))
    page.get_by_role("navigation", name="Programme tools").get_by_role(
        "link", name="Questions").click()
    expect(page.get_by_role("heading", name="Question bank")).to_be_visible()
    tabs = page.get_by_role("navigation", name="Programme tools")
    expect(tabs.get_by_role("link", name="Questions")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Programme")).to_have_attribute("aria-current", "page")
    page.get_by_role("button", name="Add a question").click()
    dialog = page.get_by_role("dialog", name="Add a question")
    dialog.get_by_role("textbox", name="Question").fill(text)
    dialog.get_by_label("Category").fill("Advice")
    dialog.get_by_role("button", name="Save question").click()
    expect(dialog).to_be_hidden()
    item = page.get_by_role("list", name="Questions").get_by_role("listitem").filter(
        has_text=text)
    expect(item).to_contain_text("Advice")
    expect(item).to_contain_text("Chosen in 0 explorations")
    item.get_by_role("button", name=re.compile("^Retire question")).click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Explorations and interviews that chose it keep it")
    confirm.get_by_role("button", name="Retire").click()
    expect(item.get_by_text("Retired")).to_be_visible()


@pytest.fixture
def settings_restored() -> Iterator[None]:
    """Other live tests expect the default contact block: drop the saved settings after."""
    yield
    with db.session() as session:
        session.exec(delete(InstitutionSettings))
        session.commit()


def test_staff_change_the_office_phone_and_students_see_it(
        page: Page, student_page: Page, make_user, settings_restored: None) -> None:
    staff = make_user(role=Role.STAFF, name="Stella Staff")
    student = make_user(name="Contact Reader")
    _open_programme(page, staff)
    page.goto("/staff/settings")  # opened by its address: served as /staff/settings/
    tabs = page.get_by_role("navigation", name="Programme tools")
    expect(tabs.get_by_role("link", name="Settings")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Programme")).to_have_attribute("aria-current", "page")
    form = page.get_by_role("form", name="Institution settings")
    form.get_by_label("Phone").fill("(555) 010-7777")
    form.get_by_label("Web address").fill("javascript:alert(1)")
    form.get_by_label("Time zone").fill("Chicago")
    form.get_by_role("button", name="Save settings").click()
    expect(form.get_by_text("Enter a full web address starting with https://")).to_be_visible()
    expect(form.get_by_text("Choose the time zone the career office works in from the list.")
           ).to_be_visible()
    form.get_by_label("Web address").fill("https://careers.northfield.example.edu")
    form.get_by_label("Time zone").fill("America/Chicago")
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    with db.session() as session:
        assert institution.time_zone(session).key == "America/Chicago"
    # The staff member's own contact block changes at once.
    expect(page.get_by_role("link", name="(555) 010-7777").first).to_be_visible()

    sign_in(student_page, student["email"], student["password"])
    expect(student_page.get_by_role("heading", name="Welcome, Contact Reader")).to_be_visible()
    expect(student_page.get_by_role("link", name="(555) 010-7777").first).to_be_visible()


def test_a_student_cannot_open_the_programme_pages(page: Page, make_user) -> None:
    student = make_user(name="Curious Student")
    sign_in(page, student["email"], student["password"])
    expect(page.get_by_role("heading", name="Welcome, Curious Student")).to_be_visible()
    expect(page.get_by_role("link", name="Programme")).to_have_count(0)
    for path in ("/staff/partners", "/staff/questions", "/staff/settings"):
        page.goto(path)
        expect(page.get_by_role("heading", name="This page isn't available to you")
               ).to_be_visible()

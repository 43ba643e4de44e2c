"""A person using the production build in Chromium, on a phone and on a laptop."""

import re

import pytest
from playwright.sync_api import Page, expect

from infoview_app.models import Role
from tests.live.accessibility import violations
from tests.live.conftest import PASSWORD, main_nav, sign_in, wait_hydrated
from tests.mail_server import Inbox, text_part

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout


def test_register_confirm_the_address_sign_out_and_sign_in_again(
        page: Page, viewport_name: str, mail_server: Inbox) -> None:
    email = f"new-student-{viewport_name}@test.example.edu"
    page.goto("/register")
    page.get_by_label("Full name").fill("Riley Park")
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Major (optional)").fill("Biology")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.locator(".iv-auth-card").get_by_role("status")).to_contain_text(email)

    sign_in(page, email, PASSWORD)  # not before the address is confirmed
    expect(page.get_by_text("Confirm your email address first")).to_be_visible()

    link = re.search(r"https?://[^/\s]+(/verify-email\?token=\S+)",
                     text_part(mail_server.wait_for(email)[-1]))
    assert link is not None
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    wait_hydrated(page)
    assert violations(page, ".iv-auth-card") == []
    page.get_by_role("button", name="Confirm my address").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Welcome, Riley Park")).to_be_visible()
    expect(page.get_by_text("You haven't started exploring a career field yet")).to_be_visible()
    expect(page.get_by_text("No interviews booked.")).to_be_visible()

    nav = main_nav(page, viewport_name)
    expect(nav).to_be_visible()
    nav.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))

    sign_in(page, email.upper(), PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Riley Park")).to_be_visible()


def test_wrong_password_is_refused_beside_the_field(page: Page, make_user) -> None:
    user = make_user(name="Casey Wrong")
    sign_in(page, user["email"], "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")


def test_registration_errors_show_beside_each_field(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Full name").fill("Sam")
    page.get_by_label("Email").fill("sam@localhost")
    page.get_by_label("Password").fill("short")
    page.get_by_label("Graduation year (optional)").fill("20x7")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#email-error")).to_contain_text("valid email")
    expect(page.locator("#password-error")).to_have_text("Use at least 10 characters.")
    expect(page.locator("#graduation_year-error")).to_contain_text("year")
    expect(page).to_have_url(re.compile(r"/register"))


def test_student_is_refused_on_staff_pages(page: Page, make_user) -> None:
    user = make_user(name="Student Nosy")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Student Nosy")).to_be_visible()
    page.goto("/staff")
    expect(page.get_by_role("heading", name="This page isn't available to you")).to_be_visible()
    expect(page.get_by_text("Registered students")).to_have_count(0)
    page.goto("/admin/staff")
    expect(page.get_by_role("heading", name="This page isn't available to you")).to_be_visible()


def test_staff_member_sees_programme_overview(page: Page, make_user) -> None:
    user = make_user(role=Role.STAFF, name="Jordan Staff")
    sign_in(page, user["email"], user["password"])
    expect(page).to_have_url(re.compile(r"/staff$"))
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    expect(page.get_by_text("Registered students")).to_be_visible()


def test_sign_in_returns_to_the_page_asked_for_with_its_query(page: Page, make_user) -> None:
    from infoview_app import db, routes
    from infoview_app.services.journey import explorations

    user = make_user(name="Nia Next")
    with db.session() as session:
        exploration_id = explorations.start_exploration(session, user["id"], "Forestry")
    asked_for = routes.exploration_url(exploration_id, 3)
    page.goto(asked_for)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email").fill(user["email"])
    page.get_by_label("Password").fill(user["password"])
    page.get_by_role("button", name="Sign in", exact=True).click()
    # The static build serves /exploration/ (a trailing slash) for /exploration.
    path, query = asked_for.split("?")
    expect(page).to_have_url(re.compile(f"{re.escape(path)}/?{re.escape('?' + query)}$"))
    expect(page.get_by_role("heading", name="Step 3 · Prepare")).to_be_visible()

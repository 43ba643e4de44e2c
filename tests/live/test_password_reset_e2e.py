"""Password reset as a person does it, in Chromium on a phone and a laptop: "Forgot your
password?", the email (from a real SMTP server the tests run), the link, a new password.
An admin sends a staff member the same link."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from infoview_app.models import Role
from tests.live.accessibility import violations
from tests.live.conftest import main_nav, sign_in, wait_hydrated
from tests.mail_server import Inbox, text_part

NEW = "a-brand-new-passphrase"


def _reset_path(inbox: Inbox, address: str, count: int = 1) -> str:
    """The reset link of the newest email to ``address``, as a path on the app under test
    (the email names the configured address, REFLEX_DEPLOY_URL)."""
    text = text_part(inbox.wait_for(address, count)[-1])
    match = re.search(r"https?://\S+/reset-password\?token=\S+", text)
    assert match is not None, text
    link = urlsplit(match.group(0))
    return f"{link.path}?{link.query}"


def test_a_forgotten_password_is_replaced_by_email(page: Page, make_user, viewport_name: str,
                                                  mail_server: Inbox) -> None:
    user = make_user(name="Robin Forgetful")
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    wait_hydrated(page)
    assert violations(page, ".iv-auth-card") == []
    page.screenshot(path=f"/tmp/reset-forgot-{viewport_name}.png", full_page=True)
    page.get_by_role("textbox", name="Email").fill(user["email"].upper())
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.locator(".iv-auth-card").get_by_role("status")).to_contain_text(
        user["email"].upper())

    path = _reset_path(mail_server, user["email"])
    page.goto(path)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    wait_hydrated(page)
    assert violations(page, ".iv-auth-card") == []
    page.screenshot(path=f"/tmp/reset-new-{viewport_name}.png", full_page=True)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill("not-the-same-passphrase")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("The two passwords differ.")).to_be_visible()
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Set new password").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Your new password is set. Sign in with it.")).to_be_visible()

    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, user["email"], NEW)
    expect(page.get_by_role("heading", name="Welcome, Robin Forgetful")).to_be_visible()
    main_nav(page, viewport_name).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    page.goto(path)  # used once: it no longer works
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()


def test_an_admin_sends_a_staff_member_a_reset_link(page: Page, make_user, viewport_name: str,
                                                    mail_server: Inbox) -> None:
    admin = make_user(Role.ADMIN, name="Ada Admin")
    member = make_user(Role.STAFF, name=f"Sam Staff {viewport_name}")
    sign_in(page, admin["email"], admin["password"])
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    page.goto("/admin/staff")
    page.get_by_role("button", name=f"Send password reset link to {member['name']}").click()
    expect(page.get_by_text(f"A link to choose a new password was sent to {member['email']}."
                            )).to_be_visible()
    assert violations(page, "[aria-label='Staff accounts']") == []
    assert _reset_path(mail_server, member["email"]).startswith("/reset-password?token=")

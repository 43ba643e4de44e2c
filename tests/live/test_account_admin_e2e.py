"""Account management and the admin's staff accounts, in the browser."""

import re

from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import Role, User
from infoview_app.services.core import throttle
from tests.live.conftest import PASSWORD, sign_in


def test_change_password_then_sign_in_with_the_new_one(page: Page, make_user) -> None:
    user = make_user(name="Pat Change")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Pat Change")).to_be_visible()
    page.goto("/account")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill("a-brand-new-secret")
    page.get_by_label("Repeat the new password").fill("a-brand-new-secret")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#current_password-error")).to_have_text(
        "That is not your current password.")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a-brand-new-secret")
    page.get_by_label("Repeat the new password").fill("a-brand-new-secret")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed.")).to_be_visible()
    expect(page.locator("#current_password-error")).to_have_count(0)

    page.get_by_role("button", name="Sign out").first.click()
    expect(page).to_have_url(re.compile(r"/login$"))
    sign_in(page, user["email"], PASSWORD)
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, user["email"], "a-brand-new-secret")
    expect(page.get_by_role("heading", name="Welcome, Pat Change")).to_be_visible()


def test_delete_my_account_after_confirming_with_the_password(page: Page, make_user) -> None:
    user = make_user(name="Dee Leet")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Dee Leet")).to_be_visible()
    page.goto("/account")
    page.get_by_role("button", name="Delete my account…").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_label("Password").fill("wrong-password")
    dialog.get_by_role("button", name="Delete everything").click()
    expect(dialog.locator("#delete_password-error")).to_have_text(
        "That is not your current password.")
    with db.session() as session:
        assert session.get(User, user["id"]) is not None

    dialog.get_by_label("Password").fill(user["password"])
    dialog.get_by_role("button", name="Delete everything").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    with db.session() as session:
        assert session.get(User, user["id"]) is None
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")


def test_admin_creates_staff_who_can_sign_in_until_deactivated(page: Page, browser,
                                                               viewport_name: str,
                                                               make_user) -> None:
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    sign_in(page, admin["email"], admin["password"])
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    page.goto("/admin/staff")
    staff_email = f"new.staff.{viewport_name}@uni.example.edu"
    staff_name = f"Sky Staff {viewport_name}"
    page.get_by_label("Full name").fill(staff_name)
    page.get_by_label("Email").fill(staff_email)
    page.get_by_label("Initial password").fill("short")
    page.get_by_role("button", name="Create staff account").click()
    expect(page.locator("#password-error")).to_have_text("Use at least 10 characters.")
    page.get_by_label("Initial password").fill("staff-initial-pw")
    page.get_by_role("button", name="Create staff account").click()
    expect(page.get_by_role("listitem").filter(has_text=staff_email)).to_be_visible()

    staff_context = browser.new_context(viewport=page.viewport_size, base_url=page.url)
    staff_page = staff_context.new_page()
    sign_in(staff_page, staff_email, "staff-initial-pw")
    expect(staff_page.get_by_role("heading", name="Programme overview")).to_be_visible()

    page.get_by_role("button", name=f"Deactivate {staff_name}").click()
    expect(page.get_by_role("button", name=f"Reactivate {staff_name}")).to_be_visible()
    # The staff member's open session ends at once: the next page load sends them to sign in.
    staff_page.reload()
    expect(staff_page).to_have_url(re.compile(r"/login"))
    staff_context.close()


def test_repeated_wrong_passwords_are_throttled_beside_the_form(page: Page,
                                                                 make_user) -> None:
    """Throttling counts per client address (services/core/throttle.py): this browser's failures
    for one account hold up that account from this address only (tests/live/
    test_sign_in_flood.py shows the owner signing in from another address meanwhile)."""
    user = make_user(name="Guessed At")
    for _ in range(throttle.ACCOUNT_FAILURES[0].amount):
        sign_in(page, user["email"], "wrong-password")
        expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("alert")).to_have_text(
        "Too many attempts for this account from this address. Try again in 1 minute.")
    expect(page).to_have_url(re.compile(r"/login"))


def test_profile_changes_are_saved_and_validated(page: Page, make_user) -> None:
    user = make_user(name="Old Name")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Old Name")).to_be_visible()
    page.goto("/account")
    page.get_by_label("Graduation year").fill("1890")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#graduation_year-error")).to_have_text("Enter a year between 1950 and "
                                                                "2100.")
    page.get_by_label("Full name").fill("New Name")
    page.get_by_label("Major").fill("Public Health")
    page.get_by_label("Graduation year").fill("2028")
    page.get_by_label("Share my progress").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Major")).to_have_value("Public Health")
    expect(page.get_by_label("Share my progress")).to_be_checked()
    with db.session() as session:
        saved = session.get(User, user["id"])
        assert (saved.name, saved.graduation_year, saved.share_progress) == ("New Name", 2028,
                                                                             True)


def test_student_exports_all_their_data(page: Page, make_user) -> None:
    import csv
    import io
    import json

    import vobject

    from infoview_app.services.develop import contacts
    from infoview_app.services.journey import explorations

    user = make_user(name="Exporting Student")
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Museum curation")
        contacts.add_contact(session, user["id"], eid, {"name": "Ines Duarte",
                                                        "organization": "City Museum",
                                                        "email": "ines@museum.example"})
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Exporting Student")).to_be_visible()
    page.goto("/account")

    def download(name: str) -> bytes:
        with page.expect_download() as info:
            page.get_by_role("button", name=name).click()
        return info.value.path().read_bytes()

    everything = json.loads(download("All my data (JSON)"))
    assert everything["profile"]["email"] == user["email"]
    assert "password_hash" not in json.dumps(everything)
    assert [e["field_name"] for e in everything["explorations"]] == ["Museum curation"]
    rows = list(csv.DictReader(io.StringIO(download("Contacts (CSV)").decode("utf-8-sig"))))
    assert [(r["Name"], r["Organization"], r["Stage"]) for r in rows] == [
        ("Ines Duarte", "City Museum", "Not contacted yet")]
    cards = list(vobject.readComponents(download("Contacts (vCard)").decode()))
    assert [card.fn.value for card in cards] == ["Ines Duarte"]

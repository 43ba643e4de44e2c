"""Reminder emails in the production build, on a phone and a laptop: the account page's
Daily / Weekly / Off choice, and the unsubscribe link's page (served by the app's API route)
whose button turns the digests off without signing in."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from infoview_app import db, routes
from infoview_app.models import ReminderFrequency, User
from infoview_app.services.accounts.reminder_preferences import unsubscribe_token
from tests.live.accessibility import violations
from tests.live.conftest import LIVE_SECRET_KEY, sign_in, wait_hydrated

SHOTS = Path(__file__).resolve().parents[2] / ".screenshots"


def _stored(user_id: int) -> ReminderFrequency:
    with db.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.reminder_frequency


def test_a_student_chooses_weekly_reminders_on_the_account_page(
        page: Page, viewport_name: str, make_user: Any) -> None:
    user = make_user(name="Rae Student")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Rae Student")).to_be_visible()
    page.goto(routes.ACCOUNT)
    wait_hydrated(page)
    choices = page.get_by_role("radiogroup", name="Reminder emails")
    expect(choices.get_by_role("radio", name="Every day something is due")).to_be_checked()
    assert violations(page) == []
    choices.get_by_text("Once a week (Mondays)").click()
    expect(page.get_by_text("Reminder emails: Once a week (Mondays).")).to_be_visible()
    assert _stored(user["id"]) == ReminderFrequency.WEEKLY
    page.screenshot(path=SHOTS / f"digest-account-{viewport_name}.png", full_page=True)
    # The page with its choice saved (the toast is Reflex's own, outside the page).
    assert violations(page, "#main-content") == []

    page.reload()
    wait_hydrated(page)
    expect(page.get_by_role("radiogroup", name="Reminder emails")
           .get_by_role("radio", name="Once a week (Mondays)")).to_be_checked()
    page.get_by_role("radio", name="No reminder emails").press("Space")
    expect(page.get_by_text("Reminder emails: No reminder emails.")).to_be_visible()
    assert _stored(user["id"]) == ReminderFrequency.OFF


def test_the_unsubscribe_link_asks_then_turns_the_emails_off(
        page: Page, viewport_name: str, make_user: Any, backend_url: str) -> None:
    user, other = make_user(), make_user()
    token = unsubscribe_token(user["id"], LIVE_SECRET_KEY.encode())
    link = f"{backend_url}{routes.UNSUBSCRIBE}?t={token}"
    page.goto(link)
    expect(page.get_by_role("heading", name="Reminder emails")).to_be_visible()
    assert _stored(user["id"]) == ReminderFrequency.DAILY  # opening the link changes nothing
    assert violations(page) == []
    page.screenshot(path=SHOTS / f"digest-unsubscribe-{viewport_name}.png", full_page=True)
    page.get_by_role("button", name="Stop reminder emails").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert violations(page) == []
    assert _stored(user["id"]) == ReminderFrequency.OFF

    one_click = page.request.post(link, form={"List-Unsubscribe": "One-Click"})
    assert one_click.status == 200
    forged = f"{other['id']}.{token.split('.', 1)[1]}"
    refused = page.request.post(f"{backend_url}{routes.UNSUBSCRIBE}?t={forged}",
                                form={"List-Unsubscribe": "One-Click"})
    assert refused.status == 400
    assert _stored(other["id"]) == ReminderFrequency.DAILY

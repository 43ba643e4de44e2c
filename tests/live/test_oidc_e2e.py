"""Sign-in with the institution's OpenID provider in Chromium, against the production build and
a real provider (tests/oidc_provider.py), on a phone and a laptop: /login, the provider's page,
back to InfoView signed in, then sign-out there and at the provider."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.live.conftest import OIDC_BUTTON, main_nav, wait_hydrated
from tests.oidc_provider import Provider


def test_login_page_offers_the_provider_and_passes_axe(page: Page, viewport_name: str) -> None:
    page.goto("/login")
    wait_hydrated(page)
    expect(page.get_by_role("button", name=OIDC_BUTTON)).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    page.screenshot(path=f"/tmp/oidc-login-{viewport_name}.png", full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_sign_in_with_the_provider_and_out(page: Page, viewport_name: str, app_url: str,
                                           oidc_environment: Provider) -> None:
    subject = f"live-{viewport_name}-{os.urandom(3).hex()}"
    oidc_environment.set_user(subject, {"email": f"{subject}@northfield.edu",
                                        "email_verified": True, "name": "Noor Haddad"})
    page.goto("/login")
    wait_hydrated(page)
    page.get_by_role("button", name=OIDC_BUTTON).click()

    # The provider's own page: sign in there as the subject.
    page.wait_for_url(re.compile(re.escape(oidc_environment.issuer) + "/oauth2/authorize"))
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()

    # Back in InfoView, signed in as a new student, at the student's home.
    page.wait_for_url(f"{app_url}/")
    expect(page.get_by_role("heading", name="Welcome, Noor Haddad")).to_be_visible()
    page.screenshot(path=f"/tmp/oidc-home-{viewport_name}.png", full_page=True)

    # Signing out ends the provider's session too (its end-session page here), then /login.
    main_nav(page, viewport_name).get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(re.escape(oidc_environment.issuer) + "/oauth2/end_session"))
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(app_url) + r"/login/?$"))
    wait_hydrated(page)
    expect(page.get_by_role("button", name=OIDC_BUTTON)).to_be_visible()
    assert page.evaluate("() => localStorage.getItem('infoview_session') || ''") == ""


def test_cancelling_at_the_provider_comes_back_with_a_message(
        page: Page, viewport_name: str, app_url: str, oidc_environment: Provider) -> None:
    page.goto("/login")
    wait_hydrated(page)
    page.get_by_role("button", name=OIDC_BUTTON).click()
    page.wait_for_url(re.compile(re.escape(oidc_environment.issuer) + "/oauth2/authorize"))
    page.get_by_role("button", name="Deny").click()
    page.wait_for_url(re.compile(re.escape(app_url) + r"/login\?oidc=denied"))
    expect(page.get_by_text("Sign-in with your institution was cancelled.")).to_be_visible()


def test_with_password_sign_in_off_only_the_provider_remains(
        page: Page, viewport_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """INFOVIEW_PASSWORD_SIGN_IN is read on every load of the page: no second build needed
    to see it here (the app server runs in this process)."""
    monkeypatch.setenv("INFOVIEW_PASSWORD_SIGN_IN", "off")
    page.goto("/login")
    wait_hydrated(page)
    expect(page.get_by_role("button", name=OIDC_BUTTON)).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Create a student account")).to_have_count(0)
    page.screenshot(path=f"/tmp/oidc-login-provider-only-{viewport_name}.png", full_page=True)
    page.goto("/register")
    wait_hydrated(page)
    expect(page.get_by_role("button", name=OIDC_BUTTON)).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)

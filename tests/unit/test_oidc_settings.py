"""The sign-in settings (config.py): INFOVIEW_OIDC_* and INFOVIEW_PASSWORD_SIGN_IN."""

import pytest

from infoview_app.config import oidc_settings, password_sign_in


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "SCOPES", "BUTTON_LABEL",
                 "REDIRECT_BASE", "ROLE_CLAIM", "STAFF_VALUES", "ADMIN_VALUES"):
        monkeypatch.delenv(f"INFOVIEW_OIDC_{name}", raising=False)
    monkeypatch.delenv("INFOVIEW_PASSWORD_SIGN_IN", raising=False)


def test_without_an_issuer_there_is_no_provider() -> None:
    assert oidc_settings() is None


def test_the_settings_and_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOVIEW_OIDC_ISSUER", "https://login.example.edu")
    monkeypatch.setenv("INFOVIEW_OIDC_CLIENT_ID", "infoview")
    monkeypatch.setenv("INFOVIEW_OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("INFOVIEW_OIDC_REDIRECT_BASE", "https://infoview.example.edu/")
    monkeypatch.setenv("INFOVIEW_OIDC_STAFF_VALUES", " career-office, advisors ,,")
    settings = oidc_settings()
    assert settings is not None
    assert (settings.scopes, settings.button_label, settings.redirect_base) == (
        "openid email profile", "Sign in with your institution",
        "https://infoview.example.edu")
    assert settings.staff_values == {"career-office", "advisors"}
    assert settings.admin_values == frozenset() and settings.role_claim == ""


@pytest.mark.parametrize(("name", "value"), [
    ("INFOVIEW_OIDC_CLIENT_SECRET", ""),
    ("INFOVIEW_OIDC_SCOPES", "email profile"),
    ("INFOVIEW_OIDC_ISSUER", "login.example.edu"),
])
def test_an_incomplete_provider_is_a_clear_error_at_start_up(
        monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv("INFOVIEW_OIDC_ISSUER", "https://login.example.edu")
    monkeypatch.setenv("INFOVIEW_OIDC_CLIENT_ID", "infoview")
    monkeypatch.setenv("INFOVIEW_OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match="INFOVIEW_OIDC_"):
        oidc_settings()


@pytest.mark.parametrize(("value", "on"), [(None, True), ("on", True), ("OFF", False),
                                           ("false", False), ("1", True), ("no", False)])
def test_password_sign_in_switch(monkeypatch: pytest.MonkeyPatch, value: str | None,
                                 on: bool) -> None:
    if value is not None:
        monkeypatch.setenv("INFOVIEW_PASSWORD_SIGN_IN", value)
    assert password_sign_in() is on


def test_password_sign_in_refuses_other_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOVIEW_PASSWORD_SIGN_IN", "sometimes")
    with pytest.raises(RuntimeError, match="on or off"):
        password_sign_in()

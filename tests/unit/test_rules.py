"""Small pure rules: routes, steps, configuration."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app import config, routes
from infoview_app.models import Role
from infoview_app.services.core.wording import STEP_NAMES, step_label
from infoview_app.services.journey.home_summary import ALL_DONE_ACTION, next_action
from infoview_app.services.journey.step_progress import StepState, StepStatus


def test_safe_next_keeps_local_paths_only() -> None:
    assert routes.safe_next("/account") == "/account"
    assert routes.safe_next("/staff?x=1") == "/staff?x=1"
    for hostile in ["//evil.example", "https://evil.example/", "/\\evil.example", "account",
                    "", None, 42, "/" + "a" * 400]:
        assert routes.safe_next(hostile) == ""


@given(st.text())
def test_safe_next_never_leaves_the_site(value: str) -> None:
    result = routes.safe_next(value)
    assert result == "" or (result.startswith("/") and not result.startswith("//")
                            and "://" not in result.split("?")[0])


def test_login_url_and_home_for() -> None:
    assert routes.login_url("/account") == "/login?next=/account"
    assert routes.login_url("/") == "/login"
    # The page's query string travels with it, encoded (it names the exploration and step).
    assert routes.login_url("/exploration?id=3&step=2") == (
        "/login?next=/exploration%3Fid%3D3%26step%3D2")
    assert routes.home_for(Role.STUDENT) == routes.HOME
    assert routes.home_for(Role.STAFF) == routes.STAFF_HOME
    assert routes.home_for("admin") == routes.STAFF_HOME


def test_step_label_names_the_six_steps() -> None:
    assert len(STEP_NAMES) == 6
    assert step_label(3) == "Step 3 of 6 · Prepare"
    assert step_label(6) == "Step 6 of 6 · Follow-up"
    assert step_label(99) == "Step 6 of 6 · Follow-up"


def test_home_next_action_is_the_first_step_not_done() -> None:
    def states(*statuses: StepStatus) -> list[StepState]:
        return [StepState(n, name, status) for n, (name, status)
                in enumerate(zip(STEP_NAMES, statuses, strict=True), start=1)]

    done, busy, new = StepStatus.DONE, StepStatus.IN_PROGRESS, StepStatus.NOT_STARTED
    assert next_action(states(new, new, new, new, new, new)).startswith("Research the field")
    assert next_action(states(done, done, busy, done, new, new)).startswith("Prepare your")
    assert next_action(states(done, done, done, done, done, busy)).startswith("Follow up:")
    assert next_action(states(*[done] * 6)) == ALL_DONE_ACTION
    # On step 6 with step 1 still open, "Next" says it points back rather than contradict
    # the card's "Step 6 of 6"; a step ahead of the one opened reads as is.
    research_open = states(busy, done, new, done, done, busy)
    assert next_action(research_open, current_step=6).startswith(
        "Back to step 1 · Research the field")
    assert next_action(research_open, current_step=1).startswith("Research the field")
    assert next_action(states(*[done] * 6), current_step=6) == ALL_DONE_ACTION



def test_session_lifetime_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFOVIEW_SESSION_DAYS", raising=False)
    assert config.session_lifetime().days == 14
    monkeypatch.setenv("INFOVIEW_SESSION_DAYS", "0.5")
    assert config.session_lifetime().total_seconds() == 12 * 3600
    for bad in ["abc", "-1", "0"]:
        monkeypatch.setenv("INFOVIEW_SESSION_DAYS", bad)
        with pytest.raises(RuntimeError, match="INFOVIEW_SESSION_DAYS"):
            config.session_lifetime()


def test_admission_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFOVIEW_EVENTS_IN_FLIGHT", raising=False)
    monkeypatch.delenv("INFOVIEW_BUSY_NOTICE_AFTER_S", raising=False)
    assert (config.events_in_flight(), config.busy_notice_after()) == (8, 1.0)
    monkeypatch.setenv("INFOVIEW_EVENTS_IN_FLIGHT", "32")
    monkeypatch.setenv("INFOVIEW_BUSY_NOTICE_AFTER_S", "0.5")
    assert (config.events_in_flight(), config.busy_notice_after()) == (32, 0.5)
    for bad in ["abc", "0", "2.5", "1001"]:
        monkeypatch.setenv("INFOVIEW_EVENTS_IN_FLIGHT", bad)
        with pytest.raises(RuntimeError, match="INFOVIEW_EVENTS_IN_FLIGHT"):
            config.events_in_flight()
    for bad in ["soon", "-1", "61"]:
        monkeypatch.setenv("INFOVIEW_BUSY_NOTICE_AFTER_S", bad)
        with pytest.raises(RuntimeError, match="INFOVIEW_BUSY_NOTICE_AFTER_S"):
            config.busy_notice_after()


def test_argon2_parameters_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIME_COST", "MEMORY_KIB", "PARALLELISM"):
        monkeypatch.delenv(f"INFOVIEW_ARGON2_{name}", raising=False)
    assert config.argon2_parameters() == {"time_cost": 3, "memory_cost": 65536,
                                          "parallelism": 4}
    monkeypatch.setenv("INFOVIEW_ARGON2_TIME_COST", "4")
    monkeypatch.setenv("INFOVIEW_ARGON2_MEMORY_KIB", "131072")
    assert config.argon2_parameters()["time_cost"] == 4
    assert config.argon2_parameters()["memory_cost"] == 131072
    for name, bad in [("TIME_COST", "0"), ("MEMORY_KIB", "1024"), ("PARALLELISM", "many")]:
        monkeypatch.setenv(f"INFOVIEW_ARGON2_{name}", bad)
        with pytest.raises(RuntimeError, match=f"INFOVIEW_ARGON2_{name}"):
            config.argon2_parameters()
        monkeypatch.delenv(f"INFOVIEW_ARGON2_{name}")

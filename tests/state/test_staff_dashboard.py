"""The staff dashboard's handlers: staff and admins only, filters validated beside their
fields, downloads only of the charts shown."""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from infoview_app import db
from infoview_app.models import Role
from infoview_app.models._base import utcnow
from infoview_app.services.staff import institution
from infoview_app.services.staff.dashboard.charts import chart_csv
from infoview_app.state.base import SessionState
from infoview_app.state.staff import PROGRESS_FIRST, PROGRESS_LIMIT, StaffHomeState
from tests.factories import BY, add_contact, student_with_exploration
from tests.state.conftest import downloaded, redirect_path, run

CHART_KEYS = ["funnel_steps", "contact_stages", "median_days", "weekly_activity",
              "contact_sources", "fields"]
HANDLERS = [("load",), ("apply_filters", {"start": "2026-01-01", "end": "2026-02-01"}),
            ("reset_filters",), ("search_students", {"search": "a"}),
            ("download_csv", "funnel_steps"), ("show_table", "funnel_steps", True),
            ("show_all_progress", True)]


def _students(major: str, year: int, count: int) -> None:
    with db.session() as session:
        for number in range(count):
            owner, exploration = student_with_exploration(
                session, number, "Oceanography", name=f"{major} {number}",
                email=f"{major.lower()}{number}@uni.edu", major=major, graduation_year=year,
                share_progress=True)
            if number == 0:  # step 2 (Develop) started
                add_contact(session, owner, exploration, "Dr Reef")


def _download(events: Any) -> dict[str, str] | None:
    """The file name and text of a CSV download among a handler's events, if any."""
    download = downloaded(events)
    if download is not None:
        assert download["media_type"] == "text/csv"
    return download


@pytest.fixture
async def staff_state(substate: Any, signed_in: Any) -> StaffHomeState:
    _, token = signed_in(Role.STAFF)
    substate(SessionState).auth_token = token
    state = substate(StaffHomeState)
    assert redirect_path(await run(state, "load")) is None
    return state


@pytest.mark.parametrize("role", [Role.STUDENT, None])
async def test_students_and_visitors_are_refused_every_dashboard_handler(
        substate: Any, signed_in: Any, role: Role | None) -> None:
    _students("Biology", 2027, 6)
    if role is not None:
        substate(SessionState).auth_token = signed_in(role)[1]
    state = substate(StaffHomeState)
    for name, *args in HANDLERS:
        events = await run(state, name, *args)
        assert redirect_path(events) == ("/not-allowed" if role else "/login"), name
        assert _download(events) is None
    assert (state.loaded, state.charts, state.headline, state.progress) == (False, [], [], [])
    assert state.majors == [] and state.start == "" and state.open_tables == []


def _whole_weeks_to(today: date) -> tuple[str, str]:
    """The default period: the 13 weeks to the Sunday of ``today``'s week."""
    sunday = today + timedelta(days=6 - today.weekday())
    return (sunday - timedelta(days=90)).isoformat(), sunday.isoformat()


def test_staff_load_shows_the_last_13_weeks_of_every_chart(staff_state: StaffHomeState) -> None:
    assert staff_state.loaded and staff_state.errors == {}
    assert (staff_state.start, staff_state.end) == _whole_weeks_to(utcnow().date())
    assert [chart["key"] for chart in staff_state.charts] == CHART_KEYS
    # No student at all: the page shows its empty state, not empty charts.
    assert not staff_state.has_students and staff_state.active is False
    assert staff_state.students == "<5" and "rounded to a multiple of 5" in staff_state.note
    assert staff_state.is_default


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
async def test_the_default_period_ends_today_in_the_institutions_time_zone(
        staff_state: StaffHomeState, zone: str) -> None:
    """UTC+14 and UTC-11: at any hour one of them is on another day than UTC."""
    with db.session() as session:
        institution.save_institution(session, {
            **institution.defaults_from_environment().as_dict(), "time_zone": zone}, by=BY)
    await run(staff_state, "reset_filters")
    assert (staff_state.start, staff_state.end) == _whole_weeks_to(
        utcnow().astimezone(ZoneInfo(zone)).date())
    assert staff_state.is_default


async def test_admin_is_admitted(substate: Any, signed_in: Any) -> None:
    substate(SessionState).auth_token = signed_in(Role.ADMIN)[1]
    state = substate(StaffHomeState)
    assert redirect_path(await run(state, "load")) is None and state.loaded


@pytest.mark.parametrize(("form", "fields"), [
    ({"start": "not a date", "end": "2026-13-45"}, {"start", "end"}),
    ({"start": "2026-06-10", "end": "2026-06-01"}, {"end"}),
    ({"start": "2020-01-01", "end": "2026-01-01"}, {"end"}),
    ({"start": "2026-01-01", "end": "2026-02-01", "graduation_year": "20x7"},
     {"graduation_year"}),
    ({"start": "2026-01-01", "end": "2026-02-01", "major": "M" * 500}, {"major"}),
    ({}, {"start", "end"}),
    (["start", "end"], {"start", "end"}),
    ("start=2026-01-01", {"start", "end"}),
])
async def test_bad_filters_show_messages_beside_the_fields_and_change_nothing(
        staff_state: StaffHomeState, form: Any, fields: set[str]) -> None:
    before = (staff_state.start, staff_state.end, staff_state.major, staff_state.charts,
              staff_state.form_version)
    assert redirect_path(await run(staff_state, "apply_filters", form)) is None
    assert set(staff_state.errors) == fields
    assert all(staff_state.errors.values())
    assert (staff_state.start, staff_state.end, staff_state.major, staff_state.charts,
            staff_state.form_version) == before


def _minimum_group_size(size: int) -> None:
    with db.session() as session:
        institution.save_institution(session, {
            **institution.defaults_from_environment().as_dict(), "min_group_size": str(size)},
            by=BY)


async def test_filters_by_major_show_small_groups_under_the_minimum_then_reset(
        staff_state: StaffHomeState) -> None:
    """Groups of 10 and 5 students (multiples of 5: the rounding leaves them be) with the
    minimum group size at 10: the 5 read "<10"."""
    _minimum_group_size(10)
    _students("Biology", 2027, 10)
    _students("Classics", 2028, 5)
    today = utcnow().date().isoformat()
    version = staff_state.form_version
    await run(staff_state, "apply_filters", {"start": "2026-01-07", "end": today,
                                             "major": "Classics", "graduation_year": ""})
    assert staff_state.errors == {}
    # The period is whole weeks: it starts on that Wednesday's Monday.
    assert (staff_state.start, staff_state.major) == ("2026-01-05", "Classics")
    assert staff_state.form_version > version  # the form is rebuilt with the filters
    assert staff_state.students == "<10" and staff_state.has_students and staff_state.active
    assert "counts under 10 show as <10" in staff_state.note
    assert staff_state.majors == ["Biology", "Classics"]
    assert staff_state.graduation_years == ["2027", "2028"]
    headline = {item["key"]: item["value"] for item in staff_state.headline}
    assert headline["explorations_started"] == "<10"
    assert [row["name"] for row in staff_state.progress] == [f"Classics {n}" for n in range(5)]
    assert [row["furthest_step"] for row in staff_state.progress] == [
        "Step 2 of 6 · Develop", *["Not started"] * 4]
    assert staff_state.progress[0]["contacts"] == "1"
    assert "Dr Reef" not in str(staff_state.progress)

    await run(staff_state, "apply_filters", {"start": "2026-01-05", "end": today,
                                        "major": "Biology", "graduation_year": "2027"})
    assert staff_state.students == "10" and not staff_state.is_default
    headline = {item["key"]: item["value"] for item in staff_state.headline}
    assert headline["explorations_started"] == "10"

    await run(staff_state, "reset_filters")
    assert staff_state.is_default and staff_state.major == "" and staff_state.students == "15"


async def test_download_csv_is_the_table_shown_and_only_for_a_chart_shown(
        staff_state: StaffHomeState) -> None:
    _minimum_group_size(10)
    _students("Biology", 2027, 10)
    _students("Classics", 2028, 5)
    await run(staff_state, "apply_filters", {"start": staff_state.start, "end": staff_state.end,
                                        "major": "Classics"})
    shown = next(chart for chart in staff_state.charts if chart["key"] == "funnel_steps")
    download = _download(await run(staff_state, "download_csv", "funnel_steps"))
    assert download is not None
    assert download["filename"] == (
        f"infoview-funnel_steps-{staff_state.start}-{staff_state.end}.csv")
    assert download["text"] == chart_csv(shown, staff_state.note)
    assert "1. Research,<10,withheld" in download["text"].splitlines()
    assert download["text"].splitlines()[-1] == f'"{staff_state.note}"'
    assert download["text"].splitlines()[0] == ",".join(
        column["label"] for column in shown["columns"])

    for bad_key in ("nope", "", None, 3, {"key": "fields"}, ["fields"], "../etc/passwd"):
        assert _download(await run(staff_state, "download_csv", bad_key)) is None


async def test_a_charts_table_is_listed_open_only_for_a_chart_shown_until_the_next_load(
        staff_state: StaffHomeState) -> None:
    await run(staff_state, "show_table", "contact_stages", True)
    await run(staff_state, "show_table", "funnel_steps", True)
    await run(staff_state, "show_table", "funnel_steps", True)  # twice: listed once
    assert staff_state.open_tables == ["contact_stages", "funnel_steps"]
    await run(staff_state, "show_table", "contact_stages", False)
    assert staff_state.open_tables == ["funnel_steps"]
    for bad in (("nope", True), ("", True), (None, True), ({"key": "fields"}, True),
                (["fields"], True), ("fields", "true"), ("fields", 1), ("fields", None)):
        await run(staff_state, "show_table", *bad)
        assert staff_state.open_tables == ["funnel_steps"], bad
    await run(staff_state, "load")  # a fresh page: every <details> is closed
    assert staff_state.open_tables == []


async def test_search_is_validated_and_filters_the_opted_in_list(
        staff_state: StaffHomeState) -> None:
    _students("Biology", 2027, 6)
    await run(staff_state, "search_students", {"search": "  biology 3 "})
    assert [row["name"] for row in staff_state.progress] == ["Biology 3"]
    assert staff_state.search == "biology 3"
    await run(staff_state, "search_students", {"search": "x" * 1000})
    assert "search" in staff_state.errors
    assert [row["name"] for row in staff_state.progress] == ["Biology 3"]
    await run(staff_state, "search_students", {"search": {"$ne": ""}})
    assert "search" in staff_state.errors
    for empty in ({"search": ""}, {}, None, ["search"]):
        await run(staff_state, "search_students", empty)
        assert staff_state.errors == {} and len(staff_state.progress) == 6
        assert staff_state.search == ""


async def test_the_progress_list_says_when_more_students_match_than_it_lists(
        staff_state: StaffHomeState) -> None:
    _students("Biology", 2027, PROGRESS_LIMIT)
    await run(staff_state, "load")
    assert len(staff_state.progress) == PROGRESS_LIMIT and not staff_state.progress_more
    _students("Chemistry", 2027, 1)
    await run(staff_state, "load")
    assert len(staff_state.progress) == PROGRESS_LIMIT and staff_state.progress_more
    await run(staff_state, "search_students", {"search": "Chemistry"})
    assert len(staff_state.progress) == 1 and not staff_state.progress_more


async def test_every_listed_student_is_drawn_when_asked_and_a_new_list_starts_short(
        staff_state: StaffHomeState) -> None:
    _students("Biology", 2027, PROGRESS_FIRST + 2)
    await run(staff_state, "load")
    assert len(staff_state.progress) == PROGRESS_FIRST + 2 and not staff_state.progress_all
    assert staff_state.progress_all_label == f"Show all {PROGRESS_FIRST + 2} students"
    await run(staff_state, "show_all_progress", True)
    assert staff_state.progress_all
    for bad in ("false", 0, None, {"show": False}, [False]):
        await run(staff_state, "show_all_progress", bad)
        assert staff_state.progress_all, bad
    await run(staff_state, "show_all_progress", False)
    assert not staff_state.progress_all
    await run(staff_state, "show_all_progress", True)
    await run(staff_state, "search_students", {"search": "Biology 1"})  # a new list
    assert not staff_state.progress_all
    assert staff_state.progress_all_label == "Show all 3 students"  # Biology 1, 10 and 11

"""One voice: every enum people see has a label, counts take the right noun, and dates read
one way ("Mon 14 Dec, 3:30 pm") in the reader's zone."""

import inspect
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app import models
from infoview_app.models import ContactSource, InterviewStatus, PipelineStage, TokenPurpose
from infoview_app.services.core.wording import (
    LABELS,
    STEP_STATUS_LABELS,
    date_label,
    date_time_label,
    label,
    plural,
    time_label,
)
from infoview_app.services.journey.step_progress import StepStatus

# Enums no page, chart or file shows: what an emailed link is for stays inside the server.
NEVER_SHOWN = {TokenPurpose}
CHICAGO = ZoneInfo("America/Chicago")


def _model_enums() -> set[type[StrEnum]]:
    return {value for _, value in inspect.getmembers(models, inspect.isclass)
            if issubclass(value, StrEnum) and value is not StrEnum}


def test_every_enum_of_the_models_has_a_label_for_every_value() -> None:
    enums = _model_enums()
    assert PipelineStage in enums and len(enums) >= 10  # the walk found the models' enums
    assert enums - NEVER_SHOWN == set(LABELS)
    for kind, labels in LABELS.items():
        assert set(labels) == set(kind), kind
        for member in kind:
            text = label(kind, member)
            assert text and text != member.value and text[0].isupper(), (kind, member)


def test_every_step_status_has_a_label() -> None:
    assert set(STEP_STATUS_LABELS) == {status.value for status in StepStatus}
    assert STEP_STATUS_LABELS[StepStatus.IN_PROGRESS] == "In progress"


def test_labels_by_stored_string_and_unknown_values() -> None:
    assert label(PipelineStage, "identified") == "Not contacted yet"
    assert label(InterviewStatus, "completed") == "Held"
    assert label(ContactSource, "linkedin_alumni") == "LinkedIn or alumni"
    assert label(PipelineStage, "no_such_stage") == "Unknown"


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 contacts"), (1, "1 contact"), (2, "2 contacts"), (1200, "1,200 contacts")])
def test_plural_takes_the_count_s_noun(count: int, expected: str) -> None:
    assert plural(count, "contact") == expected


def test_plural_with_an_irregular_noun() -> None:
    assert (plural(1, "reply", "replies"), plural(3, "reply", "replies")) == (
        "1 reply", "3 replies")
    assert plural(1, "new contact") == "1 new contact"


def test_date_label_adds_the_year_only_outside_this_one() -> None:
    today = date(2026, 12, 7)
    assert date_label(date(2026, 12, 14), UTC, today) == "Mon 14 Dec"
    assert date_label(date(2027, 1, 5), UTC, today) == "Tue 5 Jan 2027"
    assert date_label(date(2025, 12, 1), UTC, today) == "Mon 1 Dec 2025"
    assert date_label(date(2026, 12, 14), UTC, today, year=True) == "Mon 14 Dec 2026"


def test_date_label_of_a_moment_is_its_day_in_the_reader_s_zone() -> None:
    late = datetime(2026, 12, 15, 3, 0, tzinfo=UTC)
    assert date_label(late, CHICAGO, date(2026, 12, 7)) == "Mon 14 Dec"
    assert date_label(late, UTC, date(2026, 12, 7)) == "Tue 15 Dec"


def test_date_time_label_in_the_reader_s_zone() -> None:
    at = datetime(2026, 12, 14, 21, 30, tzinfo=UTC)
    today = date(2026, 12, 7)
    assert date_time_label(at, UTC, today) == "Mon 14 Dec, 9:30 pm"
    assert date_time_label(at, CHICAGO, today) == "Mon 14 Dec, 3:30 pm"
    # 03:00 UTC on the 15th is still the evening of the 14th in Chicago.
    late = datetime(2026, 12, 15, 3, 0, tzinfo=UTC)
    assert date_time_label(late, CHICAGO, today) == "Mon 14 Dec, 9 pm"
    assert date_time_label(late, UTC, today) == "Tue 15 Dec, 3 am"
    # A naive datetime (as SQLite returns stored ones) is UTC.
    assert date_time_label(late.replace(tzinfo=None), CHICAGO, today) == "Mon 14 Dec, 9 pm"
    assert date_time_label(at, UTC, date(2025, 6, 1)) == "Mon 14 Dec 2026, 9:30 pm"


@pytest.mark.parametrize(("hour", "minute", "expected"), [
    (0, 0, "12 am"), (0, 5, "12:05 am"), (9, 0, "9 am"), (11, 59, "11:59 am"),
    (12, 0, "12 pm"), (12, 30, "12:30 pm"), (23, 45, "11:45 pm")])
def test_time_label_twelve_hour_clock(hour: int, minute: int, expected: str) -> None:
    assert time_label(datetime(2026, 12, 14, hour, minute, tzinfo=UTC), UTC) == expected


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1),
                    timezones=st.just(UTC)))
def test_date_time_label_names_the_local_day_and_time(at: datetime) -> None:
    local = at.astimezone(CHICAGO)
    text = date_time_label(at, CHICAGO, date(1980, 1, 1))  # never this year: year shown
    day, time = text.split(", ")
    assert day == f"{local:%a} {local.day} {local:%b} {local.year}"
    assert time.endswith((" am", " pm")) and "UTC" not in text

"""The staff dashboard's filters from a form, and its CSV downloads."""

import csv
import io
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.staff.dashboard.cells import SOC_MAJOR_GROUPS
from infoview_app.services.staff.dashboard.charts import chart_csv
from infoview_app.services.staff.dashboard.figures import note
from infoview_app.services.staff.dashboard.filters import (
    DEFAULT_WEEKS,
    DashboardFilters,
    default_filters,
    parse_filters,
)


def test_the_default_period_is_the_last_13_whole_weeks_including_this_one() -> None:
    filters = default_filters(date(2026, 3, 31))  # a Tuesday
    assert filters == DashboardFilters(start=date(2026, 1, 5), end=date(2026, 4, 5))
    assert (filters.start.weekday(), filters.end.weekday()) == (0, 6)
    assert (filters.end - filters.start).days + 1 == 7 * DEFAULT_WEEKS
    assert default_filters(date(2026, 4, 5)) == filters  # the Sunday


def test_a_full_form_is_parsed_and_trimmed() -> None:
    filters = parse_filters({"start": " 2026-01-05 ", "end": "2026-02-01",
                             "major": "  Biology ", "graduation_year": "2027"})
    assert filters == DashboardFilters(date(2026, 1, 5), date(2026, 2, 1), "Biology", 2027)


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 400))
def test_a_period_widens_to_the_whole_weeks_it_touches(start: date, days: int) -> None:
    """So periods that differ by a day at either end are the same period (when the day is
    in the same week): the day can't be singled out by differencing."""
    end = start + timedelta(days=days)
    filters = parse_filters({"start": start.isoformat(), "end": end.isoformat()})
    assert (filters.start.weekday(), filters.end.weekday()) == (0, 6)
    assert 0 <= (start - filters.start).days <= 6 and 0 <= (filters.end - end).days <= 6
    for shifted in (start + timedelta(days=1), start - timedelta(days=1)):
        if shifted <= end and shifted - timedelta(days=shifted.weekday()) == filters.start:
            assert parse_filters({"start": shifted.isoformat(),
                                  "end": end.isoformat()}) == filters


def test_empty_major_and_year_mean_every_student() -> None:
    filters = parse_filters({"start": "2026-01-05", "end": "2026-01-05",
                             "major": "", "graduation_year": ""})
    assert filters.major is None and filters.graduation_year is None
    assert parse_filters({"start": "2026-01-05", "end": "2026-01-05"}) == filters
    assert (filters.start, filters.end) == (date(2026, 1, 5), date(2026, 1, 11))


def _error(form: dict[str, object]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_filters(form)
    return caught.value


@pytest.mark.parametrize(("form", "field", "words"), [
    ({"start": "2026-02-30", "end": "2026-03-01"}, "start", "real date"),
    ({"start": "yesterday", "end": "2026-03-01"}, "start", "real date"),
    ({"start": "", "end": "2026-03-01"}, "start", "start date"),
    ({"end": "2026-03-01"}, "start", "start date"),
    ({"start": "2026-03-01", "end": 20260301}, "end", "end date"),
    ({"start": "2026-03-02", "end": "2026-03-01"}, "end", "before the start"),
    ({"start": "2020-01-01", "end": "2026-03-01"}, "end", "three years"),
    ({"start": "2026-03-01", "end": "2026-03-01", "graduation_year": "1900"},
     "graduation_year", "between"),
    ({"start": "2026-03-01", "end": "2026-03-01", "graduation_year": "soon"},
     "graduation_year", "year"),
    ({"start": "2026-03-01", "end": "2026-03-01", "graduation_year": True},
     "graduation_year", "year"),
    ({"start": "2026-03-01", "end": "2026-03-01", "major": "x" * 121}, "major", "120"),
])
def test_bad_input_names_its_field(form: dict[str, object], field: str, words: str) -> None:
    error = _error(form)
    assert error.field == field
    assert words in error.message


def test_every_bad_field_is_reported_at_once() -> None:
    error = _error({"start": "nope", "end": "", "graduation_year": "3000"})
    assert set(error.errors) == {"start", "end", "graduation_year"}


def _chart(rows: list[dict[str, str]]) -> dict[str, object]:
    return {"key": "contact_sources", "title": "Sources", "kind": "bar", "x": "source",
            "series": [{"key": "contacts", "label": "Contacts"}],
            "columns": [{"key": "source", "label": "Source"},
                        {"key": "contacts", "label": "Contacts"},
                        {"key": "share", "label": "Share of contacts"}],
            "rows": rows, "data": []}


def test_the_csv_holds_exactly_the_table_with_small_cells_as_shown_and_the_note() -> None:
    footnote = note(10)
    text = chart_csv(_chart([
        {"source": "Faculty", "contacts": "15", "share": "60%"},
        {"source": "Family", "contacts": "<10", "share": "withheld"},
        {"source": "Friends, old and new", "contacts": "10", "share": "40%"},
    ]), footnote)
    assert list(csv.reader(io.StringIO(text))) == [
        ["Source", "Contacts", "Share of contacts"],
        ["Faculty", "15", "60%"],
        ["Family", "<10", "withheld"],
        ["Friends, old and new", "10", "40%"],
        [],
        [footnote],
    ]
    assert "rounded to a multiple of 5" in footnote and "under 10 show as <10" in footnote


def test_the_csv_defuses_cells_a_spreadsheet_would_run_as_formulas() -> None:
    text = chart_csv(_chart([
        {"source": "=HYPERLINK(\"http://x\")", "contacts": "-1", "share": "@SUM(A1)"},
    ]), "+note")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1] == ["'=HYPERLINK(\"http://x\")", "'-1", "'@SUM(A1)"]
    assert lines[-1] == ["'+note"]


def test_soc_major_groups_cover_every_two_digit_group() -> None:
    assert len(SOC_MAJOR_GROUPS) == 23
    assert list(SOC_MAJOR_GROUPS) == sorted(SOC_MAJOR_GROUPS)
    assert SOC_MAJOR_GROUPS["29"] == "Healthcare Practitioners and Technical"

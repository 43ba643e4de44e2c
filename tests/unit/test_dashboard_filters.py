"""The staff dashboard's filters from a form, and its CSV downloads."""

import csv
import io
from datetime import date

import pytest

from infoview_app.services import dashboard
from infoview_app.services.dashboard import DashboardFilters
from infoview_app.services.errors import InvalidInput


def test_the_default_period_is_the_last_90_days_including_today() -> None:
    filters = dashboard.default_filters(date(2026, 3, 31))
    assert filters == DashboardFilters(start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert (filters.end - filters.start).days + 1 == dashboard.DEFAULT_DAYS


def test_a_full_form_is_parsed_and_trimmed() -> None:
    filters = dashboard.parse_filters({"start": " 2026-01-05 ", "end": "2026-02-01",
                                       "major": "  Biology ", "graduation_year": "2027"})
    assert filters == DashboardFilters(date(2026, 1, 5), date(2026, 2, 1), "Biology", 2027)


def test_empty_major_and_year_mean_every_student() -> None:
    filters = dashboard.parse_filters({"start": "2026-01-05", "end": "2026-01-05",
                                       "major": "", "graduation_year": ""})
    assert filters.major is None and filters.graduation_year is None
    assert dashboard.parse_filters({"start": "2026-01-05", "end": "2026-01-05"}) == filters


def _error(form: dict[str, object]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        dashboard.parse_filters(form)
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


def test_the_csv_holds_exactly_the_table_with_suppressed_cells_as_shown() -> None:
    text = dashboard.chart_csv(_chart([
        {"source": "Faculty", "contacts": "12", "share": "60%"},
        {"source": "Family", "contacts": "<5", "share": "withheld"},
        {"source": "Friends, old and new", "contacts": "0", "share": "0%"},
    ]))
    assert list(csv.reader(io.StringIO(text))) == [
        ["Source", "Contacts", "Share of contacts"],
        ["Faculty", "12", "60%"],
        ["Family", "<5", "withheld"],
        ["Friends, old and new", "0", "0%"],
    ]


def test_the_csv_defuses_cells_a_spreadsheet_would_run_as_formulas() -> None:
    text = dashboard.chart_csv(_chart([
        {"source": "=HYPERLINK(\"http://x\")", "contacts": "-1", "share": "@SUM(A1)"},
    ]))
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "'=HYPERLINK(\"http://x\")", "'-1", "'@SUM(A1)"]


def test_soc_major_groups_cover_every_two_digit_group() -> None:
    assert len(dashboard.SOC_MAJOR_GROUPS) == 23
    assert list(dashboard.SOC_MAJOR_GROUPS) == sorted(dashboard.SOC_MAJOR_GROUPS)
    assert dashboard.SOC_MAJOR_GROUPS["29"] == "Healthcare Practitioners and Technical"

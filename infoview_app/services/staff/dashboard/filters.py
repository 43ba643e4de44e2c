"""The dashboard's filters: a period of whole weeks in the institution's time zone and,
optionally, one major and graduation year; read from a browser form, with the menus' choices."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta, tzinfo
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from infoview_app.models import Role, User
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput

DEFAULT_WEEKS = 13
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class DashboardFilters:
    """The period (whole weeks: a Monday to a Sunday, both included, days of the
    institution's time zone ``zone``) and, optionally, one major and graduation year."""

    start: date
    end: date
    major: str | None = None
    graduation_year: int | None = None
    zone: tzinfo = UTC


def whole_weeks(start: date, end: date) -> tuple[date, date]:
    """The Monday on or before ``start`` and the Sunday on or after ``end``: a period shifted
    by a day covers the same weeks, so it can't single out that day."""
    return start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())


def default_filters(today: date, zone: tzinfo = UTC) -> DashboardFilters:
    """The last 13 weeks, this one (``today`` in ``zone``) included, for every student."""
    _, sunday = whole_weeks(today, today)
    return DashboardFilters(start=sunday - timedelta(days=7 * DEFAULT_WEEKS - 1), end=sunday,
                            zone=zone)


def parse_filters(form: Mapping[str, Any], zone: tzinfo = UTC) -> DashboardFilters:
    """Filters from a browser form: "start" and "end" (ISO dates, days of ``zone``), "major"
    and "graduation_year" (empty for all). InvalidInput names every bad field. The period is
    widened to whole weeks."""
    asked = check.form(
        DashboardFilters,
        start=lambda: check.iso_date(form.get("start"), "start", "start date"),
        end=lambda: check.iso_date(form.get("end"), "end", "end date"),
        major=lambda: check.text(form.get("major"), "major", max_length=120,
                                 required=False, label="Major") or None,
        graduation_year=lambda: check.optional_year(form.get("graduation_year")),
    )
    if asked.end < asked.start:
        raise InvalidInput("The end date can't be before the start date.", "end")
    if (asked.end - asked.start).days >= MAX_PERIOD_DAYS:
        raise InvalidInput("Choose a period of at most three years.", "end")
    start, end = whole_weeks(asked.start, asked.end)
    return replace(asked, start=start, end=end, zone=zone)


class FilterOptions(TypedDict):
    majors: list[str]
    graduation_years: list[int]


def filter_options(session: Session) -> FilterOptions:
    """The majors and graduation years active students have, for the filter menus."""
    students = (User.role == Role.STUDENT, col(User.is_active).is_(True))
    majors = session.exec(select(User.major).distinct()
                          .where(*students, col(User.major).is_not(None), User.major != "")
                          .order_by(col(User.major))).all()
    years = session.exec(select(User.graduation_year).distinct()
                         .where(*students, col(User.graduation_year).is_not(None))
                         .order_by(col(User.graduation_year))).all()
    return {"majors": [m for m in majors if m], "graduation_years": [y for y in years if y]}


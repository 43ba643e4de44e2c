"""Which students and weeks the dashboard's filters select, as SQL: the active students of a
major and graduation year, and the period's weeks as a small table to join rows to by date."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, inspect, literal, union_all
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from infoview_app.models import Interview, Role, User
from infoview_app.services.staff.dashboard.filters import DashboardFilters


def students(filters: DashboardFilters, *extra: ColumnElement[bool]
             ) -> list[ColumnElement[bool]]:
    """Conditions on User selecting the active students of the filters."""
    where = [col(User.role) == Role.STUDENT, col(User.is_active).is_(True), *extra]
    if filters.major is not None:
        where.append(col(User.major) == filters.major)
    if filters.graduation_year is not None:
        where.append(col(User.graduation_year) == filters.graduation_year)
    return where


def population(filters: DashboardFilters, *extra: ColumnElement[bool]
               ) -> SelectOfScalar[int | None]:
    """The ids of the active students the filters select (a subquery for ``IN``)."""
    return select(col(User.id)).where(*students(filters, *extra))


def _period(filters: DashboardFilters) -> tuple[datetime, datetime]:
    """The period as [first instant, instant after the last day), its days those of the
    filters' zone."""
    return (datetime.combine(filters.start, time(), filters.zone),
            datetime.combine(filters.end + timedelta(days=1), time(), filters.zone))


def mondays(filters: DashboardFilters) -> list[date]:
    return [filters.start + timedelta(days=7 * n)
            for n in range((filters.end - filters.start).days // 7 + 1)]


class Weeks:
    """The period's weeks as a small table the statements join their rows to by date range,
    so each week is read straight from the date indexes. Its values are bound parameters
    (not a VALUES list, which SQLAlchemy can't cache): the statements compile once per
    number of weeks."""

    def __init__(self, filters: DashboardFilters) -> None:
        instant = inspect(Interview).columns["scheduled_at"].type
        weeks = []
        for monday in mondays(filters):
            sunday = monday + timedelta(days=6)
            first, after = _period(replace(filters, start=monday, end=sunday))
            weeks.append(select_columns(literal(monday, Date).label("week"),
                                literal(monday, Date).label("first_day"),
                                literal(sunday, Date).label("last_day"),
                                literal(first, instant).label("first_instant"),
                                literal(after, instant).label("after_instant")))
        self.table = union_all(*weeks).cte("weeks")
        self.week = self.table.c.week

    def holds(self, value: Any, *, timestamp: bool = True) -> Any:
        """The timestamp (or date) ``value`` falls in the week."""
        w = self.table.c
        if timestamp:
            return and_(value >= w.first_instant, value < w.after_instant)
        return and_(value >= w.first_day, value <= w.last_day)


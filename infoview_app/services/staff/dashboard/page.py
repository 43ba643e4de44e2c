"""The dashboard's entry point: every figure for the filters."""

from dataclasses import replace
from typing import TypedDict

from sqlmodel import Session

from infoview_app.services.staff import institution
from infoview_app.services.staff.dashboard import cells as counted
from infoview_app.services.staff.dashboard.charts import Chart
from infoview_app.services.staff.dashboard.figures import (
    Figure,
    Shown,
    contact_sources,
    contact_stages,
    fields,
    funnel,
    headline,
    median_days,
    note,
    weekly_activity,
)
from infoview_app.services.staff.dashboard.filters import DashboardFilters, whole_weeks
from infoview_app.services.staff.dashboard.scope import mondays as weeks_of


class Dashboard(TypedDict):
    headline: list[Figure]
    charts: list[Chart]
    students: str  # the registered students, as shown ("<N" when few)
    has_students: bool  # any student at all (exactly: the empty page says so)
    active: bool  # any activity in the period
    note: str  # how the counts are rounded


def dashboard(session: Session, filters: DashboardFilters) -> Dashboard:
    """Every figure of the staff dashboard for the filters (see the package docstring; a
    period not in whole weeks is widened to them), with the institution's minimum group
    size."""
    filters = replace(filters, **dict(zip(("start", "end"),
                                          whole_weeks(filters.start, filters.end),
                                          strict=True)))
    k = institution.min_group_size(session)
    shown = Shown(k)
    cells, has_students = counted.count(session, filters)
    mondays = weeks_of(filters)
    charts = [funnel(cells, shown), contact_stages(cells, shown), median_days(cells, shown),
              weekly_activity(cells, shown, mondays), contact_sources(cells, shown),
              fields(cells, shown)]
    return {"headline": headline(cells, shown, len(mondays)), "charts": charts,
            "students": shown.count(cells.total(counted.REGISTERED)[0]),
            "has_students": has_students, "active": cells.total(counted.ACTIVE)[0] > 0,
            "note": note(k)}

"""Staff home: the programme dashboard. Rounded aggregates only (services/staff/dashboard/; small
counts read "<N"), and the progress of the students who chose to share it; never note text or
contact details."""

import asyncio
from datetime import tzinfo
from typing import Any

import reflex as rx

from infoview_app import db
from infoview_app.services.core.time_zones import today_in
from infoview_app.services.core.wording import plural, step_label
from infoview_app.services.staff import institution
from infoview_app.services.staff.dashboard.charts import Chart, chart_csv
from infoview_app.services.staff.dashboard.filters import (
    DashboardFilters,
    FilterOptions,
    default_filters,
    filter_options,
    parse_filters,
)
from infoview_app.services.staff.dashboard.page import Dashboard, dashboard
from infoview_app.services.staff.dashboard.progress import StudentProgress, opted_in_progress
from infoview_app.state.base import STAFF, FormState, SessionState, guarded

PROGRESS_LIMIT = 50  # students listed at once; a search finds the others
PROGRESS_FIRST = 10  # of those, the rows on the page until "Show all"


def _filter_values(filters: DashboardFilters) -> dict[str, str]:
    """The filters as the form's field values (what parse_filters reads back)."""
    return {
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "major": filters.major or "",
        "graduation_year": str(filters.graduation_year or ""),
    }


def _progress_rows(students: list[StudentProgress]) -> list[dict[str, str]]:
    """The opted-in students' progress as the table's cells."""
    return [{
        "name": student["name"],
        "major": student["major"],
        "graduation_year": str(student["graduation_year"] or ""),
        "explorations": str(student["explorations"]),
        "furthest_step": (step_label(student["furthest_step"]) if student["furthest_step"]
                          else "Not started"),
        "contacts": str(student["contacts"]),
        "interviews": str(student["interviews"]),
    } for student in students]


class StaffHomeState(FormState, SessionState):
    # The filters in force, as the form shows them.
    start: rx.Field[str] = rx.field("")
    end: rx.Field[str] = rx.field("")
    major: rx.Field[str] = rx.field("")
    graduation_year: rx.Field[str] = rx.field("")
    # The filters are the default ones (last 13 weeks, everyone).
    is_default: rx.Field[bool] = rx.field(True)
    majors: rx.Field[list[str]] = rx.field(default_factory=list)
    graduation_years: rx.Field[list[str]] = rx.field(default_factory=list)
    # Bumped whenever the filters change on the server: the form is rebuilt with them.
    form_version: rx.Field[int] = rx.field(0)

    headline: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    charts: rx.Field[list[Chart]] = rx.field(default_factory=list)
    # Registered students in the group, rounded ("<N" when few).
    students: rx.Field[str] = rx.field("")
    has_students: rx.Field[bool] = rx.field(False)  # any student in the group at all
    active: rx.Field[bool] = rx.field(False)  # any student activity to show in the period
    note: rx.Field[str] = rx.field("")
    search: rx.Field[str] = rx.field("")
    progress: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    progress_more: rx.Field[bool] = rx.field(False)  # more students match than are listed
    # Every listed student's row on the page, not only the first PROGRESS_FIRST.
    progress_all: rx.Field[bool] = rx.field(False)
    progress_all_label: rx.Field[str] = rx.field("")  # "Show all 23 students"
    loaded: rx.Field[bool] = rx.field(False)
    # The charts whose table alternative is open: only those tables are rendered.
    open_tables: rx.Field[list[str]] = rx.field(default_factory=list)

    @staticmethod
    def _zone() -> tzinfo:
        with db.session() as session:
            return institution.time_zone(session)

    def _today_filters(self, zone: tzinfo | None = None) -> DashboardFilters:
        """The default period, ending today in the institution's time zone."""
        zone = zone or self._zone()
        return default_filters(today_in(zone), zone)

    def _current_filters(self) -> DashboardFilters:
        """The filters in force: set by this server, parsed again to get their types."""
        if not self.start:
            return self._today_filters()
        return parse_filters({"start": self.start, "end": self.end, "major": self.major,
                              "graduation_year": self.graduation_year}, self._zone())

    @staticmethod
    def _progress(session: Any, filters: DashboardFilters, search: Any
                  ) -> list[StudentProgress]:
        """One student more than is listed, to know whether there are more."""
        return opted_in_progress(session, filters, search, limit=PROGRESS_LIMIT + 1)

    def _show_progress(self, progress: list[StudentProgress]) -> None:
        rows = _progress_rows(progress[:PROGRESS_LIMIT])
        self._assign(progress=rows, progress_more=len(progress) > PROGRESS_LIMIT,
                     progress_all=False,
                     progress_all_label=f"Show all {plural(len(rows), 'student')}")

    async def _show(self, filters: DashboardFilters) -> None:
        """Compute everything for these filters and copy it into the vars. The figures take a
        few hundred milliseconds at campus scale: computed in a worker thread, so that other
        users' events are not held up meanwhile."""
        search = self.search

        def compute() -> tuple[FilterOptions, Dashboard, list[StudentProgress]]:
            with db.session() as session:
                return (filter_options(session), dashboard(session, filters),
                        self._progress(session, filters, search))

        options, data, progress = await asyncio.to_thread(compute)
        values = _filter_values(filters)
        self._assign(
            **values,
            is_default=filters == self._today_filters(filters.zone),
            majors=list(options["majors"]),
            graduation_years=[str(year) for year in options["graduation_years"]],
            headline=data["headline"], charts=data["charts"], students=data["students"],
            has_students=data["has_students"], active=data["active"], note=data["note"],
            loaded=True,
        )
        self._show_progress(progress)
        self.form_version += 1

    @guarded(STAFF)
    async def load(self) -> None:
        self.errors = {}
        self.search = ""
        self.open_tables = []  # a fresh page's <details> are all closed
        await self._show(self._current_filters())

    @guarded(STAFF)
    async def apply_filters(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        filters = parse_filters(form_data if isinstance(form_data, dict) else {}, self._zone())
        await self._show(filters)

    @guarded(STAFF)
    async def reset_filters(self) -> None:
        self.errors = {}
        self.search = ""
        await self._show(self._today_filters())

    @guarded(STAFF)
    def search_students(self, form_data: dict[str, Any]) -> None:
        self.errors = {}
        search = form_data.get("search") if isinstance(form_data, dict) else None
        with db.session() as session:  # the service validates the search text
            progress = self._progress(session, self._current_filters(), search)
        self._assign(search=search.strip() if isinstance(search, str) else "")
        self._show_progress(progress)

    @guarded(STAFF)
    def show_table(self, chart_key: str, is_open: bool) -> None:
        """A chart's table was opened or closed: build it, or drop it from the page."""
        if not any(chart["key"] == chart_key for chart in self.charts) \
                or not isinstance(is_open, bool):
            return
        others = [key for key in self.open_tables if key != chart_key]
        self._assign(open_tables=[*others, chart_key] if is_open else others)

    @guarded(STAFF)
    def show_all_progress(self, show: bool) -> None:
        """Every listed student's row, or back to the first ones: up to 50 rows of 7 cells
        are more elements than the rest of the page, so they are drawn when asked for."""
        if isinstance(show, bool):
            self.progress_all = show

    @guarded(STAFF)
    def download_csv(self, chart_key: str) -> Any:
        """The CSV of a chart exactly as its table shows it, for the filters in force, with the
        note on how its counts are rounded."""
        chart = next((chart for chart in self.charts if chart["key"] == chart_key), None)
        if chart is None:
            return rx.toast.error("Choose one of the charts on this page.")
        filename = f"infoview-{chart['key']}-{self.start}-{self.end}.csv"
        return rx.download(data=chart_csv(chart, self.note), filename=filename,
                           mime_type="text/csv")

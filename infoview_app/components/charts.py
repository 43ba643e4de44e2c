"""One chart card for every staff dashboard chart: the Recharts chart (bars or a line), its
table alternative (the exact rows and columns the chart draws) and a CSV download.
Recharts is loaded after the page's first paint (components/lazy.py), and each chart is drawn
only once the reader gets near it (``InView``); the chart's box has its height from the first
paint, so nothing moves when it is drawn.

A chart arrives as a state var shaped like ``Chart`` (services/staff/dashboard/charts.py, what
the dashboard returns), so one component renders any of the charts, whatever its number of
series.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar
from reflex_components_core.el.elements.other import Details
from reflex_components_recharts.cartesian import Bar, CartesianGrid, Line, XAxis, YAxis
from reflex_components_recharts.general import GraphingTooltip, Legend

from infoview_app.components.lazy import lazy, lazy_root
from infoview_app.services.staff.dashboard.charts import Column

# One colour per series, in order; the accent first. Lines also differ by dash pattern, so
# the series stay apart without colour.
SERIES_COLOURS = ("accent", "amber", "iris", "crimson", "grass", "gray")
LINE_DASHES = ("", "6 3", "2 3", "10 4 2 4", "1 5", "12 6")
BAR_ROW_PX = 46  # height of one category in a bar chart (bars run across, labels at the left,
#                   up to three lines of them)
CATEGORY_AXIS_PX = 150
CHART_PX = 260  # height of a line chart


@dataclasses.dataclass(frozen=True)
class _DetailsElement:
    open: bool = False


@dataclasses.dataclass(frozen=True)
class _ToggleEvent:
    target: _DetailsElement = _DetailsElement()


def _open_spec(event: ObjectVar[_ToggleEvent]) -> tuple[rx.Var[bool]]:
    return (event.target.open,)


class ToggledDetails(Details):
    """``<details>`` that reports whether it is open after each toggle (the DOM's ``toggle``
    event: a click, Enter or Space on its summary)."""

    on_toggle: rx.EventHandler[_open_spec]


class InView(rx.Component):
    """Its children rendered once near the viewport or at the first key press or touch
    (assets/in_view.jsx); an empty box before. A chart below the fold is a few hundred SVG
    elements that React would otherwise build, and the browser lay out, as the page loads."""

    library = rx.asset("in_view.jsx").importable_path
    tag = "InView"


def _pick(options: tuple[str, ...], index: rx.Var) -> rx.Var:
    return rx.Var.create(list(options))[index.to(int) % len(options)]


def _colour(index: rx.Var) -> rx.Var:
    """The series' colour, as the Radix Themes token (light and dark mode both work)."""
    return _pick(tuple(f"var(--{name}-9)" for name in SERIES_COLOURS), index)


def _described(chart: ObjectVar, kind: str) -> dict[str, Any]:
    """The chart's name and description for screen readers: Recharts draws them as the SVG's
    <title> and <desc>, beside its accessibility layer (the chart takes the focus and the
    arrow keys walk its points; Tab leaves it)."""
    return {"title": chart.title.to(str),
            "desc": f"{kind}. Its figures are in the table below the chart."}


def _legend() -> rx.Component:
    return lazy(Legend).create(wrapper_style={"fontSize": "0.8rem"})


def _bar_chart(chart: ObjectVar) -> rx.Component:
    """Bars running across: long category names stay readable on a phone."""
    return lazy_root(rx.recharts.bar_chart(
        lazy(CartesianGrid).create(stroke_dasharray="3 3", horizontal=False),
        lazy(XAxis).create(type_="number", allow_decimals=False, tick={"fontSize": 12}),
        lazy(YAxis).create(data_key=chart.x, type_="category", width=CATEGORY_AXIS_PX,
                           interval=0, tick={"fontSize": 11}),
        lazy(GraphingTooltip).create(),
        _legend(),
        rx.foreach(chart.series, lambda series, index: lazy(Bar).create(
            data_key=series.key, name=series.label, fill=_colour(index),
            is_animation_active=False)),
        data=chart.data, layout="vertical", margin={"top": 5, "right": 16, "left": 0,
                                                    "bottom": 5},
        custom_attrs=_described(chart, "Bar chart"),
    ))


def _line_chart(chart: ObjectVar) -> rx.Component:
    return lazy_root(rx.recharts.line_chart(
        lazy(CartesianGrid).create(stroke_dasharray="3 3", vertical=False),
        lazy(XAxis).create(data_key=chart.x, tick={"fontSize": 12}),
        lazy(YAxis).create(allow_decimals=False, width=40, tick={"fontSize": 12}),
        lazy(GraphingTooltip).create(),
        _legend(),
        rx.foreach(chart.series, lambda series, index: lazy(Line).create(
            data_key=series.key, name=series.label, stroke=_colour(index), stroke_width=2,
            stroke_dasharray=_pick(LINE_DASHES, index), connect_nulls=False,
            is_animation_active=False)),
        data=chart.data, margin={"top": 5, "right": 16, "left": 0, "bottom": 5},
        custom_attrs=_described(chart, "Line chart"),
    ))


def data_table(columns: ArrayVar, rows: ArrayVar, caption: rx.Var | str) -> rx.Component:
    """A table of display strings; the first column heads each row. Scrolls sideways inside
    its container when it is wider than the screen: the container is a named region that
    takes the focus, so the arrow keys scroll it (WCAG 2.1.1).

    Plain HTML elements with Radix Themes' table classes (the same look): Radix's Table
    components wrap the table in a scroll area and each cell in a component of its own,
    React work per cell that a dashboard of a few hundred cells felt when its data arrived.
    """
    return rx.el.div(
        rx.el.div(
            rx.el.table(
                rx.el.caption(caption, class_name="iv-sr-only"),
                rx.el.thead(rx.el.tr(rx.foreach(
                    columns, lambda column: rx.el.th(
                        column.label, scope="col",
                        class_name="rt-TableCell rt-TableColumnHeaderCell")),
                    class_name="rt-TableRow"), class_name="rt-TableHeader"),
                rx.el.tbody(rx.foreach(rows, lambda row: rx.el.tr(rx.foreach(
                    columns, lambda column, index: rx.cond(
                        index == 0,
                        rx.el.th(row[column.key], scope="row",
                                 class_name="rt-TableCell rt-TableRowHeaderCell"),
                        rx.el.td(row[column.key], class_name="rt-TableCell"),
                    )), class_name="rt-TableRow")), class_name="rt-TableBody"),
                class_name="rt-TableRootTable",
            ),
            class_name="rt-TableRoot rt-r-size-1 rt-variant-surface",
        ),
        class_name="iv-table-scroll",
        role="region",
        aria_label=caption,
        tab_index=0,
    )


def chart_card(chart: ObjectVar, on_download: Callable[[rx.Var], Any],
               open_tables: ArrayVar, on_toggle_table: Callable[[rx.Var, rx.Var], Any]
               ) -> rx.Component:
    """A chart with its table alternative and its CSV download.

    ``chart`` is a ``Chart`` var (services/staff/dashboard/charts.py); ``on_download(key)`` is
    the event that downloads the chart's table as CSV. The table is built only while its
    ``<details>`` is open (its key in ``open_tables``, kept by ``on_toggle_table(key, open)``):
    closed, it would be a few hundred elements nobody sees, rendered with the page.
    """
    chart_height = rx.cond(chart.kind == "bar",
                           (chart.data.to(list).length() * BAR_ROW_PX + 70).to_string() + "px",
                           f"{CHART_PX}px")
    return rx.card(
        rx.vstack(
            rx.heading(chart.title, as_="h3", size="3", id="chart-" + chart.key.to(str)),
            rx.box(
                InView.create(
                    rx.cond(chart.kind == "bar", _bar_chart(chart), _line_chart(chart)),
                    class_name="iv-chart-slot",
                ),
                class_name="iv-chart",
                height=chart_height,
            ),
            ToggledDetails.create(
                rx.el.summary(
                    rx.el.span("Show table", class_name="iv-when-closed"),
                    rx.el.span("Hide table", class_name="iv-when-open"),
                    class_name="iv-summary",
                ),
                rx.cond(open_tables.contains(chart.key),
                        data_table(chart.columns.to(list[Column]),
                                   chart.rows.to(list[dict[str, str]]), chart.title)),
                class_name="iv-table-details",
                on_toggle=lambda is_open: on_toggle_table(chart.key, is_open),
            ),
            rx.button(
                rx.icon("download", size=16, aria_hidden="true"), "Download CSV",
                variant="soft", size="2", on_click=on_download(chart.key),
                aria_label="Download CSV: " + chart.title.to(str),
            ),
            spacing="3",
            width="100%",
            align="start",
        ),
        class_name="iv-chart-card",
    )

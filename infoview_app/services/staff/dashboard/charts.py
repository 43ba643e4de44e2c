"""A dashboard chart's contract (what the chart card and its table read) and its CSV."""

import csv
import io
from typing import Literal, TypedDict

from infoview_app.services.core.spreadsheets import csv_cell

# A chart point's values: the category (text) and a number per series, None where the count
# is withheld (under the minimum group size) or there is nothing to show.
Point = dict[str, str | int | float | None]


class Column(TypedDict):
    key: str
    label: str


class Chart(TypedDict):
    key: str
    title: str
    kind: Literal["bar", "line"]
    x: str  # the column key of the categories
    series: list[Column]
    columns: list[Column]
    rows: list[dict[str, str]]  # display strings, "<N" where a count is small
    data: list[Point]  # numbers for the chart


def chart(key: str, title: str, kind: Literal["bar", "line"], x: tuple[str, str],
          series: list[tuple[str, str]], extra_columns: list[tuple[str, str]],
          rows: list[dict[str, str]], data: list[Point]) -> Chart:
    """A chart of ``data``, its table of ``rows`` with the category column ``x``, one column
    per series and the ``extra_columns``, each column as (key, label)."""
    columns = [x, *series, *extra_columns]
    return {"key": key, "title": title, "kind": kind, "x": x[0],
            "series": [{"key": k, "label": label} for k, label in series],
            "columns": [{"key": k, "label": label} for k, label in columns],
            "rows": [{k: row[k] for k, _ in columns} for row in rows], "data": data}


def chart_csv(chart: Chart, footnote: str) -> str:
    """The chart's table as CSV, exactly as shown (small counts read "<N"): a header of the
    column labels, one line per row, then a blank line and ``footnote`` (how the counts are
    rounded); cells that a spreadsheet would run as a formula are quoted as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(column["label"]) for column in chart["columns"]])
    for row in chart["rows"]:
        writer.writerow([csv_cell(row[column["key"]]) for column in chart["columns"]])
    writer.writerow([])
    writer.writerow([csv_cell(footnote)])
    return out.getvalue()


"""The staff dashboard on a synthetic campus: every figure equals one made here in plain
Python from the generated rows (the cells counted per measure, major, graduation year and
week, rounded with the installation's key, then added up), SQLite and PostgreSQL agree, parts
add up to their totals across charts, weeks and filters, a period shifted by a day is the same
period, and the number of statements and of rows read does not grow with the data."""

import csv
import io
import json
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from infoview_app import db
from infoview_app.models import (
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    InterviewStatus,
    Occupation,
    Role,
    RoundingKey,
)
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.wording import SOURCE_LABELS, STEP_NAMES, date_label
from infoview_app.services.demo import synthetic_campus
from infoview_app.services.staff import institution, suppression
from infoview_app.services.staff.dashboard.cells import (
    DAY_BUCKETS,
    FIELD_CODES,
    NO_OCCUPATION,
    OTHER_OCCUPATIONS,
    SOC_MAJOR_GROUPS,
)
from infoview_app.services.staff.dashboard.charts import chart_csv
from infoview_app.services.staff.dashboard.figures import grouped_median, note
from infoview_app.services.staff.dashboard.filters import (
    DashboardFilters,
    default_filters,
    filter_options,
    parse_filters,
)
from infoview_app.services.staff.dashboard.page import dashboard
from infoview_app.services.staff.dashboard.progress import opted_in_progress
from tests.factories import (
    BY,
    add_contact,
    add_interview,
    student,
    student_with_exploration,
)
from tests.integration.helpers import count, statements

TODAY = date(2026, 6, 30)
YEAR = parse_filters({"start": "2025-07-01", "end": TODAY.isoformat()})
LAST_13_WEEKS = default_filters(TODAY)
SIZE = synthetic_campus.CampusSize(students=80, explorations=240, contacts=800, interviews=320,
                                   outreach_attempts=1600)
STAGES = ["identified", "contacted", "scheduled", "interviewed", "thanked"]
SOURCES = [source.value for source in SOURCE_LABELS]
# The charts use the student's words for stages and sources (services/core/wording.py).
STAGE_WORDS = ["Not contacted yet", "Contacted", "Interview booked", "Interviewed", "Thanked"]
SOURCE_WORDS = ["Faculty", "Family", "Friend", "LinkedIn or alumni", "Community partner",
                "Referral", "Other"]

Tables = dict[str, list[dict[str, Any]]]


def build(session: Session, size: synthetic_campus.CampusSize = SIZE, seed: int = 7,
          catalogue: synthetic_campus.Catalogue | None = None) -> Tables:
    """Write a synthetic campus; returns its rows by table."""
    catalogue = catalogue or synthetic_campus.catalogue(session, TODAY)
    chunks = list(synthetic_campus.campus_rows(size, catalogue, seed, chunk_students=30))
    synthetic_campus.insert_campus(session, chunks)
    tables: Tables = defaultdict(list)
    for chunk in chunks:
        for table, rows in chunk.items():
            tables[table].extend(rows)
    return tables


@pytest.fixture
def campus(session: Session) -> Tables:
    return build(session)


def _filters(start: date, end: date, major: str | None = None,
             graduation_year: int | None = None, zone: tzinfo = UTC) -> DashboardFilters:
    """Filters as the form gives them (the period widened to whole weeks)."""
    return parse_filters({"start": start.isoformat(), "end": end.isoformat(),
                          "major": major or "",
                          "graduation_year": str(graduation_year or "")}, zone)


# --- The figures, made in plain Python ---------------------------------------------------

def _utc_day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _share(part: int, whole: int, k: int) -> str:
    if part < k or whole < k:
        return "withheld"
    return f"{round(100 * min(part, whole) / whole, 1):g}%"


class Expected:
    """The dashboard of ``filters`` from the generated rows: exact counts per cell (family,
    major, graduation year, week), each rounded with the database's key, then added up."""

    def __init__(self, t: Tables, filters: DashboardFilters, groups: dict[str, str],
                 key: bytes, k: int = 5) -> None:
        self.t, self.f, self.groups, self.k = t, filters, groups, k
        self.rounder = suppression.CellRounder(key)
        self.group_of = {
            u["id"]: (u["major"] or None, u["graduation_year"]) for u in t["user_account"]
            if u["role"] == Role.STUDENT and u["is_active"]
            and filters.major in (None, u["major"])
            and filters.graduation_year in (None, u["graduation_year"])}
        contact_of = {c["id"]: c for c in t["contact"]}
        self.by_exploration: dict[str, dict[int, list[Any]]] = {
            name: defaultdict(list) for name in ("contacts", "questions", "attempts",
                                                 "booked", "held", "thanks", "sent")}
        ex = self.by_exploration
        for c in t["contact"]:
            ex["contacts"][c["exploration_id"]].append(c["created_at"])
        for q in t["exploration_question"]:
            ex["questions"][q["exploration_id"]].append(q)
        for o in t["outreach_attempt"]:
            ex["attempts"][contact_of[o["contact_id"]]["exploration_id"]].append(
                o["attempted_on"])
        for i in t["interview"]:
            if i["status"] in ("scheduled", "completed"):
                kind = "booked" if i["status"] == "scheduled" else "held"
                ex[kind][i["exploration_id"]].append(i["scheduled_at"])
        thanks = [task for task in t["follow_up_task"] if task["kind"] == "thank_you_note"]
        for task in thanks:
            ex["thanks"][task["exploration_id"]].append(task)
            if task["status"] == "done":
                ex["sent"][task["exploration_id"]].append(task["completed_at"])
        ended_at = {i["id"]: i["scheduled_at"] + timedelta(minutes=i["duration_minutes"])
                    for i in t["interview"]}
        thanked_in_time = {
            task["interview_id"] for task in thanks if task["status"] == "done"
            and task["completed_at"] - ended_at[task["interview_id"]] <= timedelta(hours=48)}
        self.cells: dict[tuple[Any, ...], list[int]] = {}
        self._count_cells(thanked_in_time)
        self.rounded: dict[Any, list[int]] = {}
        for (family, major, year, week), counts in self.cells.items():
            shown = self.rounder.row((family, major, year, week), counts)
            total = self.rounded.setdefault((family, week), [0] * len(counts))
            self.rounded[family, week] = [a + b for a, b in zip(total, shown, strict=True)]

    def monday(self, value: date | datetime) -> date | None:
        """The Monday of the period's week the value falls in (days of the filters' zone),
        or None outside the period."""
        day = value.astimezone(self.f.zone).date() if isinstance(value, datetime) else value
        return day - timedelta(days=day.weekday()) if self.f.start <= day <= self.f.end \
            else None

    def _add(self, family: Any, owner: int, week: date | None, counts: list[int]) -> None:
        if owner not in self.group_of:
            return
        cell = (family, *self.group_of[owner], week)
        total = self.cells.setdefault(cell, [0] * len(counts))
        self.cells[cell] = [a + b for a, b in zip(total, counts, strict=True)]

    def _count_cells(self, thanked_in_time: set[int]) -> None:
        t = self.t
        for owner in self.group_of:
            self._add("registered", owner, None, [1])
        active: set[tuple[int, date]] = set()
        for i in t["interview"]:
            week = self.monday(i["scheduled_at"])
            if i["status"] == "completed" and week:
                self._add("interviews", i["owner_id"], week, [1, i["id"] in thanked_in_time])
                active.add((i["owner_id"], week))
        for o in t["outreach_attempt"]:
            if week := self.monday(o["attempted_on"]):
                self._add("outreach", o["owner_id"], week, [1])
                active.add((o["owner_id"], week))
        for c in t["contact"]:
            if week := self.monday(c["created_at"]):
                rank = STAGES.index(c["stage"])
                self._add("contacts", c["owner_id"], week,
                          [rank >= position for position in range(len(STAGES))]
                          + [c["source"] == source for source in SOURCES]
                          + [c["referred_by_id"] is not None])
                active.add((c["owner_id"], week))
        for task in t["follow_up_task"]:
            if task["status"] == "done" and (week := self.monday(task["completed_at"])):
                active.add((task["owner_id"], week))
        for e in t["exploration"]:
            week = self.monday(e["created_at"])
            if not week:
                continue
            active.add((e["owner_id"], week))
            self._add("cohort", e["owner_id"], week, [1, *map(int, self.reached(e))])
            group = self.groups.get(e["occupation_code"])
            self._add("fields", e["owner_id"], week,
                      [code == group for code in SOC_MAJOR_GROUPS]
                      + [group is not None and group not in SOC_MAJOR_GROUPS,
                         group is None])
            for interval, days in self.intervals(e):
                counts = [0] * (len(DAY_BUCKETS) + 1)
                counts[bisect_left(DAY_BUCKETS, days)] = 1
                self._add(("days", interval), e["owner_id"], week, counts)
        for owner, week in active:
            self._add("active", owner, week, [1])
        for digest in t["reminder_digest"]:
            if week := self.monday(digest["sent_at"]):
                self._add("mail", digest["user_id"], week, [1, 0])
        for event in t["audit_event"]:
            if event["kind"] == "reminders_off" and (week := self.monday(event["created_at"])):
                self._add("mail", event["target_id"], week, [0, 1])

    def reached(self, e: dict[str, Any]) -> list[bool]:
        n = {name: len(values[e["id"]]) for name, values in self.by_exploration.items()}
        return [bool(e["occupation_code"]) or bool(e["research_notes"].strip()),
                n["contacts"] > 0,
                bool(e["pitch"].strip()) or n["questions"] > 0,
                n["attempts"] > 0 or n["booked"] + n["held"] > 0,
                n["booked"] > 0 or n["held"] > 0,
                n["thanks"] > 0]

    def intervals(self, e: dict[str, Any]) -> Iterable[tuple[int, int]]:
        ex = self.by_exploration
        dates = [e["created_at"], min(ex["contacts"][e["id"]], default=None),
                 min(ex["attempts"][e["id"]], default=None),
                 min(ex["held"][e["id"]], default=None), min(ex["sent"][e["id"]], default=None)]
        for interval in range(4):
            earlier, later = dates[interval], dates[interval + 1]
            if earlier is not None and later is not None:
                yield interval, max(0, (_utc_day(later) - _utc_day(earlier)).days)

    def total(self, family: Any, width: int = 1) -> list[int]:
        sums = [0] * width
        for (name, _), counts in self.rounded.items():
            if name == family:
                sums = [a + b for a, b in zip(sums, counts, strict=True)]
        return sums

    def shown(self, value: int) -> str:
        return f"<{self.k}" if value < self.k else str(value)

    def fields(self) -> list[dict[str, str]]:
        counts = self.total("fields", len(FIELD_CODES))
        return [{"group": (NO_OCCUPATION if code is None
                           else code if code == OTHER_OCCUPATIONS
                           else f"{code} {SOC_MAJOR_GROUPS[code]}"),
                 "explorations": self.shown(n), "share": _share(n, sum(counts), self.k)}
                for code, n in zip(FIELD_CODES, counts, strict=True) if n]

    def started(self) -> int:
        return self.total("cohort", 7)[0]

    def headline(self) -> list[str]:
        weeks = (self.f.end - self.f.start).days // 7 + 1
        active = self.total("active")[0]
        held, thanked = self.total("interviews", 2)
        referred = self.total("contacts", 13)[-1]
        sent, off = self.total("mail", 2)
        return [self.shown(active) if active < self.k else str(round(active / weeks)),
                self.shown(self.started()), self.shown(held), _share(thanked, held, self.k),
                "withheld" if held < self.k or referred < self.k else f"{referred / held:.1f}",
                self.shown(sent), self.shown(off)]

    def funnel(self) -> list[dict[str, str]]:
        started = self.started()
        return [{"step": f"{step + 1}. {name}", "explorations": self.shown(n),
                 "share": _share(n, started, self.k)}
                for step, (name, n) in enumerate(zip(STEP_NAMES,
                                                     self.total("cohort", 7)[1:], strict=True))]

    def stages(self) -> list[dict[str, str]]:
        reached = self.total("contacts", 13)[:5]
        return [{"stage": stage, "contacts": self.shown(n),
                 "conversion": "n/a" if rank == 0 else _share(n, reached[rank - 1], self.k)}
                for rank, (stage, n) in enumerate(zip(STAGE_WORDS, reached, strict=True))]

    def sources(self) -> list[dict[str, str]]:
        counts = self.total("contacts", 13)[5:12]
        return [{"source": label, "contacts": self.shown(n), "share": _share(n, sum(counts),
                                                                              self.k)}
                for label, n in zip(SOURCE_WORDS, counts, strict=True)]

    def medians(self) -> list[str]:
        cells = []
        for interval in range(4):
            counts = self.total(("days", interval), len(DAY_BUCKETS) + 1)
            n = sum(counts)
            median = grouped_median(counts)
            cells += [self.shown(n), "withheld" if n < self.k else
                      "n/a" if median is None else f"{round(median, 1):g}"]
        return cells

    def weekly(self) -> list[dict[str, str]]:
        rows, week = [], self.f.start
        while week <= self.f.end:
            rows.append({"week": date_label(week, year=True),
                         "interviews": self.shown(self.rounded.get(("interviews", week),
                                                                   [0, 0])[0]),
                         "outreach": self.shown(self.rounded.get(("outreach", week), [0])[0])})
            week += timedelta(days=7)
        return rows


def _groups(session: Session) -> dict[str, str]:
    return dict(session.exec(select(Occupation.code, Occupation.major_group)).all())


def _chart(result: dict[str, Any], key: str) -> dict[str, Any]:
    return next(chart for chart in result["charts"] if chart["key"] == key)


def _assert_matches(result: dict[str, Any], expected: Expected) -> None:
    assert [figure["value"] for figure in result["headline"]] == expected.headline()
    assert _chart(result, "funnel_steps")["rows"] == expected.funnel()
    assert _chart(result, "contact_stages")["rows"] == expected.stages()
    assert [cell for row in _chart(result, "median_days")["rows"]
            for cell in (row["explorations"], row["median_days"])] == expected.medians()
    assert _chart(result, "weekly_activity")["rows"] == expected.weekly()
    assert _chart(result, "contact_sources")["rows"] == expected.sources()
    assert _chart(result, "fields")["rows"] == expected.fields()
    assert result["students"] == expected.shown(expected.total("registered")[0])
    assert result["has_students"] == bool(expected.group_of)
    assert result["note"] == note(expected.k)


def _expected(session: Session, campus: Tables, filters: DashboardFilters,
              k: int = 5) -> Expected:
    return Expected(campus, filters, _groups(session), suppression.rounding_key(session), k)


def _number(text: str) -> int:
    """A shown count as a number: with the minimum at 5, "<5" is a rounded 0."""
    return 0 if text == "<5" else int(text)


# --- Tests ----------------------------------------------------------------------------------

def _biggest_major(campus: Tables) -> str:
    return Counter(u["major"] for u in campus["user_account"] if u["major"]).most_common(1)[0][0]


def test_the_figures_equal_rounded_cells_made_from_the_rows(session: Session,
                                                            campus: Tables) -> None:
    major = _biggest_major(campus)
    for filters in (YEAR, LAST_13_WEEKS, _filters(YEAR.start, YEAR.end, major=major),
                    _filters(date(2026, 1, 1), date(2026, 3, 31),
                             graduation_year=TODAY.year + 1)):
        _assert_matches(dashboard(session, filters),
                        _expected(session, campus, filters))
    # The campus is big enough for real figures, not only "<5" (but for unsubscribes: a few
    # students in it turn the reminders off, and whether their cells round to 0 or 5 depends
    # on the database's rounding key).
    result = dashboard(session, YEAR)
    assert all(figure["value"] not in ("<5", "withheld") for figure in result["headline"]
               if figure["key"] != "reminder_unsubscribes")
    assert int(result["headline"][2]["value"]) > 100


def test_every_count_is_a_multiple_of_five_and_parts_add_up_to_their_totals(
        session: Session, campus: Tables) -> None:
    """Totals are sums of the same rounded cells as their parts: the headline and the weeks,
    a major and its graduation years, a period and its halves. So subtracting one figure
    from another only ever gives rounded cells."""
    def figures(filters: DashboardFilters) -> dict[str, Any]:
        result = dashboard(session, filters)
        rows = {chart["key"]: chart["rows"] for chart in result["charts"]}
        counts = [cell for chart in result["charts"] for row in chart["rows"]
                  for key, cell in row.items() if key in ("explorations", "contacts",
                                                          "interviews", "outreach")]
        assert all(_number(cell) % suppression.BASE == 0 for cell in counts)
        headline = {figure["key"]: figure["value"] for figure in result["headline"]}
        return {"students": _number(result["students"]),
                "started": _number(headline["explorations_started"]),
                "held": _number(headline["interviews_held"]),
                "weeks": [_number(row["interviews"]) for row in rows["weekly_activity"]],
                "identified": _number(rows["contact_stages"][0]["contacts"])}

    whole = figures(YEAR)
    assert whole["held"] == sum(whole["weeks"]) > 100
    years = filter_options(session)["graduation_years"]
    for major in filter_options(session)["majors"]:
        by_year = [figures(_filters(YEAR.start, YEAR.end, major, year)) for year in years]
        of_major = figures(_filters(YEAR.start, YEAR.end, major))
        for key in ("students", "started", "held", "identified"):
            assert of_major[key] == sum(part[key] for part in by_year), (major, key)
    first, second = figures(_filters(date(2026, 3, 2), date(2026, 3, 29))), figures(
        _filters(date(2026, 3, 30), date(2026, 4, 26)))
    both = figures(_filters(date(2026, 3, 2), date(2026, 4, 26)))
    for key in ("started", "held", "identified"):
        assert both[key] == first[key] + second[key]


def test_a_period_shifted_by_a_day_is_the_same_period(session: Session, campus: Tables) -> None:
    """The finding: 12 interviews to 11 when the end moved back a day gave away one student's
    interview that day. Periods are whole weeks: a day more or less, within the same weeks,
    changes nothing."""
    base = dashboard(session, _filters(date(2026, 3, 2), date(2026, 3, 29)))
    for start, end in ((date(2026, 3, 3), date(2026, 3, 29)),
                       (date(2026, 3, 2), date(2026, 3, 28)),
                       (date(2026, 3, 8), date(2026, 3, 23))):
        assert dashboard(session, _filters(start, end)) == base


def test_the_shape_is_the_contract(session: Session, campus: Tables) -> None:
    result = dashboard(session, YEAR)
    assert [figure["key"] for figure in result["headline"]] == [
        "active_students", "explorations_started", "interviews_held", "thank_you_48h",
        "referrals_per_interview", "reminders_sent", "reminder_unsubscribes"]
    assert [chart["key"] for chart in result["charts"]] == [
        "funnel_steps", "contact_stages", "median_days", "weekly_activity", "contact_sources",
        "fields"]
    assert result["note"].startswith("Counts are rounded to a multiple of 5 ")
    assert "counts under 5 show as <5" in result["note"]
    for chart in result["charts"]:
        assert chart["kind"] in ("bar", "line")
        keys = [column["key"] for column in chart["columns"]]
        assert keys[0] == chart["x"]
        assert {s["key"] for s in chart["series"]} <= set(keys)
        assert len(chart["rows"]) == len(chart["data"])
        for row, point in zip(chart["rows"], chart["data"], strict=True):
            assert list(row) == keys and all(isinstance(v, str) for v in row.values())
            assert set(point) == {chart["x"], *(s["key"] for s in chart["series"])}
            assert point[chart["x"]] == row[chart["x"]]
            for series in chart["series"]:
                value = point[series["key"]]
                assert value is None or isinstance(value, int | float)
                cell = row[series["key"]]
                if value is None:
                    assert cell in ("<5", "withheld", "n/a")
                elif not cell.startswith("over "):
                    assert float(cell) == value
        lines = list(csv.reader(io.StringIO(chart_csv(chart, result["note"]))))
        assert lines[0] == [column["label"] for column in chart["columns"]]
        assert lines[1:] == [[row[key] for key in keys] for row in chart["rows"]] + [
            [], [result["note"]]]


def test_sqlite_and_postgresql_give_the_same_dashboard(sqlite_url: str,
                                                       postgres_url: str) -> None:
    with Session(db.engine_for(sqlite_url), expire_on_commit=False) as lite, \
            Session(db.engine_for(postgres_url), expire_on_commit=False) as pg:
        catalogue = synthetic_campus.catalogue(lite, TODAY)
        assert synthetic_campus.catalogue(pg, TODAY).first_ids == catalogue.first_ids
        campus = build(lite, catalogue=catalogue)
        build(pg, catalogue=catalogue)
        # One installation's key on both (each database makes its own on first use).
        pg.merge(RoundingKey(id=1, key=suppression.rounding_key(lite).hex()))
        pg.commit()
        major = _biggest_major(campus)
        for filters in (YEAR, LAST_13_WEEKS, _filters(YEAR.start, YEAR.end, major),
                        _filters(YEAR.start, YEAR.end, graduation_year=TODAY.year)):
            assert dashboard(lite, filters) == dashboard(pg, filters)
            assert (opted_in_progress(lite, filters, limit=200)
                    == opted_in_progress(pg, filters, limit=200))
        assert filter_options(lite) == filter_options(pg)
        assert opted_in_progress(lite, YEAR, "an", 200) \
            == opted_in_progress(pg, YEAR, "an", 200)


def test_the_rounding_key_is_made_once_and_kept(session: Session) -> None:
    key = suppression.rounding_key(session)
    assert len(key) == 32
    assert suppression.rounding_key(session) == key
    assert count(session, RoundingKey) == 1


def _small_filter(campus: Tables) -> DashboardFilters:
    """A major and year whose active students are two to four, with explorations this
    year."""
    students = Counter((u["major"], u["graduation_year"]) for u in campus["user_account"]
                       if u["is_active"] and u["major"])
    with_explorations = {(u["major"], u["graduation_year"]) for u in campus["user_account"]
                         for e in campus["exploration"] if e["owner_id"] == u["id"]}
    major, year = next(key for key, n in students.most_common()
                       if 2 <= n <= 4 and key in with_explorations)
    return _filters(YEAR.start, YEAR.end, major=major, graduation_year=year)


def test_a_minimum_group_size_of_ten_hides_every_count_under_ten(
        session: Session, campus: Tables) -> None:
    """The institution's setting applies to every figure: a group of two to four students
    reads "<10" (its one registered-students cell rounds to 0 or 5), and so does every
    count under ten, with its share withheld."""
    institution.save_institution(session, {**institution.get_institution(session).as_dict(),
                                           "min_group_size": "10"}, by=BY)
    filters = _small_filter(campus)
    result = dashboard(session, filters)
    _assert_matches(result, _expected(session, campus, filters, k=10))
    assert result["students"] == "<10" and result["has_students"]
    assert "counts under 10 show as <10" in result["note"]
    cells = [row for chart in result["charts"] for row in chart["rows"]]
    assert any("<10" in row.values() for row in cells)
    for row in cells:
        if row.get("explorations") == "<10" or row.get("contacts") == "<10":
            assert row.get("share", "withheld") == "withheld"
    _assert_matches(dashboard(session, YEAR),
                    _expected(session, campus, YEAR, k=10))


def test_staff_never_see_notes_or_contact_details(session: Session, campus: Tables) -> None:
    secret = "Confidential: salary is 90k"
    connection = session.connection()
    connection.exec_driver_sql(f"UPDATE interview SET notes = '{secret}'")
    connection.exec_driver_sql("UPDATE contact SET email = 'private@example.com', "
                               "name = 'Private Person'")
    session.commit()
    text = json.dumps(dashboard(session, YEAR))
    text += json.dumps(opted_in_progress(session, YEAR, limit=200))
    assert secret not in text and "private@example.com" not in text
    assert "Private Person" not in text


def _rows_read(session: Session, seen: list[tuple[str, Any]]) -> int:
    """Run the recorded statements again and count the rows they return."""
    connection = session.connection()
    return sum(len(connection.exec_driver_sql(sql, params).all()) for sql, params in seen)


def _recorded(session: Session, work: Callable[[], object]) -> list[tuple[str, Any]]:
    import sqlalchemy as sa

    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        seen.append((sql, params))

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return seen


def test_statements_and_rows_read_do_not_grow_with_the_data(session: Session) -> None:
    small = synthetic_campus.CampusSize(students=30, explorations=90, contacts=300, interviews=120,
                                        outreach_attempts=600)
    build(session, small)
    suppression.rounding_key(session)  # made on first use: one more statement, once
    before = _recorded(session, lambda: dashboard(session, YEAR))
    rows_before = _rows_read(session, before)
    build(session, small.scaled(4), seed=8)
    after = _recorded(session, lambda: dashboard(session, YEAR))
    assert len(after) == len(before)
    # Cells only: rows per week, major and graduation year (and occupation group or bucket of
    # days), never a row per student or contact: the campus's 13 majors (and none) and 5
    # graduation years bound them, whatever the data.
    weeks = (YEAR.end - YEAR.start).days // 7 + 1
    groups = (len(synthetic_campus.MAJORS) + 1) * 5
    per_group_week = 4 + 1 + len(SOC_MAJOR_GROUPS) + 1 + 4 * (len(DAY_BUCKETS) + 1)
    for rows in (rows_before, _rows_read(session, after)):
        assert 0 < rows <= groups * (1 + weeks * per_group_week)
    with statements(session) as seen:
        opted_in_progress(session, YEAR, limit=50)
    assert len(seen) == 1


def test_progress_lists_only_students_who_opted_in(session: Session, campus: Tables) -> None:
    expected = _expected(session, campus, YEAR)
    students = {u["id"]: u for u in campus["user_account"]}
    opted = sorted((u for u in students.values() if u["share_progress"] and u["is_active"]),
                   key=lambda u: (u["name"].lower(), u["id"]))
    listed = opted_in_progress(session, YEAR, limit=200)
    assert [row["student_id"] for row in listed] == [u["id"] for u in opted]
    assert 0 < len(listed) < len(students)
    for row in listed:
        assert set(row) == {"student_id", "name", "major", "graduation_year", "explorations",
                            "furthest_step", "contacts", "interviews"}
        mine = [e for e in campus["exploration"] if e["owner_id"] == row["student_id"]]
        assert row["explorations"] == len(mine)
        assert row["furthest_step"] == max(
            (step for e in mine for step, done in enumerate(expected.reached(e), start=1)
             if done), default=0)
        assert row["contacts"] == sum(c["owner_id"] == row["student_id"]
                                      for c in campus["contact"])
        assert row["interviews"] == sum(i["owner_id"] == row["student_id"]
                                        and i["status"] == "completed"
                                        for i in campus["interview"])
    major = _biggest_major(campus)
    by_major = opted_in_progress(session, DashboardFilters(YEAR.start, YEAR.end,
                                                           major), limit=200)
    assert by_major and {row["major"] for row in by_major} == {major}
    assert len(opted_in_progress(session, YEAR, limit=3)) == 3


def test_the_progress_search_takes_wildcards_literally(session: Session,
                                                       campus: Tables) -> None:
    for name, share in (("Zed 100%_Sure", True), ("Zed 100 Sure", True),
                        ("Zed Hidden%", False)):
        student(session, name=name, email=f"{name.split()[-1].strip('%_').lower()}@uni.edu",
                share_progress=share)
    names = [row["name"] for row in opted_in_progress(session, YEAR, "%_s")]
    assert names == ["Zed 100%_Sure"]
    assert [row["name"] for row in opted_in_progress(session, YEAR, "ZED 100")] == [
        "Zed 100 Sure", "Zed 100%_Sure"]
    assert opted_in_progress(session, YEAR, "hidden") == []
    with pytest.raises(InvalidInput) as caught:
        opted_in_progress(session, YEAR, "x" * 121)
    assert caught.value.field == "search"
    with pytest.raises(InvalidInput):
        opted_in_progress(session, YEAR, limit=0)


def test_filter_options_list_what_students_have(session: Session, campus: Tables) -> None:
    options = filter_options(session)
    active = [u for u in campus["user_account"] if u["is_active"]]
    assert options["majors"] == sorted({u["major"] for u in active if u["major"]})
    assert options["graduation_years"] == sorted({u["graduation_year"] for u in active})


def test_thank_you_notes_count_within_48_hours_of_the_interviews_end(session: Session
                                                                      ) -> None:
    """Measured in time, not calendar days: a note 48 hours after a 45-minute interview
    ended counts, one a minute later doesn't. (Five of ten, one group and one week: two
    cells of 5 and 10, which rounding leaves as they are.)"""
    held_at = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
    ended_at = held_at + timedelta(minutes=45)
    after = [timedelta(hours=1), timedelta(hours=30), timedelta(hours=47),
             timedelta(hours=47, minutes=59), timedelta(hours=48),
             timedelta(hours=48, minutes=1), timedelta(hours=49), timedelta(hours=50),
             timedelta(days=3), timedelta(days=6)]
    for n, delay in enumerate(after):
        owner, exploration = student_with_exploration(session, n)
        contact = add_contact(session, owner, exploration)
        interview = add_interview(session, contact, held_at, duration_minutes=45,
                                  status=InterviewStatus.COMPLETED)
        session.add(FollowUpTask(owner_id=owner, exploration_id=exploration,
                                 contact_id=contact.id, interview_id=interview.id,
                                 kind=FollowUpKind.THANK_YOU_NOTE, due_on=held_at.date(),
                                 status=FollowUpStatus.DONE, completed_at=ended_at + delay))
    session.commit()
    result = dashboard(session, _filters(date(2026, 6, 1), date(2026, 6, 7)))
    shown = {figure["key"]: figure["value"] for figure in result["headline"]}
    assert (shown["interviews_held"], shown["thank_you_48h"]) == ("10", "50%")


def test_days_and_weeks_are_the_institutions(session: Session) -> None:
    """Interviews held on Sunday evening in Chicago are Monday in UTC: in Chicago's days
    they belong to the period ending that Sunday, and to the week before."""
    sunday_evening = datetime(2026, 6, 7, 20, 30, tzinfo=ZoneInfo("America/Chicago"))
    for n in range(5):
        owner, exploration = student_with_exploration(session, n)
        add_interview(session, add_contact(session, owner, exploration), sunday_evening,
                      status=InterviewStatus.COMPLETED)

    def counted(zone: ZoneInfo) -> tuple[str, dict[str, str]]:
        filters = DashboardFilters(date(2026, 6, 1), date(2026, 6, 7), zone=zone)
        result = dashboard(session, filters)
        held = next(f["value"] for f in result["headline"] if f["key"] == "interviews_held")
        weeks = {row["week"]: row["interviews"]
                 for row in _chart(result, "weekly_activity")["rows"]}
        return held, weeks

    assert counted(ZoneInfo("America/Chicago")) == ("5", {"Mon 1 Jun 2026": "5"})
    assert counted(ZoneInfo("UTC")) == ("<5", {"Mon 1 Jun 2026": "<5"})
    assert parse_filters({"start": "2026-06-01", "end": "2026-06-07"},
                         ZoneInfo("America/Chicago")).zone.key == "America/Chicago"

"""The staff dashboard on a synthetic campus: every figure equals a count made here in plain
Python over the generated rows, SQLite and PostgreSQL agree, small groups are suppressed in
rows, chart data and CSV alike, and the number of statements and of rows read back does not
grow with the data."""

import csv
import io
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
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
)
from infoview_app.services import accounts, dashboard, synthetic
from infoview_app.services.dashboard import DashboardFilters
from infoview_app.services.errors import InvalidInput
from tests.integration.helpers import (
    PASSWORD,
    add_contact,
    add_interview,
    statements,
    student_with_exploration,
)

TODAY = date(2026, 6, 30)
YEAR = DashboardFilters(date(2025, 7, 1), TODAY)
LAST_90_DAYS = dashboard.default_filters(TODAY)
SIZE = synthetic.CampusSize(students=80, explorations=240, contacts=800, interviews=320,
                            outreach_attempts=1600)
STAGES = ["identified", "contacted", "scheduled", "interviewed", "thanked"]

Tables = dict[str, list[dict[str, Any]]]


def build(session: Session, size: synthetic.CampusSize = SIZE, seed: int = 7,
          catalogue: synthetic.Catalogue | None = None) -> Tables:
    """Write a synthetic campus; returns its rows by table."""
    catalogue = catalogue or synthetic.catalogue(session, TODAY)
    chunks = list(synthetic.campus_rows(size, catalogue, seed, chunk_students=30))
    synthetic.insert_campus(session, chunks)
    tables: Tables = defaultdict(list)
    for chunk in chunks:
        for table, rows in chunk.items():
            tables[table].extend(rows)
    return tables


@pytest.fixture
def campus(session: Session) -> Tables:
    return build(session)


# --- The figures, counted in plain Python ----------------------------------------------------

def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _small(students: int) -> bool:
    return 0 < students < 5


def _shown(count: int, students: int) -> str:
    return "<5" if _small(students) else str(count)


def _share(part: int, whole: int, *groups: int) -> str:
    if any(_small(group) for group in groups):
        return "withheld"
    return f"{round(100 * part / whole, 1):g}%" if whole else "n/a"


def _partition(rows: list[dict[str, str]], groups: list[tuple[int, int]], value: str
               ) -> list[dict[str, str]]:
    """A partition's rows with one small group: the smallest shown group is withheld too."""
    small = [i for i, (_, students) in enumerate(groups) if _small(students)]
    shown = [i for i, (count, students) in enumerate(groups) if count and not _small(students)]
    if len(small) == 1 and shown:
        smallest = min(shown, key=lambda i: groups[i][0])
        rows[smallest] = rows[smallest] | {value: "withheld", "share": "withheld"}
    return rows


def _group(owners: Iterable[int]) -> tuple[int, int]:
    owners = list(owners)
    return len(owners), len(set(owners))


class Expected:
    """The dashboard of ``filters`` computed from the generated rows."""

    def __init__(self, t: Tables, filters: DashboardFilters, groups: dict[str, str]) -> None:
        self.t, self.f, self.groups = t, filters, groups
        self.population = {
            u["id"] for u in t["user_account"]
            if u["role"] == Role.STUDENT and u["is_active"]
            and filters.major in (None, u["major"])
            and filters.graduation_year in (None, u["graduation_year"])}
        contact_of = {c["id"]: c for c in t["contact"]}
        self.cohort = [e for e in t["exploration"]
                       if self.within(e["created_at"]) and e["owner_id"] in self.population]
        self.contacts = [c for c in t["contact"]
                         if self.within(c["created_at"]) and c["owner_id"] in self.population]
        self.held = [i for i in t["interview"] if i["status"] == "completed"
                     and self.within(i["scheduled_at"]) and i["owner_id"] in self.population]
        self.outreach = [o for o in t["outreach_attempt"]
                         if self.within(o["attempted_on"]) and o["owner_id"] in self.population]
        thanks = [task for task in t["follow_up_task"] if task["kind"] == "thank_you_note"]
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
        for task in thanks:
            ex["thanks"][task["exploration_id"]].append(task)
            if task["status"] == "done":
                ex["sent"][task["exploration_id"]].append(task["completed_at"])
        ended_at = {i["id"]: i["scheduled_at"] + timedelta(minutes=i["duration_minutes"])
                    for i in t["interview"]}
        self.thanked_in_time = {
            task["interview_id"] for task in thanks if task["status"] == "done"
            and task["completed_at"] - ended_at[task["interview_id"]] <= timedelta(hours=48)}

    def within(self, value: date | datetime) -> bool:
        return self.f.start <= _day(value) <= self.f.end

    def headline(self) -> list[str]:
        t, f = self.t, self.f
        active = {e["owner_id"] for e in self.cohort} | {c["owner_id"] for c in self.contacts}
        active |= {o["owner_id"] for o in self.outreach} | {i["owner_id"] for i in self.held}
        active |= {task["owner_id"] for task in t["follow_up_task"] if task["status"] == "done"
                   and f.start <= _day(task["completed_at"]) <= f.end
                   and task["owner_id"] in self.population}
        interviews, students = _group(i["owner_id"] for i in self.held)
        thanked, thanking = _group(i["owner_id"] for i in self.held
                                   if i["id"] in self.thanked_in_time)
        referrals, referring = _group(c["owner_id"] for c in self.contacts
                                      if c["referred_by_id"] is not None)
        if _small(students):
            thank_share = per_interview = "<5"
        else:
            thank_share = _share(thanked, interviews, thanking)
            per_interview = ("withheld" if _small(referring) else
                             f"{referrals / interviews:.1f}" if interviews else "n/a")
        return [_shown(len(active), len(active)),
                _shown(*_group(e["owner_id"] for e in self.cohort)),
                _shown(interviews, students), thank_share, per_interview]

    def reached(self, e: dict[str, Any]) -> list[bool]:
        n = {name: len(values[e["id"]]) for name, values in self.by_exploration.items()}
        return [bool(e["occupation_code"]) or bool(e["research_notes"].strip()),
                n["contacts"] > 0,
                bool(e["pitch"].strip()) or n["questions"] > 0,
                n["attempts"] > 0 or n["booked"] + n["held"] > 0,
                n["booked"] > 0 or n["held"] > 0,
                n["thanks"] > 0]

    def funnel(self) -> list[dict[str, str]]:
        total, total_students = _group(e["owner_id"] for e in self.cohort)
        rows = []
        for step, name in enumerate(["Research", "Develop", "Prepare", "Connect", "Interview",
                                     "Follow-up"]):
            count, students = _group(e["owner_id"] for e in self.cohort
                                     if self.reached(e)[step])
            rows.append({"step": f"{step + 1}. {name}", "explorations": _shown(count, students),
                         "share": _share(count, total, students, total_students)})
        return rows

    def stages(self) -> list[dict[str, str]]:
        rows, previous = [], None
        for rank, stage in enumerate(STAGES):
            reached = _group(c["owner_id"] for c in self.contacts
                             if STAGES.index(c["stage"]) >= rank)
            rows.append({"stage": stage.capitalize(), "contacts": _shown(*reached),
                         "conversion": "n/a" if previous is None else _share(
                             reached[0], previous[0], reached[1], previous[1])})
            previous = reached
        return rows

    def medians(self) -> list[str]:
        ex = self.by_exploration
        cells = []
        for interval in range(4):
            days, owners = [], []
            for e in self.cohort:
                dates = [e["created_at"], min(ex["contacts"][e["id"]], default=None),
                         min(ex["attempts"][e["id"]], default=None),
                         min(ex["held"][e["id"]], default=None),
                         min(ex["sent"][e["id"]], default=None)]
                earlier, later = dates[interval], dates[interval + 1]
                if earlier is not None and later is not None:
                    days.append(max(0, (_day(later) - _day(earlier)).days))
                    owners.append(e["owner_id"])
            count, students = _group(owners)
            median = ("withheld" if _small(students) else
                      f"{round(statistics.median(days), 1):g}" if days else "n/a")
            cells += [_shown(count, students), median]
        return cells

    def weekly(self) -> list[dict[str, str]]:
        def monday(value: date | datetime) -> date:
            return _day(value) - timedelta(days=_day(value).weekday())

        interviews = defaultdict(list)
        for i in self.held:
            interviews[monday(i["scheduled_at"])].append(i["owner_id"])
        outreach = defaultdict(list)
        for o in self.outreach:
            outreach[monday(o["attempted_on"])].append(o["owner_id"])
        rows, week = [], monday(self.f.start)
        while week <= self.f.end:
            rows.append({"week": week.isoformat(),
                         "interviews": _shown(*_group(interviews[week])),
                         "outreach": _shown(*_group(outreach[week]))})
            week += timedelta(days=7)
        return rows

    def sources(self) -> list[dict[str, str]]:
        rows, groups = [], []
        for source, label in dashboard.SOURCE_LABELS.items():
            count, students = _group(c["owner_id"] for c in self.contacts
                                     if c["source"] == source)
            rows.append({"source": label, "contacts": _shown(count, students),
                         "share": _share(count, len(self.contacts), students)})
            groups.append((count, students))
        return _partition(rows, groups, "contacts")

    def fields(self) -> list[dict[str, str]]:
        by_group = defaultdict(list)
        for e in self.cohort:
            by_group[self.groups.get(e["occupation_code"])].append(e["owner_id"])
        rows, groups = [], []
        for code in sorted(by_group, key=lambda code: (code is None, code or "")):
            count, students = _group(by_group[code])
            label = (f"{code} {dashboard.SOC_MAJOR_GROUPS[code]}" if code
                     else dashboard.NO_OCCUPATION)
            rows.append({"group": label, "explorations": _shown(count, students),
                         "share": _share(count, len(self.cohort), students)})
            groups.append((count, students))
        return _partition(rows, groups, "explorations")


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
    population = len(expected.population)
    assert result["students"] == (-1 if _small(population) else population)


# --- Tests ----------------------------------------------------------------------------------

def _biggest_major(campus: Tables) -> str:
    return Counter(u["major"] for u in campus["user_account"] if u["major"]).most_common(1)[0][0]


def test_the_figures_equal_counts_made_from_the_rows(session: Session, campus: Tables) -> None:
    groups = _groups(session)
    major = _biggest_major(campus)
    for filters in (YEAR, LAST_90_DAYS, DashboardFilters(YEAR.start, YEAR.end, major=major),
                    DashboardFilters(date(2026, 1, 1), date(2026, 3, 31),
                                     graduation_year=TODAY.year + 1)):
        result = dashboard.dashboard(session, filters)
        expected = Expected(campus, filters, groups)
        _assert_matches(result, expected)
    # The campus is big enough for real figures, not only "<5".
    result = dashboard.dashboard(session, YEAR)
    assert all(figure["value"] not in ("<5", "n/a") for figure in result["headline"])
    assert int(result["headline"][2]["value"]) > 100


def test_the_shape_is_the_contract(session: Session, campus: Tables) -> None:
    result = dashboard.dashboard(session, YEAR)
    assert [figure["key"] for figure in result["headline"]] == [
        "active_students", "explorations_started", "interviews_held", "thank_you_48h",
        "referrals_per_interview"]
    assert [chart["key"] for chart in result["charts"]] == [
        "funnel_steps", "contact_stages", "median_days", "weekly_activity", "contact_sources",
        "fields"]
    assert result["note"] == "Groups of fewer than 5 students show as <5; their shares are " \
                             "withheld."
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
                else:
                    assert float(cell) == value
        lines = list(csv.reader(io.StringIO(dashboard.chart_csv(chart))))
        assert lines[0] == [column["label"] for column in chart["columns"]]
        assert lines[1:] == [[row[key] for key in keys] for row in chart["rows"]]


def test_sqlite_and_postgresql_give_the_same_dashboard(sqlite_url: str,
                                                       postgres_url: str) -> None:
    with Session(db.engine_for(sqlite_url), expire_on_commit=False) as lite, \
            Session(db.engine_for(postgres_url), expire_on_commit=False) as pg:
        catalogue = synthetic.catalogue(lite, TODAY)
        assert synthetic.catalogue(pg, TODAY).first_ids == catalogue.first_ids
        campus = build(lite, catalogue=catalogue)
        build(pg, catalogue=catalogue)
        major = _biggest_major(campus)
        for filters in (YEAR, LAST_90_DAYS, DashboardFilters(YEAR.start, YEAR.end, major),
                        DashboardFilters(YEAR.start, YEAR.end, graduation_year=TODAY.year)):
            assert dashboard.dashboard(lite, filters) == dashboard.dashboard(pg, filters)
            assert (dashboard.opted_in_progress(lite, filters, limit=200)
                    == dashboard.opted_in_progress(pg, filters, limit=200))
        assert dashboard.filter_options(lite) == dashboard.filter_options(pg)
        assert dashboard.opted_in_progress(lite, YEAR, "an", 200) \
            == dashboard.opted_in_progress(pg, YEAR, "an", 200)


def _small_filter(campus: Tables) -> DashboardFilters:
    """A major and year whose active students are two to four, with explorations this
    year."""
    students = Counter((u["major"], u["graduation_year"]) for u in campus["user_account"]
                       if u["is_active"] and u["major"])
    with_explorations = {(u["major"], u["graduation_year"]) for u in campus["user_account"]
                         for e in campus["exploration"] if e["owner_id"] == u["id"]}
    major, year = next(key for key, n in students.most_common()
                       if 2 <= n <= 4 and key in with_explorations)
    return DashboardFilters(YEAR.start, YEAR.end, major=major, graduation_year=year)


def test_a_filter_that_makes_groups_small_suppresses_them_everywhere(
        session: Session, campus: Tables) -> None:
    filters = _small_filter(campus)
    result = dashboard.dashboard(session, filters)
    _assert_matches(result, Expected(campus, filters, _groups(session)))
    assert result["students"] == -1
    assert result["headline"][1]["value"] == "<5"
    funnel = _chart(result, "funnel_steps")
    assert funnel["rows"][0]["explorations"] == "<5"
    assert funnel["rows"][0]["share"] == "withheld"
    assert funnel["data"][0]["explorations"] is None
    assert "1. Research,<5,withheld" in dashboard.chart_csv(funnel).splitlines()
    weekly = _chart(result, "weekly_activity")
    quiet = next(i for i, row in enumerate(weekly["rows"]) if row["interviews"] == "0")
    assert weekly["data"][quiet]["interviews"] == 0  # nothing that week: 0, not "<5"
    busy = next(i for i, row in enumerate(weekly["rows"]) if row["outreach"] == "<5")
    assert weekly["data"][busy]["outreach"] is None
    assert f"{weekly['rows'][busy]['week']},{weekly['rows'][busy]['interviews']},<5" \
        in dashboard.chart_csv(weekly).splitlines()
    # Without the filter the same groups are large enough to show.
    whole = dashboard.dashboard(session, YEAR)
    assert _chart(whole, "funnel_steps")["data"][0]["explorations"] > 5


def test_staff_never_see_notes_or_contact_details(session: Session, campus: Tables) -> None:
    secret = "Confidential: salary is 90k"
    connection = session.connection()
    connection.exec_driver_sql(f"UPDATE interview SET notes = '{secret}'")
    connection.exec_driver_sql("UPDATE contact SET email = 'private@example.com', "
                               "name = 'Private Person'")
    session.commit()
    text = json.dumps(dashboard.dashboard(session, YEAR))
    text += json.dumps(dashboard.opted_in_progress(session, YEAR, limit=200))
    assert secret not in text and "private@example.com" not in text
    assert "Private Person" not in text


def _rows_read(session: Session, seen: list[tuple[str, Any]]) -> tuple[int, int]:
    """Run the recorded statements again and count the rows they return: those of the
    cohort's statement (the funnel, then one row per interval and number of days between
    milestones, for the medians) and those of the others."""
    connection = session.connection()
    rows = [(sql.lstrip().startswith("WITH cohort"),
             len(connection.exec_driver_sql(sql, params).all())) for sql, params in seen]
    return (sum(n for cohort, n in rows if cohort), sum(n for cohort, n in rows if not cohort))


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
    small = synthetic.CampusSize(students=30, explorations=90, contacts=300, interviews=120,
                                 outreach_attempts=600)
    build(session, small)
    weeks = (YEAR.end - YEAR.start).days // 7 + 2
    before = _recorded(session, lambda: dashboard.dashboard(session, YEAR))
    rows_before = _rows_read(session, before)
    build(session, small.scaled(4), seed=8)
    after = _recorded(session, lambda: dashboard.dashboard(session, YEAR))
    assert len(after) == len(before)
    # Aggregates only: a few rows per week and per group, never a row per student or contact;
    # the medians' distribution has a row per number of days, which the period bounds.
    bound = 2 * weeks + len(dashboard.SOC_MAJOR_GROUPS) + 20
    days_bound = 1 + (len(dashboard.MILESTONES) - 1) * ((YEAR.end - YEAR.start).days + 1)
    for cohort_rows, other_rows in (rows_before, _rows_read(session, after)):
        assert other_rows <= bound
        assert 1 <= cohort_rows <= days_bound
    with statements(session) as seen:
        dashboard.opted_in_progress(session, YEAR, limit=50)
    assert len(seen) == 1


def test_progress_lists_only_students_who_opted_in(session: Session, campus: Tables) -> None:
    expected = Expected(campus, YEAR, _groups(session))
    students = {u["id"]: u for u in campus["user_account"]}
    opted = sorted((u for u in students.values() if u["share_progress"] and u["is_active"]),
                   key=lambda u: (u["name"].lower(), u["id"]))
    listed = dashboard.opted_in_progress(session, YEAR, limit=200)
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
    by_major = dashboard.opted_in_progress(session, DashboardFilters(YEAR.start, YEAR.end,
                                                                     major), limit=200)
    assert by_major and {row["major"] for row in by_major} == {major}
    assert len(dashboard.opted_in_progress(session, YEAR, limit=3)) == 3


def test_the_progress_search_takes_wildcards_literally(session: Session,
                                                       campus: Tables) -> None:
    for name, share in (("Zed 100%_Sure", True), ("Zed 100 Sure", True),
                        ("Zed Hidden%", False)):
        accounts.create_user(session, role=Role.STUDENT, name=name, password=PASSWORD,
                             email=f"{name.split()[-1].strip('%_').lower()}@uni.edu",
                             share_progress=share)
    names = [row["name"] for row in dashboard.opted_in_progress(session, YEAR, "%_s")]
    assert names == ["Zed 100%_Sure"]
    assert [row["name"] for row in dashboard.opted_in_progress(session, YEAR, "ZED 100")] == [
        "Zed 100 Sure", "Zed 100%_Sure"]
    assert dashboard.opted_in_progress(session, YEAR, "hidden") == []
    with pytest.raises(InvalidInput) as caught:
        dashboard.opted_in_progress(session, YEAR, "x" * 121)
    assert caught.value.field == "search"
    with pytest.raises(InvalidInput):
        dashboard.opted_in_progress(session, YEAR, limit=0)


def test_filter_options_list_what_students_have(session: Session, campus: Tables) -> None:
    options = dashboard.filter_options(session)
    active = [u for u in campus["user_account"] if u["is_active"]]
    assert options["majors"] == sorted({u["major"] for u in active if u["major"]})
    assert options["graduation_years"] == sorted({u["graduation_year"] for u in active})


def test_thank_you_notes_count_within_48_hours_of_the_interviews_end(session: Session
                                                                      ) -> None:
    """Measured in time, not calendar days: a note 48 hours after a 45-minute interview
    ended counts, one a minute later doesn't."""
    held_at = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
    ended_at = held_at + timedelta(minutes=45)
    after = [timedelta(hours=1), timedelta(hours=20), timedelta(hours=30),
             timedelta(hours=47), timedelta(hours=47, minutes=59), timedelta(hours=48),
             timedelta(hours=48, minutes=1), timedelta(hours=49), timedelta(days=3),
             timedelta(days=6)]
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
    result = dashboard.dashboard(session, DashboardFilters(date(2026, 6, 1), TODAY))
    shown = {figure["key"]: figure["value"] for figure in result["headline"]}
    assert shown["thank_you_48h"] == "60%"  # 6 of the 10, each from its own student


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
        result = dashboard.dashboard(session, filters)
        held = next(f["value"] for f in result["headline"] if f["key"] == "interviews_held")
        weeks = {row["week"]: row["interviews"]
                 for row in _chart(result, "weekly_activity")["rows"]}
        return held, weeks

    assert counted(ZoneInfo("America/Chicago")) == ("5", {"2026-06-01": "5"})
    assert counted(ZoneInfo("UTC")) == ("0", {"2026-06-01": "0"})
    assert dashboard.parse_filters({"start": "2026-06-01", "end": "2026-06-07"},
                                   ZoneInfo("America/Chicago")).zone.key == "America/Chicago"

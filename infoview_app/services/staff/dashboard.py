"""The staff dashboard: programme figures for a period, the six-step funnel, activity over
time and where contacts come from, for all students or those of one major or graduation year.

Privacy (docs/privacy.md): a period is whole weeks, Monday to Sunday in the institution's time
zone (``filters.zone``), and every count is a sum of *cells*, one per measure, major,
graduation year and week, each rounded on its own by services/staff/suppression.py before
anything is added up. Shares, rates and medians are worked out from those rounded cells alone, and a
count under the institution's minimum group size reads "<N". So no figure, and no difference
between figures for other filters or periods, tells more than the rounded cells, and they
never pin down a count.

The cells are counted in SQL (GROUP BY week, major and graduation year; a fixed number of
statements whatever the data, a few rows per group and week, never a row per student); the
rounding and adding up happen here. Each exploration's counts and first dates come from
``exploration_progress``, which database triggers keep (migration 0006); the medians count
whole days between UTC dates.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    and_,
    case,
    cast,
    exists,
    literal,
    true,
    type_coerce,
    union_all,
)
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Contact,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewStatus,
    Occupation,
    OutreachAttempt,
    PipelineStage,
    Role,
    User,
)
from infoview_app.services.accounts.data_export import csv_cell
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.sql_dialects import day_number, minutes_between, unindexed
from infoview_app.services.core.wording import SOURCE_LABELS, STAGE_LABELS, STEP_NAMES
from infoview_app.services.follow_up.due_dates import THANK_YOU_HOURS
from infoview_app.services.journey import step_progress
from infoview_app.services.research.occupations import LIKE_ESCAPE, escape_like
from infoview_app.services.staff import institution, suppression

DEFAULT_WEEKS = 13
MAX_PERIOD_DAYS = 3 * 366
REFERRALS_GOAL = 2
SEARCH_MAX = 120
LIST_LIMIT_MAX = 200
WITHHELD = "withheld"
NOT_APPLICABLE = "n/a"

# The 2018 Standard Occupational Classification's major groups (the first two digits of an
# O*NET-SOC code), as the Bureau of Labor Statistics names them.
SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}
NO_OCCUPATION = "No occupation chosen yet"
OTHER_OCCUPATIONS = "Other occupations"
# The fields chart's groups, in its order: the SOC major groups, any other, none chosen.
FIELD_CODES: list[str | None] = [*SOC_MAJOR_GROUPS, OTHER_OCCUPATIONS, None]

STAGES = list(PipelineStage)
# The dated milestones of an exploration, in step order. Step 3 (Prepare) leaves no dated
# record, so the Develop -> Connect interval spans it.
MILESTONES = (
    ("Research", "exploration started"),
    ("Develop", "first contact added"),
    ("Connect", "first outreach logged"),
    ("Interview", "first interview held"),
    ("Follow-up", "first thank-you note sent"),
)
# The medians' days between milestones are counted in buckets (cells like any other): bucket
# i holds the days from DAY_BUCKETS[i - 1] + 1 to DAY_BUCKETS[i]; the last, more than 180.
DAY_BUCKETS = (0, 1, 2, 3, 4, 5, 7, 10, 14, 21, 30, 45, 60, 90, 180)


def note(k: int) -> str:
    """What the page and every CSV say about the figures."""
    return (f"Counts are rounded to a multiple of {suppression.BASE} (each major, graduation year "
            f"and week on its own, then added up), so a figure may differ from the exact "
            f"count by a few; counts under {k} show as {suppression.small(k)}, and shares and "
            "medians come from the rounded counts. Periods are whole weeks, Monday to "
            "Sunday.")


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
    values = check.form(
        start=lambda: check.iso_date(form.get("start"), "start", "start date"),
        end=lambda: check.iso_date(form.get("end"), "end", "end date"),
        major=lambda: check.text(form.get("major"), "major", max_length=120,
                                 required=False, label="Major") or None,
        graduation_year=lambda: check.optional_year(form.get("graduation_year")),
    )
    if values["end"] < values["start"]:
        raise InvalidInput("The end date can't be before the start date.", "end")
    if (values["end"] - values["start"]).days >= MAX_PERIOD_DAYS:
        raise InvalidInput("Choose a period of at most three years.", "end")
    values["start"], values["end"] = whole_weeks(values["start"], values["end"])
    return DashboardFilters(**values, zone=zone)


def filter_options(session: Session) -> dict[str, list[Any]]:
    """The majors and graduation years active students have, for the filter menus."""
    students = (User.role == Role.STUDENT, col(User.is_active).is_(True))
    majors = session.exec(select(User.major).distinct()
                          .where(*students, col(User.major).is_not(None), User.major != "")
                          .order_by(User.major)).all()
    years = session.exec(select(User.graduation_year).distinct()
                         .where(*students, col(User.graduation_year).is_not(None))
                         .order_by(User.graduation_year)).all()
    return {"majors": [m for m in majors if m], "graduation_years": [y for y in years if y]}


# --- Scope -----------------------------------------------------------------------------------

def _students(filters: DashboardFilters, *extra: Any) -> list[Any]:
    """Conditions on User selecting the active students of the filters."""
    where = [User.role == Role.STUDENT, col(User.is_active).is_(True), *extra]
    if filters.major is not None:
        where.append(User.major == filters.major)
    if filters.graduation_year is not None:
        where.append(User.graduation_year == filters.graduation_year)
    return where


def _population(filters: DashboardFilters, *extra: Any) -> Any:
    """The ids of the active students the filters select (a subquery for ``IN``)."""
    return select(User.id).where(*_students(filters, *extra))


def _period(filters: DashboardFilters) -> tuple[datetime, datetime]:
    """The period as [first instant, instant after the last day), its days those of the
    filters' zone."""
    return (datetime.combine(filters.start, time(), filters.zone),
            datetime.combine(filters.end + timedelta(days=1), time(), filters.zone))


def _mondays(filters: DashboardFilters) -> list[date]:
    return [filters.start + timedelta(days=7 * n)
            for n in range((filters.end - filters.start).days // 7 + 1)]


class _Weeks:
    """The period's weeks as a small table the statements join their rows to by date range,
    so each week is read straight from the date indexes. Its values are bound parameters
    (not a VALUES list, which SQLAlchemy can't cache): the statements compile once per
    number of weeks."""

    def __init__(self, filters: DashboardFilters) -> None:
        instant = Interview.__table__.c.scheduled_at.type
        weeks = []
        for monday in _mondays(filters):
            sunday = monday + timedelta(days=6)
            first, after = _period(replace(filters, start=monday, end=sunday))
            weeks.append(select(literal(monday, Date).label("week"),
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


def _count_if(condition: Any) -> Any:
    # PostgreSQL sums integers as bigint (and bigints as numeric): cast back to integer.
    return cast(func.coalesce(func.sum(case((condition, 1), else_=0)), 0), Integer)


# --- Cells -----------------------------------------------------------------------------------

Cell = tuple[Any, str | None, int | None, date | None]  # (family, major, year, week)


class _Cells:
    """The rounded cells of one dashboard, added up over majors and graduation years: for
    each family of measures, its rounded counts per week (None for registered students)."""

    def __init__(self, rounder: suppression.CellRounder) -> None:
        self.rounder = rounder
        self.exact: dict[Cell, list[int]] = {}
        self.weekly: dict[Any, dict[date | None, list[int]]] = defaultdict(dict)

    def add(self, family: Any, rows: Iterable[Any], start: int = 3) -> None:
        """Rows of (week, major, graduation year, counts...), one per cell, the family's
        counts from column ``start`` on. A blank major and none are one group."""
        end = start + _width(family)
        for row in rows:
            cell = (family, row[1] or None, row[2], row[0])
            counts = list(row[start:end])
            if cell in self.exact:  # a blank major met after none
                counts = [a + b for a, b in zip(self.exact[cell], counts, strict=True)]
            self.exact[cell] = counts

    def round(self) -> None:
        for (family, major, year, week), counts in self.exact.items():
            shown = self.rounder.row((family, major, year, week), counts)
            total = self.weekly[family].get(week)
            self.weekly[family][week] = shown if total is None else [
                a + b for a, b in zip(total, shown, strict=True)]

    def week(self, family: Any, monday: date | None) -> list[int]:
        return self.weekly[family].get(monday, [0] * _width(family))

    def total(self, family: Any) -> list[int]:
        """The family's rounded counts over the whole period."""
        sums = [0] * _width(family)
        for counts in self.weekly[family].values():
            for i, value in enumerate(counts):
                sums[i] += value
        return sums


THANKED_IN_TIME = exists().where(
    FollowUpTask.interview_id == Interview.id,
    FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE,
    FollowUpTask.status == FollowUpStatus.DONE,
    minutes_between(Interview.scheduled_at, FollowUpTask.completed_at)
    <= Interview.duration_minutes + 60 * THANK_YOU_HOURS)
_stage_rank = case({stage.value: position for position, stage in enumerate(STAGES)},
                   value=Contact.stage, else_=-1)
# Contacts that reached each stage (all of them reached the first), then by source, then
# those referred by someone.
CONTACT_MEASURES = [*(_stage_rank >= position for position in range(len(STAGES))),
                    *(Contact.source == source for source in SOURCE_LABELS),
                    col(Contact.referred_by_id).is_not(None)]
INTERVIEWS, OUTREACH, ACTIVE, CONTACTS, COHORT, FIELDS, REGISTERED = (
    "interviews", "outreach", "active", "contacts", "cohort", "fields", "registered")
# How many counts each family of cells has: interviews held and thanked in time; the contact
# measures; explorations started and reaching each step; per occupation group; per bucket of
# days. A total has cells of its own (the explorations started, the contacts identified),
# fewer and larger than its parts', so it is closer to the exact count than their sum.
_WIDTHS = {INTERVIEWS: 2, CONTACTS: len(CONTACT_MEASURES), COHORT: 1 + len(STEP_NAMES),
           FIELDS: len(FIELD_CODES), "days": len(DAY_BUCKETS) + 1}


def _width(family: Any) -> int:
    return _WIDTHS.get(family[0] if isinstance(family, tuple) else family, 1)


def _activity(session: Session, filters: DashboardFilters, cells: _Cells) -> None:
    """Per week, major and graduation year: the contacts added (by source, by stage reached,
    referred by someone), and from one pass over every kind of activity, the students active,
    interviews held (and those thanked in time) and outreach attempts. Each statement reads
    its sources' rows of the period straight from their date indexes, a week at a time, and
    looks each row's student up by id."""
    weeks = _Weeks(filters)
    # The filters' students, checked on the student found by id: SQLite must not start from
    # the students (by an index on role or major) and read each one's rows of all time.
    students = [unindexed(condition) for condition in _students(filters)]

    def in_weeks(model: Any, stamp: Any, *columns: Any, timestamp: bool = True) -> Any:
        return (select(weeks.week, *columns).select_from(weeks.table)
                .join(model, weeks.holds(stamp, timestamp=timestamp)))

    contacts = (in_weeks(Contact, Contact.created_at, User.major, User.graduation_year,
                         *(_count_if(measure) for measure in CONTACT_MEASURES))
                .join(User, col(User.id) == Contact.owner_id).where(*students)
                .group_by(weeks.week, User.major, User.graduation_year))
    cells.add(CONTACTS, session.connection().execute(contacts))

    # Every activity row: (week, student, interview held, thanked in time, outreach attempt).
    zero, one = literal(0), literal(1)
    rows = union_all(*(in_weeks(model, stamp, model.owner_id.label("owner"), *(
        value.label(name) for value, name in zip(values, ("held", "thanked", "outreach"),
                                                 strict=True)), timestamp=timestamp)
        .where(*where)
        for model, stamp, timestamp, values, where in (
            (Exploration, Exploration.created_at, True, (zero, zero, zero), ()),
            (Contact, Contact.created_at, True, (zero, zero, zero), ()),
            (OutreachAttempt, OutreachAttempt.attempted_on, False, (zero, zero, one), ()),
            (Interview, Interview.scheduled_at, True,
             (one, case((THANKED_IN_TIME, 1), else_=0), zero),
             (unindexed(Interview.status) == InterviewStatus.COMPLETED,)),
            (FollowUpTask, FollowUpTask.completed_at, True, (zero, zero, zero),
             (unindexed(FollowUpTask.status) == FollowUpStatus.DONE,))))).subquery("rows")
    # Each student active in a week once: grouped (a sort) rather than UNION (an index).
    per_student = (select(rows.c.week, rows.c.owner, *(
        func.sum(rows.c[name]).label(name) for name in ("held", "thanked", "outreach")))
        .group_by(rows.c.week, rows.c.owner).subquery("per_student"))
    found = session.connection().execute(
        select(per_student.c.week, User.major, User.graduation_year, func.count(), *(
            cast(func.sum(per_student.c[name]), Integer)
            for name in ("held", "thanked", "outreach")))
        .select_from(per_student).join(User, col(User.id) == per_student.c.owner)
        .where(*students)
        .group_by(per_student.c.week, User.major, User.graduation_year)).all()
    _spread(cells, found, (ACTIVE, INTERVIEWS, OUTREACH))


def _spread(cells: _Cells, found: list[Any], families: Iterable[Any]) -> None:
    """Rows of (week, major, graduation year, counts...) holding several families' counts
    side by side, in the order of ``families``, added to each family's cells."""
    start = 3
    for family in families:
        cells.add(family, found, start)
        start += _width(family)


def _day_bucket(days: Any) -> Any:
    return case(*((days <= upper, index) for index, upper in enumerate(DAY_BUCKETS)),
                else_=len(DAY_BUCKETS))


def _cohort(session: Session, filters: DashboardFilters, cells: _Cells) -> None:
    """The explorations started in the period, per week, major and graduation year: how many
    reached each step, how many by occupation group, and how many took each bucket of days
    between milestones, as one row per week and group. Each exploration's steps, occupation
    group and buckets of days are worked out once, in two CTEs (its texts stay out of
    them)."""
    weeks = _Weeks(filters)
    # No condition on the period here: the weeks' own ranges select the explorations, one
    # week at a time from the date index.
    facts, journey_facts = step_progress.progress_subquery(
        unindexed(col(Exploration.owner_id)).in_(_population(filters)))
    days = (select(weeks.week, User.major, User.graduation_year, Occupation.major_group, *(
        type_coerce(condition, Boolean).label(f"reached{number}")
        for number, condition in enumerate(step_progress.reached(journey_facts), start=1)), *(
        day_number(value, timestamp=timestamp).label(f"day{i}")
        for i, (value, timestamp) in enumerate(
            ((facts.c.created_at, True), (facts.c.first_contact, True),
             (facts.c.first_attempt, False), (facts.c.first_held, True),
             (facts.c.first_thanked, True)))))
        .select_from(facts)
        .join(weeks.table, weeks.holds(facts.c.created_at))
        .join(User, col(User.id) == facts.c.owner_id)
        .join(Occupation, col(Occupation.code) == facts.c.occupation_code, isouter=True)
        .cte("days").prefix_with("MATERIALIZED"))
    # Each exploration's facts and buckets are worked out once (MATERIALIZED): inlined, they
    # would be worked out again for every count that reads them.
    milestones = [days.c[f"day{i}"] for i in range(len(MILESTONES))]
    cohort = (select(days.c.week, days.c.major, days.c.graduation_year, days.c.major_group,
                     *(days.c[f"reached{number}"] for number in range(1, len(STEP_NAMES) + 1)),
                     *(case((and_(earlier.is_not(None), later.is_not(None)), _day_bucket(
                         case((later < earlier, 0), else_=later - earlier)))).label(
                         f"bucket{i}") for i, (earlier, later) in enumerate(
                         pairwise(milestones))))
              .cte("cohort").prefix_with("MATERIALIZED"))
    group = [cohort.c.week, cohort.c.major, cohort.c.graduation_year]
    field = cohort.c.major_group
    counts = [
        true(), *(cohort.c[f"reached{number}"] for number in range(1, len(STEP_NAMES) + 1)),
        *(field == code for code in SOC_MAJOR_GROUPS), field.not_in(list(SOC_MAJOR_GROUPS)),
        field.is_(None),
        *(cohort.c[f"bucket{i}"] == bucket for i in range(len(MILESTONES) - 1)
          for bucket in range(_width("days")))]
    found = session.connection().execute(
        select(*group, *map(_count_if, counts)).group_by(*group)).all()
    _spread(cells, found, (COHORT, FIELDS, *(("days", i) for i in range(len(MILESTONES) - 1))))


def _registered(session: Session, filters: DashboardFilters, cells: _Cells) -> bool:
    """Registered students per major and graduation year (whatever the dates). Returns
    whether there is any."""
    rows = session.connection().execute(
        select(User.major, User.graduation_year, func.count()).where(*_students(filters))
        .group_by(User.major, User.graduation_year)).all()
    cells.add(REGISTERED, ((None, major, year, n) for major, year, n in rows))
    return bool(rows)


# --- Display ---------------------------------------------------------------------------------

class _Shown:
    """Rounded counts as staff read them, with the institution's minimum group size."""

    def __init__(self, k: int) -> None:
        self.k = k

    def count(self, value: int) -> str:
        return suppression.shown(value, self.k)

    def plotted(self, value: int) -> int | None:
        return None if value < self.k else value

    def share(self, part: int, whole: int) -> str:
        """A percentage of two rounded counts, withheld when either is under the minimum.
        Rounding each cell on its own can put a part above its whole: never above 100%."""
        if part < self.k or whole < self.k:
            return WITHHELD
        return f"{round(100 * min(part, whole) / whole, 1):g}%"


def _chart(key: str, title: str, kind: str, x: tuple[str, str], series: list[tuple[str, str]],
           extra_columns: list[tuple[str, str]], rows: list[dict[str, str]],
           data: list[dict[str, Any]]) -> dict[str, Any]:
    columns = [x, *series, *extra_columns]
    return {"key": key, "title": title, "kind": kind, "x": x[0],
            "series": [{"key": k, "label": label} for k, label in series],
            "columns": [{"key": k, "label": label} for k, label in columns],
            "rows": [{k: row[k] for k, _ in columns} for row in rows], "data": data}


def chart_csv(chart: Mapping[str, Any], footnote: str) -> str:
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


# --- Figures ---------------------------------------------------------------------------------

def _headline(cells: _Cells, shown: _Shown, weeks: int) -> list[dict[str, str]]:
    active = cells.total(ACTIVE)[0]
    started = cells.total(COHORT)[0]
    held, thanked = cells.total(INTERVIEWS)
    referred = cells.total(CONTACTS)[-1]
    per_interview = (WITHHELD if held < shown.k or referred < shown.k
                     else f"{referred / held:.1f}")
    return [
        {"key": "active_students", "label": "Active students per week",
         "value": shown.count(active) if active < shown.k else str(round(active / weeks)),
         "hint": "Students who started an exploration, added a contact, logged outreach, "
                 "held an interview or finished a follow-up in a week: the average over the "
                 "period's weeks."},
        {"key": "explorations_started", "label": "Explorations started",
         "value": shown.count(started),
         "hint": "Career fields students began exploring in the period."},
        {"key": "interviews_held", "label": "Interviews held", "value": shown.count(held),
         "hint": "Informational interviews that took place in the period."},
        {"key": "thank_you_48h", "label": "Thank-you notes within 48 hours",
         "value": shown.share(thanked, held),
         "hint": "Share of those interviews whose thank-you note was marked sent within "
                 f"{THANK_YOU_HOURS} hours of the interview's end."},
        {"key": "referrals_per_interview", "label": "Referrals per interview",
         "value": per_interview,
         "hint": f"New contacts referred by someone, per interview held (goal: "
                 f"{REFERRALS_GOAL})."},
    ]


def _funnel(cells: _Cells, shown: _Shown) -> dict[str, Any]:
    total, *reached = cells.total(COHORT)
    rows, data = [], []
    for number, (name, count) in enumerate(zip(STEP_NAMES, reached, strict=True), start=1):
        label = f"{number}. {name}"
        rows.append({"step": label, "explorations": shown.count(count),
                     "share": shown.share(count, total)})
        data.append({"step": label, "explorations": shown.plotted(count)})
    return _chart("funnel_steps", "Explorations started in the period, by the steps reached",
                  "bar", ("step", "Step"), [("explorations", "Explorations that reached it")],
                  [("share", "Share of explorations started")], rows, data)


def _contact_stages(cells: _Cells, shown: _Shown) -> dict[str, Any]:
    reached = cells.total(CONTACTS)[:len(STAGES)]
    rows, data = [], []
    for position, stage in enumerate(STAGES):
        label = STAGE_LABELS[stage]
        conversion = (NOT_APPLICABLE if position == 0
                      else shown.share(reached[position], reached[position - 1]))
        rows.append({"stage": label, "contacts": shown.count(reached[position]),
                     "conversion": conversion})
        data.append({"stage": label, "contacts": shown.plotted(reached[position])})
    return _chart("contact_stages", "Contacts added in the period, by the stage reached",
                  "bar", ("stage", "Stage"), [("contacts", "Contacts that reached the stage")],
                  [("conversion", "Conversion from the previous stage")], rows, data)


def grouped_median(counts: list[int]) -> float | None:
    """The median number of days, from counts per bucket of DAY_BUCKETS (the last bucket
    open-ended), as statistical agencies take it from grouped data: each bucket's values
    spread evenly over [its first day - 0.5, its last day + 0.5]; in the open bucket, its
    first day. None for no values."""
    total = sum(counts)
    seen = 0
    for index, count in enumerate(counts):
        if count and seen + count >= total / 2:
            first = DAY_BUCKETS[index - 1] + 1 if index else 0
            if index == len(DAY_BUCKETS):
                return float(first)
            width = DAY_BUCKETS[index] - first + 1
            return first - 0.5 + (total / 2 - seen) / count * width
        seen += count
    return None


def _median_days(cells: _Cells, shown: _Shown) -> dict[str, Any]:
    rows, data = [], []
    for i in range(len(MILESTONES) - 1):
        counts = cells.total(("days", i))
        explorations = sum(counts)
        median = None if explorations < shown.k else grouped_median(counts)
        (step, since), (next_step, until) = MILESTONES[i], MILESTONES[i + 1]
        label = f"{step} to {next_step}"
        if median is None:
            text = WITHHELD if explorations < shown.k else NOT_APPLICABLE
        elif median > DAY_BUCKETS[-1]:
            text = f"over {DAY_BUCKETS[-1]}"
        else:
            median = round(median, 1)
            text = f"{median:g}"
        rows.append({"interval": label, "from": since, "to": until,
                     "explorations": shown.count(explorations), "median_days": text})
        data.append({"interval": label, "median_days": median})
    return _chart("median_days", "Median days from each step to the next", "bar",
                  ("interval", "Steps"), [("median_days", "Median days")],
                  [("from", "From"), ("to", "To"), ("explorations", "Explorations")],
                  rows, data)


def _weekly_activity(cells: _Cells, shown: _Shown, mondays: list[date]) -> dict[str, Any]:
    rows, data = [], []
    for monday in mondays:
        row, point = {"week": monday.isoformat()}, {"week": monday.isoformat()}
        for kind, family in (("interviews", INTERVIEWS), ("outreach", OUTREACH)):
            count = cells.week(family, monday)[0]
            row[kind] = shown.count(count)
            point[kind] = shown.plotted(count)
        rows.append(row)
        data.append(point)
    return _chart("weekly_activity", "Interviews held and outreach attempts per week", "line",
                  ("week", "Week of (Monday)"),
                  [("interviews", "Interviews held"), ("outreach", "Outreach attempts")],
                  [], rows, data)


def _parts(found: list[tuple[str, int]], x: str, value: str, shown: _Shown
           ) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Rows and chart points of (label, rounded count) groups that partition a whole (the
    sum of their rounded counts), each with its share of it."""
    whole = sum(count for _, count in found)
    rows = [{x: label, value: shown.count(count), "share": shown.share(count, whole)}
            for label, count in found]
    return rows, [{x: label, value: shown.plotted(count)} for label, count in found]


def _contact_sources(cells: _Cells, shown: _Shown) -> dict[str, Any]:
    by_source = cells.total(CONTACTS)[len(STAGES):-1]
    rows, data = _parts(list(zip(SOURCE_LABELS.values(), by_source, strict=True)),
                        "source", "contacts", shown)
    return _chart("contact_sources", "Where contacts added in the period came from", "bar",
                  ("source", "Source"), [("contacts", "Contacts")],
                  [("share", "Share of contacts")], rows, data)


def _fields(cells: _Cells, shown: _Shown) -> dict[str, Any]:
    found = [(NO_OCCUPATION if code is None else code if code == OTHER_OCCUPATIONS
              else f"{code} {SOC_MAJOR_GROUPS[code]}", count)
             for code, count in zip(FIELD_CODES, cells.total(FIELDS), strict=True) if count]
    rows, data = _parts(found, "group", "explorations", shown)
    return _chart("fields", "Fields explored, by occupation group (explorations started in "
                  "the period)", "bar", ("group", "Occupation group"),
                  [("explorations", "Explorations")], [("share", "Share of explorations")],
                  rows, data)


def dashboard(session: Session, filters: DashboardFilters) -> dict[str, Any]:
    """Every figure of the staff dashboard for the filters (see the module docstring; a
    period not in whole weeks is widened to them), with the institution's minimum group
    size. "students" is the registered students as shown;
    "has_students" whether there is any at all (exactly: the empty page says so), and
    "active" whether the period has any activity to show."""
    filters = replace(filters, **dict(zip(("start", "end"),
                                          whole_weeks(filters.start, filters.end),
                                          strict=True)))
    k = institution.min_group_size(session)
    shown = _Shown(k)
    cells = _Cells(suppression.CellRounder(suppression.rounding_key(session)))
    has_students = _registered(session, filters, cells)
    _activity(session, filters, cells)
    _cohort(session, filters, cells)
    cells.round()
    mondays = _mondays(filters)
    charts = [_funnel(cells, shown), _contact_stages(cells, shown), _median_days(cells, shown),
              _weekly_activity(cells, shown, mondays), _contact_sources(cells, shown),
              _fields(cells, shown)]
    return {"headline": _headline(cells, shown, len(mondays)), "charts": charts,
            "students": shown.count(cells.total(REGISTERED)[0]), "has_students": has_students,
            "active": cells.total(ACTIVE)[0] > 0, "note": note(k)}


# --- Students who share their progress -------------------------------------------------------

def opted_in_progress(session: Session, filters: DashboardFilters, search: str = "",
                      limit: int = 50) -> list[dict[str, Any]]:
    """Students who chose to share their progress (of the filters' major and year, all time),
    by name, with the furthest step any exploration reached and their counts; never a note
    or a contact. ``search`` matches part of the name, case-insensitively."""
    text = check.text(search, "search", max_length=SEARCH_MAX, required=False, label="Search")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= LIST_LIMIT_MAX:
        raise InvalidInput(f"Ask for 1 to {LIST_LIMIT_MAX} students.", "limit")
    where = [col(User.share_progress).is_(True)]
    if text:
        where.append(func.lower(User.name).like(f"%{escape_like(text.lower())}%",
                                                escape=LIKE_ESCAPE))
    page = (select(User.id, User.name, User.major, User.graduation_year)
            .where(col(User.id).in_(_population(filters, *where)))
            .order_by(func.lower(User.name), User.id).limit(limit).cte("page"))
    facts, values = step_progress.progress_subquery(
        col(Exploration.owner_id).in_(select(page.c.id)))
    furthest = case(*((condition, number) for number, condition
                      in reversed(list(enumerate(step_progress.reached(values), start=1)))),
                    else_=0)
    progress = (select(facts.c.owner_id, func.count().label("explorations"),
                       func.max(furthest).label("furthest_step"))
                .group_by(facts.c.owner_id).subquery("progress"))
    contacts = (select(func.count()).select_from(Contact)
                .where(Contact.owner_id == page.c.id).scalar_subquery())
    interviews = (select(func.count()).select_from(Interview)
                  .where(Interview.owner_id == page.c.id,
                         Interview.status == InterviewStatus.COMPLETED).scalar_subquery())
    rows = session.exec(
        select(page.c.id, page.c.name, page.c.major, page.c.graduation_year,
               func.coalesce(progress.c.explorations, 0),
               func.coalesce(progress.c.furthest_step, 0), contacts, interviews)
        .join(progress, progress.c.owner_id == page.c.id, isouter=True)
        .order_by(func.lower(page.c.name), page.c.id)).all()
    return [{"student_id": row[0], "name": row[1], "major": row[2] or "",
             "graduation_year": row[3], "explorations": row[4], "furthest_step": row[5],
             "contacts": row[6], "interviews": row[7]} for row in rows]

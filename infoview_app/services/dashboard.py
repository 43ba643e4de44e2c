"""The staff dashboard: programme figures for a period, the six-step funnel, activity over
time and where contacts come from, for all students or those of one major or graduation year.

Every figure is counted in SQL (GROUP BY and conditional aggregates, a fixed number of
statements whatever the data). Staff never see a note or a contact's details, and a figure
that belongs to fewer than five students reads "<5" with its share withheld: each query counts
the distinct students behind every group beside the group's own count.

The period's days and weeks are those of the institution's time zone (``filters.zone``); the
medians count whole days between UTC dates. Each exploration's counts and first dates come
from ``exploration_progress``, which database triggers keep (migration 0006).
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    column,
    distinct,
    exists,
    literal,
    null,
    true,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy import values as sql_values
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Contact,
    ContactSource,
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
from infoview_app.services import journey
from infoview_app.services import validation as check
from infoview_app.services.errors import InvalidInput
from infoview_app.services.export import csv_cell
from infoview_app.services.followups import THANK_YOU_HOURS
from infoview_app.services.home import SMALL_GROUP, SUPPRESSED, is_small, suppressed
from infoview_app.services.occupations import LIKE_ESCAPE, escape_like
from infoview_app.services.sql import day_number, minutes_between, unindexed
from infoview_app.services.steps import STEP_NAMES

DEFAULT_DAYS = 90
MAX_PERIOD_DAYS = 3 * 366
REFERRALS_GOAL = 2
SEARCH_MAX = 120
LIST_LIMIT_MAX = 200
WITHHELD = "withheld"
NOT_APPLICABLE = "n/a"
NOTE = (f"Groups of fewer than {SMALL_GROUP} students show as {SUPPRESSED}; "
        "their shares are withheld.")

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

SOURCE_LABELS = {
    ContactSource.FACULTY: "Faculty",
    ContactSource.FAMILY: "Family",
    ContactSource.FRIEND: "Friends",
    ContactSource.LINKEDIN_ALUMNI: "LinkedIn or alumni",
    ContactSource.COMMUNITY_PARTNER: "Community partners",
    ContactSource.REFERRAL: "Referrals",
    ContactSource.OTHER: "Other",
}
STAGE_LABELS = {
    PipelineStage.IDENTIFIED: "Identified",
    PipelineStage.CONTACTED: "Contacted",
    PipelineStage.SCHEDULED: "Scheduled",
    PipelineStage.INTERVIEWED: "Interviewed",
    PipelineStage.THANKED: "Thanked",
}
# The dated milestones of an exploration, in step order. Step 3 (Prepare) leaves no dated
# record, so the Develop -> Connect interval spans it.
MILESTONES = (
    ("Research", "exploration started"),
    ("Develop", "first contact added"),
    ("Connect", "first outreach logged"),
    ("Interview", "first interview held"),
    ("Follow-up", "first thank-you note sent"),
)


@dataclass(frozen=True)
class DashboardFilters:
    """The period (both ends included, days of the institution's time zone ``zone``) and,
    optionally, one major and graduation year."""

    start: date
    end: date
    major: str | None = None
    graduation_year: int | None = None
    zone: tzinfo = UTC


def default_filters(today: date, zone: tzinfo = UTC) -> DashboardFilters:
    """The last 90 days, today (in ``zone``) included, for every student."""
    return DashboardFilters(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today,
                            zone=zone)


def _iso_date(value: Any, field: str, label: str) -> date:
    if isinstance(value, datetime):
        raise InvalidInput(f"Enter the {label} as a date (YYYY-MM-DD).", field)
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Enter the {label} (YYYY-MM-DD).", field)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"Enter the {label} as a real date, like 2026-09-01.",
                           field) from None


def parse_filters(form: Mapping[str, Any], zone: tzinfo = UTC) -> DashboardFilters:
    """Filters from a browser form: "start" and "end" (ISO dates, days of ``zone``), "major"
    and "graduation_year" (empty for all). InvalidInput names every bad field."""
    values = check.form(
        start=lambda: _iso_date(form.get("start"), "start", "start date"),
        end=lambda: _iso_date(form.get("end"), "end", "end date"),
        major=lambda: check.text(form.get("major"), "major", max_length=120,
                                 required=False, label="Major") or None,
        graduation_year=lambda: check.optional_year(form.get("graduation_year")),
    )
    if values["end"] < values["start"]:
        raise InvalidInput("The end date can't be before the start date.", "end")
    if (values["end"] - values["start"]).days >= MAX_PERIOD_DAYS:
        raise InvalidInput("Choose a period of at most three years.", "end")
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

def _population(filters: DashboardFilters, *extra: Any) -> Any:
    """The ids of the active students the filters select (a subquery for ``IN``)."""
    where = [User.role == Role.STUDENT, col(User.is_active).is_(True), *extra]
    if filters.major is not None:
        where.append(User.major == filters.major)
    if filters.graduation_year is not None:
        where.append(User.graduation_year == filters.graduation_year)
    return select(User.id).where(*where)


def _period(filters: DashboardFilters) -> tuple[datetime, datetime]:
    """The period as [first instant, instant after the last day), its days those of the
    filters' zone."""
    return (datetime.combine(filters.start, time(), filters.zone),
            datetime.combine(filters.end + timedelta(days=1), time(), filters.zone))


def _stamped_in(column: Any, filters: DashboardFilters) -> Any:
    start, after = _period(filters)
    return and_(column >= start, column < after)


def _dated_in(column: Any, filters: DashboardFilters) -> Any:
    return and_(column >= filters.start, column <= filters.end)


def _owned(model: Any, filters: DashboardFilters) -> Any:
    """The row belongs to a student of the population (checked row by row: the period's
    date range is what selects the rows)."""
    return unindexed(col(model.owner_id)).in_(_population(filters))


def _held_in(filters: DashboardFilters) -> list[Any]:
    """Interviews held in the period (completed, dated by when they took place)."""
    return [unindexed(Interview.status) == InterviewStatus.COMPLETED,
            _stamped_in(Interview.scheduled_at, filters)]


def _count_if(condition: Any) -> Any:
    # PostgreSQL sums integers as bigint (and bigints as numeric): cast back to integer.
    return cast(func.coalesce(func.sum(case((condition, 1), else_=0)), 0), Integer)


def _per_group(keys: list[Any], owner: Any, measures: list[Any], *where: Any,
               select_from: Any = None, population: DashboardFilters | None = None) -> Any:
    """A statement giving, for each group of ``keys``, each measure's count and the number of
    distinct students behind it: (key..., count_0, students_0, count_1, students_1, ...).
    A measure is a condition on the row, or None for every row. Rows are first counted per
    student, so the student count is a count of those totals (cheaper than COUNT(DISTINCT)),
    and only those of the ``population``'s students are kept (checked once per student)."""
    inner = select(*(key.label(f"k{i}") for i, key in enumerate(keys)), owner.label("owner"),
                   *((func.count() if measure is None else _count_if(measure)).label(f"m{j}")
                     for j, measure in enumerate(measures)))
    if select_from is not None:
        inner = inner.select_from(select_from)
    inner = inner.where(*where).group_by(*keys, owner)
    if population is not None:
        inner = inner.having(owner.in_(_population(population)))
    per_student = inner.subquery("per_student")
    group = [per_student.c[f"k{i}"] for i in range(len(keys))]
    totals = [total for j in range(len(measures)) for total in (
        cast(func.coalesce(func.sum(per_student.c[f"m{j}"]), 0), Integer),
        _count_if(per_student.c[f"m{j}"] > 0))]
    return select(*group, *totals).group_by(*group)


# --- Display ---------------------------------------------------------------------------------

def _share(part: int, whole: int, *groups: int) -> str:
    """A percentage as shown: withheld when any group of students behind it is small."""
    if any(is_small(students) for students in groups):
        return WITHHELD
    if whole == 0:
        return NOT_APPLICABLE
    return f"{round(100 * part / whole, 1):g}%"


def _plotted(count: int, students: int) -> int | None:
    return None if is_small(students) else count


def _chart(key: str, title: str, kind: str, x: tuple[str, str], series: list[tuple[str, str]],
           extra_columns: list[tuple[str, str]], rows: list[dict[str, str]],
           data: list[dict[str, Any]]) -> dict[str, Any]:
    columns = [x, *series, *extra_columns]
    return {"key": key, "title": title, "kind": kind, "x": x[0],
            "series": [{"key": k, "label": label} for k, label in series],
            "columns": [{"key": k, "label": label} for k, label in columns],
            "rows": [{k: row[k] for k, _ in columns} for row in rows], "data": data}


def chart_csv(chart: Mapping[str, Any]) -> str:
    """The chart's table as CSV, exactly as shown (suppressed cells read "<5"): a header of
    the column labels, then one line per row; cells that a spreadsheet would run as a
    formula are quoted as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(column["label"]) for column in chart["columns"]])
    for row in chart["rows"]:
        writer.writerow([csv_cell(row[column["key"]]) for column in chart["columns"]])
    return out.getvalue()


# --- Headline --------------------------------------------------------------------------------

def _headline(session: Session, filters: DashboardFilters, started: tuple[int, int],
              referred: tuple[int, int]) -> tuple[list[dict[str, str]], int]:
    """The headline figures, with the explorations started and the referrals (each with its
    students) counted elsewhere. A share is withheld when the students behind its numerator
    are a small group too: one student's thank-you notes or referrals must not show."""
    referrals, referring_students = referred
    owners = union(
        select(Exploration.owner_id).where(_stamped_in(Exploration.created_at, filters)),
        select(Contact.owner_id).where(_stamped_in(Contact.created_at, filters)),
        select(OutreachAttempt.owner_id).where(_dated_in(OutreachAttempt.attempted_on,
                                                         filters)),
        select(Interview.owner_id).where(*_held_in(filters)),
        select(FollowUpTask.owner_id).where(_stamped_in(FollowUpTask.completed_at, filters),
                                            unindexed(FollowUpTask.status)
                                            == FollowUpStatus.DONE),
    ).subquery("active")
    population = session.exec(select(func.count()).select_from(
        _population(filters).subquery())).one()
    active = session.exec(select(func.count()).select_from(owners)
                          .where(owners.c.owner_id.in_(_population(filters)))).one()
    thanked_in_time = exists().where(
        FollowUpTask.interview_id == Interview.id,
        FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE,
        FollowUpTask.status == FollowUpStatus.DONE,
        minutes_between(Interview.scheduled_at, FollowUpTask.completed_at)
        <= Interview.duration_minutes + 60 * THANK_YOU_HOURS)
    interviews, interview_students, thanked, thanking_students = session.exec(_per_group(
        [], Interview.owner_id, [None, thanked_in_time], *_held_in(filters),
        population=filters)).one()

    if is_small(interview_students):
        thank_share = per_interview = SUPPRESSED
    else:
        thank_share = _share(thanked, interviews, thanking_students)
        per_interview = (WITHHELD if is_small(referring_students)
                         else f"{referrals / interviews:.1f}" if interviews else NOT_APPLICABLE)
    headline = [
        {"key": "active_students", "label": "Active students", "value": suppressed(active),
         "hint": "Students who started an exploration, added a contact, logged outreach, "
                 "held an interview or finished a follow-up in the period."},
        {"key": "explorations_started", "label": "Explorations started",
         "value": suppressed(started[0], started[1]),
         "hint": "Career fields students began exploring in the period."},
        {"key": "interviews_held", "label": "Interviews held",
         "value": suppressed(interviews, interview_students),
         "hint": "Informational interviews that took place in the period."},
        {"key": "thank_you_48h", "label": "Thank-you notes within 48 hours",
         "value": thank_share,
         "hint": "Share of those interviews whose thank-you note was marked sent within "
                 f"{THANK_YOU_HOURS} hours of the interview's end."},
        {"key": "referrals_per_interview", "label": "Referrals per interview",
         "value": per_interview,
         "hint": f"New contacts referred by someone, per interview held (goal: "
                 f"{REFERRALS_GOAL})."},
    ]
    return headline, population


# --- Charts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cohort:
    """The explorations started in the period by the population, counted in one statement.
    ``counts``: the cohort, the explorations that reached each step, then those with both
    dates of each interval between milestones, each (count, students) flattened into one
    row. ``spread``: per interval, (days, explorations taking that long). ``fields``: per
    occupation major group (None for no occupation yet), (explorations, students)."""

    counts: Any
    spread: dict[int, list[tuple[int, int]]]
    fields: dict[str | None, tuple[int, int]]


def _cohort(session: Session, filters: DashboardFilters) -> _Cohort:
    """The cohort's figures for three charts and a headline figure, from one statement: each
    exploration's steps reached, milestone days and occupation group are worked out once, in
    a CTE that every part reads (its texts stay out of it)."""
    facts, journey_facts = journey.progress_subquery(
        _stamped_in(Exploration.created_at, filters), _owned(Exploration, filters))
    milestones = ((facts.c.created_at, True), (facts.c.first_contact, True),
                  (facts.c.first_attempt, False), (facts.c.first_held, True),
                  (facts.c.first_thanked, True))
    cohort = (select(facts.c.owner_id, Occupation.major_group, *(
        type_coerce(condition, Boolean).label(f"reached{number}")
        for number, condition in enumerate(journey.reached(journey_facts), start=1)), *(
        day_number(column, timestamp=timestamp).label(f"day{i}")
        for i, (column, timestamp) in enumerate(milestones)))
        .select_from(facts)
        .join(Occupation, col(Occupation.code) == facts.c.occupation_code, isouter=True)
        .cte("cohort"))
    days = [cohort.c[f"day{i}"] for i in range(len(MILESTONES))]
    spans = list(pairwise(days))
    dated = [and_(earlier.is_not(None), later.is_not(None)) for earlier, later in spans]
    reached = [cohort.c[f"reached{number}"] for number in range(1, len(STEP_NAMES) + 1)]
    funnel = _per_group([], cohort.c.owner_id, [None, *reached, *dated],
                        select_from=cohort).subquery("funnel")
    intervals = union_all(*(
        select(literal(i).label("interval"),
               case((later < earlier, 0), else_=later - earlier).label("days"))
        .select_from(cohort).where(condition)
        for i, ((earlier, later), condition) in enumerate(zip(spans, dated, strict=True)))
    ).subquery("intervals")
    no_number, no_group = cast(null(), Integer), cast(null(), String)
    # The distribution and the fields as rows of one shape: (interval, group, count, n).
    spread_and_fields = union_all(
        select(intervals.c.interval, no_group, intervals.c.days, func.count())
        .group_by(intervals.c.interval, intervals.c.days),
        select(no_number, *_per_group([cohort.c.major_group], cohort.c.owner_id, [None],
                                      select_from=cohort).subquery("fields").c),
    ).subquery("parts")
    found = session.exec(select(funnel, *spread_and_fields.c).select_from(funnel)
                         .join(spread_and_fields, true(), isouter=True)).all()
    width = len(funnel.c)
    spread: dict[int, list[tuple[int, int]]] = {}
    fields: dict[str | None, tuple[int, int]] = {}
    for row in found:
        interval, group, count, n = row[width:]
        if interval is not None:
            spread.setdefault(interval, []).append((count, n))
        elif count is not None:
            fields[group] = (count, n)
    return _Cohort(found[0][:width], spread, fields)


def _funnel(row: Any) -> dict[str, Any]:
    total, total_students = row[0], row[1]
    rows, data = [], []
    for number, name in enumerate(STEP_NAMES, start=1):
        count, students = row[2 * number], row[2 * number + 1]
        label = f"{number}. {name}"
        share = _share(count, total, students, total_students)
        rows.append({"step": label, "explorations": suppressed(count, students),
                     "share": share})
        data.append({"step": label, "explorations": _plotted(count, students)})
    return _chart("funnel_steps", "Explorations started in the period, by the steps reached",
                  "bar", ("step", "Step"), [("explorations", "Explorations that reached it")],
                  [("share", "Share of explorations started")], rows, data)


STAGES = list(PipelineStage)


class _ContactFigures:
    """Every count about the contacts added in the period, from one scan of them: per
    stage reached, per source, and referred by someone; each with its
    students."""

    def __init__(self, session: Session, filters: DashboardFilters) -> None:
        rank = case({stage.value: position for position, stage in enumerate(STAGES)},
                    value=Contact.stage, else_=-1)
        self.measures = {
            **{("reached", stage): rank >= position for position, stage in enumerate(STAGES)},
            **{("source", source): Contact.source == source for source in SOURCE_LABELS},
            ("referred", None): col(Contact.referred_by_id).is_not(None),
        }
        row = session.exec(_per_group([], Contact.owner_id, list(self.measures.values()),
                                      _stamped_in(Contact.created_at, filters),
                                      population=filters)).one()
        self.counts = {key: (row[2 * i], row[2 * i + 1]) for i, key in enumerate(self.measures)}

    def __getitem__(self, key: tuple[str, Any]) -> tuple[int, int]:
        """(count, students) of a measure."""
        return self.counts[key]


def _contact_stages(figures: _ContactFigures) -> dict[str, Any]:
    rows, data = [], []
    previous: tuple[int, int] | None = None
    for stage in STAGES:
        reached, reached_students = figures["reached", stage]
        label = STAGE_LABELS[stage]
        conversion = NOT_APPLICABLE
        if previous is not None:
            conversion = _share(reached, previous[0], reached_students, previous[1])
        # No "at this stage now" column: it is the difference of two rows, so it would give
        # away a hidden one.
        rows.append({"stage": label, "contacts": suppressed(reached, reached_students),
                     "conversion": conversion})
        data.append({"stage": label, "contacts": _plotted(reached, reached_students)})
        previous = (reached, reached_students)
    return _chart("contact_stages", "Contacts added in the period, by the stage reached",
                  "bar", ("stage", "Stage"), [("contacts", "Contacts that reached the stage")],
                  [("conversion", "Conversion from the previous stage")], rows, data)


def median_of_counts(counts: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many times it occurs): the middle one, or
    the mean of the middle two. None for no values."""
    total = sum(times for _, times in counts)
    middle = ((total + 1) // 2, (total + 2) // 2)  # ranks from 1; equal when total is odd
    seen, picked = 0, []
    for value, times in sorted(counts):
        picked += [value for rank in middle if seen < rank <= seen + times]
        seen += times
    return sum(picked) / 2 if total else None


def _median_days(cohort: Any, spread: dict[int, list[tuple[int, int]]]) -> dict[str, Any]:
    rows, data = [], []
    first = 2 * (1 + len(STEP_NAMES))  # the intervals' counts follow the cohort's and steps'
    for i in range(len(MILESTONES) - 1):
        count, students = cohort[first + 2 * i], cohort[first + 2 * i + 1]
        median = median_of_counts(spread.get(i, []))
        (step, since), (next_step, until) = MILESTONES[i], MILESTONES[i + 1]
        label = f"{step} to {next_step}"
        shown = None if median is None or is_small(students) else round(median, 1)
        rows.append({"interval": label, "from": since, "to": until,
                     "explorations": suppressed(count, students),
                     "median_days": (WITHHELD if is_small(students) else
                                     NOT_APPLICABLE if shown is None else f"{shown:g}")})
        data.append({"interval": label, "median_days": shown})
    return _chart("median_days", "Median days from each step to the next", "bar",
                  ("interval", "Steps"), [("median_days", "Median days")],
                  [("from", "From"), ("to", "To"), ("explorations", "Explorations")],
                  rows, data)


def _weeks(filters: DashboardFilters) -> list[tuple[date, date, date]]:
    """The period's weeks, Monday to Sunday: (Monday, first day, last day), the first and
    last weeks cut to the period."""
    monday = filters.start - timedelta(days=filters.start.weekday())
    weeks = []
    while monday <= filters.end:
        weeks.append((monday, max(monday, filters.start),
                      min(monday + timedelta(days=6), filters.end)))
        monday += timedelta(days=7)
    return weeks


def _weekly_activity(session: Session, filters: DashboardFilters) -> dict[str, Any]:
    """Interviews held and outreach attempts per week, each with its students. The weeks are
    a small table the statement joins each activity's rows to by date range, so each week
    is read straight from the date index."""
    weeks = _weeks(filters)
    week_table = sql_values(
        column("week", Date), column("first_day", Date), column("last_day", Date),
        column("first_instant", Interview.__table__.c.scheduled_at.type),
        column("after_instant", Interview.__table__.c.scheduled_at.type), name="weeks",
    ).data([(monday, first, last, *_period(replace(filters, start=first, end=last)))
            for monday, first, last in weeks]).cte("weeks")
    w = week_table.c
    population = _population(filters)
    held = (select(literal("interviews"), w.week, func.count(),
                   func.count(distinct(Interview.owner_id)))
            .select_from(week_table)
            .join(Interview, and_(col(Interview.scheduled_at) >= w.first_instant,
                                  col(Interview.scheduled_at) < w.after_instant))
            .where(unindexed(Interview.status) == InterviewStatus.COMPLETED,
                   unindexed(Interview.owner_id).in_(population))
            .group_by(w.week))
    attempted = (select(literal("outreach"), w.week, func.count(),
                        func.count(distinct(OutreachAttempt.owner_id)))
                 .select_from(week_table)
                 .join(OutreachAttempt, and_(col(OutreachAttempt.attempted_on) >= w.first_day,
                                             col(OutreachAttempt.attempted_on) <= w.last_day))
                 .where(unindexed(OutreachAttempt.owner_id).in_(population))
                 .group_by(w.week))
    found = {(row[0], row[1]): (row[2], row[3])
             for row in session.exec(union_all(held, attempted))}
    rows, data = [], []
    for monday, _, _ in weeks:
        row, point = {"week": monday.isoformat()}, {"week": monday.isoformat()}
        for kind in ("interviews", "outreach"):
            count, students = found.get((kind, monday), (0, 0))
            row[kind] = suppressed(count, students)
            point[kind] = _plotted(count, students)
        rows.append(row)
        data.append(point)
    return _chart("weekly_activity", "Interviews held and outreach attempts per week", "line",
                  ("week", "Week of (Monday)"),
                  [("interviews", "Interviews held"), ("outreach", "Outreach attempts")],
                  [], rows, data)


def _grouped_rows(found: list[tuple[str, int, int]], x: str, value: str
                  ) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Table rows and chart points of (label, count, students) groups that partition a whole,
    with each group's share of it. The whole can be worked out (from any share, or elsewhere
    on the page), so when exactly one group is small the next smallest is withheld with it:
    otherwise the small one would be the whole minus the rest."""
    total = sum(count for _, count, _ in found)
    small = [i for i, (_, _, students) in enumerate(found) if is_small(students)]
    withheld = set()
    if len(small) == 1:
        shown = [i for i, (_, count, students) in enumerate(found)
                 if count and not is_small(students)]
        withheld = {min(shown, key=lambda i: found[i][1])} if shown else set()
    rows, data = [], []
    for index, (label, count, students) in enumerate(found):
        if index in withheld:
            rows.append({x: label, value: WITHHELD, "share": WITHHELD})
            data.append({x: label, value: None})
            continue
        rows.append({x: label, value: suppressed(count, students),
                     "share": _share(count, total, students)})
        data.append({x: label, value: _plotted(count, students)})
    return rows, data


def _contact_sources(figures: _ContactFigures) -> dict[str, Any]:
    found = [(label, *figures["source", source]) for source, label in SOURCE_LABELS.items()]
    rows, data = _grouped_rows(found, "source", "contacts")
    return _chart("contact_sources", "Where contacts added in the period came from", "bar",
                  ("source", "Source"), [("contacts", "Contacts")],
                  [("share", "Share of contacts")], rows, data)


def _fields(counts: dict[str | None, tuple[int, int]]) -> dict[str, Any]:
    found = [(f"{code} {SOC_MAJOR_GROUPS.get(code, 'Other')}"
              if code is not None else NO_OCCUPATION, count, students)
             for code, (count, students) in sorted(
                 counts.items(), key=lambda item: (item[0] is None, item[0] or ""))]
    rows, data = _grouped_rows(found, "group", "explorations")
    return _chart("fields", "Fields explored, by occupation group (explorations started in "
                  "the period)", "bar", ("group", "Occupation group"),
                  [("explorations", "Explorations")], [("share", "Share of explorations")],
                  rows, data)


def dashboard(session: Session, filters: DashboardFilters) -> dict[str, Any]:
    """Every figure of the staff dashboard for the filters (see the module docstring)."""
    contacts = _ContactFigures(session, filters)
    cohort = _cohort(session, filters)
    headline, students = _headline(session, filters, (cohort.counts[0], cohort.counts[1]),
                                   contacts["referred", None])
    charts = [_funnel(cohort.counts), _contact_stages(contacts),
              _median_days(cohort.counts, cohort.spread), _weekly_activity(session, filters),
              _contact_sources(contacts), _fields(cohort.fields)]
    return {"headline": headline, "charts": charts,
            "students": -1 if is_small(students) else students, "note": NOTE}


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
    facts, values = journey.progress_subquery(col(Exploration.owner_id).in_(select(page.c.id)))
    furthest = case(*((condition, number) for number, condition
                      in reversed(list(enumerate(journey.reached(values), start=1)))), else_=0)
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

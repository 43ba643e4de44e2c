"""What the dashboard counts, and the counting: each family of measures (interviews, outreach,
active students, contacts, the cohort of explorations, fields, registered students) counted
in SQL per week, major and graduation year, each such cell rounded on its own
(services/staff/suppression.py), then added up over majors and graduation years."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    Boolean,
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
    AuditEvent,
    AuditKind,
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
    ReminderDigest,
    User,
)
from infoview_app.services.core.sql_dialects import day_number, minutes_between, unindexed
from infoview_app.services.core.wording import SOURCE_LABELS, STEP_NAMES
from infoview_app.services.follow_up.due_dates import THANK_YOU_HOURS
from infoview_app.services.journey import step_progress
from infoview_app.services.staff import suppression
from infoview_app.services.staff.dashboard.filters import DashboardFilters
from infoview_app.services.staff.dashboard.scope import Weeks, population, students

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


def _count_if(condition: Any) -> Any:
    # PostgreSQL sums integers as bigint (and bigints as numeric): cast back to integer.
    return cast(func.coalesce(func.sum(case((condition, 1), else_=0)), 0), Integer)


# A family of measures: its name, or ("days", i) for the days from milestone i to the next.
Family = str | tuple[str, int]
Cell = tuple[Family, str | None, int | None, date | None]  # (family, major, year, week)


class Cells:
    """The rounded cells of one dashboard, added up over majors and graduation years: for
    each family of measures, its rounded counts per week (None for registered students)."""

    def __init__(self, rounder: suppression.CellRounder) -> None:
        self.rounder = rounder
        self.exact: dict[Cell, list[int]] = {}
        self.weekly: dict[Family, dict[date | None, list[int]]] = defaultdict(dict)

    def add(self, family: Family, rows: Iterable[Any], start: int = 3) -> None:
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

    def week(self, family: Family, monday: date | None) -> list[int]:
        return self.weekly[family].get(monday, [0] * _width(family))

    def total(self, family: Family) -> list[int]:
        """The family's rounded counts over the whole period."""
        sums = [0] * _width(family)
        for counts in self.weekly[family].values():
            for i, value in enumerate(counts):
                sums[i] += value
        return sums


THANKED_IN_TIME = exists().where(
    col(FollowUpTask.interview_id) == Interview.id,
    col(FollowUpTask.kind) == FollowUpKind.THANK_YOU_NOTE,
    col(FollowUpTask.status) == FollowUpStatus.DONE,
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
# Reminder digests emailed, and students who turned them off (the link or the account page).
MAIL = "mail"
# How many counts each family of cells has: interviews held and thanked in time; the contact
# measures; explorations started and reaching each step; per occupation group; per bucket of
# days. A total has cells of its own (the explorations started, the contacts identified),
# fewer and larger than its parts', so it is closer to the exact count than their sum.
_WIDTHS = {INTERVIEWS: 2, CONTACTS: len(CONTACT_MEASURES), COHORT: 1 + len(STEP_NAMES),
           FIELDS: len(FIELD_CODES), "days": len(DAY_BUCKETS) + 1, MAIL: 2}


def _width(family: Family) -> int:
    return _WIDTHS.get(family[0] if isinstance(family, tuple) else family, 1)


def _activity(session: Session, filters: DashboardFilters, cells: Cells) -> None:
    """Per week, major and graduation year: the contacts added (by source, by stage reached,
    referred by someone), and from one pass over every kind of activity, the students active,
    interviews held (and those thanked in time) and outreach attempts. Each statement reads
    its sources' rows of the period straight from their date indexes, a week at a time, and
    looks each row's student up by id."""
    weeks = Weeks(filters)
    # The filters' students, checked on the student found by id: SQLite must not start from
    # the students (by an index on role or major) and read each one's rows of all time.
    selected = [unindexed(condition) for condition in students(filters)]

    def in_weeks(model: Any, stamp: Any, *columns: Any, timestamp: bool = True) -> Any:
        return (select(weeks.week, *columns).select_from(weeks.table)
                .join(model, weeks.holds(stamp, timestamp=timestamp)))

    contacts = (in_weeks(Contact, Contact.created_at, User.major, User.graduation_year,
                         *(_count_if(measure) for measure in CONTACT_MEASURES))
                .join(User, col(User.id) == Contact.owner_id).where(*selected)
                .group_by(weeks.week, User.major, User.graduation_year))
    cells.add(CONTACTS, session.connection().execute(contacts))

    # Every activity row: (week, student, interview held, thanked in time, outreach attempt).
    zero, one = literal(0), literal(1)
    rows = union_all(*(in_weeks(model, stamp, col(model.owner_id).label("owner"), *(
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
        .where(*selected)
        .group_by(per_student.c.week, col(User.major), col(User.graduation_year))).all()
    _spread(cells, found, (ACTIVE, INTERVIEWS, OUTREACH))


def _spread(cells: Cells, found: Sequence[Sequence[Any]], families: Iterable[Family]) -> None:
    """Rows of (week, major, graduation year, counts...) holding several families' counts
    side by side, in the order of ``families``, added to each family's cells."""
    start = 3
    for family in families:
        cells.add(family, found, start)
        start += _width(family)


def _day_bucket(days: Any) -> Any:
    return case(*((days <= upper, index) for index, upper in enumerate(DAY_BUCKETS)),
                else_=len(DAY_BUCKETS))


def _cohort(session: Session, filters: DashboardFilters, cells: Cells) -> None:
    """The explorations started in the period, per week, major and graduation year: how many
    reached each step, how many by occupation group, and how many took each bucket of days
    between milestones, as one row per week and group. Each exploration's steps, occupation
    group and buckets of days are worked out once, in two CTEs (its texts stay out of
    them)."""
    weeks = Weeks(filters)
    # No condition on the period here: the weeks' own ranges select the explorations, one
    # week at a time from the date index.
    facts, journey_facts = step_progress.progress_subquery(
        unindexed(col(Exploration.owner_id)).in_(population(filters)))
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


def _mail(session: Session, filters: DashboardFilters, cells: Cells) -> None:
    """Per week, major and graduation year: reminder digests sent (``ReminderDigest.sent_at``)
    and switches to no reminders (the audit log's ``REMINDERS_OFF`` events), in one
    statement, each source read by its date index."""
    weeks = Weeks(filters)
    selected = [unindexed(condition) for condition in students(filters)]
    zero, one = literal(0), literal(1)
    rows = union_all(
        select(weeks.week, col(ReminderDigest.user_id).label("owner"), one.label("sent"),
               zero.label("off")).select_from(weeks.table)
        .join(ReminderDigest, weeks.holds(ReminderDigest.sent_at)),
        select(weeks.week, col(AuditEvent.target_id).label("owner"), zero.label("sent"),
               one.label("off")).select_from(weeks.table)
        .join(AuditEvent, weeks.holds(AuditEvent.created_at))
        .where(unindexed(AuditEvent.kind) == AuditKind.REMINDERS_OFF)).subquery("mail")
    found = session.connection().execute(
        select(rows.c.week, User.major, User.graduation_year,
               *(cast(func.sum(rows.c[name]), Integer) for name in ("sent", "off")))
        .select_from(rows).join(User, col(User.id) == rows.c.owner).where(*selected)
        .group_by(rows.c.week, col(User.major), col(User.graduation_year))).all()
    cells.add(MAIL, found)


def _registered(session: Session, filters: DashboardFilters, cells: Cells) -> bool:
    """Registered students per major and graduation year (whatever the dates). Returns
    whether there is any."""
    rows = session.connection().execute(
        select(User.major, User.graduation_year, func.count()).where(*students(filters))
        .group_by(col(User.major), col(User.graduation_year))).all()
    cells.add(REGISTERED, ((None, major, year, n) for major, year, n in rows))
    return bool(rows)



def count(session: Session, filters: DashboardFilters) -> tuple[Cells, bool]:
    """Every cell of the dashboard for the filters, rounded and added up; and whether the
    filters select any registered student at all."""
    cells = Cells(suppression.CellRounder(suppression.rounding_key(session)))
    has_students = _registered(session, filters, cells)
    _activity(session, filters, cells)
    _cohort(session, filters, cells)
    _mail(session, filters, cells)
    cells.round()
    return cells, has_students

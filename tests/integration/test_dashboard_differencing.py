"""Issue 10 (g): an automated attacker against the staff dashboard's small-group protection.

On a synthetic campus with planted small groups (students of a major and class year of their
own, each holding an interview on a day of their own), the attacker asks for the dashboard as
staff can (the same service calls as the page, its CSV downloads included) for every pair of
filter settings the menus offer ('all', each major, each graduation year, both), over periods
that differ by a day and by adjacent weeks. It reads every count of the headline and of the
charts and reasons the way the dashboard's own note allows it to:

- no rounding announced: a number is exact, "<k" is 1 or more (1 to k-1 for a count of
  students), "withheld" says nothing;
- "rounded to a multiple of b" announced (docs/privacy.md): a multiple of b over n cells
  (major x graduation year x week) is within (b-1)*n of the truth, and anything else is taken
  as exact (a figure that escaped the rounding);

then derives what differencing gives: A minus B for every pair of figures whose scopes are
nested in one dimension (periods, filters, categories such as a source or a step), a total
minus the sum of its visible parts (a week hidden among the rest, a major among the others, a
source among the sources), each derived range intersected with everything else known about
the same scope, twice over. It fails if any scope's range narrows to one value from 1 to k-1.
Every range is also checked to hold the true count, so the attacker's reasoning is sound.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from infoview_app import db
from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    Interview,
    InterviewStatus,
    Occupation,
    OutreachAttempt,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
    Role,
    User,
)
from infoview_app.services.core.wording import SOURCE_LABELS, STAGE_LABELS, STEP_NAMES
from infoview_app.services.demo import synthetic_campus
from infoview_app.services.journey import step_progress
from infoview_app.services.staff import institution
from infoview_app.services.staff.dashboard.cells import (
    NO_OCCUPATION,
    SOC_MAJOR_GROUPS,
)
from infoview_app.services.staff.dashboard.charts import chart_csv
from infoview_app.services.staff.dashboard.filters import filter_options, parse_filters
from infoview_app.services.staff.dashboard.page import dashboard
from tests.factories import BY

TODAY = date(2026, 6, 30)
INF = 10**9
# Planted small groups: (major, graduation year, [days the students hold an interview]).
PLANTED = [("Astronomy", 2030, [date(2026, 6, 16), date(2026, 6, 18), date(2026, 6, 18)]),
           ("Geology", 2031, [date(2026, 6, 24)])]
# Periods differing by a day at either end, and by adjacent weeks.
PERIODS = [(date(2026, 6, 15), date(2026, 6, 21)), (date(2026, 6, 16), date(2026, 6, 21)),
           (date(2026, 6, 17), date(2026, 6, 21)), (date(2026, 6, 15), date(2026, 6, 16)),
           (date(2026, 6, 15), date(2026, 6, 17)), (date(2026, 6, 8), date(2026, 6, 21)),
           (date(2026, 6, 15), date(2026, 6, 28))]
SIZE = synthetic_campus.CampusSize(students=60, explorations=180, contacts=600, interviews=240,
                                   outreach_attempts=1200)
STAGES = list(PipelineStage)
SOURCE_OF_LABEL = {label: source.value for source, label in SOURCE_LABELS.items()}
STAGE_OF_LABEL = {label: STAGES.index(stage) for stage, label in STAGE_LABELS.items()}

# A scope: (kind of row counted, categories, groups of students, days), each part a frozenset.
# Groups are (major, graduation year), None standing for "none given".
Scope = tuple[str, frozenset[Any], frozenset[tuple[str | None, int | None]], frozenset[date]]
NO_DAYS: frozenset[date] = frozenset()


def _at(day: date, hour: int = 14) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _plant(session: Session) -> None:
    """Each planted student: an exploration and a contact on the Monday of the week before,
    an email the day before, and the interview held on their day."""
    for major, year, days in PLANTED:
        for number, day in enumerate(days):
            email = f"{major.lower()}{number}@planted.example.edu"
            user = User(email=email, email_key=email, name=f"{major} {number}",
                        role=Role.STUDENT, password_hash="x", major=major, graduation_year=year)
            session.add(user)
            session.flush()
            monday = day - timedelta(days=day.weekday() + 7)
            exploration = Exploration(owner_id=user.id, field_name="Sky", pitch="",
                                      created_at=_at(monday), updated_at=_at(monday))
            session.add(exploration)
            session.flush()
            contact = Contact(owner_id=user.id, exploration_id=exploration.id, name="Dr Star",
                              source=ContactSource.FACULTY, stage=PipelineStage.INTERVIEWED,
                              created_at=_at(monday))
            session.add(contact)
            session.flush()
            session.add(OutreachAttempt(owner_id=user.id, contact_id=contact.id,
                                        channel=OutreachChannel.EMAIL,
                                        outcome=OutreachOutcome.SCHEDULED,
                                        attempted_on=day - timedelta(days=1),
                                        created_at=_at(day - timedelta(days=1))))
            session.add(Interview(owner_id=user.id, contact_id=contact.id,
                                  exploration_id=exploration.id, scheduled_at=_at(day),
                                  status=InterviewStatus.COMPLETED))
    session.commit()


@pytest.fixture
def campus(sqlite_url: str) -> Iterator[Session]:
    with Session(db.engine_for(sqlite_url), expire_on_commit=False) as session:
        synthetic_campus.insert_campus(session, synthetic_campus.campus_rows(
            SIZE, synthetic_campus.catalogue(session, TODAY), seed=11))
        _plant(session)
        yield session


# --- What is true (to check the attacker's reasoning, never shown to it) -------------------

def _group(major: str | None, year: int | None) -> tuple[str | None, int | None]:
    return (major or None, year)


class Truth:
    """The counts behind every scope, from the rows."""

    def __init__(self, session: Session) -> None:
        students = {u.id: _group(u.major, u.graduation_year) for u in session.exec(
            select(User).where(User.role == Role.STUDENT, col(User.is_active).is_(True)))}
        fields = dict(session.exec(select(Occupation.code, Occupation.major_group)).all())
        facts, values = step_progress.facts_subquery(Exploration.id > 0)
        reached = step_progress.reached(values)
        self.rows: dict[str, Counter[tuple[Any, Any, date | None]]] = defaultdict(Counter)
        for row in session.exec(select(facts.c.owner_id, facts.c.created_at,
                                       facts.c.occupation_code, *reached)):
            mask = sum(1 << step for step, done in enumerate(row[3:]) if done)
            self._count("explorations", (mask, fields.get(row[2])), students.get(row[0]),
                        row[1].date())
        for contact in session.exec(select(Contact)):
            self._count("contacts", (contact.source, STAGES.index(contact.stage)),
                        students.get(contact.owner_id), contact.created_at.date())
        for interview in session.exec(select(Interview).where(
                Interview.status == InterviewStatus.COMPLETED)):
            self._count("interviews", "held", students.get(interview.owner_id),
                        interview.scheduled_at.date())
        for attempt in session.exec(select(OutreachAttempt)):
            self._count("outreach", "attempt", students.get(attempt.owner_id),
                        attempt.attempted_on)
        for group in students.values():
            self._count("registered", "student", group, None)

    def _count(self, kind: str, category: Any, group: Any, day: date | None) -> None:
        if group is not None:  # not an active student: counted nowhere
            self.rows[kind][category, group, day] += 1

    def __call__(self, scope: Scope) -> int:
        kind, categories, groups, days = scope
        return sum(n for (category, group, day), n in self.rows[kind].items()
                   if category in categories and group in groups
                   and (day is None or day in days))


# --- The attacker ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Scheme:
    """What the dashboard's note says about its figures."""

    k: int
    base: int | None  # None: counts are exact

    @classmethod
    def read(cls, note: str) -> "Scheme":
        k = int(re.search(r"<(\d+)", note).group(1))  # type: ignore[union-attr]
        base = re.search(r"multiple of (\d+)", note)
        return cls(k, int(base.group(1)) if base else None)

    def interval(self, text: str, cells: int, students: bool) -> tuple[int, int] | None:
        """The true count's range given a shown count over ``cells`` cells."""
        text = text.replace(",", "")
        if text.startswith("<"):
            if self.base:
                return 0, self.k - 1 + (self.base - 1) * cells
            return 1, (self.k - 1 if students else INF)
        if not text.isdigit():
            return None  # withheld, n/a
        value = int(text)
        if self.base and value % self.base == 0:
            slack = (self.base - 1) * cells
            return max(0, value - slack), value + slack
        return value, value


class Attacker:
    def __init__(self, session: Session) -> None:
        self.session = session
        options = filter_options(session)
        self.majors = [None, *options["majors"]]
        self.years = [None, *options["graduation_years"]]
        self.universe = frozenset((m, y) for m in self.majors for y in self.years)
        self.field_codes = frozenset([None, *SOC_MAJOR_GROUPS])
        masks = range(1 << len(STEP_NAMES))
        self.all_explorations = frozenset((m, f) for m in masks for f in self.field_codes)
        self.all_contacts = frozenset((s.value, r) for s in ContactSource
                                      for r in range(len(STAGES)))
        self.steps = [frozenset(c for c in self.all_explorations if c[0] >> step & 1)
                      for step in range(len(STEP_NAMES))]
        self.fields = {code: frozenset(c for c in self.all_explorations if c[1] == code)
                       for code in self.field_codes}
        self.stages = [frozenset(c for c in self.all_contacts if c[1] >= rank)
                       for rank in range(len(STAGES))]
        self.sources = {s.value: frozenset(c for c in self.all_contacts if c[0] == s.value)
                        for s in ContactSource}
        self.seen: list[tuple[Scope, tuple[int, int]]] = []
        self.scheme: Scheme | None = None

    def groups(self, major: str | None, year: int | None) -> frozenset[Any]:
        return frozenset((m, y) for m, y in self.universe
                         if major in (None, m) and year in (None, y))

    def _see(self, scope: Scope, text: str, students: bool = False) -> None:
        assert self.scheme is not None
        weeks = {day - timedelta(days=day.weekday()) for day in scope[3]}
        cells = len(scope[2]) * max(1, len(weeks))
        found = self.scheme.interval(text, cells, students)
        if found is not None:
            self.seen.append((scope, found))

    def look(self, major: str | None, year: int | None, start: date, end: date) -> None:
        """One dashboard, as staff get it, read figure by figure (charts from their CSVs)."""
        form = {"start": start.isoformat(), "end": end.isoformat(), "major": major or "",
                "graduation_year": str(year or "")}
        filters = parse_filters(form, UTC)
        data = dashboard(self.session, filters)
        self.scheme = Scheme.read(data["note"])
        groups = self.groups(major, year)
        days = frozenset(filters.start + timedelta(days=n)
                         for n in range((filters.end - filters.start).days + 1))
        students = data["students"]
        if isinstance(students, int):  # before issue 10: -1 for a small group
            students = "<5" if students < 0 else str(students)
        self._see(("registered", frozenset(["student"]), groups, NO_DAYS), students, True)
        headline = {figure["key"]: figure["value"] for figure in data["headline"]}
        self._see(("explorations", self.all_explorations, groups, days),
                  headline["explorations_started"])
        self._see(("interviews", frozenset(["held"]), groups, days), headline["interviews_held"])
        for chart in data["charts"]:
            lines = list(csv.reader(io.StringIO(chart_csv(chart, data["note"]))))
            keys = [column["key"] for column in chart["columns"]]
            assert lines[0] == [column["label"] for column in chart["columns"]]
            assert lines[-2:] == [[], [data["note"]]]
            for line in lines[1:-2]:
                self._chart_row(chart["key"], dict(zip(keys, line, strict=True)), groups, days)

    def _chart_row(self, chart: str, row: dict[str, str], groups: frozenset[Any],
                   days: frozenset[date]) -> None:
        if chart == "funnel_steps":
            step = int(row["step"].split(".")[0]) - 1
            self._see(("explorations", self.steps[step], groups, days), row["explorations"])
        elif chart == "fields":
            code = (None if row["group"] == NO_OCCUPATION
                    else row["group"].split()[0])
            self._see(("explorations", self.fields[code], groups, days), row["explorations"])
        elif chart == "contact_stages":
            self._see(("contacts", self.stages[STAGE_OF_LABEL[row["stage"]]], groups, days),
                      row["contacts"])
        elif chart == "contact_sources":
            self._see(("contacts", self.sources[SOURCE_OF_LABEL[row["source"]]], groups, days),
                      row["contacts"])
        elif chart == "weekly_activity":
            monday = datetime.strptime(row["week"], "%a %d %b %Y").date()  # "Mon 1 Jun 2026"
            week = frozenset(d for d in days if monday <= d < monday + timedelta(days=7))
            self._see(("interviews", frozenset(["held"]), groups, week), row["interviews"])
            self._see(("outreach", frozenset(["attempt"]), groups, week), row["outreach"])

    # --- Reasoning ---------------------------------------------------------------------------

    def derive(self) -> dict[Scope, tuple[int, int]]:
        """Every range the attacker can work out: what was shown, then differences and
        totals minus parts along each dimension, twice over (the second time with what the
        first narrowed)."""
        known: dict[Scope, tuple[int, int]] = {}
        for scope, found in self.seen:
            _narrow(known, scope, found)
        shown = list(known)
        for _ in range(2):
            for dim in (1, 2, 3):
                self._difference(known, shown, dim)
        return known

    @staticmethod
    def _difference(known: dict[Scope, tuple[int, int]], shown: list[Scope], dim: int) -> None:
        """Along dimension ``dim`` of the scopes shown: A minus B for every B inside A, and A
        minus the sum of disjoint parts inside it (smallest first), for what is left over and
        for each part from the others."""
        buckets: dict[tuple[Any, ...], list[frozenset[Any]]] = defaultdict(list)
        for scope in shown:
            buckets[scope[:dim] + scope[dim + 1:]].append(scope[dim])
        values = {value for bucket in buckets.values() for value in bucket}
        inside = {outer: sorted((inner for inner in values if inner < outer), key=len)
                  for outer in values}

        def scope_of(rest: tuple[Any, ...], value: frozenset[Any]) -> Scope:
            return (*rest[:dim], value, *rest[dim:])  # type: ignore[return-value]

        for rest, present in buckets.items():
            here = set(present)
            for outer in present:
                lo, hi = known[scope_of(rest, outer)]
                parts: list[tuple[frozenset[Any], tuple[int, int]]] = []
                covered: frozenset[Any] = frozenset()
                for inner in inside[outer]:
                    if inner not in here:
                        continue
                    part = known[scope_of(rest, inner)]
                    _narrow(known, scope_of(rest, outer - inner),
                            (max(0, lo - part[1]), hi - part[0]))
                    if not inner & covered:
                        parts.append((inner, part))
                        covered |= inner
                left = outer - covered
                if not parts or (not left and len(parts) < 2):
                    continue
                if left:
                    parts.append((left, known.get(scope_of(rest, left), (0, INF))))
                for index, (value, _) in enumerate(parts):
                    others = [found for n, (_, found) in enumerate(parts) if n != index]
                    if all(h < INF for _, h in others):
                        _narrow(known, scope_of(rest, value),
                                (max(0, lo - sum(h for _, h in others)),
                                 hi - sum(low for low, _ in others)))


def _narrow(known: dict[Scope, tuple[int, int]], scope: Scope, found: tuple[int, int]) -> None:
    lo, hi = known.get(scope, (0, INF))
    known[scope] = (max(lo, found[0]), min(hi, found[1]))


def _attack(session: Session, periods: list[tuple[date, date]]
            ) -> tuple[Attacker, dict[Scope, tuple[int, int]]]:
    attacker = Attacker(session)
    for major in attacker.majors:
        for year in attacker.years:
            for start, end in periods:
                attacker.look(major, year, start, end)
    return attacker, attacker.derive()


def _describe(scope: Scope, attacker: Attacker) -> str:
    kind, categories, groups, days = scope
    who = ("everyone" if groups == attacker.universe else
           f"{len(groups)} group(s) such as {sorted(groups, key=str)[:2]}")
    when = f"{min(days)}..{max(days)} ({len(days)} days)" if days else "all time"
    what = "all" if len(categories) > 40 else f"{len(categories)} categories"
    return f"{kind} [{what}] of {who}, {when}"


def _assert_nothing_small_is_derived(session: Session, k: int,
                                     periods: list[tuple[date, date]]) -> Attacker:
    attacker, known = _attack(session, periods)
    assert attacker.scheme is not None and attacker.scheme.k == k
    truth = Truth(session)
    derived = [(scope, lo) for scope, (lo, hi) in known.items() if lo == hi and 0 < lo < k]
    # Sound reasoning: every range holds the truth (checked where it is narrow).
    for scope, (lo, hi) in known.items():
        if hi - lo <= 2 * k:
            assert lo <= truth(scope) <= hi, _describe(scope, attacker)
    assert not derived, f"{len(derived)} exact small counts derived, e.g. " + "; ".join(
        f"{_describe(scope, attacker)} = {value}" for scope, value in derived[:5])
    return attacker


# --- Tests ----------------------------------------------------------------------------------

def test_differencing_derives_no_small_count(campus: Session) -> None:
    attacker = _assert_nothing_small_is_derived(campus, 5, PERIODS)
    # The attack had something to work on: the planted groups and many figures.
    assert ("Astronomy", 2030) in attacker.universe and len(attacker.seen) > 10_000


def test_differencing_derives_no_count_under_a_minimum_of_ten(campus: Session) -> None:
    institution.save_institution(campus, {**institution.get_institution(campus).as_dict(),
                                          "min_group_size": "10"}, by=BY)
    # Fewer periods (the test is long): a day off at the start, adjacent weeks.
    attacker = _assert_nothing_small_is_derived(campus, 10, PERIODS[:3] + PERIODS[5:])
    shown = {scope[1:]: found for scope, found in attacker.seen if scope[0] == "registered"}
    planted = attacker.groups("Astronomy", 2030)
    assert shown[frozenset(["student"]), planted, NO_DAYS][0] == 0  # "<10"

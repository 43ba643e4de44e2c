"""The dashboard's figures from the rounded cells, as staff read them: the headline figures
and each chart's rows (display strings, "<N" where a count is small) and points (numbers,
None where withheld); shares and medians come from the rounded counts alone."""

from datetime import date
from typing import TypedDict

from infoview_app.services.core.wording import (
    SOURCE_LABELS,
    STAGE_LABELS,
    STEP_NAMES,
    date_label,
)
from infoview_app.services.follow_up.due_dates import THANK_YOU_HOURS
from infoview_app.services.staff import suppression
from infoview_app.services.staff.dashboard.cells import (
    ACTIVE,
    COHORT,
    CONTACTS,
    DAY_BUCKETS,
    FIELD_CODES,
    FIELDS,
    INTERVIEWS,
    MAIL,
    MILESTONES,
    NO_OCCUPATION,
    OTHER_OCCUPATIONS,
    OUTREACH,
    SOC_MAJOR_GROUPS,
    STAGES,
    Cells,
)
from infoview_app.services.staff.dashboard.charts import Chart, Point, chart

REFERRALS_GOAL = 2
WITHHELD = "withheld"
NOT_APPLICABLE = "n/a"


class Figure(TypedDict):
    """A headline figure: its value as shown, and a hint saying what it counts."""

    key: str
    label: str
    value: str
    hint: str


def note(k: int) -> str:
    """What the page and every CSV say about the figures."""
    return (f"Counts are rounded to a multiple of {suppression.BASE} (each major, graduation year "
            f"and week on its own, then added up), so a figure may differ from the exact "
            f"count by a few; counts under {k} show as {suppression.small(k)}, and shares and "
            "medians come from the rounded counts. Periods are whole weeks, Monday to "
            "Sunday.")


class Shown:
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


def headline(cells: Cells, shown: Shown, weeks: int) -> list[Figure]:
    active = cells.total(ACTIVE)[0]
    started = cells.total(COHORT)[0]
    held, thanked = cells.total(INTERVIEWS)
    referred = cells.total(CONTACTS)[-1]
    reminders_sent, reminders_off = cells.total(MAIL)
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
        {"key": "reminders_sent", "label": "Reminder emails sent",
         "value": shown.count(reminders_sent),
         "hint": "Digests of due follow-ups and next-day interviews emailed to students."},
        {"key": "reminder_unsubscribes", "label": "Reminder emails turned off",
         "value": shown.count(reminders_off),
         "hint": "Times students stopped the reminder emails, by the link in one or on "
                 "their account page."},
    ]


def funnel(cells: Cells, shown: Shown) -> Chart:
    total, *reached = cells.total(COHORT)
    rows, data = [], []
    for number, (name, count) in enumerate(zip(STEP_NAMES, reached, strict=True), start=1):
        label = f"{number}. {name}"
        rows.append({"step": label, "explorations": shown.count(count),
                     "share": shown.share(count, total)})
        data.append({"step": label, "explorations": shown.plotted(count)})
    return chart("funnel_steps", "Explorations started in the period, by the steps reached",
                  "bar", ("step", "Step"), [("explorations", "Explorations that reached it")],
                  [("share", "Share of explorations started")], rows, data)


def contact_stages(cells: Cells, shown: Shown) -> Chart:
    reached = cells.total(CONTACTS)[:len(STAGES)]
    rows, data = [], []
    for position, stage in enumerate(STAGES):
        label = STAGE_LABELS[stage]
        conversion = (NOT_APPLICABLE if position == 0
                      else shown.share(reached[position], reached[position - 1]))
        rows.append({"stage": label, "contacts": shown.count(reached[position]),
                     "conversion": conversion})
        data.append({"stage": label, "contacts": shown.plotted(reached[position])})
    return chart("contact_stages", "Contacts added in the period, by the stage reached",
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


def median_days(cells: Cells, shown: Shown) -> Chart:
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
    return chart("median_days", "Median days from each step to the next", "bar",
                  ("interval", "Steps"), [("median_days", "Median days")],
                  [("from", "From"), ("to", "To"), ("explorations", "Explorations")],
                  rows, data)


def weekly_activity(cells: Cells, shown: Shown, mondays: list[date]) -> Chart:
    rows, data = [], []
    for monday in mondays:
        # With its year: a report outlives the year, and a period may span two.
        week = date_label(monday, year=True)
        row: dict[str, str] = {"week": week}
        point: Point = {"week": week}
        for kind, family in (("interviews", INTERVIEWS), ("outreach", OUTREACH)):
            count = cells.week(family, monday)[0]
            row[kind] = shown.count(count)
            point[kind] = shown.plotted(count)
        rows.append(row)
        data.append(point)
    return chart("weekly_activity", "Interviews held and outreach attempts per week", "line",
                  ("week", "Week of (Monday)"),
                  [("interviews", "Interviews held"), ("outreach", "Outreach attempts")],
                  [], rows, data)


def _parts(found: list[tuple[str, int]], x: str, value: str, shown: Shown
           ) -> tuple[list[dict[str, str]], list[Point]]:
    """Rows and chart points of (label, rounded count) groups that partition a whole (the
    sum of their rounded counts), each with its share of it."""
    whole = sum(count for _, count in found)
    rows = [{x: label, value: shown.count(count), "share": shown.share(count, whole)}
            for label, count in found]
    return rows, [{x: label, value: shown.plotted(count)} for label, count in found]


def contact_sources(cells: Cells, shown: Shown) -> Chart:
    by_source = cells.total(CONTACTS)[len(STAGES):-1]
    rows, data = _parts(list(zip(SOURCE_LABELS.values(), by_source, strict=True)),
                        "source", "contacts", shown)
    return chart("contact_sources", "Where contacts added in the period came from", "bar",
                  ("source", "Source"), [("contacts", "Contacts")],
                  [("share", "Share of contacts")], rows, data)


def fields(cells: Cells, shown: Shown) -> Chart:
    found = [(NO_OCCUPATION if code is None else code if code == OTHER_OCCUPATIONS
              else f"{code} {SOC_MAJOR_GROUPS[code]}", count)
             for code, count in zip(FIELD_CODES, cells.total(FIELDS), strict=True) if count]
    rows, data = _parts(found, "group", "explorations", shown)
    return chart("fields", "Fields explored, by occupation group (explorations started in "
                  "the period)", "bar", ("group", "Occupation group"),
                  [("explorations", "Explorations")], [("share", "Share of explorations")],
                  rows, data)


"""Occupations: the O*NET importer, search by title and description, and one occupation.

The importer reads the O*NET database's text files (tab-separated, header row first) as the
O*NET Resource Center distributes them. Rows that fail validation are skipped and reported;
a missing file or column refuses the whole import. Everything is written in one transaction
with bulk statements, so an import is all-or-nothing and takes seconds, not minutes.
"""

import functools
import io
import operator
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypedDict, TypeVar

from sqlalchemy import ColumnElement, case, func, insert, or_, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, delete, select

from infoview_app.models import Occupation, OccupationTask
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.sql_dialects import LIKE_ESCAPE, escape_like
from infoview_app.services.core.transactions import transaction
from infoview_app.services.staff.institution import get_institution

# Shown wherever O*NET data is shown (the O*NET 27.0 licence, CC BY 4.0; see
# shared/data/onet-27.0/ABOUT.md). ONET_MODIFIED_NOTE goes with it where the data is trimmed
# or summarised, e.g. search results that show only a few of an occupation's tasks.
ONET_CREDIT = (
    "This site incorporates information from O*NET 27.0 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
    "license. O*NET® is a trademark of USDOL/ETA."
)
ONET_MODIFIED_NOTE = (
    "InfoView has modified all or some of this information. USDOL/ETA has not approved, "
    "endorsed, or tested these modifications."
)
ONET_SOURCE = "onet"

OCCUPATION_FILE = "Occupation Data.txt"
TASK_FILE = "Task Statements.txt"
CODE_COLUMN = "O*NET-SOC Code"
TITLE_COLUMN = "Title"
DESCRIPTION_COLUMN = "Description"
TASK_ID_COLUMN = "Task ID"
TASK_COLUMN = "Task"
TASK_TYPE_COLUMN = "Task Type"

TITLE_MAX = 150
TASK_TYPE_MAX = 20
TASK_ID_MAX = 2**31 - 1  # occupation_task.onet_task_id is a 32-bit INTEGER on PostgreSQL
NO_TASK_TYPE = "n/a"  # O*NET's value for tasks not rated Core or Supplemental
QUERY_MAX = 100
LIMIT_MAX = 100
TYPICAL_TASKS = 3

_CODE = re.compile(r"[0-9]{2}-[0-9]{4}\.[0-9]{2}")  # [0-9], not \d: no other scripts' digits
_TASK_ID = re.compile(r"[0-9]{1,10}")

# The import reads these as plain rows (SQLAlchemy's select on the session's connection:
# sqlmodel's select is typed for at most four columns).
_OCCUPATION_COLUMNS = (col(Occupation.code), col(Occupation.title), col(Occupation.description),
                       col(Occupation.major_group), col(Occupation.source))
_TASK_COLUMNS = (col(OccupationTask.id), col(OccupationTask.onet_task_id),
                 col(OccupationTask.occupation_code), col(OccupationTask.statement),
                 col(OccupationTask.task_type))
# Typical tasks first: O*NET's "Core" tasks, then the rest, each in file (insertion) order.
_TASK_ORDER = (case((col(OccupationTask.task_type) == "Core", 0), else_=1),
               col(OccupationTask.id))


class OccupationTaskView(TypedDict):
    statement: str
    task_type: str | None
    onet_task_id: int | None


class OccupationSummary(TypedDict):
    """A search result: the occupation and up to three typical task statements."""
    code: str
    title: str
    description: str
    major_group: str
    source: str
    tasks: list[str]


class OccupationDetail(TypedDict):
    """One occupation with all its tasks, typical ones first."""
    code: str
    title: str
    description: str
    major_group: str
    source: str
    tasks: list[OccupationTaskView]


class RowError(ValueError):
    """Why one row of an O*NET file is skipped."""


class SkippedRow(NamedTuple):
    file: str
    line: int
    reason: str


@dataclass
class ImportReport:
    occupations_added: int = 0
    occupations_updated: int = 0
    tasks_added: int = 0
    tasks_updated: int = 0
    starter_tasks_replaced: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)


@dataclass(frozen=True)
class OccupationRecord:
    code: str
    title: str
    description: str

    def values(self) -> dict[str, object]:
        """The ``occupation`` row it becomes."""
        return {"code": self.code, "title": self.title, "description": self.description,
                "major_group": self.code[:2], "source": ONET_SOURCE}


@dataclass(frozen=True)
class TaskRecord:
    task_id: int
    code: str
    statement: str
    task_type: str | None

    def values(self) -> dict[str, object]:
        """The ``occupation_task`` row it becomes."""
        return {"onet_task_id": self.task_id, "occupation_code": self.code,
                "statement": self.statement, "task_type": self.task_type}


# --- Parsing: pure functions, no database -------------------------------------------------

def parse_code(value: str) -> str:
    """An O*NET-SOC code, NN-NNNN.NN."""
    code = value.strip()
    if not _CODE.fullmatch(code):
        raise RowError(f"{CODE_COLUMN} {code!r} is not of the form NN-NNNN.NN")
    return code


def _text(value: str, column: str, max_length: int | None = None) -> str:
    text = value.strip()
    if not text:
        raise RowError(f"{column} is empty")
    try:
        check.storable(text, column)
    except InvalidInput:
        raise RowError(f"{column} contains characters that can't be saved") from None
    if max_length is not None and len(text) > max_length:
        raise RowError(f"{column} is longer than {max_length} characters")
    return text


def parse_task_id(value: str) -> int:
    digits = value.strip()
    task_id = int(digits) if _TASK_ID.fullmatch(digits) else 0
    if not 0 < task_id <= TASK_ID_MAX:
        raise RowError(f"{TASK_ID_COLUMN} {digits!r} is not a positive whole number "
                       f"up to {TASK_ID_MAX}")
    return task_id


def parse_task_type(value: str) -> str | None:
    """Core, Supplemental, or None when the file leaves it empty or says "n/a"."""
    text = value.strip()
    if text in ("", NO_TASK_TYPE):
        return None
    return _text(text, TASK_TYPE_COLUMN, TASK_TYPE_MAX)


def parse_occupation(fields: Mapping[str, str]) -> OccupationRecord:
    """One row of ``Occupation Data.txt``, by column name."""
    return OccupationRecord(code=parse_code(fields[CODE_COLUMN]),
                            title=_text(fields[TITLE_COLUMN], TITLE_COLUMN, TITLE_MAX),
                            description=_text(fields[DESCRIPTION_COLUMN], DESCRIPTION_COLUMN))


def parse_task(fields: Mapping[str, str]) -> TaskRecord:
    """One row of ``Task Statements.txt``, by column name (Task Type may be absent)."""
    return TaskRecord(task_id=parse_task_id(fields[TASK_ID_COLUMN]),
                      code=parse_code(fields[CODE_COLUMN]),
                      statement=_text(fields[TASK_COLUMN], TASK_COLUMN),
                      task_type=parse_task_type(fields.get(TASK_TYPE_COLUMN, "")))


def split_table(text: str, file: str, required: Sequence[str], optional: Sequence[str] = ()
                ) -> tuple[list[tuple[int, dict[str, str]]], list[SkippedRow]]:
    """Tab-separated text with a header row -> (line number, {column: value}) per data row.

    Columns are found by name (trimmed, case-insensitive), so their order does not matter;
    extra columns are kept. Rows with the wrong number of fields are skipped; blank lines are
    ignored. Raises InvalidInput when the header is missing or lacks a required column.
    """
    # StringIO with universal newlines splits on \n, \r\n and \r only (str.splitlines would
    # also split on form feeds and other separators that may sit inside a field).
    lines = (line.removesuffix("\n") for line in io.StringIO(text, newline=None))
    header = next(lines, "")
    if not text.strip():
        raise InvalidInput(f"{file} is empty: it needs a header row, then one row per line.",
                           "file")
    if not header.strip():
        raise InvalidInput(f"{file} has no header row: its first line is blank.", "file")
    names = [name.strip() for name in header.split("\t")]
    present = {name.casefold() for name in names}
    for column in required:
        if column.casefold() not in present:
            raise InvalidInput(f"{file} has no column {column!r} in its header row.", "file")
    # Each data row is keyed by the canonical (our) spelling of the columns we know.
    canonical = {name.casefold(): name for name in (*required, *optional)}
    keys = [canonical.get(name.casefold(), name) for name in names]
    rows: list[tuple[int, dict[str, str]]] = []
    skipped: list[SkippedRow] = []
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        values = line.split("\t")
        if len(values) != len(keys):
            skipped.append(SkippedRow(file, number, f"expected {len(keys)} tab-separated "
                                      f"columns, found {len(values)}"))
            continue
        rows.append((number, dict(zip(keys, values, strict=True))))
    return rows, skipped


R = TypeVar("R")
K = TypeVar("K", bound=Hashable)


def parse_rows(rows: Iterable[tuple[int, dict[str, str]]], file: str,
               parse: Callable[[Mapping[str, str]], R], key: Callable[[R], K], key_name: str,
               skipped: list[SkippedRow]) -> dict[K, tuple[int, R]]:
    """Parse each row into {key: (line number, record)}; invalid rows and repeated keys are
    appended to ``skipped`` instead."""
    records: dict[K, tuple[int, R]] = {}
    for number, fields in rows:
        try:
            record = parse(fields)
        except RowError as error:
            skipped.append(SkippedRow(file, number, str(error)))
            continue
        row_key = key(record)
        if row_key in records:
            skipped.append(SkippedRow(file, number, f"duplicate {key_name} {row_key} "
                                      f"(first on line {records[row_key][0]})"))
            continue
        records[row_key] = (number, record)
    return records


# --- Import ----------------------------------------------------------------------------

def _read_text(directory: Path, file: str) -> str:
    path = directory / file
    if not path.is_file():
        raise InvalidInput(f"{file} not found in {directory}.", "file")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")  # tolerates a byte order mark
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidInput(f"{file} is not UTF-8 text (line {line}).", "file") from None


def read_onet(directory: Path | str
              ) -> tuple[list[OccupationRecord], list[TaskRecord], list[SkippedRow]]:
    """Both files, validated: the occupations, the tasks of those occupations and the skipped
    rows (in file and line order). Reads everything before anything is written, so a refused
    file writes nothing."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidInput(f"{directory} is not a directory.", "directory")
    occupation_rows, skipped = split_table(
        _read_text(directory, OCCUPATION_FILE), OCCUPATION_FILE,
        (CODE_COLUMN, TITLE_COLUMN, DESCRIPTION_COLUMN))
    task_rows, task_skipped = split_table(
        _read_text(directory, TASK_FILE), TASK_FILE, (CODE_COLUMN, TASK_ID_COLUMN, TASK_COLUMN),
        optional=(TASK_TYPE_COLUMN,))
    skipped += task_skipped
    occupations = parse_rows(occupation_rows, OCCUPATION_FILE, parse_occupation,
                             operator.attrgetter("code"), CODE_COLUMN, skipped)
    tasks: list[TaskRecord] = []
    for number, task in parse_rows(task_rows, TASK_FILE, parse_task,
                                   operator.attrgetter("task_id"), TASK_ID_COLUMN,
                                   skipped).values():
        if task.code in occupations:
            tasks.append(task)
        else:
            skipped.append(SkippedRow(TASK_FILE, number, f"unknown occupation {task.code} "
                                      f"(not a valid row of {OCCUPATION_FILE})"))
    skipped.sort(key=lambda row: (row.file, row.line))
    return [record for _number, record in occupations.values()], tasks, skipped


def _added_and_changed(incoming: Iterable[dict[str, object]],
                       existing: Mapping[Any, Mapping[Any, Any]], key: str, primary_key: str
                       ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Split rows into those to insert (``key`` not in ``existing``) and those to update (some
    value differs; the row gets the existing primary key). Unchanged rows are dropped."""
    added: list[dict[str, object]] = []
    changed: list[dict[str, object]] = []
    for values in incoming:
        old = existing.get(values[key])
        if old is None:
            added.append(values)
        elif any(old[column] != value for column, value in values.items()):
            changed.append({**values, primary_key: old[primary_key]})
    return added, changed


def _write(session: Session, model: type, added: list[dict[str, object]],
           changed: list[dict[str, object]]) -> None:
    """Bulk INSERT and bulk UPDATE by primary key: a few statements, not one per row."""
    if added:
        session.exec(insert(model), params=added)
    if changed:
        session.exec(update(model), params=changed)


def import_onet(session: Session, directory: Path | str) -> ImportReport:
    """Load O*NET's ``Occupation Data.txt`` and ``Task Statements.txt`` from ``directory``.

    Upserts occupations by code and tasks by O*NET task id, so a second run adds and updates
    nothing. Starter occupations with the same code become O*NET's, and their starter tasks
    are replaced when O*NET has tasks for them. One transaction: on any error nothing stays.
    Raises InvalidInput for a missing directory, file or column, or a file that is not UTF-8.
    """
    occupations, tasks, skipped = read_onet(directory)
    report = ImportReport(skipped=skipped)
    with transaction(session):
        connection = session.connection()
        existing_occupations = {row["code"]: row for row in
                                connection.execute(core_select(*_OCCUPATION_COLUMNS)).mappings()}
        added, changed = _added_and_changed((record.values() for record in occupations),
                                            existing_occupations, "code", "code")
        _write(session, Occupation, added, changed)
        report.occupations_added, report.occupations_updated = len(added), len(changed)

        codes_with_tasks = sorted({task.code for task in tasks})
        if codes_with_tasks:
            report.starter_tasks_replaced = session.exec(
                delete(OccupationTask).where(col(OccupationTask.onet_task_id).is_(None),
                                             col(OccupationTask.occupation_code)
                                             .in_(codes_with_tasks))).rowcount
        existing_tasks = {row["onet_task_id"]: row for row in connection.execute(
            core_select(*_TASK_COLUMNS).where(col(OccupationTask.onet_task_id).is_not(None))
        ).mappings()}
        added, changed = _added_and_changed((task.values() for task in tasks),
                                            existing_tasks, "onet_task_id", "id")
        _write(session, OccupationTask, added, changed)
        report.tasks_added, report.tasks_updated = len(added), len(changed)
    return report


# --- Search and one occupation ---------------------------------------------------------

def _plus(left: ColumnElement[int], right: ColumnElement[int]) -> ColumnElement[int]:
    return left + right


def search_occupations(session: Session, query: Any, limit: int = 20
                       ) -> list[OccupationSummary]:
    """Occupations whose title or description contains every word of ``query`` (case-
    insensitive). Those matching more of the words in their title come first; among equals,
    shorter titles (the closer match: "Physical Therapists" before "Physical Therapist
    Aides"), then alphabetical. Each has code, title, description, major_group, source and
    ``tasks``: up to three typical task statements. An empty query finds nothing. Two
    queries, whatever the number of results.
    """
    text = check.text(query, "query", max_length=QUERY_MAX, required=False, label="Search")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= LIMIT_MAX:
        raise InvalidInput(f"Ask for 1 to {LIMIT_MAX} results.", "limit")
    patterns = [f"%{escape_like(word)}%" for word in text.lower().split()]
    if not patterns:
        return []
    title = func.lower(Occupation.title)
    description = func.lower(Occupation.description)
    in_title = [title.like(pattern, escape=LIKE_ESCAPE) for pattern in patterns]
    words_missing_from_title = functools.reduce(
        _plus, [case((matched, 0), else_=1) for matched in in_title])
    found = session.exec(
        select(Occupation)
        .where(*(or_(matched, description.like(pattern, escape=LIKE_ESCAPE))
                 for matched, pattern in zip(in_title, patterns, strict=True)))
        .order_by(words_missing_from_title, func.length(Occupation.title),
                  col(Occupation.title), col(Occupation.code))
        .limit(limit)
    ).all()
    results = [OccupationSummary(code=o.code, title=o.title, description=o.description,
                                 major_group=o.major_group, source=o.source, tasks=[])
               for o in found]
    if results:
        by_code = {result["code"]: result for result in results}
        for code, statement in _typical_tasks(session, list(by_code)):
            by_code[code]["tasks"].append(statement)
    return results


def _typical_tasks(session: Session, codes: list[str]) -> list[tuple[str, str]]:
    """(code, statement) of up to TYPICAL_TASKS tasks per occupation, in one query."""
    rank = func.row_number().over(partition_by=col(OccupationTask.occupation_code),
                                  order_by=_TASK_ORDER).label("rank")
    ranked = (select(OccupationTask.occupation_code, OccupationTask.statement, rank)
              .where(col(OccupationTask.occupation_code).in_(codes)).subquery())
    return [(code, statement) for code, statement in session.exec(
        select(ranked.c.occupation_code, ranked.c.statement)
        .where(ranked.c.rank <= TYPICAL_TASKS)
        .order_by(ranked.c.occupation_code, ranked.c.rank))]


def get_occupation(session: Session, code: Any) -> OccupationDetail | None:
    """One occupation (code, title, description, major_group, source) with all its tasks
    (statement, task_type, onet_task_id; typical ones first), or None if there is none."""
    if not isinstance(code, str) or not _CODE.fullmatch(code.strip()):
        return None
    code = code.strip()
    occupation = session.get(Occupation, code)
    if occupation is None:
        return None
    tasks = session.exec(
        select(OccupationTask.statement, OccupationTask.task_type, OccupationTask.onet_task_id)
        .where(OccupationTask.occupation_code == code).order_by(*_TASK_ORDER)
    ).all()
    return OccupationDetail(
        code=occupation.code, title=occupation.title, description=occupation.description,
        major_group=occupation.major_group, source=occupation.source,
        tasks=[OccupationTaskView(statement=statement, task_type=task_type,
                                  onet_task_id=onet_task_id)
               for statement, task_type, onet_task_id in tasks])


def research_links(session: Session, occupation: OccupationDetail | None
                   ) -> list[dict[str, str]]:
    """Where step 1 sends the student to read about the field: the occupation's O*NET page
    (when one is chosen), the Occupational Outlook Handbook and the school's major-to-career
    pages, with the addresses the career office set."""
    institution = get_institution(session)
    links = [{"label": "Occupational Outlook Handbook", "href": institution.ooh_url},
             {"label": "Your school's major-to-career pages",
              "href": institution.major_to_career_url}]
    if occupation:
        links.insert(0, {"label": f"O*NET OnLine: {occupation['title']}",
                         "href": institution.onet_url_template.format(code=occupation["code"])})
    return links

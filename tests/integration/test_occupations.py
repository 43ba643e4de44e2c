"""Occupations: the O*NET importer on the real O*NET 27.0 files and on malformed ones, the
starter catalogue and search, on SQLite and PostgreSQL."""

import csv
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from infoview_app.models import Occupation, OccupationTask
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.research import occupations
from infoview_app.services.research.occupations import OCCUPATION_FILE, TASK_FILE
from infoview_app.services.staff.institution import get_institution
from tests.integration.helpers import statements

STARTER_COUNT = 26
OCCUPATION_HEADER = "O*NET-SOC Code\tTitle\tDescription"
TASK_HEADER = ("O*NET-SOC Code\tTask ID\tTask\tTask Type\tIncumbents Responding\tDate\t"
               "Domain Source")


def onet_directory() -> Path:
    """The real O*NET 27.0 files, in ../shared/ beside the repository (never copied into it);
    INFOVIEW_ONET_DATA names another directory."""
    default = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "onet-27.0"
    directory = Path(os.environ.get("INFOVIEW_ONET_DATA", default))
    if not (directory / OCCUPATION_FILE).is_file() or not (directory / TASK_FILE).is_file():
        pytest.fail(f"The O*NET 27.0 files are missing: expected {OCCUPATION_FILE!r} and "
                    f"{TASK_FILE!r} in {directory}.")
    return directory


def read_onet_file(path: Path) -> list[dict[str, str]]:
    """The file as the test's own, independent reading: csv, tab-separated, no quoting."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _count(session: Session, model: type, *conditions: object) -> int:
    return session.exec(select(func.count()).select_from(model).where(*conditions)).one()


def _write_onet(directory: Path, occupation_lines: list[str] | None,
                task_lines: list[str] | None) -> Path:
    """Write the two files (a None leaves the file out), one line per item, LF endings."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, lines in ((OCCUPATION_FILE, occupation_lines), (TASK_FILE, task_lines)):
        if lines is not None:
            (directory / name).write_text("".join(f"{line}\n" for line in lines),
                                          encoding="utf-8")
    return directory


def _task(code: str, task_id: int | str, statement: str, task_type: str = "Core") -> str:
    return f"{code}\t{task_id}\t{statement}\t{task_type}\t10\t07/2014\tIncumbent"


def test_a_fresh_install_has_the_starter_catalogue(session: Session) -> None:
    starters = session.exec(select(Occupation).where(Occupation.source == "starter")).all()
    assert len(starters) == STARTER_COUNT == _count(session, Occupation)
    assert len({o.major_group for o in starters}) >= 8  # fields across the whole range
    onet_titles = {row["O*NET-SOC Code"]: row["Title"]
                   for row in read_onet_file(onet_directory() / OCCUPATION_FILE)}
    for occupation in starters:
        assert onet_titles[occupation.code] == occupation.title  # real codes and titles
        assert occupation.major_group == occupation.code[:2]
        assert occupation.description
        tasks = session.exec(select(OccupationTask)
                             .where(OccupationTask.occupation_code == occupation.code)).all()
        assert 3 <= len(tasks) <= 5
        assert all(t.onet_task_id is None and t.statement for t in tasks)


def test_search_works_on_the_starter_catalogue_before_any_import(session: Session) -> None:
    results = occupations.search_occupations(session, "physical therap")
    assert [r["code"] for r in results] == ["29-1123.00"]
    result = results[0]
    assert result["title"] == "Physical Therapists"
    assert result["source"] == "starter" and result["major_group"] == "29"
    assert len(result["tasks"]) == 3 and all(result["tasks"])


# --- Import of the real files ----------------------------------------------------------

def test_importing_the_real_onet_files(session: Session) -> None:
    directory = onet_directory()
    occupation_rows = read_onet_file(directory / OCCUPATION_FILE)
    task_rows = read_onet_file(directory / TASK_FILE)
    assert (len(occupation_rows), len(task_rows)) == (1016, 19265)
    codes = {row["O*NET-SOC Code"] for row in occupation_rows}
    starter_codes = set(session.exec(select(Occupation.code)).all())
    tasks_per_code = Counter(row["O*NET-SOC Code"] for row in task_rows)
    starter_tasks_kept = _count(session, OccupationTask,
                                col(OccupationTask.occupation_code).not_in(list(tasks_per_code)))

    report = occupations.import_onet(session, directory)

    assert report.skipped == []
    assert report.occupations_added == len(codes - starter_codes)
    assert report.occupations_updated == len(codes & starter_codes) == STARTER_COUNT
    assert (report.tasks_added, report.tasks_updated) == (len(task_rows), 0)
    assert _count(session, Occupation) == _count(session, Occupation,
                                                 Occupation.source == "onet") == 1016
    assert _count(session, OccupationTask,
                  col(OccupationTask.onet_task_id).is_not(None)) == 19265
    assert _count(session, OccupationTask,
                  col(OccupationTask.onet_task_id).is_(None)) == starter_tasks_kept
    per_code = dict(session.exec(
        select(OccupationTask.occupation_code, func.count())
        .where(col(OccupationTask.onet_task_id).is_not(None))
        .group_by(OccupationTask.occupation_code)).all())
    assert per_code == dict(tasks_per_code)
    assert Counter(session.exec(select(OccupationTask.task_type).where(
        col(OccupationTask.onet_task_id).is_not(None))).all()) == Counter(
        None if row["Task Type"] == "n/a" else row["Task Type"] for row in task_rows)

    first = occupation_rows[0]
    stored = session.get(Occupation, first["O*NET-SOC Code"])
    assert stored is not None
    assert (stored.title, stored.description, stored.major_group) == (
        first["Title"], first["Description"], first["O*NET-SOC Code"][:2])
    quoted = next(row for row in task_rows if '"' in row["Task"])
    assert session.exec(select(OccupationTask.statement).where(
        OccupationTask.onet_task_id == int(quoted["Task ID"]))).one() == quoted["Task"]

    again = occupations.import_onet(session, directory)
    assert (again.occupations_added, again.occupations_updated, again.tasks_added,
            again.tasks_updated, again.starter_tasks_replaced, again.skipped) == (
        0, 0, 0, 0, 0, [])
    assert _count(session, OccupationTask) == 19265 + starter_tasks_kept


def test_a_changed_release_updates_only_the_changed_rows(session: Session,
                                                         tmp_path: Path) -> None:
    directory = onet_directory()
    occupations.import_onet(session, directory)
    changed = tmp_path / "onet-next"
    shutil.copytree(directory, changed)
    for name, old, new in ((OCCUPATION_FILE, "\tChief Executives\t", "\tChief Executive "
                            "Officers\t"), (TASK_FILE, "\t8823\tDirect or coordinate",
                                            "\t8823\tDirect and coordinate")):
        text = (changed / name).read_text(encoding="utf-8")
        assert text.count(old) == 1
        (changed / name).write_text(text.replace(old, new), encoding="utf-8")

    report = occupations.import_onet(session, changed)

    assert (report.occupations_added, report.occupations_updated, report.tasks_added,
            report.tasks_updated) == (0, 1, 0, 1)
    assert session.get(Occupation, "11-1011.00").title == "Chief Executive Officers"
    assert session.exec(select(OccupationTask.statement).where(
        OccupationTask.onet_task_id == 8823)).one().startswith("Direct and coordinate")


# --- Search ----------------------------------------------------------------------------

def test_search_after_import_finds_ranks_and_caps(session: Session) -> None:
    occupations.import_onet(session, onet_directory())

    therapists = occupations.search_occupations(session, "  Physical THERAP ")
    assert therapists[0]["title"] == "Physical Therapists"
    assert therapists[0]["source"] == "onet"
    assert len(therapists[0]["tasks"]) == 3

    nurses = occupations.search_occupations(session, "nurse", limit=100)
    in_title = ["nurse" in r["title"].lower() for r in nurses]
    assert any(in_title) and not all(in_title)
    assert in_title == sorted(in_title, reverse=True)  # every title match comes first
    assert all("nurse" in (r["title"] + r["description"]).lower() for r in nurses)
    assert len(occupations.search_occupations(session, "nurse", limit=3)) == 3

    both = occupations.search_occupations(session, "nurse anesthet")
    assert [r["title"] for r in both] == ["Nurse Anesthetists"]
    assert occupations.search_occupations(session, "nurse zzzqqq") == []


def test_search_takes_wildcards_literally(session: Session) -> None:
    session.add(Occupation(code="99-0001.01", title="Zqx 100% Title_One", description="x",
                           major_group="99", source="test"))
    session.add(Occupation(code="99-0001.02", title="Zqx 1000 TitleXOne", description="x",
                           major_group="99", source="test"))
    session.add(Occupation(code="99-0001.03", title="Zqx back\\slash", description="x",
                           major_group="99", source="test"))
    session.commit()

    def codes(query: str) -> list[str]:
        return [r["code"] for r in occupations.search_occupations(session, query)]

    assert codes("100%") == ["99-0001.01"]
    assert codes("title_one") == ["99-0001.01"]
    assert codes("%") == ["99-0001.01"]
    assert codes("_") == ["99-0001.01"]
    assert codes("k\\s") == ["99-0001.03"]
    assert sorted(codes("ZQX")) == ["99-0001.01", "99-0001.02", "99-0001.03"]


def test_search_validates_its_query(session: Session) -> None:
    assert occupations.search_occupations(session, "") == []
    assert occupations.search_occupations(session, "   ") == []
    assert occupations.search_occupations(session, None) == []
    with pytest.raises(InvalidInput, match="100 characters at most; this is 101") as too_long:
        occupations.search_occupations(session, "a" * 101)
    assert too_long.value.field == "query"
    with pytest.raises(InvalidInput, match="must be text"):
        occupations.search_occupations(session, ["nurse"])
    with pytest.raises(InvalidInput):
        occupations.search_occupations(session, "nurse", limit=0)


def test_search_runs_two_queries_however_many_results(session: Session) -> None:
    occupations.import_onet(session, onet_directory())
    for limit in (1, 50):
        with statements(session) as seen:
            results = occupations.search_occupations(session, "engineer", limit=limit)
        assert len(results) == limit
        assert len(seen) == 2


def test_research_links_lead_to_the_occupation_and_the_office_s_pages(
        session: Session) -> None:
    office = get_institution(session)
    general = [{"label": "Occupational Outlook Handbook", "href": office.ooh_url},
               {"label": "Your school's major-to-career pages",
                "href": office.major_to_career_url}]
    assert occupations.research_links(session, None) == general
    therapists = occupations.get_occupation(session, "29-1123.00")
    assert therapists is not None
    assert occupations.research_links(session, therapists) == [
        {"label": f"O*NET OnLine: {therapists['title']}",
         "href": office.onet_url_template.format(code="29-1123.00")}, *general]
    assert "29-1123.00" in occupations.research_links(session, therapists)[0]["href"]


def test_get_occupation_has_every_task_typical_first(session: Session) -> None:
    starter = occupations.get_occupation(session, " 29-1123.00 ")
    assert starter is not None and starter["source"] == "starter"
    assert len(starter["tasks"]) == 4
    occupations.import_onet(session, onet_directory())
    therapists = occupations.get_occupation(session, "29-1123.00")
    assert therapists is not None
    expected = [row for row in read_onet_file(onet_directory() / TASK_FILE)
                if row["O*NET-SOC Code"] == "29-1123.00"]
    assert len(therapists["tasks"]) == len(expected)
    types = [t["task_type"] for t in therapists["tasks"]]
    assert types == sorted(types, key=lambda kind: kind != "Core")
    assert {t["onet_task_id"] for t in therapists["tasks"]} == {
        int(row["Task ID"]) for row in expected}
    for missing in ("99-9999.99", "not a code", "", None, 29):
        assert occupations.get_occupation(session, missing) is None


# --- Malformed files -------------------------------------------------------------------

VALID_OCCUPATION = "15-1252.00\tSoftware Developers\tBuild software."


def test_rows_that_fail_validation_are_skipped_with_their_reason(session: Session,
                                                                 tmp_path: Path) -> None:
    directory = _write_onet(tmp_path, [
        OCCUPATION_HEADER,
        VALID_OCCUPATION,                                       # 2 fine
        "15-1252.00\tSoftware Developers again\tDuplicate.",    # 3 duplicate code
        "15-1252\tShort Code\tBad code.",                       # 4 bad code
        "ab-cdef.gh\tLetters\tBad code.",                       # 5 bad code
        "15-2051.00\tData Scientists",                          # 6 too few columns
        "15-2051.00\tData Scientists\tFinds answers.\textra",   # 7 too many columns
        "15-2051.01\t \tNo title.",                             # 8 empty title
        f"15-2051.02\t{'T' * 151}\tTitle too long.",            # 9 title too long
        "15-2051.03\tNo Description\t",                         # 10 empty description
        "",                                                     # blank: ignored
        "27-1024.00\tGraphic Designers\tDesign visuals.",       # 12 fine
    ], [
        TASK_HEADER,
        _task("15-1252.00", 1, "Write code."),                  # 2 fine
        _task("15-1252.00", 1, "Write more code."),             # 3 duplicate task id
        _task("15-1252.00", "x7", "Bad id."),                   # 4 bad task id
        _task("15-1252.00", 3, "  "),                           # 5 empty statement
        _task("11-1011.00", 4, "Unknown occupation."),          # 6 unknown occupation
        _task("15-2051.00", 5, "Skipped occupation."),          # 7 its occupation was skipped
        "15-1252.00\t6\tToo few columns.",                      # 8 wrong column count
        _task("27-1024.00", 7, "Sketch ideas.", "n/a"),         # 9 fine
        _task("bad", 8, "Bad code."),                           # 10 bad code
    ])

    report = occupations.import_onet(session, directory)

    reasons = {(row.file, row.line): row.reason for row in report.skipped}
    assert sorted(reasons) == [(OCCUPATION_FILE, line) for line in (3, 4, 5, 6, 7, 8, 9, 10)] + [
        (TASK_FILE, line) for line in (3, 4, 5, 6, 7, 8, 10)]
    assert reasons[OCCUPATION_FILE, 3] == "duplicate O*NET-SOC Code 15-1252.00 (first on line 2)"
    assert "NN-NNNN.NN" in reasons[OCCUPATION_FILE, 4]
    assert "NN-NNNN.NN" in reasons[OCCUPATION_FILE, 5]
    assert reasons[OCCUPATION_FILE, 6] == "expected 3 tab-separated columns, found 2"
    assert reasons[OCCUPATION_FILE, 7] == "expected 3 tab-separated columns, found 4"
    assert reasons[OCCUPATION_FILE, 8] == "Title is empty"
    assert reasons[OCCUPATION_FILE, 9] == "Title is longer than 150 characters"
    assert reasons[OCCUPATION_FILE, 10] == "Description is empty"
    assert reasons[TASK_FILE, 3] == "duplicate Task ID 1 (first on line 2)"
    assert "Task ID 'x7'" in reasons[TASK_FILE, 4]
    assert reasons[TASK_FILE, 5] == "Task is empty"
    assert reasons[TASK_FILE, 6].startswith("unknown occupation 11-1011.00")
    assert reasons[TASK_FILE, 7].startswith("unknown occupation 15-2051.00")
    assert reasons[TASK_FILE, 8] == "expected 7 tab-separated columns, found 3"
    assert "NN-NNNN.NN" in reasons[TASK_FILE, 10]
    assert report.skipped == sorted(report.skipped)

    assert (report.occupations_added, report.occupations_updated) == (0, 2)
    assert (report.tasks_added, report.tasks_updated) == (2, 0)
    developers = occupations.get_occupation(session, "15-1252.00")
    designers = occupations.get_occupation(session, "27-1024.00")
    assert developers is not None and designers is not None
    assert developers["source"] == "onet"
    assert developers["description"] == "Build software."
    assert [t["statement"] for t in developers["tasks"]] == ["Write code."]
    assert designers["tasks"] == [{"statement": "Sketch ideas.", "task_type": None,
                                   "onet_task_id": 7}]
    # A starter occupation the files do not mention keeps its starter tasks.
    assert len(occupations.get_occupation(session, "29-1123.00")["tasks"]) == 4


def test_bom_crlf_and_columns_in_any_order(session: Session, tmp_path: Path) -> None:
    (tmp_path / OCCUPATION_FILE).write_bytes(
        "\ufeffDescription\tExtra\tO*NET-SOC Code\tTitle\r\n"
        "Studies dinosaurs.\tignored\t19-9999.01\tPaleontologists\r\n".encode())
    (tmp_path / TASK_FILE).write_bytes(
        "\ufeffTask\tO*NET-SOC Code\tTask ID\r\nDig carefully.\t19-9999.01\t900001\r\n".encode())

    report = occupations.import_onet(session, tmp_path)

    assert report.skipped == []
    found = occupations.search_occupations(session, "dinosaur")
    assert [(r["code"], r["title"], r["major_group"], r["tasks"]) for r in found] == [
        ("19-9999.01", "Paleontologists", "19", ["Dig carefully."])]


def _assert_refused(session: Session, directory: Path, *message_parts: str) -> None:
    """The import is refused with one clear InvalidInput, and nothing changed."""
    before = (_count(session, Occupation), _count(session, OccupationTask),
              _count(session, Occupation, Occupation.source == "starter"))
    with pytest.raises(InvalidInput) as refused:
        occupations.import_onet(session, directory)
    for part in message_parts:
        assert part in refused.value.message
    after = (_count(session, Occupation), _count(session, OccupationTask),
             _count(session, Occupation, Occupation.source == "starter"))
    assert after == before == (STARTER_COUNT, after[1], STARTER_COUNT)


@pytest.mark.parametrize(("occupation_lines", "task_lines", "message_parts"), [
    pytest.param(["O*NET-SOC Code\tTitle", "15-1252.00\tSoftware Developers"],
                 [TASK_HEADER], (OCCUPATION_FILE, "'Description'"), id="missing column"),
    pytest.param([OCCUPATION_HEADER, VALID_OCCUPATION],
                 ["O*NET-SOC Code\tTask\tTask Type", "15-1252.00\tWrite code.\tCore"],
                 (TASK_FILE, "'Task ID'"), id="missing task column"),
    pytest.param([], [TASK_HEADER], (OCCUPATION_FILE, "empty"), id="empty file"),
    pytest.param(["", VALID_OCCUPATION], [TASK_HEADER], (OCCUPATION_FILE, "header"),
                 id="blank header"),
    pytest.param([OCCUPATION_HEADER, VALID_OCCUPATION], None, (TASK_FILE, "not found"),
                 id="missing file"),
])
def test_a_file_without_its_header_or_columns_is_refused_whole(
        session: Session, tmp_path: Path, occupation_lines: list[str],
        task_lines: list[str] | None, message_parts: tuple[str, ...]) -> None:
    _assert_refused(session, _write_onet(tmp_path, occupation_lines, task_lines),
                    *message_parts)


def test_a_missing_directory_or_a_file_not_in_utf8_is_refused(session: Session,
                                                               tmp_path: Path) -> None:
    _assert_refused(session, tmp_path / "nowhere", "nowhere", "not a directory")
    directory = _write_onet(tmp_path / "latin1", [OCCUPATION_HEADER, VALID_OCCUPATION],
                            [TASK_HEADER])
    (directory / TASK_FILE).write_bytes(
        f"{TASK_HEADER}\n".encode() + _task("15-1252.00", 1, "Caf\xe9").encode("latin-1"))
    _assert_refused(session, directory, TASK_FILE, "UTF-8", "line 2")


def test_an_error_while_writing_leaves_nothing_half_imported(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _write_onet(tmp_path, [OCCUPATION_HEADER, VALID_OCCUPATION, "29-1123.00\t"
                                       "Physical Therapists\tHelp people move."],
                            [TASK_HEADER, _task("29-1123.00", 1, "Assess movement.")])
    real_write = occupations._write

    def fail_on_tasks(session: Session, model: type, *rows: list[dict[str, object]]) -> None:
        if model is OccupationTask:
            raise RuntimeError("the database went away")
        real_write(session, model, *rows)

    monkeypatch.setattr(occupations, "_write", fail_on_tasks)
    with pytest.raises(RuntimeError):
        occupations.import_onet(session, directory)

    assert _count(session, Occupation) == STARTER_COUNT
    assert _count(session, Occupation, Occupation.source == "onet") == 0
    therapists = occupations.get_occupation(session, "29-1123.00")
    assert therapists is not None and therapists["source"] == "starter"
    assert len(therapists["tasks"]) == 4  # the starter tasks were not deleted

"""`infoview import-onet`, run as a user runs it."""

from pathlib import Path

from sqlmodel import Session, col, func, select

from infoview_app import db
from infoview_app.models import Occupation, OccupationTask
from infoview_app.services.research.occupations import OCCUPATION_FILE, TASK_FILE
from tests.integration.test_cli import _run
from tests.integration.test_occupations import OCCUPATION_HEADER, TASK_HEADER, onet_directory


def test_import_onet_loads_the_real_files_once(db_url: str) -> None:
    directory = str(onet_directory())
    done = _run(db_url, "import-onet", directory)
    assert done.returncode == 0, done.stderr
    assert "occupations: 990 added, 26 updated" in done.stdout
    assert "tasks: 19265 added, 0 updated" in done.stdout
    assert "skipped rows: 0" in done.stdout
    with Session(db.engine_for(db_url)) as session:
        assert session.exec(select(func.count()).select_from(Occupation)).one() == 1016
        assert session.exec(select(func.count()).select_from(OccupationTask).where(
            col(OccupationTask.onet_task_id).is_not(None))).one() == 19265
    again = _run(db_url, "import-onet", directory)
    assert again.returncode == 0, again.stderr
    assert "occupations: 0 added, 0 updated" in again.stdout
    assert "tasks: 0 added, 0 updated" in again.stdout


def test_import_onet_lists_at_most_50_skipped_rows(db_url: str, tmp_path: Path) -> None:
    (tmp_path / OCCUPATION_FILE).write_text(
        OCCUPATION_HEADER + "\n" + "".join(f"bad-{n}\tTitle\tDescription.\n" for n in range(60)),
        encoding="utf-8")
    (tmp_path / TASK_FILE).write_text(TASK_HEADER + "\n", encoding="utf-8")
    done = _run(db_url, "import-onet", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  skipped rows: 60" in lines
    listed = [line for line in lines if line.startswith(f"{OCCUPATION_FILE}:")]
    assert len(listed) == 50
    assert listed[0].startswith(f"{OCCUPATION_FILE}:2: O*NET-SOC Code 'bad-0' is not")
    assert lines[-1] == "… and 10 more"


def test_import_onet_refuses_a_missing_directory(db_url: str, tmp_path: Path) -> None:
    done = _run(db_url, "import-onet", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path / 'missing'} is not a directory."
    assert done.stdout == ""

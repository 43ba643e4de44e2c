"""deploy/backup.sh and deploy/restore.sh, run as docs/deploy.md tells an operator to: data
written through the services into a fresh database (PostgreSQL, and SQLite), backed up with
the script (retention included), restored into a new database, `infoview migrate` run on it,
and the data read back through the services: the student signs in with the same password,
keeps the same session, and sees the same home (its counts come from migration 0006's
triggers, restored with the schema)."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session

from infoview_app import db
from infoview_app.services.accounts import user_accounts
from infoview_app.services.journey import home_summary
from tests.backups import EMAIL, FIELD, back_up, postgres_pair, restore, run, seed
from tests.factories import PASSWORD

INFOVIEW = Path(sys.executable).parent / "infoview"


@pytest.fixture
def postgres_urls() -> Iterator[tuple[str, str]]:
    with postgres_pair() as urls:
        yield urls


@pytest.fixture
def sqlite_urls(tmp_path: Path) -> tuple[str, str]:
    source = f"sqlite:///{tmp_path / 'infoview.db'}"
    db.upgrade_to_head(source)
    return source, f"sqlite:///{tmp_path / 'restored' / 'infoview.db'}"


def _backups(directory: Path, url: str, keep: int, runs: int) -> list[Path]:
    made = [back_up(url, directory, keep) for _ in range(runs)]
    kept = sorted(directory.iterdir())
    assert kept == made[-keep:], "retention keeps exactly the newest backups"
    assert not any(path.name.endswith(".partial") for path in kept)
    return kept


def _check_restored(url: str, owner: int, token: str) -> None:
    done = run(INFOVIEW, "migrate", REFLEX_DB_URL=url)
    assert done.returncode == 0, done.stderr
    assert "latest migration" in done.stdout
    engine = db.engine_for(url)
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    assert current == ScriptDirectory.from_config(db.alembic_config(url)).get_current_head()
    with Session(engine, expire_on_commit=False) as session:
        assert user_accounts.authenticate(session, EMAIL, PASSWORD).id == owner
        signed_in = user_accounts.resolve_session(session, token)
        assert signed_in is not None and signed_in.id == owner
        cards = home_summary.student_home(session, owner).explorations
    assert [(card["field_name"], card["contacts"]) for card in cards] == [
        (FIELD, 2)]


def test_postgres_backup_restores_into_a_fresh_database(
        postgres_urls: tuple[str, str], tmp_path: Path) -> None:
    source, target = postgres_urls
    owner, token = seed(source)
    backups = _backups(tmp_path / "backups", source, keep=2, runs=3)
    assert all(path.suffix == ".dump" for path in backups)
    restore(backups[-1], target)
    _check_restored(target, owner, token)


def test_restore_refuses_a_database_that_has_tables(
        postgres_urls: tuple[str, str], tmp_path: Path) -> None:
    source, _ = postgres_urls
    seed(source)
    [backup] = _backups(tmp_path / "backups", source, keep=1, runs=1)
    done = run("deploy/restore.sh", backup, source)
    assert done.returncode == 2
    assert "restore into a fresh one" in done.stderr
    with Session(db.engine_for(source)) as session:
        assert user_accounts.find_user_by_email(session, EMAIL) is not None


def test_sqlite_backup_restores_to_a_new_file(sqlite_urls: tuple[str, str],
                                               tmp_path: Path) -> None:
    source, target = sqlite_urls
    owner, token = seed(source)
    backups = _backups(tmp_path / "backups", source, keep=1, runs=2)
    assert backups[0].suffix == ".sqlite3"
    Path(target.removeprefix("sqlite:///")).parent.mkdir()
    restore(backups[0], target)
    _check_restored(target, owner, token)
    again = run("deploy/restore.sh", backups[0], target)
    assert again.returncode == 2 and "restore to a new path" in again.stderr

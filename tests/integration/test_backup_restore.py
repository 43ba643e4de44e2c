"""deploy/backup.sh and deploy/restore.sh, run as docs/deploy.md tells an operator to: data
written through the services into a fresh database (PostgreSQL, and SQLite), backed up with
the script (retention included), restored into a new database, `infoview migrate` run on it,
and the data read back through the services: the student signs in with the same password,
keeps the same session, and sees the same home (its counts come from migration 0006's
triggers, restored with the schema)."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session

from infoview_app import db
from infoview_app.services.accounts import user_accounts
from infoview_app.services.journey import home_summary
from tests.factories import PASSWORD, add_contact, student_with_exploration

ROOT = Path(__file__).resolve().parents[2]
INFOVIEW = Path(sys.executable).parent / "infoview"
EMAIL = "rosa.diaz@uni.edu"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(arg) for arg in args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=300, check=False)


def _admin_url() -> str:
    url = os.environ.get("INFOVIEW_TEST_POSTGRES_URL")
    if not url:
        pytest.fail("INFOVIEW_TEST_POSTGRES_URL is not set: run tests/setup_services.sh.")
    return url


@pytest.fixture
def postgres_urls() -> Iterator[tuple[str, str]]:
    """A fresh source database (migrated), and the name of one that does not exist yet."""
    admin = sa.create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    names = [f"infoview_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{names[0]}"'))
    source, target = (sa.make_url(_admin_url()).set(database=name)
                      .render_as_string(hide_password=False) for name in names)
    db.upgrade_to_head(source)
    yield source, target
    for url, name in zip((source, target), names, strict=True):
        db.engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_urls(tmp_path: Path) -> tuple[str, str]:
    source = f"sqlite:///{tmp_path / 'infoview.db'}"
    db.upgrade_to_head(source)
    return source, f"sqlite:///{tmp_path / 'restored' / 'infoview.db'}"


def _seed(url: str) -> tuple[int, str]:
    """A student with an exploration and two contacts; returns their id and a session token."""
    with Session(db.engine_for(url), expire_on_commit=False) as session:
        owner, exploration = student_with_exploration(session, name="Rosa Diaz", email=EMAIL,
                                                      field="Occupational therapy")
        add_contact(session, owner, exploration, "Sam Okafor")
        add_contact(session, owner, exploration, "Lena Park")
        token = user_accounts.start_session(session, owner, timedelta(days=14))
    return owner, token


def _backups(directory: Path, url: str, keep: int, runs: int) -> list[Path]:
    made = []
    for _ in range(runs):
        done = _run("deploy/backup.sh", REFLEX_DB_URL=url, INFOVIEW_BACKUP_DIR=str(directory),
                    INFOVIEW_BACKUP_KEEP=str(keep))
        assert done.returncode == 0, done.stderr
        made.append(Path(done.stdout.strip()))
    kept = sorted(directory.iterdir())
    assert kept == made[-keep:], "retention keeps exactly the newest backups"
    assert not any(path.name.endswith(".partial") for path in kept)
    return kept


def _check_restored(url: str, owner: int, token: str) -> None:
    done = _run(INFOVIEW, "migrate", REFLEX_DB_URL=url)
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
        ("Occupational therapy", 2)]


def test_postgres_backup_restores_into_a_fresh_database(
        postgres_urls: tuple[str, str], tmp_path: Path) -> None:
    source, target = postgres_urls
    owner, token = _seed(source)
    backups = _backups(tmp_path / "backups", source, keep=2, runs=3)
    assert all(path.suffix == ".dump" for path in backups)
    done = _run("deploy/restore.sh", backups[-1], target)
    assert done.returncode == 0, done.stderr
    _check_restored(target, owner, token)


def test_restore_refuses_a_database_that_has_tables(
        postgres_urls: tuple[str, str], tmp_path: Path) -> None:
    source, _ = postgres_urls
    _seed(source)
    [backup] = _backups(tmp_path / "backups", source, keep=1, runs=1)
    done = _run("deploy/restore.sh", backup, source)
    assert done.returncode == 2
    assert "restore into a fresh one" in done.stderr
    with Session(db.engine_for(source)) as session:
        assert user_accounts.find_user_by_email(session, EMAIL) is not None


def test_sqlite_backup_restores_to_a_new_file(sqlite_urls: tuple[str, str],
                                               tmp_path: Path) -> None:
    source, target = sqlite_urls
    owner, token = _seed(source)
    backups = _backups(tmp_path / "backups", source, keep=1, runs=2)
    assert backups[0].suffix == ".sqlite3"
    Path(target.removeprefix("sqlite:///")).parent.mkdir()
    done = _run("deploy/restore.sh", backups[0], target)
    assert done.returncode == 0, done.stderr
    _check_restored(target, owner, token)
    again = _run("deploy/restore.sh", backups[0], target)
    assert again.returncode == 2 and "restore to a new path" in again.stderr

"""Shared by the tests of deploy/backup.sh and deploy/restore.sh (integration, and live:
the restored database served): the scripts run as an operator runs them, a fresh pair of
PostgreSQL databases, and a student written through the services."""

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from infoview_app import db
from infoview_app.services.accounts import user_accounts
from tests.factories import add_contact, student_with_exploration

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "rosa.diaz@uni.edu"
FIELD = "Occupational therapy"


def run(*args: object, **env: str) -> subprocess.CompletedProcess[str]:
    """A command from the repository root, with the test's environment plus ``env``."""
    return subprocess.run([str(arg) for arg in args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env}, timeout=300, check=False)


def _admin_url() -> str:
    url = os.environ.get("INFOVIEW_TEST_POSTGRES_URL")
    if not url:
        pytest.fail("INFOVIEW_TEST_POSTGRES_URL is not set: run tests/setup_services.sh.")
    return url


@contextmanager
def postgres_pair() -> Iterator[tuple[str, str]]:
    """A fresh source database (migrated), and the URL of one that does not exist yet;
    both dropped afterwards."""
    admin = sa.create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    names = [f"infoview_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{names[0]}"'))
    source, target = (sa.make_url(_admin_url()).set(database=name)
                      .render_as_string(hide_password=False) for name in names)
    try:
        db.upgrade_to_head(source)
        yield source, target
    finally:
        for url, name in zip((source, target), names, strict=True):
            db.engine_for(url).dispose()
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(url: str) -> tuple[int, str]:
    """A student with an exploration and two contacts; returns their id and a session token."""
    with Session(db.engine_for(url), expire_on_commit=False) as session:
        owner, exploration = student_with_exploration(session, name="Rosa Diaz", email=EMAIL,
                                                      field=FIELD)
        add_contact(session, owner, exploration, "Sam Okafor")
        add_contact(session, owner, exploration, "Lena Park")
        token = user_accounts.start_session(session, owner, timedelta(days=14))
    return owner, token


def back_up(url: str, directory: Path, keep: int = 1) -> Path:
    """One run of deploy/backup.sh; returns the new backup's path."""
    done = run("deploy/backup.sh", REFLEX_DB_URL=url, INFOVIEW_BACKUP_DIR=str(directory),
               INFOVIEW_BACKUP_KEEP=str(keep))
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def restore(backup: Path, url: str) -> None:
    done = run("deploy/restore.sh", backup, url)
    assert done.returncode == 0, done.stderr

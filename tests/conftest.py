"""Database fixtures shared by every layer of tests.

``db_url`` runs a test once on SQLite and once on PostgreSQL (the server that
tests/setup_services.sh starts; INFOVIEW_TEST_POSTGRES_URL names a maintenance database the
test role may create databases from). Every test starts from a freshly migrated database.
"""

import importlib.util
import os
import shutil
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlmodel import Session

from infoview_app import db
from tests.mail_server import Inbox, running_mail_server

if TYPE_CHECKING:
    from tests.oidc_provider import Provider

# Property tests run on a shared 2-core machine: time is no property of theirs.
settings.register_profile("infoview", deadline=None)
settings.load_profile("infoview")

# Every table a test may write to, children first; the seeded sample questions stay.
_TABLES_TO_EMPTY = (
    "exploration_progress", "partner_request", "follow_up_task", "interview_answer",
    "interview", "outreach_attempt",
    "exploration_question", "contact", "exploration", "community_partner", "occupation_task",
    "occupation", "institution_settings", "auth_session", "account_token",
    "audit_event", "oidc_identity", "calendar_feed", "reminder_digest",
)


@cache
def _starter_migration() -> ModuleType:
    path = db.MIGRATIONS_DIR / "versions" / "0003_starter_occupations.py"
    spec = importlib.util.spec_from_file_location("starter_occupations_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _restore_starter_catalogue(conn: sa.Connection) -> None:
    """Put back the starter occupations of a fresh install (migration 0003), which the reset
    deleted and an O*NET import test may have turned into O*NET rows."""
    migration = _starter_migration()
    occupations, tasks = migration.starter_rows()
    conn.execute(migration.occupation.insert(), occupations)
    conn.execute(migration.occupation_task.insert(), tasks)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db.upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "infoview.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    admin_url = os.environ.get("INFOVIEW_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.fail("INFOVIEW_TEST_POSTGRES_URL is not set: run the suite with `make test`, "
                    "which starts PostgreSQL (tests/setup_services.sh).")
    name = f"infoview_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    db.upgrade_to_head(url)
    yield url
    db.engine_for(url).dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    with db.engine_for(postgres_database).begin() as conn:
        # TRUNCATE, not DELETE: no row triggers fire, and no dead rows slow the next test.
        conn.execute(sa.text(f"TRUNCATE {', '.join(_TABLES_TO_EMPTY)}"))
        conn.execute(sa.text("DELETE FROM question WHERE origin <> 'sample'"))
        conn.execute(sa.text("DELETE FROM user_account"))
        _restore_starter_catalogue(conn)
    return postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with Session(db.engine_for(db_url), expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def mail_server() -> Iterator[Inbox]:
    """A real SMTP server for the whole run; the app's mail settings point at it."""
    with running_mail_server() as inbox:
        yield inbox


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator["Provider"]:
    """A real OpenID Connect provider on 127.0.0.1 for the whole run (tests/oidc_provider.py)."""
    from tests.oidc_provider import running_provider

    with running_provider() as provider:
        yield provider

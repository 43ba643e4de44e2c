"""Database fixtures shared by every layer of tests.

``db_url`` runs a test once on SQLite and once on PostgreSQL (the server that
tests/setup_services.sh starts; INFOVIEW_TEST_POSTGRES_URL names a maintenance database the
test role may create databases from). Every test starts from a freshly migrated database.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from infoview_app import db

# Every table a test may write to, children first; the seeded sample questions stay.
_TABLES_TO_EMPTY = (
    "partner_request", "follow_up_task", "interview_answer", "interview", "outreach_attempt",
    "exploration_question", "contact", "exploration", "community_partner", "occupation_task",
    "occupation", "institution_settings", "login_attempt", "auth_session",
)


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
        for table in _TABLES_TO_EMPTY:
            conn.execute(sa.text(f"DELETE FROM {table}"))
        conn.execute(sa.text("DELETE FROM question WHERE origin <> 'sample'"))
        conn.execute(sa.text("DELETE FROM user_account"))
    return postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with Session(db.engine_for(db_url), expire_on_commit=False) as session:
        yield session

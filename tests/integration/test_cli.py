"""The `infoview` console script, run as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, func, select

from infoview_app import db
from infoview_app.models import Contact, Exploration, Role, User
from infoview_app.services.accounts import user_accounts
from tests.factories import student

ROOT = Path(__file__).resolve().parents[2]
INFOVIEW = Path(sys.executable).parent / "infoview"


def _run(db_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFLEX_DB_URL": db_url}
    return subprocess.run([str(INFOVIEW), *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=False)


def test_create_admin_reads_the_password_from_a_pipe(db_url: str) -> None:
    done = _run(db_url, "create-admin", "--email", "Head@College.edu", "--name", "Hana Head",
                stdin="a-long-admin-password\n")
    assert done.returncode == 0, done.stderr
    assert "Created admin Hana Head" in done.stdout
    with Session(db.engine_for(db_url)) as session:
        admin = user_accounts.authenticate(session, "head@college.edu", "a-long-admin-password")
        assert admin.role is Role.ADMIN


def test_create_admin_refuses_bad_input_and_creates_nothing(db_url: str) -> None:
    short = _run(db_url, "create-admin", "--email", "a@college.edu", "--name", "A",
                 stdin="short\n")
    assert short.returncode == 2
    assert "password: Use at least 10 characters." in short.stderr
    bad_email = _run(db_url, "create-admin", "--email", "nope", "--name", "A",
                     stdin="a-long-admin-password\n")
    assert bad_email.returncode == 2 and "email:" in bad_email.stderr
    with Session(db.engine_for(db_url)) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 0


def test_demo_data_creates_both_accounts_once(db_url: str) -> None:
    done = _run(db_url, "demo-data", "--password", "demo-password-1")
    assert done.returncode == 0, done.stderr
    assert "maya.student@demo.infoview.example" in done.stdout
    with Session(db.engine_for(db_url)) as session:
        student = user_accounts.authenticate(session, "maya.student@demo.infoview.example",
                                             "demo-password-1")
        staff = user_accounts.authenticate(session, "jordan.staff@demo.infoview.example",
                                           "demo-password-1")
        assert (student.role, staff.role) == (Role.STUDENT, Role.STAFF)
        assert session.exec(select(func.count()).select_from(Exploration)
                            .where(Exploration.owner_id == student.id)).one() == 2
        assert session.exec(select(func.count()).select_from(Contact)).one() == 3
    again = _run(db_url, "demo-data")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_migrate_on_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = _run(url, "migrate")
    assert done.returncode == 0, done.stderr
    assert "latest migration" in done.stdout
    with Session(db.engine_for(url)) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 0


def test_synthetic_campus_adds_students_in_proportion(db_url: str) -> None:
    done = _run(db_url, "synthetic-campus", "--students", "40", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "user_account: 40" in done.stdout and "exploration: 120" in done.stdout
    with Session(db.engine_for(db_url)) as session:
        assert session.exec(select(func.count()).select_from(User)
                            .where(User.role == Role.STUDENT)).one() == 40
        assert session.exec(select(func.count()).select_from(Contact)).one() == 400
    again = _run(db_url, "synthetic-campus", "--students", "10")
    assert again.returncode == 0, again.stderr  # adds beside what is there: new ids, emails
    refused = _run(db_url, "synthetic-campus", "--students", "0")
    assert refused.returncode == 2 and "--students" in refused.stderr


def test_synthetic_campus_is_never_mixed_into_real_students_unasked(db_url: str) -> None:
    with Session(db.engine_for(db_url)) as session:
        student(session, name="Real Student", email="real@college.edu")
    refused = _run(db_url, "synthetic-campus", "--students", "10")
    assert refused.returncode == 2 and "1 real students" in refused.stderr
    with Session(db.engine_for(db_url)) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 1
    forced = _run(db_url, "synthetic-campus", "--students", "10", "--force")
    assert forced.returncode == 0, forced.stderr

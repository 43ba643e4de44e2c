"""The committed migrations build the same schema as the models, on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session, SQLModel, select

from infoview_app import db
from infoview_app.models import Exploration, Question, QuestionOrigin, Role, User
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import user_accounts
from tests.factories import student_with_exploration

SAMPLE_QUESTIONS = [
    "What are your primary tasks and responsibilities?",
    "What specific strengths and/or skills are needed to be successful in your field?",
    "What publications could I read to learn more about your field?",
    "What organizations/meetings could I join/attend to learn more?",
    "What has made you successful in your career? What things did you do to achieve your "
    "success?",
    "What are the challenges facing people in your field?",
    "What kinds of growth and new directions are you experiencing in your field?",
    "How can I best prepare for a career in your field?",
    "Why did you choose your field?",
    "What rewards do you get from your field?",
    "Would you choose this field again?",
    "What is something that you see new college graduates in this field struggle with the "
    "most?",
]


def test_migrations_match_the_models(db_url: str) -> None:
    engine = db.engine_for(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # Expression indexes cannot be reflected for comparison, so alembic reports none for them.
    assert diff == []


def test_every_owner_and_foreign_key_column_is_indexed(db_url: str) -> None:
    inspector = sa.inspect(db.engine_for(db_url))
    for table in SQLModel.metadata.sorted_tables:
        indexed = {tuple(index["column_names"]) for index in inspector.get_indexes(table.name)}
        indexed |= {tuple(c["column_names"])
                    for c in inspector.get_unique_constraints(table.name)}
        indexed.add(tuple(inspector.get_pk_constraint(table.name)["constrained_columns"]))
        for fk in inspector.get_foreign_keys(table.name):
            columns = tuple(fk["constrained_columns"])
            assert any(index[: len(columns)] == columns for index in indexed), (
                f"{table.name}.{columns} has no index")


def test_sample_questions_are_seeded_in_order(session: Session) -> None:
    questions = session.exec(select(Question).where(Question.origin == QuestionOrigin.SAMPLE)
                             .order_by(Question.position)).all()
    assert [q.text for q in questions] == SAMPLE_QUESTIONS
    assert all(q.is_active and q.owner_id is None for q in questions)


def test_email_key_is_unique_in_the_database_itself(session: Session) -> None:
    session.add(User(email="ana@x.edu", email_key="ana@x.edu", name="Ana", role=Role.STUDENT,
                     password_hash="h"))
    session.commit()
    session.add(User(email="ANA@X.EDU", email_key="ana@x.edu", name="Ana 2",
                     role=Role.STUDENT, password_hash="h"))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_upgrade_is_idempotent(db_url: str) -> None:
    db.upgrade_to_head(db_url)
    db.upgrade_to_head(db_url)
    with db.engine_for(db_url).connect() as conn:
        applied = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert applied == ScriptDirectory.from_config(db.alembic_config(db_url)).get_current_head()


def test_migrating_gives_each_account_its_email_key_and_keeps_look_alikes_apart(
        db_url: str) -> None:
    """0011's backfill. "Straße@uni.de" and "strasse@uni.de" were two accounts under lower()
    (as "Ådne@uni.no" and "ådne@uni.no" were on SQLite): the older keeps the key, the newer
    keeps its data and can't sign in."""
    with Session(db.engine_for(db_url)) as session:  # other tables refer to the accounts
        owner, exploration = student_with_exploration(session, 1)
    command.downgrade(db.alembic_config(db_url), "0010")
    try:
        accounts = sa.table("user_account", sa.column("email"), sa.column("name"),
                            sa.column("role"), sa.column("password_hash"),
                            sa.column("share_progress"), sa.column("is_active"),
                            sa.column("created_at"))
        with db.engine_for(db_url).begin() as conn:
            conn.execute(accounts.insert(), [
                {"email": email, "name": email, "role": "student", "password_hash": "h",
                 "share_progress": False, "is_active": True, "created_at": utcnow()}
                for email in ("Ana@Uni.edu", "Ådne@uni.no", "Straße@uni.de",
                              "strasse@uni.de")])
    finally:
        db.upgrade_to_head(db_url)
    with Session(db.engine_for(db_url)) as session:
        keys = {user.email: user.email_key for user in session.exec(select(User))}
        assert [keys[email] for email in ("Ana@Uni.edu", "Ådne@uni.no", "Straße@uni.de")] == [
            "ana@uni.edu", "ådne@uni.no", "strasse@uni.de"]
        assert keys["strasse@uni.de"].endswith("#strasse@uni.de")
        found = user_accounts.find_user_by_email(session, "STRASSE@uni.de")
        assert found is not None and found.email == "Straße@uni.de"
        kept = session.get(Exploration, exploration)
        assert kept is not None and kept.owner_id == owner

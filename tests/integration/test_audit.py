"""The audit log against a real database (SQLite and PostgreSQL): recording with the caller's
write, the filters, the CSV, pruning (and its command), and that no secret reaches a row."""

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from infoview_app import db
from infoview_app.models import AccountToken, AuditEvent, AuditKind, Role, User
from infoview_app.services.accounts import audit, registration, user_accounts
from infoview_app.services.accounts.audit import Actor, AuditFilters, Target
from infoview_app.services.core.errors import AuthError, InvalidInput
from infoview_app.services.staff import institution
from tests.factories import PASSWORD, account, admin, staff

LIFETIME = timedelta(days=14)
LINKS = registration.Links(verify="https://iv.example.edu/verify-email",
                           sign_in="https://iv.example.edu/login",
                           forgot="https://iv.example.edu/forgot-password")
CLIENT = "203.0.113.9"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
INFOVIEW = Path(sys.executable).parent / "infoview"


def _event(session: Session, kind: AuditKind, at: datetime, *, actor: str = "",
           target: str = "", detail: str = "") -> None:
    session.add(AuditEvent(kind=kind, created_at=at, actor_email=actor or None,
                           target_email=target or None, detail=detail, client=CLIENT))
    session.commit()


def _all(session: Session) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def _kinds(session: Session) -> list[AuditKind]:
    return [AuditKind(event.kind) for event in _all(session)]


def _raw_rows(session: Session) -> str:
    """Every column of every audit row, as the database holds them, in one text."""
    return repr(session.execute(sa.text("SELECT * FROM audit_event")).all())


# --- recording ----------------------------------------------------------------------------

def test_sign_in_and_its_failures_are_recorded_without_any_secret(session: Session) -> None:
    user = account(session, Role.STUDENT, name="Ana Lima", email="ana@uni.edu")
    by = Actor(None, CLIENT)
    current, token = user_accounts.sign_in(session, "ANA@uni.edu", PASSWORD, LIFETIME, by=by)
    with pytest.raises(AuthError):
        user_accounts.sign_in(session, "Ana@Uni.EDU", "a-wrong-password-7", LIFETIME, by=by)
    with pytest.raises(AuthError):
        user_accounts.sign_in(session, "Nobody@Uni.edu", "another-guess-42", LIFETIME, by=by)
    signed_in, wrong, unknown = _all(session)
    assert (signed_in.kind, signed_in.actor_id, signed_in.actor_email) == (
        AuditKind.SIGN_IN, current.id, "ana@uni.edu")
    assert (signed_in.target_id, signed_in.detail, signed_in.client) == (
        user.id, "Role: Student", CLIENT)
    # A failure names the account typed (lower-cased), never who typed it.
    assert (wrong.kind, wrong.actor_id, wrong.actor_email) == (
        AuditKind.SIGN_IN_FAILED, None, None)
    assert (wrong.target_id, wrong.target_email, wrong.detail) == (
        user.id, "ana@uni.edu", "wrong email or password")
    assert (unknown.target_id, unknown.target_email) == (None, "nobody@uni.edu")
    stored = _raw_rows(session)
    token_hash = user_accounts.hash_token(token)
    for secret in (PASSWORD, "a-wrong-password-7", "another-guess-42", token, token_hash,
                   user.password_hash):
        assert secret not in stored


def test_a_deactivated_accounts_sign_in_is_recorded_as_refused(session: Session) -> None:
    jo = staff(session, email="jo@uni.edu")
    user_accounts.set_active(session, jo, Role.STAFF, False, by=Actor(None, CLIENT))
    with pytest.raises(AuthError):
        user_accounts.sign_in(session, "jo@uni.edu", PASSWORD, LIFETIME, by=Actor(None, CLIENT))
    assert _all(session)[-1].detail == "account deactivated"


def test_invalid_sign_in_input_is_not_an_attempt_and_records_nothing(session: Session) -> None:
    with pytest.raises(InvalidInput):
        user_accounts.sign_in(session, "not an email", "x", LIFETIME, by=Actor(None, CLIENT))
    assert _all(session) == []


def test_password_change_is_recorded_without_either_password(session: Session) -> None:
    user = account(session, Role.STUDENT, name="Ana Lima", email="ana@uni.edu")
    assert user.id is not None
    _, token = user_accounts.sign_in(session, "ana@uni.edu", PASSWORD, LIFETIME,
                                     by=Actor(None, CLIENT))
    user_accounts.change_password(session, user.id, PASSWORD, "brand-new-secret-9",
                                  "brand-new-secret-9", keep_token=token,
                                  by=Actor(user.id, CLIENT))
    changed = _all(session)[-1]
    assert (changed.kind, changed.actor_id, changed.actor_email, changed.client) == (
        AuditKind.PASSWORD_CHANGED, user.id, "ana@uni.edu", CLIENT)
    stored = _raw_rows(session)
    for secret in (PASSWORD, "brand-new-secret-9", token, user_accounts.hash_token(token)):
        assert secret not in stored


def test_an_event_is_saved_with_its_write_or_not_at_all(session: Session,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """The event is part of the write's transaction: when it can't be saved, neither is the
    password change, the deactivation, the registration or the staff account."""
    user = account(session, Role.STUDENT, name="Ana Lima", email="ana@uni.edu")
    boss = admin(session)
    jo = staff(session, email="jo@uni.edu")
    assert user.id is not None
    old_hash = user.password_hash
    _, token = user_accounts.sign_in(session, "ana@uni.edu", PASSWORD, LIFETIME,
                                     by=Actor(None, CLIENT))

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        user_accounts.change_password(session, user.id, PASSWORD, "brand-new-secret-9",
                                      "brand-new-secret-9", keep_token="",
                                      by=Actor(user.id, CLIENT))
    with pytest.raises(RuntimeError):
        user_accounts.set_active(session, jo, Role.STAFF, False, by=Actor(boss, CLIENT))
    with pytest.raises(RuntimeError):
        registration.register_student(session, {"name": "Bo", "email": "bo@uni.edu",
                                                "password": PASSWORD}, LINKS,
                                      by=Actor(None, CLIENT))
    with pytest.raises(RuntimeError):
        user_accounts.create_staff(session, name="Cy", email="cy@uni.edu", password=PASSWORD,
                                   by=Actor(boss, CLIENT))
    session.expire_all()
    assert session.get(User, user.id).password_hash == old_hash  # type: ignore[union-attr]
    assert user_accounts.resolve_session(session, token) is not None
    assert session.get(User, jo).is_active  # type: ignore[union-attr]
    emails = set(session.exec(select(User.email)).all())
    assert "bo@uni.edu" not in emails and "cy@uni.edu" not in emails
    assert _kinds(session) == [AuditKind.SIGN_IN]


def test_registration_staff_accounts_and_settings_are_recorded(session: Session) -> None:
    boss = admin(session, email="boss@uni.edu")
    registration.register_student(
        session, {"name": "Bo", "email": "Bo@Uni.edu", "password": PASSWORD}, LINKS,
        by=Actor(None, CLIENT))
    bo = user_accounts.find_user_by_email(session, "bo@uni.edu")
    assert bo is not None
    member = user_accounts.create_staff(session, name="Cy", email="cy@uni.edu",
                                        password=PASSWORD, by=Actor(boss, CLIENT))
    user_accounts.set_active(session, member.id, Role.STAFF, False, by=Actor(boss, CLIENT))
    user_accounts.set_active(session, member.id, Role.STAFF, True, by=Actor(boss, CLIENT))
    settings = institution.get_institution(session).as_dict()
    institution.save_institution(session, {**settings, "time_zone": "America/Chicago",
                                           "office_phone": "(555) 010-9999"},
                                 by=Actor(boss, CLIENT))
    institution.save_institution(session, {**settings, "time_zone": "America/Chicago",
                                           "office_phone": "(555) 010-9999"},
                                 by=Actor(boss, CLIENT))
    registered, created, off, on, changed, unchanged = _all(session)
    assert (registered.kind, registered.actor_id, registered.actor_email) == (
        AuditKind.REGISTERED, bo.id, "Bo@uni.edu")  # the account's email as stored
    # The address check's link was issued in the same transaction as the event.
    assert session.exec(select(func.count()).select_from(AccountToken)
                        .where(AccountToken.user_id == bo.id)).one() == 1
    for event in (created, off, on, changed, unchanged):
        assert (event.actor_id, event.actor_email, event.client) == (
            boss, "boss@uni.edu", CLIENT)
    assert (created.kind, created.target_id, created.target_email, created.detail) == (
        AuditKind.STAFF_CREATED, member.id, "cy@uni.edu", "Role: Career-office staff")
    assert (off.kind, on.kind) == (AuditKind.STAFF_DEACTIVATED, AuditKind.STAFF_REACTIVATED)
    assert changed.kind == AuditKind.SETTINGS_CHANGED
    # The labels of what changed, never the values.
    assert changed.detail == "changed: Phone, Time zone"
    assert unchanged.detail == "saved, nothing changed"


def test_a_deleted_accounts_events_stay_with_its_email(session: Session) -> None:
    user = account(session, Role.STUDENT, name="Maya", email="maya@uni.edu")
    assert user.id is not None
    user_accounts.sign_in(session, "maya@uni.edu", PASSWORD, LIFETIME, by=Actor(None, CLIENT))
    user_accounts.delete_account(session, user.id, PASSWORD, by=Actor(user.id, CLIENT))
    session.expire_all()
    assert session.get(User, user.id) is None
    signed_in, deleted = _all(session)
    assert deleted.kind == AuditKind.ACCOUNT_DELETED and signed_in.kind == AuditKind.SIGN_IN
    for event in (signed_in, deleted):
        assert (event.actor_id, event.target_id) == (None, None)
        assert (event.actor_email, event.target_email) == ("maya@uni.edu", "maya@uni.edu")
    assert deleted.client == CLIENT


def test_a_refused_deletion_records_nothing(session: Session) -> None:
    user = account(session, Role.STUDENT, name="Maya", email="maya@uni.edu")
    assert user.id is not None
    with pytest.raises(InvalidInput):
        user_accounts.delete_account(session, user.id, "wrong-password",
                                     by=Actor(user.id, CLIENT))
    assert _all(session) == []


# --- reading --------------------------------------------------------------------------------

def _sample(session: Session) -> None:
    _event(session, AuditKind.SIGN_IN, NOW - timedelta(days=3), actor="ana@uni.edu",
           target="ana@uni.edu")
    _event(session, AuditKind.SIGN_IN_FAILED, NOW - timedelta(days=2),
           target="ana_b@uni.edu", detail="wrong email or password")
    _event(session, AuditKind.STAFF_CREATED, NOW - timedelta(days=1, hours=1),
           actor="Boss@Uni.edu", target="cy@uni.edu", detail="role: staff")
    _event(session, AuditKind.SIGN_IN, NOW, actor="cy@uni.edu", target="cy@uni.edu")


def _targets(rows: list[audit.AuditRow]) -> list[str]:
    return [row.target_email for row in rows]


def test_events_newest_first_and_filtered(session: Session) -> None:
    _sample(session)
    everything = audit.events(session)
    assert _targets(everything) == ["cy@uni.edu", "cy@uni.edu", "ana_b@uni.edu", "ana@uni.edu"]
    assert everything[0].label == "Signed in" and everything[0].when == "2026-12-07 12:00:00"
    assert _targets(audit.events(session, AuditFilters(kind=AuditKind.SIGN_IN))) == [
        "cy@uni.edu", "ana@uni.edu"]
    # A text match on the actor's or the target's email, whatever its case.
    assert _targets(audit.events(session, audit.parse_filters({"email": "BOSS@"}))) == [
        "cy@uni.edu"]
    assert _targets(audit.events(session, audit.parse_filters({"email": "ana"}))) == [
        "ana_b@uni.edu", "ana@uni.edu"]
    # LIKE's wildcards are taken literally.
    assert _targets(audit.events(session, audit.parse_filters({"email": "a_b"}))) == [
        "ana_b@uni.edu"]
    assert audit.events(session, audit.parse_filters({"email": "%"})) == []
    # Dates are UTC days, both ends included.
    days = audit.parse_filters({"start": "2026-12-05", "end": "2026-12-06"})
    assert _targets(audit.events(session, days)) == ["cy@uni.edu", "ana_b@uni.edu"]
    assert _targets(audit.events(session, audit.parse_filters({"start": "2026-12-07"}))) == [
        "cy@uni.edu"]
    assert _targets(audit.events(session, audit.parse_filters({"end": "2026-12-04"}))) == [
        "ana@uni.edu"]
    assert len(audit.events(session, limit=2)) == 2


def test_bad_filters_are_refused_beside_their_fields(session: Session) -> None:
    with pytest.raises(InvalidInput) as error:
        audit.parse_filters({"kind": "drop table", "email": "x" * 300, "start": "2026-13-01",
                             "end": "tomorrow"})
    assert set(error.value.errors) == {"kind", "email", "start", "end"}
    with pytest.raises(InvalidInput) as error:
        audit.parse_filters({"start": "2026-12-07", "end": "2026-12-01"})
    assert error.value.errors == {"end": "The end date is before the start date."}
    assert audit.parse_filters(["not", "a", "form"]) == AuditFilters()
    assert audit.parse_filters({"kind": "", "email": " ", "start": "", "end": ""}) == (
        AuditFilters())


def test_csv_has_every_matching_event_with_formulas_quoted(session: Session) -> None:
    _sample(session)
    _event(session, AuditKind.SETTINGS_CHANGED, NOW + timedelta(minutes=1),
           actor="=cmd|' /C calc'!A0@uni.edu", detail="+changed: Phone")
    rows = list(csv.reader(io.StringIO(audit.events_csv(session))))
    assert rows[0] == list(audit.CSV_HEADER)
    assert len(rows) == 6
    assert rows[1][:3] == ["2026-12-07 12:01:00", "Institution settings changed",
                           "'=cmd|' /C calc'!A0@uni.edu"]
    assert rows[1][6:] == ["'+changed: Phone", CLIENT]
    assert rows[2][1] == "Signed in" and rows[2][4] == "cy@uni.edu"
    only = list(csv.reader(io.StringIO(audit.events_csv(
        session, AuditFilters(kind=AuditKind.SIGN_IN_FAILED)))))
    assert [row[4] for row in only[1:]] == ["ana_b@uni.edu"]


def test_csv_says_when_it_holds_only_the_newest(session: Session,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _sample(session)
    monkeypatch.setattr(audit, "CSV_MAX", 3)
    rows = list(csv.reader(io.StringIO(audit.events_csv(session))))
    assert len(rows) == 1 + 3 + 2
    assert rows[-1][0].startswith("Only the newest 3 matching events")


# --- retention ------------------------------------------------------------------------------

def test_prune_deletes_only_events_past_the_retention(session: Session) -> None:
    _event(session, AuditKind.SIGN_IN, NOW - timedelta(days=400), target="old@uni.edu")
    _event(session, AuditKind.SIGN_IN, NOW - timedelta(days=366), target="older@uni.edu")
    _event(session, AuditKind.SIGN_IN, NOW - timedelta(days=364), target="kept@uni.edu")
    assert audit.prune(session, 365, now=NOW) == 2
    assert _targets(audit.events(session)) == ["kept@uni.edu"]
    assert audit.prune(session, 365, now=NOW) == 0
    for days in (0, -1, "many", True, 10**9):
        with pytest.raises(InvalidInput):
            audit.prune(session, days, now=NOW)


def _run(db_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "REFLEX_DB_URL": db_url, **env}
    return subprocess.run([str(INFOVIEW), *args], capture_output=True, text=True, cwd=ROOT,
                          env=environment, timeout=120, check=False)


def test_prune_audit_command(db_url: str) -> None:
    now = datetime.now(UTC)
    with Session(db.engine_for(db_url)) as session:
        for days in (500, 100, 1):
            _event(session, AuditKind.SIGN_IN, now - timedelta(days=days),
                   target=f"d{days}@uni.edu")
    unset = {key: value for key, value in os.environ.items()
             if key != "INFOVIEW_AUDIT_RETENTION_DAYS"}
    misread = _run(db_url, "prune-audit", INFOVIEW_AUDIT_RETENTION_DAYS="a year")
    assert misread.returncode == 2 and "INFOVIEW_AUDIT_RETENTION_DAYS" in misread.stderr
    done = subprocess.run([str(INFOVIEW), "prune-audit"], capture_output=True, text=True,
                          cwd=ROOT, env={**unset, "REFLEX_DB_URL": db_url}, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Deleted 1 audit events older than 365 days."
    from_setting = _run(db_url, "prune-audit", INFOVIEW_AUDIT_RETENTION_DAYS="30")
    assert from_setting.stdout.strip() == "Deleted 1 audit events older than 30 days."
    bad = _run(db_url, "prune-audit", "--days", "0")
    assert bad.returncode == 2 and "--days must be 1 to 36,500" in bad.stderr
    with Session(db.engine_for(db_url)) as session:
        assert _targets(audit.events(session)) == ["d1@uni.edu"]


def test_record_keeps_its_fields_within_their_columns(session: Session) -> None:
    audit.record(session, AuditKind.SIGN_IN_FAILED, actor_id=None, actor_email=None,
                 target=Target(email="a" * 300, detail="d" * 400), client="c" * 100)
    session.commit()
    (event,) = _all(session)
    assert len(event.target_email or "") == 254 and len(event.detail) == 255
    assert len(event.client) == 64 and event.detail.endswith("…")

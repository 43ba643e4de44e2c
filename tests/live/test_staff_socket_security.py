"""The staff's programme tools attacked over the raw event socket of the live backend: a
signed-in student (and a visitor) sending the staff's events is refused and changes nothing;
the same events sent the same way by staff do work (the positive controls)."""

import os
from typing import Any

import pytest
from sqlmodel import func, select

from infoview_app import db, routes
from infoview_app.models import AuditEvent, CommunityPartner, InstitutionSettings, Question, Role
from infoview_app.services.staff import institution
from infoview_app.state.audit import AuditLogState
from infoview_app.state.institution_settings import InstitutionSettingsState
from infoview_app.state.partner_directory import PartnerDirectoryState
from infoview_app.state.question_bank import QuestionBankState
from tests.integration.helpers import listed_partner
from tests.live import test_socket_security as attacks
from tests.live.socket_client import event_name, form, open_socket
from tests.live.test_socket_security import BAD_IDS, GENERIC_ERROR, _assert_refused

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout

signed_in = attacks.signed_in  # the fixture: a socket signed in as a new user of a role


def _partner_form(label: str) -> dict[str, str]:
    return {"name": f"Forged Partner {label} {os.urandom(3).hex()}",
            "organization": "Nowhere Inc", "field": "Mischief", "email": "forged@example.org",
            "phone": "", "consent_to_list": "on", "monthly_request_cap": "100"}


def _partner_id() -> int:
    with db.session() as session:
        return listed_partner(session)


def _sample_question_id() -> int:
    with db.session() as session:
        qid = session.exec(select(Question.id).where(Question.origin == "sample",
                                                     Question.is_active.is_(True))).first()
        assert qid is not None
        return qid


def _state_of_the_tools() -> tuple[Any, ...]:
    """Everything the forged events could change."""
    with db.session() as session:
        partners = session.exec(select(CommunityPartner.id, CommunityPartner.name,
                                       CommunityPartner.is_active)
                                .order_by(CommunityPartner.id)).all()
        question_rows = session.exec(select(Question.id, Question.text, Question.is_active)
                                     .order_by(Question.id)).all()
        settings = session.exec(select(func.count()).select_from(InstitutionSettings)).one()
        return tuple(partners), tuple(question_rows), settings, institution.get_institution(
            session)


SETTINGS = {**institution.defaults_from_environment().as_dict(),
            "office_url": "https://evil.example.org", "name": "Forged University"}


def _forged_events(partner_id: int, question_id: int) -> list[tuple[Any, str, str, dict]]:
    partner_event, question_event = PartnerDirectoryState, QuestionBankState
    return [
        (partner_event, "load", routes.STAFF_PARTNERS, {}),
        (partner_event, "open_form", routes.STAFF_PARTNERS, {"record_id": partner_id}),
        (partner_event, "save", routes.STAFF_PARTNERS,
         {"form_data": form(_partner_form("student"))}),
        (partner_event, "set_active", routes.STAFF_PARTNERS,
         {"record_id": partner_id, "active": False}),
        (question_event, "load", routes.STAFF_QUESTIONS, {}),
        (question_event, "open_form", routes.STAFF_QUESTIONS, {"record_id": question_id}),
        (question_event, "save", routes.STAFF_QUESTIONS,
         {"form_data": form({"text": "Forged question?", "category": "Forged"})}),
        (question_event, "set_active", routes.STAFF_QUESTIONS,
         {"record_id": question_id, "active": False}),
        (InstitutionSettingsState, "load", routes.STAFF_SETTINGS, {}),
        (InstitutionSettingsState, "save", routes.STAFF_SETTINGS,
         {"form_data": form(SETTINGS)}),
    ]


def _assert_nothing_sent(replies: Any) -> None:
    for state, var in ((PartnerDirectoryState, "rows"), (PartnerDirectoryState, "form_values"),
                       (QuestionBankState, "rows"), (QuestionBankState, "form_values"),
                       (InstitutionSettingsState, "values")):
        assert not replies.sent(state, var), f"{state.__name__}.{var} was sent"
    assert "Omar Haddad" not in replies.text()


def test_a_student_is_refused_every_staff_tool_event(signed_in) -> None:
    partner_id, question_id = _partner_id(), _sample_question_id()
    before = _state_of_the_tools()
    client, _ = signed_in(Role.STUDENT, "Sam Student")
    for state, handler, path, payload in _forged_events(partner_id, question_id):
        replies = client.call(event_name(state, handler), path=path, **payload)
        _assert_refused(replies, routes.NOT_ALLOWED)
        _assert_nothing_sent(replies)
    assert _state_of_the_tools() == before


def test_a_visitor_is_sent_to_sign_in_and_changes_nothing(backend_url: str) -> None:
    partner_id, question_id = _partner_id(), _sample_question_id()
    before = _state_of_the_tools()
    for state, handler, path, payload in _forged_events(partner_id, question_id):
        with open_socket(backend_url, path=path) as client:
            replies = client.call(event_name(state, handler), **payload)
        _assert_refused(replies, routes.LOGIN)
        _assert_nothing_sent(replies)
    assert _state_of_the_tools() == before


def test_staff_send_the_same_events_and_they_work(signed_in) -> None:
    """Positive control: the same events, sent the same way by staff, do change things."""
    partner_id, question_id = _partner_id(), _sample_question_id()
    client, _ = signed_in(Role.STAFF, "Stella Staff")
    values = _partner_form("staff")
    replies = client.call(event_name(PartnerDirectoryState, "save"),
                          path=routes.STAFF_PARTNERS, form_data=form(values))
    replies += client.call(event_name(PartnerDirectoryState, "set_active"),
                           path=routes.STAFF_PARTNERS, record_id=partner_id, active=False)
    replies += client.call(event_name(QuestionBankState, "set_active"),
                           path=routes.STAFF_QUESTIONS, record_id=question_id, active=False)
    replies += client.call(event_name(QuestionBankState, "set_active"),
                           path=routes.STAFF_QUESTIONS, record_id=question_id, active=True)
    assert not replies.redirects()
    assert GENERIC_ERROR not in replies.text()
    names = [row["name"] for row in replies.var(PartnerDirectoryState, "rows")]
    assert values["name"] in names
    with db.session() as session:
        retired = session.get(CommunityPartner, partner_id)
        assert retired is not None and retired.is_active is False
        question = session.get(Question, question_id)
        assert question is not None and question.is_active is True


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_bad_ids_from_staff_are_refused_cleanly(signed_in, bad_id: Any) -> None:
    partner_id = _partner_id()
    before = _state_of_the_tools()
    client, _ = signed_in(Role.STAFF, "Stella Staff")
    for state, path in ((PartnerDirectoryState, routes.STAFF_PARTNERS),
                        (QuestionBankState, routes.STAFF_QUESTIONS)):
        calls = [("set_active", {"record_id": bad_id, "active": False})]
        if bad_id != 0:  # open_form(0) opens the empty form to add a record
            calls.append(("open_form", {"record_id": bad_id}))
        for handler, payload in calls:
            replies = client.call(event_name(state, handler), path=path, **payload)
            assert GENERIC_ERROR not in replies.text(), f"{handler}({bad_id!r:.40}) raised"
            assert not replies.redirects()
            assert replies.var(state, "errors"), f"{handler}({bad_id!r:.40}) showed no message"
    assert _state_of_the_tools() == before
    with db.session() as session:
        partner = session.get(CommunityPartner, partner_id)
        assert partner is not None and partner.is_active


BAD_FORMS = [None, 42, [], "name=x", {"name": {"$ne": ""}, "email": ["x"]},
             {"name": "N" * 100_000, "office_url": "javascript:alert(1)", "text": "Q" * 100_000}]


@pytest.mark.parametrize("bad_form", BAD_FORMS, ids=[repr(f)[:24] for f in BAD_FORMS])
def test_bad_forms_from_staff_save_nothing(signed_in, bad_form: Any) -> None:
    before = _state_of_the_tools()
    client, _ = signed_in(Role.STAFF, "Stella Staff")
    for state, path in ((PartnerDirectoryState, routes.STAFF_PARTNERS),
                        (QuestionBankState, routes.STAFF_QUESTIONS),
                        (InstitutionSettingsState, routes.STAFF_SETTINGS)):
        replies = client.call(event_name(state, "save"), path=path, form_data=bad_form)
        assert GENERIC_ERROR not in replies.text()
        assert not replies.redirects()
        assert replies.var(state, "errors")
    assert _state_of_the_tools() == before


# --- the admin's audit log ------------------------------------------------------------------

AUDIT_EVENTS = [("load", {}), ("apply_filters", {"form_data": form({"kind": "", "email": "",
                                                                     "start": "", "end": ""})}),
                ("reset_filters", {}), ("download_csv", {})]


def _audit_count() -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.STAFF])
def test_the_audit_log_is_refused_to_students_and_staff(signed_in, role: Role) -> None:
    client, user = signed_in(role, "Nosy Reader")
    before = _audit_count()
    for handler, payload in AUDIT_EVENTS:
        replies = client.call(event_name(AuditLogState, handler), path=routes.ADMIN_AUDIT,
                              **payload)
        _assert_refused(replies, routes.NOT_ALLOWED)
        assert not replies.sent(AuditLogState, "rows"), handler
        assert "infoview-audit-log.csv" not in replies.text()
        assert user["email"] not in replies.text()  # their own sign-in event is not sent
    assert _audit_count() == before  # a refused download records nothing


def test_an_admin_reads_the_audit_log_over_the_socket(signed_in) -> None:
    """Positive control: the same events from an admin send the rows."""
    client, admin = signed_in(Role.ADMIN, "Ada Socket")
    replies = client.call(event_name(AuditLogState, "load"), path=routes.ADMIN_AUDIT)
    assert not replies.redirects()
    rows = replies.var(AuditLogState, "rows")
    assert any(row["actor"] == admin["email"] and row["event"] == "Signed in" for row in rows)

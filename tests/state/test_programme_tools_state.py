"""The staff's programme-tool handlers under pytest: students and visitors are refused before
anything changes, staff and admins are admitted, bad input becomes messages beside fields."""

from typing import Any

import pytest
from sqlmodel import func, select

from infoview_app import db
from infoview_app.models import CommunityPartner, InstitutionSettings, Question, Role
from infoview_app.services.staff import institution
from infoview_app.state.base import SessionState
from infoview_app.state.institution_settings import InstitutionSettingsState
from infoview_app.state.partner_directory import PartnerDirectoryState
from infoview_app.state.question_bank import QuestionBankState
from tests.integration.helpers import listed_partner
from tests.state.conftest import call, redirect_path

PARTNER = {"name": "Dana Reyes", "organization": "Lakeside Sports Rehab",
           "field": "Physical therapy", "email": "dana@lakeside.example", "phone": "",
           "consent_to_list": "on", "monthly_request_cap": "3"}
QUESTION = {"text": "What does a good week look like?", "category": "The work"}
SETTINGS = {**institution.defaults_from_environment().as_dict(), "name": "Lakeview College"}


def _count(model: Any, *where: Any) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _partner() -> int:
    with db.session() as session:
        return listed_partner(session)


def _as(substate: Any, signed_in: Any, role: Role | None) -> None:
    if role is not None:
        substate(SessionState).auth_token = signed_in(role)[1]


# Every handler, with arguments that would change something if it ran.
def _forged_calls(partner_id: int, question_id: int) -> list[tuple[type, str, tuple]]:
    return [
        (PartnerDirectoryState, "load", ()),
        (PartnerDirectoryState, "open_form", (partner_id,)),
        (PartnerDirectoryState, "save", (PARTNER,)),
        (PartnerDirectoryState, "set_active", (partner_id, False)),
        (PartnerDirectoryState, "set_form_open", (True,)),
        (QuestionBankState, "load", ()),
        (QuestionBankState, "open_form", (question_id,)),
        (QuestionBankState, "save", (QUESTION,)),
        (QuestionBankState, "set_active", (question_id, False)),
        (InstitutionSettingsState, "load", ()),
        (InstitutionSettingsState, "save", (SETTINGS,)),
    ]


@pytest.mark.parametrize(("role", "path"), [(Role.STUDENT, "/not-allowed"), (None, "/login")])
def test_students_and_visitors_are_refused_and_nothing_changes(
        substate: Any, signed_in: Any, role: Role | None, path: str) -> None:
    partner_id = _partner()
    with db.session() as session:
        question_id = session.exec(select(Question.id).where(Question.origin == "sample")
                                   ).first()
    questions_before = _count(Question)
    _as(substate, signed_in, role)
    for state_class, handler, args in _forged_calls(partner_id, question_id):
        state = substate(state_class)
        assert redirect_path(call(state, handler, *args)) == path, f"{handler} admitted"
        assert state.errors == {}
        assert not getattr(state, "rows", []) and not getattr(state, "values", {})
        assert getattr(state, "form_open", False) is False
    assert _count(CommunityPartner) == 1
    assert _count(CommunityPartner, CommunityPartner.is_active.is_(True)) == 1
    assert _count(Question) == questions_before
    assert _count(Question, Question.is_active.is_(False)) == 0
    assert _count(InstitutionSettings) == 0


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_add_edit_and_retire_partners(substate: Any, signed_in: Any,
                                                       role: Role) -> None:
    _as(substate, signed_in, role)
    state = substate(PartnerDirectoryState)
    assert redirect_path(call(state, "load")) is None and state.loaded and state.rows == []
    call(state, "open_form", 0)
    assert state.form_open and state.editing_id == 0
    assert state.form_values["monthly_request_cap"] == "5"
    call(state, "save", PARTNER)
    assert state.errors == {} and state.form_open is False
    (row,) = state.rows
    assert (row["name"], row["cap"], row["listed"], row["this_month"]) == (
        "Dana Reyes", 3, True, 0)

    call(state, "open_form", row["id"])
    assert state.editing_id == row["id"] and state.form_values["name"] == "Dana Reyes"
    call(state, "save", {**PARTNER, "name": "Dana Reyes-Okafor", "consent_to_list": ""})
    assert state.editing_id == 0
    assert [(r["name"], r["listed"]) for r in state.rows] == [("Dana Reyes-Okafor", False)]
    call(state, "set_active", row["id"], False)
    assert state.rows[0]["active"] is False
    call(state, "set_active", row["id"], True)
    assert state.rows[0]["active"] is True


def test_bad_partner_input_shows_messages_beside_fields_and_saves_nothing(
        substate: Any, signed_in: Any) -> None:
    _as(substate, signed_in, Role.STAFF)
    state = substate(PartnerDirectoryState)
    call(state, "load")
    call(state, "open_form", 0)
    call(state, "save", {**PARTNER, "name": "", "email": "nope", "monthly_request_cap": "500"})
    assert set(state.errors) == {"name", "email", "monthly_request_cap"}
    assert state.form_open is True  # the dialog stays open with the messages
    for garbage in (None, ["name"], "name=x", 7):
        call(state, "save", garbage)
        assert state.errors
    assert _count(CommunityPartner) == 0


@pytest.mark.parametrize("bad_id", ["1 OR 1=1", -1, {"id": 1}, [1], "x" * 10_000, 2**63, None])
def test_bad_record_ids_are_refused_with_a_message(substate: Any, signed_in: Any,
                                                   bad_id: Any) -> None:
    partner_id = _partner()
    _as(substate, signed_in, Role.STAFF)
    for state_class in (PartnerDirectoryState, QuestionBankState):
        state = substate(state_class)
        call(state, "load")
        for handler, args in (("open_form", (bad_id,)), ("set_active", (bad_id, False))):
            state.errors = {}
            assert redirect_path(call(state, handler, *args)) is None
            assert state.errors, f"{state_class.__name__}.{handler}({bad_id!r:.30})"
        assert state.form_open is False
    assert _count(CommunityPartner, CommunityPartner.id == partner_id,
                  CommunityPartner.is_active.is_(True)) == 1
    assert _count(Question, Question.is_active.is_(False)) == 0


def test_an_unknown_partner_reads_as_gone(substate: Any, signed_in: Any) -> None:
    partner_id = _partner()
    _as(substate, signed_in, Role.STAFF)
    state = substate(PartnerDirectoryState)
    call(state, "set_active", partner_id + 1, False)
    assert state.errors == {"form": "That partner no longer exists."}


def test_staff_add_retire_and_restore_questions(substate: Any, signed_in: Any) -> None:
    _as(substate, signed_in, Role.STAFF)
    state = substate(QuestionBankState)
    call(state, "load")
    samples = len(state.rows)
    assert samples == 12 and "The work" in state.categories
    call(state, "open_form", 0)
    call(state, "save", {"text": "", "category": "C" * 61})
    assert set(state.errors) == {"text", "category"} and len(state.rows) == samples
    call(state, "save", QUESTION)
    added = next(row for row in state.rows if row["text"] == QUESTION["text"])
    assert added["sample"] is False and added["active"] is True
    call(state, "set_active", added["id"], False)
    assert next(r for r in state.rows if r["id"] == added["id"])["active"] is False
    assert state.rows[-1]["id"] == added["id"]
    call(state, "open_form", added["id"])
    assert state.form_values == QUESTION


def test_a_students_own_question_cannot_be_retired_by_staff(substate: Any,
                                                            signed_in: Any) -> None:
    student_id, _ = signed_in(Role.STUDENT)
    with db.session() as session:
        own = Question(text="Mine", origin="student", owner_id=student_id)
        session.add(own)
        session.commit()
        own_id = own.id
    _as(substate, signed_in, Role.STAFF)
    state = substate(QuestionBankState)
    call(state, "set_active", own_id, False)
    assert state.errors == {"form": "That question no longer exists."}
    assert _count(Question, Question.id == own_id, Question.is_active.is_(True)) == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_save_institution_settings(substate: Any, signed_in: Any,
                                                    role: Role) -> None:
    _as(substate, signed_in, role)
    state = substate(InstitutionSettingsState)
    call(state, "load")
    assert state.values == institution.defaults_from_environment().as_dict()
    call(state, "save", {**SETTINGS, "office_url": "javascript:alert(1)", "office_email": "",
                         "min_group_size": "3"})
    assert set(state.errors) == {"office_url", "office_email", "min_group_size"}
    assert state.errors["min_group_size"] == "Enter a whole number from 5 to 50."
    assert _count(InstitutionSettings) == 0
    events = call(state, "save", {**SETTINGS, "min_group_size": "10"})
    assert state.errors == {} and state.values["name"] == "Lakeview College"
    assert state.values["min_group_size"] == "10"
    assert any("InstitutionState.load" in str(event) or "institution_state.load" in str(event)
               for event in events)
    with db.session() as session:
        assert institution.get_institution(session).name == "Lakeview College"
        assert institution.min_group_size(session) == 10

"""The staff's programme tools against SQLite and PostgreSQL: the community-partner directory
(with the monthly cap students meet), the office's question bank and the institution
settings."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from infoview_app.models import (
    CommunityPartner,
    Contact,
    InstitutionSettings,
    InterviewAnswer,
    PartnerRequest,
    Question,
    QuestionOrigin,
)
from infoview_app.services.accounts import user_accounts
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.develop import contacts, partners
from infoview_app.services.interview import interview_mode
from infoview_app.services.prepare import questions
from infoview_app.services.staff import institution, partner_directory, question_bank
from tests.factories import BY, PASSWORD, add_contact, add_interview, student_with_exploration
from tests.integration.helpers import count, statements

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
LAST_MONTH = datetime(2026, 2, 27, 9, 0, tzinfo=UTC)


def _partner_form(name: Any = "Dana Reyes", **changes: Any) -> dict[str, Any]:
    """A valid partner form (the email made from the first name), with ``changes``."""
    first = name.split()[0].lower() if isinstance(name, str) and name.split() else "partner"
    return {"name": name, "organization": "Lakeside Sports Rehab", "field": "Physical therapy",
            "email": f"{first}@lakeside.example", "phone": "(555) 013-2290",
            "consent_to_list": "on", "monthly_request_cap": "2", **changes}


def _partner(session: Session, name: str = "Dana Reyes", **changes: Any) -> int:
    partner = partner_directory.add_partner(session, _partner_form(name, **changes))
    assert partner.id is not None
    return partner.id


def _requests(session: Session, partner_id: int, *when: datetime) -> None:
    """Requests made of the partner at the given times, each by a new student."""
    for moment in when:
        owner, _ = student_with_exploration(session, 100 + count(session, PartnerRequest))
        session.add(PartnerRequest(partner_id=partner_id, student_id=owner, requested_at=moment))
    session.commit()


def _row(session: Session, partner_id: int) -> dict[str, Any]:
    return next(row for row in partner_directory.directory(session, NOW)
                if row["id"] == partner_id)


# --- community partners ---------------------------------------------------------------------

def test_added_partner_is_listed_for_students_only_with_consent_and_while_active(
        session: Session) -> None:
    listed = _partner(session, "Dana Reyes")
    unlisted = _partner(session, "Omar Haddad", consent_to_list="")
    retired = _partner(session, "Lee Park")
    partner_directory.set_partner_active(session, retired, False)
    assert [p["id"] for p in partners.listed_partners(session, NOW)] == [listed]
    rows = partner_directory.directory(session, NOW)
    assert [row["id"] for row in rows] == [listed, unlisted, retired]  # retired last
    assert [(row["listed"], row["active"]) for row in rows] == [
        (True, True), (False, True), (True, False)]
    stored = session.get(CommunityPartner, listed)
    assert stored is not None
    assert (stored.email, stored.monthly_request_cap) == ("dana@lakeside.example", 2)


def test_directory_counts_requests_this_month_and_in_total_in_one_query(
        session: Session) -> None:
    busy, quiet = _partner(session, "Dana Reyes"), _partner(session, "Omar Haddad")
    _requests(session, busy, LAST_MONTH, LAST_MONTH, NOW - timedelta(days=1), NOW)
    with statements(session) as seen:
        rows = partner_directory.directory(session, NOW)
    assert len(seen) == 1
    by_id = {row["id"]: row for row in rows}
    assert (by_id[busy]["this_month"], by_id[busy]["total"], by_id[busy]["at_cap"]) == (
        2, 4, True)
    assert (by_id[quiet]["this_month"], by_id[quiet]["total"], by_id[quiet]["at_cap"]) == (
        0, 0, False)


@pytest.mark.parametrize(("changes", "fields"), [
    ({"name": " ", "organization": "", "field": ""}, {"name", "organization", "field"}),
    ({"email": "not-an-address"}, {"email"}),
    ({"email": "", "phone": ""}, {"email"}),
    ({"email": "", "phone": "", "name": ""}, {"email", "name"}),
    ({"email": "", "phone": None}, {"email"}),
    ({"phone": "call me maybe"}, {"phone"}),
    ({"monthly_request_cap": "0"}, {"monthly_request_cap"}),
    ({"monthly_request_cap": "101"}, {"monthly_request_cap"}),
    ({"monthly_request_cap": "2.5"}, {"monthly_request_cap"}),
    ({"monthly_request_cap": True}, {"monthly_request_cap"}),
    ({"monthly_request_cap": "-3"}, {"monthly_request_cap"}),
    ({"consent_to_list": "maybe"}, {"consent_to_list"}),
    ({"name": "N" * 121, "organization": "O" * 161}, {"name", "organization"}),
    ({"name": {"$ne": ""}, "field": ["x"]}, {"name", "field"}),
    ({"organization": "Nul\x00Org"}, {"organization"}),
])
def test_an_invalid_partner_is_refused_field_by_field_and_nothing_is_saved(
        session: Session, changes: dict[str, Any], fields: set[str]) -> None:
    with pytest.raises(InvalidInput) as refused:
        partner_directory.add_partner(session, _partner_form(**changes))
    assert set(refused.value.errors) == fields
    assert count(session, CommunityPartner) == 0


@pytest.mark.parametrize("form", [None, "name=x", ["name"], 42])
def test_a_form_that_is_not_a_form_is_refused(session: Session, form: Any) -> None:
    with pytest.raises(InvalidInput):
        partner_directory.add_partner(session, form)
    assert count(session, CommunityPartner) == 0


def test_the_cap_bounds_are_accepted(session: Session) -> None:
    low = _partner(session, "Dana Reyes", monthly_request_cap="1")
    high = _partner(session, "Omar Haddad", monthly_request_cap=100)
    assert (_row(session, low)["cap"], _row(session, high)["cap"]) == (1, 100)


def test_editing_a_partner_keeps_the_contacts_students_already_made(session: Session) -> None:
    pid = _partner(session)
    owner, exploration = student_with_exploration(session, 1)
    partners.request_introduction(session, owner, exploration, pid, NOW)
    partner_directory.update_partner(session, pid, _partner_form(
        "Dana Reyes-Okafor", email="dana@newclinic.example", monthly_request_cap="7"))
    assert partner_directory.partner_form_values(session, pid) == {
        "name": "Dana Reyes-Okafor", "organization": "Lakeside Sports Rehab",
        "field": "Physical therapy", "email": "dana@newclinic.example",
        "phone": "(555) 013-2290", "consent_to_list": "on", "monthly_request_cap": "7"}
    contact = session.exec(select(Contact).where(Contact.partner_id == pid)).one()
    assert (contact.name, contact.email) == ("Dana Reyes", "dana@lakeside.example")


def test_an_invalid_edit_changes_nothing(session: Session) -> None:
    pid = _partner(session)
    with pytest.raises(InvalidInput):
        partner_directory.update_partner(session, pid, _partner_form("", monthly_request_cap=0))
    session.expire_all()
    assert _row(session, pid)["name"] == "Dana Reyes" and _row(session, pid)["cap"] == 2


def test_retiring_keeps_requests_and_contacts_and_restoring_lists_again(
        session: Session) -> None:
    pid = _partner(session)
    owner, exploration = student_with_exploration(session, 1)
    partners.request_introduction(session, owner, exploration, pid, NOW)
    partner_directory.set_partner_active(session, pid, False)
    assert partners.listed_partners(session, NOW) == []
    with pytest.raises(NotFound):
        partners.request_introduction(session, owner, exploration, pid, NOW)
    assert count(session, PartnerRequest, PartnerRequest.partner_id == pid) == 1
    assert count(session, Contact, Contact.partner_id == pid) == 1
    assert _row(session, pid)["total"] == 1
    partner_directory.set_partner_active(session, pid, True)
    assert [p["id"] for p in partners.listed_partners(session, NOW)] == [pid]


@pytest.mark.parametrize("active", ["false", 0, None, "no", [False]])
def test_retire_needs_a_real_boolean(session: Session, active: Any) -> None:
    pid = _partner(session)
    with pytest.raises(InvalidInput):
        partner_directory.set_partner_active(session, pid, active)
    assert _row(session, pid)["active"] is True


@pytest.mark.parametrize("partner_id", ["1 OR 1=1", -1, 0, True, None, {"id": 1}, 2**63])
def test_a_malformed_partner_id_is_invalid_input(session: Session, partner_id: Any) -> None:
    _partner(session)
    with pytest.raises(InvalidInput):
        partner_directory.set_partner_active(session, partner_id, False)
    with pytest.raises(InvalidInput):
        partner_directory.update_partner(session, partner_id, _partner_form())


def test_an_unknown_partner_is_not_found(session: Session) -> None:
    pid = _partner(session)
    for call in (lambda: partner_directory.set_partner_active(session, pid + 99, False),
                 lambda: partner_directory.partner_form_values(session, pid + 99),
                 lambda: partner_directory.update_partner(session, pid + 99, _partner_form())):
        with pytest.raises(NotFound):
            call()


def test_a_request_past_the_cap_is_refused_naming_partners_who_can_still_take_one(
        session: Session) -> None:
    full = _partner(session, "Dana Reyes", monthly_request_cap="1")
    _requests(session, full, NOW - timedelta(days=2))
    _partner(session, "Zoe Other Field", field="Nursing", organization="Mercy Hospital")
    _partner(session, "Ana Same Field", organization="Northfield Clinic")
    other_full = _partner(session, "Ben Also Full", monthly_request_cap="1")
    _requests(session, other_full, NOW - timedelta(days=1))
    partner_directory.set_partner_active(session, _partner(session, "Rita Retired"), False)
    _partner(session, "Ulla Unlisted", consent_to_list="")
    owner, exploration = student_with_exploration(session, 1)

    with pytest.raises(InvalidInput) as refused:
        partners.request_introduction(session, owner, exploration, full, NOW)
    message = refused.value.errors["partner"]
    assert message.startswith("Dana Reyes has had all the requests they can take this month.")
    # Those in the same field first, then the others; never a full, retired or unlisted one.
    assert "Ana Same Field (Northfield Clinic, Physical therapy); Zoe Other Field" in message
    for absent in ("Ben Also Full", "Rita Retired", "Ulla Unlisted"):
        assert absent not in message
    assert count(session, Contact, Contact.owner_id == owner) == 0
    assert count(session, PartnerRequest, PartnerRequest.student_id == owner) == 0
    # Last month's requests don't count against this month's cap.
    assert partners.request_introduction(session, owner, exploration, full,
                                         NOW + timedelta(days=14)).partner_id == full


def test_a_students_requests_of_a_partner_count_once_a_month_whatever_happens_later(
        session: Session) -> None:
    """The finding: one student used up a partner's month by requesting, removing the contact
    and requesting again. Requests count from when they are made; the student's own count
    once a month; removing the contact or deleting the account gives no place back."""
    pid = _partner(session, monthly_request_cap="2")
    asker, exploration = student_with_exploration(session, 1)
    for _ in range(3):
        contact = partners.request_introduction(session, asker, exploration, pid, NOW)
        assert _row(session, pid)["this_month"] == 1
        contacts.delete_contact(session, asker, contact.id)
        assert _row(session, pid)["this_month"] == 1
    again = partners.request_introduction(session, asker, exploration, pid, NOW)
    request = session.exec(select(PartnerRequest).where(PartnerRequest.partner_id == pid)).one()
    assert (request.student_id, request.contact_id) == (asker, again.id)
    other, other_exploration = student_with_exploration(session, 2)
    partners.request_introduction(session, other, other_exploration, pid, NOW)
    assert _row(session, pid)["at_cap"]
    late, late_exploration = student_with_exploration(session, 3)
    with pytest.raises(InvalidInput):
        partners.request_introduction(session, late, late_exploration, pid, NOW)
    # A student who already asked this month gets the partner back even at the cap.
    contacts.delete_contact(session, asker, again.id)
    partners.request_introduction(session, asker, exploration, pid, NOW)
    # Deleting an account keeps its request, without the student: still counted.
    user_accounts.delete_account(session, other, PASSWORD, by=BY)
    assert (_row(session, pid)["this_month"], _row(session, pid)["total"]) == (2, 2)
    kept = session.exec(select(PartnerRequest).where(col(PartnerRequest.student_id).is_(None))
                        ).one()
    assert (kept.partner_id, kept.contact_id) == (pid, None)
    with pytest.raises(InvalidInput):
        partners.request_introduction(session, late, late_exploration, pid, NOW)
    # Next month, a new request counts again.
    next_month = NOW + timedelta(days=20)
    contacts.delete_contact(session, asker, session.exec(select(Contact.id).where(
        Contact.owner_id == asker, Contact.partner_id == pid)).one())
    partners.request_introduction(session, asker, exploration, pid, next_month)
    assert count(session, PartnerRequest, PartnerRequest.student_id == asker) == 2


def test_when_no_partner_can_take_a_request_the_message_points_to_the_office(
        session: Session) -> None:
    full = _partner(session, monthly_request_cap="1")
    _requests(session, full, NOW)
    owner, exploration = student_with_exploration(session, 1)
    with pytest.raises(InvalidInput, match="No other partner can take a request this month"):
        partners.request_introduction(session, owner, exploration, full, NOW)


# --- the question bank ------------------------------------------------------------------------

def _staff_question(session: Session, text: str = "How did you find your first role?",
                    category: str = "Career path") -> int:
    question = question_bank.add_question(session, {"text": text, "category": category})
    assert question.id is not None
    return question.id


def _bank_ids(session: Session, owner: int) -> list[int]:
    return [q["id"] for q in questions.question_bank(session, owner)]


def test_a_staff_question_is_offered_to_students_after_its_category(session: Session) -> None:
    owner, _ = student_with_exploration(session, 1)
    qid = _staff_question(session)
    question = session.get(Question, qid)
    assert question is not None
    assert (question.origin, question.owner_id) == (QuestionOrigin.STAFF, None)
    sample_positions = session.exec(select(Question.position).where(
        Question.origin == QuestionOrigin.SAMPLE, Question.category == "Career path")).all()
    assert question.position == max(sample_positions) + 1
    bank = questions.question_bank(session, owner)
    assert bank[-1] == {"id": qid, "text": "How did you find your first role?",
                        "category": "Career path", "origin": "staff"}
    listed = {row["id"]: row for row in question_bank.office_questions(session)}
    assert listed[qid]["sample"] is False and listed[qid]["chosen"] == "0"
    assert "Career path" in question_bank.categories(session)


def test_how_often_a_question_was_chosen_counts_per_question_and_hides_small_groups(
        session: Session) -> None:
    popular, rare, unchosen = (_staff_question(session, text) for text in (
        "What surprised you?", "What do you read?", "Who should I meet?"))
    for number in range(1, 6):
        owner, exploration = student_with_exploration(session, number)
        questions.choose_question(session, owner, exploration, popular)
        if number == 1:
            questions.choose_question(session, owner, exploration, rare)
    listed = {row["id"]: row["chosen"] for row in question_bank.office_questions(session)}
    assert (listed[popular], listed[rare], listed[unchosen]) == ("5", "<5", "0")
    # The institution's minimum group size applies here too.
    institution.save_institution(session, {**SETTINGS, "min_group_size": "10"}, by=BY)
    listed = {row["id"]: row["chosen"] for row in question_bank.office_questions(session)}
    assert (listed[popular], listed[rare], listed[unchosen]) == ("<10", "<10", "0")


def test_how_often_a_question_was_chosen_is_rounded_so_one_more_choice_tells_nothing(
        session: Session) -> None:
    """Seven students chose it, then an eighth: both counts read as a multiple of 5 drawn
    from the question's own cell, the same each time they are read."""
    question = _staff_question(session, "What do you wish you had known?")

    def listed() -> str:
        return {row["id"]: row["chosen"] for row in question_bank.office_questions(session)
                }[question]

    for number in range(1, 8):
        owner, exploration = student_with_exploration(session, number)
        questions.choose_question(session, owner, exploration, question)
    seven = listed()
    assert seven in ("5", "10") and listed() == seven
    owner, exploration = student_with_exploration(session, 8)
    questions.choose_question(session, owner, exploration, question)
    assert listed() in ("5", "10")


def test_a_retired_question_is_not_offered_but_stays_in_explorations_and_interviews(
        session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    qid = _staff_question(session)
    questions.choose_question(session, owner, exploration, qid)
    interview = add_interview(session, add_contact(session, owner, exploration))
    interview_mode.save_answer(session, owner, interview.id, qid, "Through a practicum.")

    question_bank.set_question_active(session, qid, False)
    assert qid not in _bank_ids(session, owner)
    other, other_exploration = student_with_exploration(session, 2)
    with pytest.raises(NotFound):
        questions.choose_question(session, other, other_exploration, qid)
    chosen = questions.chosen_questions(session, owner, exploration)
    assert [(q["id"], q["retired"]) for q in chosen] == [(qid, True)]
    sheet = interview_mode.interview_sheet(session, owner, interview.id)
    assert [(q["question_id"], q["question"], q["answer"]) for q in sheet["questions"]] == [
        (qid, "How did you find your first role?", "Through a practicum.")]
    assert count(session, InterviewAnswer, InterviewAnswer.question_id == qid) == 1
    listed = {row["id"]: row for row in question_bank.office_questions(session)}
    assert (listed[qid]["active"], listed[qid]["chosen"]) == (False, "<5")  # one student
    assert list(listed)[-1] == qid  # retired questions come last

    question_bank.set_question_active(session, qid, True)
    assert qid in _bank_ids(session, owner)


def test_a_sample_question_can_be_retired_and_restored(session: Session) -> None:
    owner, _ = student_with_exploration(session, 1)
    sample = _bank_ids(session, owner)[0]
    question_bank.set_question_active(session, sample, False)
    assert sample not in _bank_ids(session, owner)
    question_bank.set_question_active(session, sample, True)
    assert sample in _bank_ids(session, owner)


def test_editing_a_question_changes_its_wording_where_it_was_chosen(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    qid = _staff_question(session, "How did you find you first role?")
    questions.choose_question(session, owner, exploration, qid)
    question_bank.update_question(session, qid, {"text": "How did you find your first role?",
                                                 "category": "Getting started"})
    chosen = questions.chosen_questions(session, owner, exploration)
    assert [(q["text"], q["category"]) for q in chosen] == [
        ("How did you find your first role?", "Getting started")]
    assert question_bank.question_form_values(session, qid) == {
        "text": "How did you find your first role?", "category": "Getting started"}


def test_a_students_own_question_is_not_the_offices(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    own = questions.add_own_question(session, owner, exploration, "What surprised you?")
    for call in (lambda: question_bank.set_question_active(session, own, False),
                 lambda: question_bank.update_question(session, own, {"text": "Hacked",
                                                                       "category": "X"}),
                 lambda: question_bank.question_form_values(session, own)):
        with pytest.raises(NotFound):
            call()
    stored = session.get(Question, own)
    assert stored is not None
    assert (stored.text, stored.is_active) == ("What surprised you?", True)
    assert own not in [row["id"] for row in question_bank.office_questions(session)]


@pytest.mark.parametrize(("form", "fields"), [
    ({"text": "", "category": ""}, {"text", "category"}),
    ({"text": "Q" * 501, "category": "C" * 61}, {"text", "category"}),
    ({"text": ["x"], "category": {"a": 1}}, {"text", "category"}),
    (None, {"text", "category"}),
])
def test_an_invalid_question_is_refused_field_by_field(session: Session, form: Any,
                                                       fields: set[str]) -> None:
    before = count(session, Question)
    with pytest.raises(InvalidInput) as refused:
        question_bank.add_question(session, form)
    assert set(refused.value.errors) == fields
    assert count(session, Question) == before


def test_categories_leave_out_those_only_retired_questions_use(session: Session) -> None:
    qid = _staff_question(session, "Anything else?", "Odds and ends")
    assert "Odds and ends" in question_bank.categories(session)
    question_bank.set_question_active(session, qid, False)
    assert "Odds and ends" not in question_bank.categories(session)


# --- institution settings -----------------------------------------------------------------------

SETTINGS = {
    "name": "Lakeview College", "office_name": "Career Center",
    "office_phone": "+1 (555) 010-9999", "office_email": "Careers@Lakeview.example.edu",
    "office_address": "Hall B, Room 12", "office_url": "https://careers.lakeview.example.edu",
    "onet_url_template": "https://www.onetonline.org/link/details/{code}",
    "ooh_url": "https://www.bls.gov/ooh/", "major_to_career_url": "http://lakeview.example.edu/m",
    "time_zone": "America/Chicago", "min_group_size": "10",
}


def test_saved_settings_replace_the_defaults_in_one_row(session: Session) -> None:
    assert institution.get_institution(session) == institution.defaults_from_environment()
    institution.save_institution(session, SETTINGS, by=BY)
    saved = institution.save_institution(session, {**SETTINGS, "office_name": "Careers"}, by=BY)
    assert count(session, InstitutionSettings) == 1
    assert institution.get_institution(session) == saved
    assert saved.office_name == "Careers"
    assert saved.office_email == "Careers@lakeview.example.edu"  # domain normalised
    assert institution.time_zone(session).key == "America/Chicago"
    assert institution.min_group_size(session) == 10
    assert institution.save_institution(session, {**SETTINGS, "min_group_size": " 25 "}
                                        , by=BY).min_group_size == "25"
    assert institution.min_group_size(session) == 25


def test_the_minimum_group_size_defaults_to_five_or_the_environments(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    assert institution.min_group_size(session) == 5
    monkeypatch.setenv("INFOVIEW_MIN_GROUP_SIZE", "10")
    assert institution.min_group_size(session) == 10
    for unusable in ("3", "ten", "1000"):  # under the rounding base, not a number, too big
        monkeypatch.setenv("INFOVIEW_MIN_GROUP_SIZE", unusable)
        assert institution.min_group_size(session) == 5


def test_a_time_zone_this_machine_does_not_know_counts_as_utc(session: Session) -> None:
    """A zone stored elsewhere (another machine's zone database, a hand edit) never fails
    the dashboard."""
    session.add(InstitutionSettings(**{**SETTINGS, "time_zone": "Atlantis/Poseidonia",
                                       "min_group_size": 10}))
    session.commit()
    assert institution.time_zone(session).key == "UTC"


@pytest.mark.parametrize(("changes", "fields"), [
    ({"office_url": "javascript:alert(1)", "ooh_url": "ftp://bls.gov/ooh",
      "major_to_career_url": "/majors"}, {"office_url", "ooh_url", "major_to_career_url"}),
    ({"office_url": "https://", "ooh_url": "https://exa mple.edu",
      "major_to_career_url": "data:text/html,hi"}, {"office_url", "ooh_url",
                                                    "major_to_career_url"}),
    ({"onet_url_template": "https://www.onetonline.org/link/summary/"}, {"onet_url_template"}),
    ({"onet_url_template": "https://x.example/{code}/{0}"}, {"onet_url_template"}),
    ({"onet_url_template": "javascript:{code}"}, {"onet_url_template"}),
    ({"office_email": "careers at lakeview", "office_phone": "ext. please"},
     {"office_email", "office_phone"}),
    ({"office_phone": "", "name": "", "office_address": " "},
     {"office_phone", "name", "office_address"}),
    ({"office_url": "https://x.example/" + "a" * 300}, {"office_url"}),
    ({"time_zone": "Mars/Olympus_Mons"}, {"time_zone"}),
    ({"time_zone": "localtime"}, {"time_zone"}),
    ({"time_zone": ["UTC"]}, {"time_zone"}),
    ({"min_group_size": "4"}, {"min_group_size"}),
    ({"min_group_size": "51"}, {"min_group_size"}),
    ({"min_group_size": "7.5", "time_zone": ""}, {"min_group_size", "time_zone"}),
    ({"min_group_size": ""}, {"min_group_size"}),
    ({"min_group_size": True}, {"min_group_size"}),
    ({"min_group_size": ["10"]}, {"min_group_size"}),
])
def test_invalid_settings_are_refused_field_by_field_and_nothing_is_saved(
        session: Session, changes: dict[str, Any], fields: set[str]) -> None:
    with pytest.raises(InvalidInput) as refused:
        institution.save_institution(session, {**SETTINGS, **changes}, by=BY)
    assert set(refused.value.errors) == fields
    assert count(session, InstitutionSettings) == 0
    assert institution.get_institution(session) == institution.defaults_from_environment()

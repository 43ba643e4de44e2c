"""Contacts against a real database: owner scoping, duplicates, removal."""

import pytest
from sqlmodel import Session, func, select

from infoview_app.models import (
    Contact,
    FollowUpKind,
    FollowUpTask,
    Interview,
    OutreachAttempt,
    OutreachChannel,
    OutreachOutcome,
)
from infoview_app.models._base import utcnow
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.develop import contacts
from tests.factories import student_with_exploration

RIVERA = {"name": "Dr. Elena Rivera", "organization": "Northfield University",
          "email": "erivera@northfield.edu", "source": "faculty"}


def test_add_list_update_and_owner_scoping(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other, other_exploration = student_with_exploration(session, 2)
    added = contacts.add_contact(session, owner, exploration, RIVERA)
    assert [c["name"] for c in contacts.list_contacts(session, owner, exploration)] == [
        "Dr. Elena Rivera"]
    with pytest.raises(NotFound):
        contacts.add_contact(session, other, exploration, RIVERA)
    with pytest.raises(NotFound):
        contacts.update_contact(session, other, added.id, {"name": "Hijacked"})
    with pytest.raises(NotFound):
        contacts.list_contacts(session, other, exploration)
    updated = contacts.update_contact(session, owner, added.id,
                                      {**RIVERA, "title": "Associate Professor"})
    assert updated.title == "Associate Professor"
    assert contacts.list_contacts(session, other, other_exploration) == []


def test_invalid_contact_saves_nothing(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    with pytest.raises(InvalidInput):
        contacts.add_contact(session, owner, exploration, {**RIVERA, "email": "bad@"})
    assert session.exec(select(func.count()).select_from(Contact)).one() == 0


def test_duplicates_by_email_or_by_name_and_organization(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other, _ = student_with_exploration(session, 2)
    existing = contacts.add_contact(session, owner, exploration, RIVERA)
    same_email = contacts.clean_contact({"name": "E. Rivera", "email": "ERIVERA@northfield.edu"})
    assert contacts.duplicate_warning(session, owner, same_email) == (
        "Dr. Elena Rivera in your list has the same email.")
    same_person = contacts.clean_contact({"name": "dr. elena rivera",
                                          "organization": "NORTHFIELD UNIVERSITY"})
    assert contacts.duplicate_warning(session, owner, same_person) == (
        "Dr. Elena Rivera in your list has the same name and organization.")
    assert contacts.duplicate_warning(session, owner, same_person, exclude_id=existing.id) == ""
    assert contacts.duplicate_warning(session, other, same_email) == ""
    someone_else = contacts.clean_contact({"name": "Sam Okafor", "organization": "Lakeside"})
    assert contacts.duplicate_warning(session, owner, someone_else) == ""


def test_delete_contact_removes_their_log_and_keeps_people_they_referred(
        session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    rivera = contacts.add_contact(session, owner, exploration, RIVERA)
    okafor = contacts.add_contact(session, owner, exploration, {"name": "Sam Okafor"})
    okafor.referred_by_id = rivera.id
    session.add_all([
        okafor,
        OutreachAttempt(owner_id=owner, contact_id=rivera.id, channel=OutreachChannel.EMAIL,
                        outcome=OutreachOutcome.SCHEDULED, attempted_on=utcnow().date()),
        Interview(owner_id=owner, contact_id=rivera.id, exploration_id=exploration,
                  scheduled_at=utcnow()),
        FollowUpTask(owner_id=owner, contact_id=rivera.id, kind=FollowUpKind.THANK_YOU_NOTE,
                     due_on=utcnow().date()),
    ])
    session.commit()
    other, _ = student_with_exploration(session, 2)
    with pytest.raises(NotFound):
        contacts.delete_contact(session, other, rivera.id)
    assert contacts.delete_contact(session, owner, rivera.id) == "Dr. Elena Rivera"
    session.expire_all()
    for model in (OutreachAttempt, Interview, FollowUpTask):
        assert session.exec(select(func.count()).select_from(model)).one() == 0
    remaining = session.exec(select(Contact)).one()
    assert (remaining.name, remaining.referred_by_id) == ("Sam Okafor", None)


def test_bidirectional_formatting_characters_are_stripped_from_a_contact(session: Session
                                                                         ) -> None:
    owner, exploration = student_with_exploration(session, 1)
    contact = contacts.add_contact(session, owner, exploration, {
        "name": "Invoice\u202egnp.exe", "organization": "\u2066Lakeside\u2069 Rehab",
        "title": "Physical\u200f therapist"})
    stored = session.get(Contact, contact.id)
    assert stored is not None
    assert (stored.name, stored.organization, stored.title) == (
        "Invoicegnp.exe", "Lakeside Rehab", "Physical therapist")

"""The people a student knows in a field: validation, duplicates, add, edit, remove.

Contacts are third parties who never signed up: every read and write is scoped to the
student who owns them (services/ownership.py)."""

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, delete, func, select, update

from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    FollowUpTask,
    Interview,
    InterviewAnswer,
    OutreachAttempt,
    PartnerRequest,
)
from infoview_app.services import validation as check
from infoview_app.services.errors import InvalidInput
from infoview_app.services.ownership import owned

LIMITS = {"name": 120, "title": 150, "organization": 160, "phone": 40, "linkedin_url": 300,
          "mailing_address": 300}
_PHONE = re.compile(r"^[0-9+()\-. /x#*]*$", re.IGNORECASE)
_LINKEDIN_PATH = re.compile(r"^/(in|pub)/[^/?#\s]+/?$")


@dataclass(frozen=True)
class ContactFields:
    """A contact's validated fields, as stored."""

    name: str
    title: str
    organization: str
    email: str
    phone: str
    linkedin_url: str
    mailing_address: str
    source: ContactSource


def optional_email(value: Any, field: str = "email") -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return check.email(value, field)


def phone(value: Any, field: str = "phone") -> str:
    number = check.text(value, field, max_length=LIMITS["phone"], required=False,
                        label="Phone")
    if not _PHONE.match(number) or (number and not any(ch.isdigit() for ch in number)):
        raise InvalidInput("Enter a phone number with digits, spaces, + ( ) - or x.", field)
    return number


def linkedin_url(value: Any, field: str = "linkedin_url") -> str:
    """A LinkedIn profile address, normalised to https://www.linkedin.com/in/…; or empty."""
    raw = check.text(value, field, max_length=LIMITS["linkedin_url"], required=False,
                     label="LinkedIn URL")
    if not raw:
        return ""
    parts = urlsplit(raw if "://" in raw else f"https://{raw}")
    host = (parts.hostname or "").lower()
    if (parts.scheme not in ("http", "https") or not host.endswith("linkedin.com")
            or not _LINKEDIN_PATH.match(parts.path)):
        raise InvalidInput("Paste the address of a LinkedIn profile, like "
                           "https://www.linkedin.com/in/name.", field)
    return f"https://www.linkedin.com{parts.path.rstrip('/')}"


def clean_contact(form: Mapping[str, Any] | Any) -> ContactFields:
    """Validate a contact form; every failing field is reported at once."""
    if not isinstance(form, Mapping):
        raise InvalidInput("The form could not be read. Reload the page and try again.",
                           "form")
    values = check.form(
        name=lambda: check.text(form.get("name"), "name", max_length=LIMITS["name"]),
        title=lambda: check.text(form.get("title"), "title", max_length=LIMITS["title"],
                                 required=False),
        organization=lambda: check.text(form.get("organization"), "organization",
                                        max_length=LIMITS["organization"], required=False),
        email=lambda: optional_email(form.get("email")),
        phone=lambda: phone(form.get("phone")),
        linkedin_url=lambda: linkedin_url(form.get("linkedin_url")),
        mailing_address=lambda: check.text(form.get("mailing_address"), "mailing_address",
                                           max_length=LIMITS["mailing_address"],
                                           required=False, label="Mailing address"),
        source=lambda: check.choice(form.get("source") or ContactSource.OTHER, ContactSource,
                                    "source"),
    )
    return ContactFields(**values)


def duplicate_warning(session: Session, owner_id: int, fields: ContactFields,
                      exclude_id: int | None = None) -> str:
    """Why this contact looks like one the student already has (same email, or same name and
    organization), or an empty string."""
    conditions = []
    if fields.email:
        conditions.append(func.lower(Contact.email) == fields.email.lower())
    if fields.organization:
        conditions.append((func.lower(Contact.name) == fields.name.lower())
                          & (func.lower(Contact.organization) == fields.organization.lower()))
    if not conditions:
        return ""
    query = select(Contact.name, Contact.email).where(
        Contact.owner_id == owner_id, conditions[0] if len(conditions) == 1
        else conditions[0] | conditions[1])
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    match = session.exec(query.limit(1)).first()
    if match is None:
        return ""
    if fields.email and match.email.lower() == fields.email.lower():
        return f"{match.name} in your list already has the email {fields.email}."
    return f"{match.name} at {fields.organization} is already in your list."


def add_contact(session: Session, owner_id: int, exploration_id: Any, form: Any) -> Contact:
    exploration = owned(session, Exploration, owner_id, exploration_id, "exploration")
    contact = Contact(owner_id=owner_id, exploration_id=exploration.id,
                      **asdict(clean_contact(form)))
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def update_contact(session: Session, owner_id: int, contact_id: Any, form: Any) -> Contact:
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    for key, value in asdict(clean_contact(form)).items():
        setattr(contact, key, value)
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def delete_contacts_where(session: Session, owner_id: int, contact_ids: Any) -> None:
    """Delete the owner's contacts selected by ``contact_ids`` (a subquery of ids) with their
    outreach, interviews and follow-ups; people they referred stay, unreferred. The caller
    commits, so a larger deletion stays one transaction."""
    interviews = select(Interview.id).where(Interview.owner_id == owner_id,
                                            col(Interview.contact_id).in_(contact_ids))
    for statement in (
        delete(FollowUpTask).where(FollowUpTask.owner_id == owner_id,
                                   col(FollowUpTask.contact_id).in_(contact_ids)
                                   | col(FollowUpTask.interview_id).in_(interviews)),
        delete(InterviewAnswer).where(col(InterviewAnswer.interview_id).in_(interviews)),
        delete(Interview).where(Interview.owner_id == owner_id,
                                col(Interview.contact_id).in_(contact_ids)),
        delete(OutreachAttempt).where(OutreachAttempt.owner_id == owner_id,
                                      col(OutreachAttempt.contact_id).in_(contact_ids)),
        update(PartnerRequest).where(col(PartnerRequest.contact_id).in_(contact_ids))
        .values(contact_id=None),
        update(Contact).where(Contact.owner_id == owner_id,
                              col(Contact.referred_by_id).in_(contact_ids))
        .values(referred_by_id=None),
        delete(Contact).where(Contact.owner_id == owner_id, col(Contact.id).in_(contact_ids)),
    ):
        session.exec(statement)


def delete_contact(session: Session, owner_id: int, contact_id: Any) -> str:
    """Remove one contact and everything logged about them; returns their name."""
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    name = contact.name
    try:
        delete_contacts_where(session, owner_id,
                              select(Contact.id).where(Contact.id == contact.id))
        session.commit()
    except Exception:
        session.rollback()
        raise
    return name


def list_contacts(session: Session, owner_id: int, exploration_id: Any) -> list[dict[str, Any]]:
    exploration = owned(session, Exploration, owner_id, exploration_id, "exploration")
    rows = session.exec(select(Contact).where(Contact.owner_id == owner_id,
                                              Contact.exploration_id == exploration.id)
                        .order_by(func.lower(Contact.name))).all()
    return [{"id": c.id, **asdict(ContactFields(**{k: getattr(c, k) for k in
                                                   ContactFields.__dataclass_fields__})),
             "stage": c.stage, "referred_by_id": c.referred_by_id} for c in rows]

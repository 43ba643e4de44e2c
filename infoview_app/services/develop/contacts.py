"""The people a student knows in a field: validation, duplicates, add, edit, remove.

Contacts are third parties who never signed up: every read and write is scoped to the
student who owns them (services/core/ownership.py)."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple, TypedDict
from urllib.parse import quote, unquote, urlsplit

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
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.transactions import save, transaction

_COLUMNS: Any = Contact.__table__.columns  # type: ignore[attr-defined]
# The column limits, read from the table so the two can't drift apart.
LIMITS: dict[str, int] = {name: _COLUMNS[name].type.length for name in (
    "name", "title", "organization", "email", "phone", "linkedin_url", "mailing_address")}
URL_INPUT_MAX = 2000  # before normalising: tracking parameters make shared links long


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


_LINKEDIN_HOST = re.compile(r"(?:[a-z0-9-]+\.)*linkedin\.com")
_NOT_A_PROFILE = "Use a LinkedIn profile address such as https://www.linkedin.com/in/your-name."


def linkedin_profile_url(value: Any, field: str = "linkedin_url") -> str:
    """A LinkedIn profile address in one form, https://www.linkedin.com/in/<name>, or "" for
    an empty value. Country and mobile hosts, http, a missing scheme, query strings and
    trailing paths are accepted and dropped."""
    raw = check.text(value, field, max_length=URL_INPUT_MAX, required=False,
                     label="LinkedIn URL")
    if not raw:
        return ""
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
    except ValueError:
        raise InvalidInput(_NOT_A_PROFILE, field) from None
    segments = [s for s in parts.path.split("/") if s]
    if (parts.scheme.lower() not in ("http", "https")
            or not _LINKEDIN_HOST.fullmatch(parts.hostname or "")
            or len(segments) < 2 or segments[0].lower() != "in"):
        raise InvalidInput(_NOT_A_PROFILE, field)
    slug = unquote(segments[1])
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in slug):
        raise InvalidInput(_NOT_A_PROFILE, field)
    url = "https://www.linkedin.com/in/" + quote(slug, safe="-_.~")
    if len(url) > LIMITS["linkedin_url"]:
        raise InvalidInput(f"That LinkedIn address is longer than {LIMITS['linkedin_url']} "
                           "characters.", field)
    return url


def clean_contact(form: Mapping[str, Any] | Any) -> ContactFields:
    """Validate a contact form; every failing field is reported at once."""
    if not isinstance(form, Mapping):
        raise InvalidInput("The form could not be read. Reload the page and try again.",
                           "form")
    return check.form(
        ContactFields,
        name=lambda: check.text(form.get("name"), "name", max_length=LIMITS["name"]),
        title=lambda: check.text(form.get("title"), "title", max_length=LIMITS["title"],
                                 required=False),
        organization=lambda: check.text(form.get("organization"), "organization",
                                        max_length=LIMITS["organization"], required=False),
        email=lambda: check.email(form.get("email"), required=False),
        phone=lambda: check.phone(form.get("phone")),
        linkedin_url=lambda: linkedin_profile_url(form.get("linkedin_url")),
        mailing_address=lambda: check.text(form.get("mailing_address"), "mailing_address",
                                           max_length=LIMITS["mailing_address"],
                                           required=False, label="Mailing address"),
        source=lambda: check.choice(form.get("source") or ContactSource.OTHER, ContactSource,
                                    "source"),
    )


class Duplicate(NamedTuple):
    """A contact (by its line in a file) that matches one the student has, and why."""

    line: int
    existing_name: str
    why: str


def fold(value: str) -> str:
    """Compared case- and spacing-insensitively in Python, not with SQL lower(): SQLite's
    lower() folds only ASCII, so "Ådne" would match on PostgreSQL but not on SQLite."""
    return " ".join(value.casefold().split())


def find_duplicates(existing: Iterable[tuple[str, str, str]],
                    drafts: Iterable[tuple[int, Any]]) -> list[Duplicate]:
    """Drafts matching an existing contact or an earlier line of the file: the same email, or
    the same name and organization (an empty organization counts as a value, so importing a
    file twice flags every card)."""
    by_email: dict[str, tuple[str, str]] = {}
    by_name_org: dict[tuple[str, str], tuple[str, str]] = {}

    def remember(name: str, organization: str, email: str, where: str) -> None:
        if email:
            by_email.setdefault(fold(email), (name, where))
        by_name_org.setdefault((fold(name), fold(organization)), (name, where))

    for name, organization, email in existing:
        remember(name, organization, email, "a contact you already have")
    found: list[Duplicate] = []
    for line, draft in drafts:
        email_match = by_email.get(fold(draft.email)) if draft.email else None
        if email_match is not None:
            found.append(Duplicate(line, email_match[0], f"same email as {email_match[1]}"))
            continue
        name_match = by_name_org.get((fold(draft.name), fold(draft.organization)))
        if name_match is not None:
            found.append(Duplicate(line, name_match[0],
                                   f"same name and organization as {name_match[1]}"))
            continue
        remember(draft.name, draft.organization, draft.email, f"line {line} of this file")
    return found


def duplicate_warning(session: Session, owner_id: int, fields: ContactFields,
                      exclude_id: int | None = None) -> str:
    """Why this contact looks like one the student already has (same email, or same name and
    organization), or an empty string."""
    query = select(Contact.name, Contact.organization, Contact.email).where(
        Contact.owner_id == owner_id)
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    found = find_duplicates(session.exec(query).all(), [(0, fields)])
    if not found:
        return ""
    what = found[0].why.removesuffix(" as a contact you already have")
    return f"{found[0].existing_name} in your list has the {what}."


def add_contact(session: Session, owner_id: int, exploration_id: Any, form: Any) -> Contact:
    exploration = owned(session, Exploration, owner_id, exploration_id, "exploration")
    contact = Contact(owner_id=owner_id, exploration_id=exploration.id,
                      **asdict(clean_contact(form)))
    save(session, contact)
    session.refresh(contact)
    return contact


def update_contact(session: Session, owner_id: int, contact_id: Any, form: Any) -> Contact:
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    for key, value in asdict(clean_contact(form)).items():
        setattr(contact, key, value)
    save(session, contact)
    session.refresh(contact)
    return contact


def delete_contacts_where(session: Session, owner_id: int, contact_ids: Any) -> None:
    """Delete the owner's contacts selected by ``contact_ids`` (a subquery of ids) with their
    outreach, interviews and follow-ups; people they referred stay, unreferred. The caller
    commits, so a larger deletion stays one transaction."""
    interviews = select(Interview.id).where(Interview.owner_id == owner_id,
                                            col(Interview.contact_id).in_(contact_ids))
    for statement in (
        delete(FollowUpTask).where(col(FollowUpTask.owner_id) == owner_id,
                                   col(FollowUpTask.contact_id).in_(contact_ids)
                                   | col(FollowUpTask.interview_id).in_(interviews)),
        delete(InterviewAnswer).where(col(InterviewAnswer.interview_id).in_(interviews)),
        delete(Interview).where(col(Interview.owner_id) == owner_id,
                                col(Interview.contact_id).in_(contact_ids)),
        delete(OutreachAttempt).where(col(OutreachAttempt.owner_id) == owner_id,
                                      col(OutreachAttempt.contact_id).in_(contact_ids)),
        update(PartnerRequest).where(col(PartnerRequest.contact_id).in_(contact_ids))
        .values(contact_id=None),
        update(Contact).where(col(Contact.owner_id) == owner_id,
                              col(Contact.referred_by_id).in_(contact_ids))
        .values(referred_by_id=None),
        delete(Contact).where(col(Contact.owner_id) == owner_id, col(Contact.id).in_(contact_ids)),
    ):
        session.exec(statement)


def delete_contact(session: Session, owner_id: int, contact_id: Any) -> str:
    """Remove one contact and everything logged about them; returns their name."""
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    name = contact.name
    with transaction(session):
        delete_contacts_where(session, owner_id,
                              select(Contact.id).where(Contact.id == contact.id))
    return name


class ContactRow(TypedDict):
    """A contact in an exploration's list: its form fields, stage and referrer."""
    id: int
    name: str
    title: str
    organization: str
    email: str
    phone: str
    linkedin_url: str
    mailing_address: str
    source: str
    stage: str
    referred_by_id: int | None


class ContactRecord(ContactRow):
    """A contact as JSON-ready data (ISO dates, enum values), without its owner."""
    exploration_id: int | None
    may_use_referrer_name: bool
    partner_id: int | None
    created_at: str


def list_contacts(session: Session, owner_id: int, exploration_id: Any) -> list[ContactRow]:
    exploration = owned(session, Exploration, owner_id, exploration_id, "exploration")
    rows = session.exec(select(Contact).where(Contact.owner_id == owner_id,
                                              Contact.exploration_id == exploration.id)
                        .order_by(func.lower(Contact.name))).all()
    return [ContactRow(id=c.id or 0, name=c.name, title=c.title, organization=c.organization,
                       email=c.email, phone=c.phone, linkedin_url=c.linkedin_url,
                       mailing_address=c.mailing_address, source=c.source, stage=c.stage,
                       referred_by_id=c.referred_by_id) for c in rows]

"""The career office's community partners, as students see them in step 2 ("Need
connections?"): browse the active, consenting partners and ask for an introduction."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from sqlmodel import Session, col, func, select

from infoview_app.models import (
    CommunityPartner,
    Contact,
    ContactSource,
    Exploration,
    PartnerRequest,
)
from infoview_app.models._base import utcnow
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.transactions import transaction

SUGGESTIONS_MAX = 3


def month_start(now: datetime) -> datetime:
    """The start of ``now``'s calendar month: monthly caps count requests from then."""
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class ListedPartner(TypedDict):
    id: int
    name: str
    organization: str
    field: str
    available: bool


@dataclass(frozen=True)
class IntroducedContact:
    """The contact a partner introduction added."""
    id: int
    name: str
    partner_id: int


def listed_partners(session: Session, now: datetime | None = None) -> list[ListedPartner]:
    """Active partners who consented to be listed, with whether they can take a request this
    month (their monthly cap), in one query."""
    requests = (select(func.count()).select_from(PartnerRequest)
                .where(PartnerRequest.partner_id == CommunityPartner.id,
                       PartnerRequest.requested_at >= month_start(now or utcnow()))
                .scalar_subquery())
    rows = session.exec(
        select(CommunityPartner, requests)
        .where(col(CommunityPartner.is_active).is_(True),
               col(CommunityPartner.consent_to_list).is_(True))
        .order_by(col(CommunityPartner.field), col(CommunityPartner.name))
    ).all()
    return [ListedPartner(id=partner.id or 0, name=partner.name,
                          organization=partner.organization, field=partner.field,
                          available=made < partner.monthly_request_cap)
            for partner, made in rows]


def _at_cap_message(session: Session, partner: CommunityPartner, now: datetime) -> str:
    """Why a partner at their cap is refused, naming up to three listed partners who can
    still take a request this month (those in the same field first)."""
    others = [p for p in listed_partners(session, now) if p["available"] and p["id"] != partner.id]
    others.sort(key=lambda p: p["field"].casefold() != partner.field.casefold())
    full = f"{partner.name} has had all the requests they can take this month."
    if not others:
        return (f"{full} No other partner can take a request this month either: call or "
                "email the career office, who may know someone else.")
    names = "; ".join(f"{p['name']} ({p['organization']}, {p['field']})"
                      for p in others[:SUGGESTIONS_MAX])
    return f"{full} Partners who can still take one: {names}. Or ask the career office."


def _requests_this_month(session: Session, partner_id: int, now: datetime) -> int:
    return session.exec(select(func.count()).select_from(PartnerRequest).where(
        PartnerRequest.partner_id == partner_id,
        PartnerRequest.requested_at >= month_start(now))).one()


def request_introduction(session: Session, owner_id: int, exploration_id: Any,
                         partner_id: Any, now: datetime | None = None) -> IntroducedContact:
    """Add a listed partner to the exploration's contacts and count it as a request to the
    office. A partner at their monthly cap is refused with a pointer to others.

    A request counts against the cap from when it is made, whatever happens to the contact
    later (removing it keeps the request, as does deleting the account). And a student's
    requests of one partner count once a month: asking again after removing the contact (or
    for another exploration) puts the partner back on the list under the month's request
    instead of taking another place, so no student can use up a partner's month alone."""
    now = now or utcnow()
    exploration = owned(session, Exploration, owner_id, exploration_id, "exploration")
    pid = check.record_id(partner_id, "partner_id")
    # The partner's row stays locked until the request is saved (PostgreSQL), so two students
    # asking at once cannot both take the last place; SQLite writes one at a time, and the
    # count is taken again once this request is written.
    partner = session.exec(select(CommunityPartner).where(
        CommunityPartner.id == pid, col(CommunityPartner.is_active).is_(True),
        col(CommunityPartner.consent_to_list).is_(True)).with_for_update()).first()
    if partner is None:
        raise NotFound("That partner is no longer listed.")
    made = session.exec(select(PartnerRequest).where(
        PartnerRequest.partner_id == pid, PartnerRequest.student_id == owner_id,
        PartnerRequest.requested_at >= month_start(now))).first()
    if made is None and _requests_this_month(session, pid, now) >= partner.monthly_request_cap:
        raise InvalidInput(_at_cap_message(session, partner, now), "partner")
    already = session.exec(select(Contact.id).where(
        Contact.owner_id == owner_id, Contact.exploration_id == exploration.id,
        Contact.partner_id == pid)).first()
    if already is not None:
        raise InvalidInput(f"{partner.name} is already on your list.", "partner")
    contact = Contact(owner_id=owner_id, exploration_id=exploration.id, name=partner.name,
                      organization=partner.organization, email=partner.email or "",
                      phone=partner.phone or "", source=ContactSource.COMMUNITY_PARTNER,
                      partner_id=pid)
    with transaction(session):
        session.add(contact)
        session.flush()
        if made is not None:  # this month's request, already counted
            if made.contact_id is None:
                made.contact_id = contact.id
                session.add(made)
        else:
            session.add(PartnerRequest(partner_id=pid, student_id=owner_id,
                                       contact_id=contact.id, requested_at=now))
            session.flush()
            if _requests_this_month(session, pid, now) > partner.monthly_request_cap:
                # The message names other partners only: this request doesn't change it.
                raise InvalidInput(_at_cap_message(session, partner, now), "partner")
    return IntroducedContact(id=contact.id or 0, name=contact.name, partner_id=pid)

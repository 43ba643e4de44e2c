"""The community-partner directory as career-office staff keep it: add, edit, retire and
restore partners, and see how many introductions students asked of each.

Decisions:
- Retiring is not deleting: a retired partner leaves the students' list ("Need
  connections?") at once, but the requests and the contacts students made from them stay.
- A partner needs an email or a phone number: an introduction without a way to reach them
  would leave the student stuck.
- The request counts come from one query (two correlated counts), whatever the number of
  partners.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import func
from sqlmodel import Session, col, select

from infoview_app.models import CommunityPartner, PartnerRequest
from infoview_app.models._base import utcnow
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.transactions import save
from infoview_app.services.develop.partners import month_start
from infoview_app.services.staff.records import set_active

CAP_RANGE = (1, 100)
_COLUMNS: Any = CommunityPartner.__table__.columns  # type: ignore[attr-defined]
LIMITS: dict[str, int] = {name: _COLUMNS[name].type.length
                          for name in ("name", "organization", "field", "email", "phone")}
FORM_FIELDS = ("name", "organization", "field", "email", "phone", "consent_to_list",
               "monthly_request_cap")


class PartnerFields(TypedDict):
    """A partner form's validated fields, as stored."""
    name: str
    organization: str
    field: str
    email: str
    phone: str
    consent_to_list: bool
    monthly_request_cap: int


class DirectoryRow(TypedDict):
    """A partner in the staff directory, with the requests made of them."""
    id: int
    name: str
    organization: str
    field: str
    email: str
    phone: str
    listed: bool
    cap: int
    active: bool
    this_month: int
    total: int
    at_cap: bool


@dataclass(frozen=True)
class SavedPartner:
    """A partner just added, edited, retired or restored."""
    id: int
    name: str
    consent_to_list: bool
    is_active: bool


def _saved(partner: CommunityPartner) -> SavedPartner:
    return SavedPartner(id=partner.id or 0, name=partner.name,
                        consent_to_list=partner.consent_to_list, is_active=partner.is_active)


def clean_partner(form: Any) -> PartnerFields:
    """A partner form's fields, validated (every failing field reported at once)."""
    form = form if isinstance(form, dict) else {}

    def email_unless_phone() -> str:
        email = check.email(form.get("email"), required=False)
        given_phone = form.get("phone")
        if not email and not (isinstance(given_phone, str) and given_phone.strip()):
            raise InvalidInput("Give an email or a phone number, so students can reach them.",
                               "email")
        return email

    return check.form(
        PartnerFields,
        name=lambda: check.text(form.get("name"), "name", max_length=LIMITS["name"]),
        organization=lambda: check.text(form.get("organization"), "organization",
                                        max_length=LIMITS["organization"]),
        field=lambda: check.text(form.get("field"), "field", max_length=LIMITS["field"],
                                 label="Field"),
        email=email_unless_phone,
        phone=lambda: check.phone(form.get("phone")),
        consent_to_list=lambda: check.flag(form.get("consent_to_list"), "consent_to_list"),
        monthly_request_cap=lambda: check.whole_number(
            form.get("monthly_request_cap"), "monthly_request_cap",
            low=CAP_RANGE[0], high=CAP_RANGE[1]),
    )


def _partner(session: Session, partner_id: Any) -> CommunityPartner:
    pid = check.record_id(partner_id, "partner_id")
    partner = session.get(CommunityPartner, pid)
    if partner is None:
        raise NotFound("That partner no longer exists.", "form")
    return partner


def add_partner(session: Session, form: Any) -> SavedPartner:
    partner = CommunityPartner(**clean_partner(form))
    save(session, partner)
    return _saved(partner)


def update_partner(session: Session, partner_id: Any, form: Any) -> SavedPartner:
    """Change a partner's details. Contacts students already made from them keep the details
    they were given."""
    values = clean_partner(form)
    partner = _partner(session, partner_id)
    for key, value in values.items():
        setattr(partner, key, value)
    save(session, partner)
    return _saved(partner)


def set_partner_active(session: Session, partner_id: Any, active: Any) -> SavedPartner:
    """Retire (``active`` False) or restore a partner."""
    return _saved(set_active(session, lambda: _partner(session, partner_id), active))


def partner_form_values(session: Session, partner_id: Any) -> dict[str, str]:
    """A partner's fields as the edit form shows them."""
    partner = _partner(session, partner_id)
    return {"name": partner.name, "organization": partner.organization,
            "field": partner.field, "email": partner.email or "", "phone": partner.phone or "",
            "consent_to_list": "on" if partner.consent_to_list else "",
            "monthly_request_cap": str(partner.monthly_request_cap)}


def directory(session: Session, now: datetime | None = None) -> list[DirectoryRow]:
    """Every partner, active ones first, by name, with the requests students made of them
    this month and in total. One query."""
    def requests(*since: Any) -> Any:
        return (select(func.count()).select_from(PartnerRequest)
                .where(PartnerRequest.partner_id == CommunityPartner.id, *since)
                .scalar_subquery())

    this_month = requests(PartnerRequest.requested_at >= month_start(now or utcnow()))
    rows = session.exec(
        select(CommunityPartner, this_month.label("this_month"), requests().label("total"))
        .order_by(col(CommunityPartner.is_active).desc(), func.lower(CommunityPartner.name),
                  col(CommunityPartner.id))
    ).all()
    return [DirectoryRow(id=p.id or 0, name=p.name, organization=p.organization,
                         field=p.field, email=p.email or "", phone=p.phone or "",
                         listed=p.consent_to_list, cap=p.monthly_request_cap,
                         active=p.is_active, this_month=month, total=total,
                         at_cap=month >= p.monthly_request_cap)
            for p, month, total in rows]

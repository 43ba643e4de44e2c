"""The institution's settings: the career office's contact block, research links, time zone
and the staff dashboard's minimum group size.

Until staff save settings in the app, the values come from the environment (see README).
Saving writes the one settings row; students see the change on their next page load."""

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from infoview_app.models import AuditKind, InstitutionSettings, User
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import audit
from infoview_app.services.accounts.audit import Actor, Target
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.mail import Letterhead
from infoview_app.services.core.time_zones import today_in, valid_timezone
from infoview_app.services.core.transactions import transaction
from infoview_app.services.staff.suppression import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_RANGE

_DEFAULTS = {
    "name": ("INFOVIEW_INSTITUTION_NAME", "Northfield University"),
    "office_name": ("INFOVIEW_OFFICE_NAME", "Career Services"),
    "office_phone": ("INFOVIEW_OFFICE_PHONE", "(555) 010-4200"),
    "office_email": ("INFOVIEW_OFFICE_EMAIL", "careers@northfield.example.edu"),
    "office_address": ("INFOVIEW_OFFICE_ADDRESS", "Student Center, Room 210, Northfield"),
    "office_url": ("INFOVIEW_OFFICE_URL", "https://careers.northfield.example.edu"),
    "onet_url_template": ("INFOVIEW_ONET_URL_TEMPLATE",
                          "https://www.onetonline.org/link/summary/{code}"),
    "ooh_url": ("INFOVIEW_OOH_URL", "https://www.bls.gov/ooh/"),
    "major_to_career_url": ("INFOVIEW_MAJOR_TO_CAREER_URL",
                            "https://careers.northfield.example.edu/majors"),
    "time_zone": ("INFOVIEW_TIME_ZONE", "UTC"),
    "min_group_size": ("INFOVIEW_MIN_GROUP_SIZE", str(DEFAULT_MIN_GROUP_SIZE)),
}


@dataclass(frozen=True)
class Institution:
    name: str
    office_name: str
    office_phone: str
    office_email: str
    office_address: str
    office_url: str
    onet_url_template: str
    ooh_url: str
    major_to_career_url: str
    time_zone: str
    min_group_size: str  # a whole number, as the form shows it

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def defaults_from_environment() -> Institution:
    return Institution(**{key: os.environ.get(env, default)
                          for key, (env, default) in _DEFAULTS.items()})


def _saved_row(session: Session) -> InstitutionSettings | None:
    return session.exec(select(InstitutionSettings).order_by(col(InstitutionSettings.id))).first()


def _institution(row: InstitutionSettings | None) -> Institution:
    """The settings in ``row``, or else those from the environment."""
    if row is None:
        return defaults_from_environment()
    return Institution(**{key: str(getattr(row, key)) for key in _DEFAULTS})


def get_institution(session: Session) -> Institution:
    """The settings staff saved, or else those from the environment."""
    return _institution(_saved_row(session))


def letterhead(session: Session) -> Letterhead:
    """How the office signs its emails: the institution, the office and its contact block."""
    office = get_institution(session)
    return Letterhead(institution=office.name, office_name=office.office_name,
                      office_lines=(office.office_phone, office.office_email,
                                    office.office_address, office.office_url))


def time_zone(session: Session) -> ZoneInfo:
    """The institution's time zone (UTC if the one stored is unknown to this machine)."""
    return _zone_or_utc(get_institution(session).time_zone)


def _zone_or_utc(name: str) -> ZoneInfo:
    try:
        return valid_timezone(name)
    except InvalidInput:
        return ZoneInfo("UTC")


# The saved settings' zone as a column (NULL until staff save settings): the access guard's
# session look-up selects it beside the user's own (user_accounts.resolve_session), so that
# an event learns the reader's zone without a statement of its own.
SAVED_ZONE = (select(InstitutionSettings.time_zone).order_by(col(InstitutionSettings.id))
              .limit(1).scalar_subquery())


def zone_of(own: str | None, saved: str | None) -> ZoneInfo:
    """``reader_zone`` from the user's own zone and the saved settings' (None: none saved,
    so the environment's)."""
    return own_zone(own) or _zone_or_utc(
        defaults_from_environment().time_zone if saved is None else saved)


def reader_zone(session: Session, user_id: int) -> ZoneInfo:
    """The one time zone a user's pages, CSV and Markdown files show times in
    (core/wording.py's ``date_time_label``): the user's own (``User.time_zone``), else the
    institution's. Booking in step 4 takes times in it too."""
    own = select(User.time_zone).where(User.id == user_id).scalar_subquery()
    return zone_of(*session.exec(select(own, SAVED_ZONE)).one())


def own_zone(name: str | None) -> ZoneInfo | None:
    """A user's own zone (``User.time_zone``), or None when they have none or it is one this
    machine no longer knows: the institution's zone is theirs then."""
    if not name:
        return None
    try:
        return valid_timezone(name)
    except InvalidInput:
        return None


def today_for(session: Session, user_id: int, now: datetime | None = None) -> date:
    """The user's today, in ``reader_zone``: what every due date, snooze and "overdue" of
    their pages counts from (``now`` is for tests)."""
    return today_in(reader_zone(session, user_id), now)


def min_group_size(session: Session) -> int:
    """The staff dashboard's minimum group size (the default if the environment's is not a
    whole number in range)."""
    try:
        return _min_group_size(get_institution(session).min_group_size)
    except InvalidInput:
        return DEFAULT_MIN_GROUP_SIZE


def _min_group_size(value: Any) -> int:
    return check.whole_number(value, "min_group_size", low=MIN_GROUP_RANGE[0],
                              high=MIN_GROUP_RANGE[1])


_COLUMNS: Any = InstitutionSettings.__table__.columns  # type: ignore[attr-defined]
LIMITS: dict[str, int] = {key: _COLUMNS[key].type.length for key in _DEFAULTS
                          if key != "min_group_size"}
LABELS = {
    "name": "Institution name", "office_name": "Career office name",
    "office_phone": "Phone", "office_email": "Email", "office_address": "Address",
    "office_url": "Web address", "onet_url_template": "O*NET link",
    "ooh_url": "Occupational Outlook Handbook link",
    "major_to_career_url": "Major-to-career pages link",
    "time_zone": "Time zone",
    "min_group_size": "Minimum group size",
}
CODE_PLACEHOLDER = "{code}"


def onet_template(value: Any, field: str = "onet_url_template") -> str:
    """A web address with ``{code}`` where the occupation's O*NET-SOC code goes (and no other
    braces, which the step-1 link builder would trip on)."""
    template = check.text(value, field, max_length=LIMITS[field], label=LABELS[field])
    if CODE_PLACEHOLDER not in template or "{" in template.replace(CODE_PLACEHOLDER, "") or (
            "}" in template.replace(CODE_PLACEHOLDER, "")):
        raise InvalidInput(f"Put {CODE_PLACEHOLDER} where the occupation's code goes, as in "
                           f"https://www.onetonline.org/link/summary/{CODE_PLACEHOLDER}.", field)
    check.web_url(template.replace(CODE_PLACEHOLDER, "15-1252.00"), field,
                  max_length=LIMITS[field] + 20)
    return template


class SettingsFields(TypedDict):
    """The settings form's validated fields, as stored."""
    name: str
    office_name: str
    office_phone: str
    office_email: str
    office_address: str
    office_url: str
    onet_url_template: str
    ooh_url: str
    major_to_career_url: str
    time_zone: str
    min_group_size: int


def clean_settings(form: Any) -> SettingsFields:
    """The settings form's fields, validated (every failing field reported at once)."""
    form = form if isinstance(form, dict) else {}

    def text(key: str) -> Callable[[], str]:
        return lambda: check.text(form.get(key), key, max_length=LIMITS[key], label=LABELS[key])

    def url(key: str) -> Callable[[], str]:
        return lambda: check.web_url(form.get(key), key, max_length=LIMITS[key],
                                     label=LABELS[key])

    def required_phone() -> str:
        number = check.phone(form.get("office_phone"), "office_phone")
        if not number:
            raise InvalidInput("Phone is required.", "office_phone")
        return number

    return check.form(
        SettingsFields,
        name=text("name"), office_name=text("office_name"), office_phone=required_phone,
        office_email=lambda: check.email(form.get("office_email"), "office_email"),
        office_address=text("office_address"), office_url=url("office_url"),
        onet_url_template=lambda: onet_template(form.get("onet_url_template")),
        ooh_url=url("ooh_url"), major_to_career_url=url("major_to_career_url"),
        time_zone=lambda: valid_timezone(
            form.get("time_zone"), "time_zone",
            "Choose the time zone the career office works in from the list.").key,
        min_group_size=lambda: _min_group_size(form.get("min_group_size")),
    )


def save_institution(session: Session, form: Any, *, by: Actor) -> Institution:
    """Validate and store the settings (the one row, created on the first save), with the
    audit event naming the settings changed (by their labels, not their values), in one
    transaction."""
    values = clean_settings(form)
    row = _saved_row(session)
    before = _institution(row).as_dict()
    changed = [LABELS[key] for key, value in values.items() if str(value) != before[key]]
    if row is None:
        row = InstitutionSettings(**values)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utcnow()
    with transaction(session):
        session.add(row)
        audit.record_by(session, AuditKind.SETTINGS_CHANGED, by, Target(
            detail="changed: " + ", ".join(changed) if changed else "saved, nothing changed"))
    return Institution(**{key: str(value) for key, value in values.items()})

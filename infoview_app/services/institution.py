"""The institution's settings: the career office's contact block and research links.

Until staff save settings in the app, the values come from the environment (see README)."""

import os
from dataclasses import asdict, dataclass

from sqlmodel import Session, select

from infoview_app.models import InstitutionSettings

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

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def defaults_from_environment() -> Institution:
    return Institution(**{key: os.environ.get(env, default)
                          for key, (env, default) in _DEFAULTS.items()})


def get_institution(session: Session) -> Institution:
    row = session.exec(select(InstitutionSettings).order_by(InstitutionSettings.id)).first()
    if row is None:
        return defaults_from_environment()
    return Institution(**{key: getattr(row, key) for key in _DEFAULTS})

"""The rows every layer of tests sets up: accounts (student, staff, admin), an exploration, a
contact and an interview, and the password every test account has.

Each factory takes an open Session and keyword overrides; accounts, explorations and contacts
go through the services (so they are validated as the app would), an interview is inserted as
it stands after booking. A factory returns the new row's id, or the row where callers read or
pass on its fields.
"""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from infoview_app.models import Contact, Interview, Role, User
from infoview_app.services.accounts import user_accounts
from infoview_app.services.accounts.audit import Actor
from infoview_app.services.develop import contacts
from infoview_app.services.journey import explorations

PASSWORD = "correct-horse-battery"
# Who the audited services act as in tests that are not about the audit log: nobody signed
# in, from a documentation address (RFC 5737).
BY = Actor(user_id=None, client="192.0.2.1")
# A Wednesday afternoon: the interview's follow-ups fall on Thursday, Friday and 4 weeks on.
HELD_AT = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def account(session: Session, role: Role, *, name: str, email: str, password: str = PASSWORD,
            **profile: Any) -> User:
    """An account of any role (``profile``: major, graduation_year, share_progress)."""
    return user_accounts.create_user(session, role=role, name=name, email=email,
                                     password=password, **profile)


def student(session: Session, n: int = 1, *, name: str | None = None, email: str | None = None,
            **profile: Any) -> int:
    """Student number ``n`` ("Student n", studentn@uni.edu unless overridden); returns the id."""
    user = account(session, Role.STUDENT, name=name or f"Student {n}",
                   email=email or f"student{n}@uni.edu", **profile)
    assert user.id is not None
    return user.id


def staff(session: Session, n: int = 1, *, role: Role = Role.STAFF, name: str | None = None,
          email: str | None = None) -> int:
    """Staff member number ``n`` ("Staff n", staffn@uni.edu unless overridden); returns the id."""
    user = account(session, role, name=name or f"{role.value.title()} {n}",
                   email=email or f"{role.value}{n}@uni.edu")
    assert user.id is not None
    return user.id


def admin(session: Session, n: int = 1, **overrides: Any) -> int:
    """An administrator: a staff member with the admin role; returns the id."""
    return staff(session, n, role=Role.ADMIN, **overrides)


def exploration_id(session: Session, owner: int, field: str = "Physical therapy") -> int:
    """The owner's new exploration of a career field; returns its id."""
    return explorations.start_exploration(session, owner, field)


def student_with_exploration(session: Session, n: int = 1, field: str = "Physical therapy",
                             **overrides: Any) -> tuple[int, int]:
    """A student (see ``student``) with one exploration; returns (student id, exploration id)."""
    owner = student(session, n, **overrides)
    return owner, exploration_id(session, owner, field)


def add_contact(session: Session, owner: int, exploration: int, name: str = "Sam Okafor",
                **form: Any) -> Contact:
    """A contact added through the contact form's service (``form``: its other fields)."""
    return contacts.add_contact(session, owner, exploration, {"name": name, **form})


def contact_id(session: Session, owner: int, exploration: int, name: str = "Sam Okafor",
               **attributes: Any) -> int:
    """Add a contact, then set fields no form carries (stage, referred_by_id...)."""
    row = add_contact(session, owner, exploration, name)
    for key, value in attributes.items():
        setattr(row, key, value)
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id


def add_interview(session: Session, contact: Contact, scheduled_at: datetime = HELD_AT,
                  **values: Any) -> Interview:
    """An interview with the contact, in the contact's exploration, at ``scheduled_at``."""
    assert contact.exploration_id is not None and contact.id is not None
    row = Interview(owner_id=contact.owner_id, contact_id=contact.id,
                    exploration_id=contact.exploration_id, scheduled_at=scheduled_at, **values)
    session.add(row)
    session.commit()
    return row

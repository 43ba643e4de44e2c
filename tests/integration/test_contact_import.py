"""Previewing and importing contacts against a real database (SQLite and PostgreSQL)."""

from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from infoview_app.models import Contact, ContactSource, PipelineStage
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.develop import contact_import as ci
from infoview_app.services.develop.contact_import import ContactDraft, Duplicate
from tests.factories import student, student_with_exploration
from tests.integration.helpers import statements


def _count(session: Session, owner_id: int | None = None) -> int:
    query = select(func.count()).select_from(Contact)
    if owner_id is not None:
        query = query.where(Contact.owner_id == owner_id)
    return session.exec(query).one()


def _add_contact(session: Session, owner: int, **values: Any) -> None:
    session.add(Contact(owner_id=owner, **values))
    session.commit()


def test_preview_flags_duplicates_of_existing_contacts_and_within_the_file(
        session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other = student(session, 2)
    _add_contact(session, owner, name="Ana García", email="Ana@Example.com")
    _add_contact(session, owner, name="Bob Lee", organization="Globex")
    _add_contact(session, owner, name="Åsa Berg", organization="Ørsted")
    _add_contact(session, other, name="Cy Other", email="cy@example.com")  # not the owner's
    drafts = [
        (2, ContactDraft(name="Ana G.", email="ana@example.COM")),
        (3, ContactDraft(name="bob  LEE", organization="GLOBEX")),
        (4, ContactDraft(name="Bob Lee", organization="Initech")),
        (5, ContactDraft(name="ÅSA BERG", organization="ØRSTED")),
        (6, ContactDraft(name="Cy", email="cy@example.com")),
        (7, ContactDraft(name="Cyrus", email="CY@example.com")),
        (8, ContactDraft(name="Dee Ng", organization="Acme")),
        (9, ContactDraft(name="dee ng", organization="acme")),
    ]
    preview = ci.preview_import(session, owner, exploration, drafts)
    assert preview.duplicates == [
        Duplicate(2, "Ana García", "same email as a contact you already have"),
        Duplicate(3, "Bob Lee", "same name and organization as a contact you already have"),
        Duplicate(5, "Åsa Berg", "same name and organization as a contact you already have"),
        Duplicate(7, "Cy", "same email as line 6 of this file"),
        Duplicate(9, "Dee Ng", "same name and organization as line 8 of this file"),
    ]
    assert [line for line, _ in preview.new_drafts] == [4, 6, 8]
    assert _count(session, owner) == 3  # a preview writes nothing


def test_preview_passes_the_parsers_skipped_rows_through(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    data = b"First Name,Last Name,Email Address\nAna,Lopez,nope\n,,x@example.com\n"
    parsed = ci.parse_linkedin_csv(data)
    preview = ci.preview_import(session, owner, exploration, parsed.drafts, parsed.skipped)
    assert preview.skipped == parsed.skipped
    assert [(r.line, r.kept) for r in preview.skipped] == [(2, True), (3, False)]


def test_preview_and_import_use_a_constant_number_of_queries(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    _add_contact(session, owner, name="Existing", email="e@example.com")

    def queries(size: int) -> int:
        drafts = [(n, ContactDraft(name=f"P{size}-{n}", email=f"p{size}-{n}@example.com"))
                  for n in range(2, size + 2)]
        with statements(session) as seen:
            ci.preview_import(session, owner, exploration, drafts)
        session.rollback()
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    assert queries(3) == queries(300) == 2  # the exploration, the owner's contacts


def test_import_saves_new_contacts_in_the_exploration_and_skips_duplicates(
        session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    _add_contact(session, owner, name="Ana García", email="ana@example.com")
    data = (
        "Notes:\n\"Some addresses are missing.\"\n\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,García,,ANA@example.com,Acme,PT,1 Jan 2024\n"
        "Bob,Lee,https://uk.linkedin.com/in/boblee,,Globex,Engineer,1 Jan 2024\n"
        "Bob,Lee,,,Globex,Engineer,1 Jan 2024\n"
        "Cy,Park,,cy@example.com,,,1 Jan 2024\n"
    ).encode()
    parsed = ci.parse_linkedin_csv(data)
    imported = ci.import_contacts(session, owner, exploration, parsed.drafts,
                                  ContactSource.LINKEDIN_ALUMNI)
    assert imported == 2
    assert _count(session, owner) == 1 + imported
    saved = session.exec(select(Contact).where(Contact.owner_id == owner,
                                               Contact.name != "Ana García")
                         .order_by(Contact.name)).all()
    assert [(c.name, c.organization, c.email, c.linkedin_url) for c in saved] == [
        ("Bob Lee", "Globex", "", "https://www.linkedin.com/in/boblee"),
        ("Cy Park", "", "cy@example.com", ""),
    ]
    assert {(c.exploration_id, c.source, c.stage, c.referred_by_id) for c in saved} == {
        (exploration, ContactSource.LINKEDIN_ALUMNI, PipelineStage.IDENTIFIED, None)}
    assert all(c.created_at is not None for c in saved)
    # The same file again: everything is a duplicate now.
    assert ci.import_contacts(session, owner, exploration, parsed.drafts,
                              ContactSource.LINKEDIN_ALUMNI) == 0
    assert _count(session, owner) == 3


def test_vcard_import_end_to_end(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    data = (
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Lin Chen\nORG:City Hospital\nEMAIL:lin@example.org\n"
        b"TEL;TYPE=CELL:+1 555 0100\nADR:;;1 Main St;Springfield;IL;62701;USA\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Broken\nnot a property\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:4.0\nFN:Mo Ali\nEND:VCARD\n"
    )
    parsed = ci.parse_vcards(data)
    assert len(parsed.skipped) == 1
    assert ci.import_contacts(session, owner, exploration, parsed.drafts,
                              ContactSource.OTHER) == 2
    lin = session.exec(select(Contact).where(Contact.owner_id == owner,
                                             Contact.name == "Lin Chen")).one()
    assert (lin.phone, lin.mailing_address) == ("+1 555 0100",
                                                "1 Main St, Springfield, IL 62701, USA")


def test_an_invalid_draft_anywhere_imports_nothing(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    drafts = [(n, ContactDraft(name=f"Person {n}")) for n in range(2, 50)]
    drafts.append((50, ContactDraft(name="Bad", email="not an email")))
    with pytest.raises(InvalidInput) as refused:
        ci.import_contacts(session, owner, exploration, drafts, ContactSource.OTHER)
    assert refused.value.field == "file" and refused.value.message.startswith("Line 50: ")
    assert _count(session) == 0


@pytest.mark.parametrize("drafts", [
    [(2, ContactDraft(name=" "))],
    [(2, ContactDraft(name="A", title="t" * 151))],
    [(2, ContactDraft(name="A\x00B"))],
    [(2, ContactDraft(name="A", linkedin_url="https://example.com/in/a"))],
    [(2, {"name": "A"})],
    [("2", ContactDraft(name="A"))],
    "not a list",
])
def test_tampered_drafts_are_refused(session: Session, drafts: Any) -> None:
    owner, exploration = student_with_exploration(session, 1)
    with pytest.raises(InvalidInput):
        ci.import_contacts(session, owner, exploration, drafts, ContactSource.OTHER)
    assert _count(session) == 0


def test_a_database_failure_after_the_insert_rolls_everything_back(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    drafts = [(n, ContactDraft(name=f"Person {n}")) for n in range(2, 12)]
    engine = session.get_bind()
    written_before_failure: list[int] = []

    def fail_after_insert(conn: sa.Connection, _cursor: Any, statement: str,
                          *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CONTACT"):
            written = conn.exec_driver_sql("SELECT count(*) FROM contact").scalar_one()
            written_before_failure.append(written)
            raise RuntimeError("disk full")

    sa.event.listen(engine, "after_cursor_execute", fail_after_insert)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            ci.import_contacts(session, owner, exploration, drafts, ContactSource.OTHER)
    finally:
        sa.event.remove(engine, "after_cursor_execute", fail_after_insert)
    assert written_before_failure and written_before_failure[0] > 0  # rows were in flight
    assert _count(session) == 0
    # The session is usable afterwards and a retry imports everything.
    assert ci.import_contacts(session, owner, exploration, drafts, ContactSource.OTHER) == 10
    assert _count(session, owner) == 10


def test_foreign_or_unknown_exploration_is_not_found_and_nothing_is_inserted(
        session: Session) -> None:
    owner, _ = student_with_exploration(session, 1)
    _, foreign = student_with_exploration(session, 2)
    drafts = [(2, ContactDraft(name="Ana"))]
    for exploration_id in (foreign, foreign + 1000):
        with pytest.raises(NotFound):
            ci.import_contacts(session, owner, exploration_id, drafts, ContactSource.OTHER)
        with pytest.raises(NotFound):
            ci.preview_import(session, owner, exploration_id, drafts)
    with pytest.raises(InvalidInput):
        ci.import_contacts(session, owner, "1; DROP TABLE contact", drafts,
                           ContactSource.OTHER)
    assert _count(session) == 0


def test_unknown_source_is_refused(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    with pytest.raises(InvalidInput) as refused:
        ci.import_contacts(session, owner, exploration, [(2, ContactDraft(name="Ana"))],
                           "tiktok")  # type: ignore[arg-type]
    assert refused.value.field == "source"
    assert _count(session) == 0


def test_ten_thousand_rows_import_in_one_go(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    rows = "".join(f"First{n},Last,,p{n}@example.com,Org {n % 50},Role,\n"
                   for n in range(ci.MAX_ROWS))
    parsed = ci.parse_linkedin_csv(
        f"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n{rows}"
        .encode())
    assert ci.import_contacts(session, owner, exploration, parsed.drafts,
                              ContactSource.LINKEDIN_ALUMNI) == ci.MAX_ROWS
    assert _count(session, owner) == ci.MAX_ROWS
    too_many = [*parsed.drafts, (ci.MAX_ROWS + 2, ContactDraft(name="One more"))]
    with pytest.raises(InvalidInput, match="At most 10,000"):
        ci.import_contacts(session, owner, exploration, too_many, ContactSource.OTHER)

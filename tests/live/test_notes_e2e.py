"""Interview notes: search, a contact's notes page, Markdown download, print view."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import Exploration, Interview, InterviewAnswer, InterviewStatus
from infoview_app.models._base import utcnow
from infoview_app.services.develop import contacts
from infoview_app.services.journey import explorations
from tests.live.conftest import sign_in


def _interview_with_notes(user_id: int) -> int:
    with db.session() as session:
        eid = explorations.start_exploration(session, user_id, "Marine biology")
        contact = contacts.add_contact(session, user_id, eid, {"name": "Noor Haddad",
                                                               "organization": "Coastal Lab"})
        exploration = session.get(Exploration, eid)
        assert exploration is not None
        exploration.research_notes = "Counts of tide pools by season."
        interview = Interview(owner_id=user_id, contact_id=contact.id, exploration_id=eid,
                              scheduled_at=utcnow() - timedelta(days=2),
                              status=InterviewStatus.COMPLETED,
                              notes="Fieldwork season runs May to August; bring a dive cert.")
        session.add(interview)
        session.flush()
        session.add(InterviewAnswer(interview_id=interview.id, question_id=1, position=1,
                                    answer="Sampling kelp forests and writing grant reports."))
        session.commit()
        return contact.id


def test_search_open_download_and_print(page: Page, make_user) -> None:
    user = make_user(name="Notes Student")
    other = make_user(name="Other Student")
    contact_id = _interview_with_notes(user["id"])
    _interview_with_notes(other["id"])
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Notes Student")).to_be_visible()
    page.goto("/notes")
    # It opens on the student's interviews (never another student's), newest first.
    listed = page.get_by_role("list", name="Your interviews, newest first")
    expect(listed.get_by_role("listitem")).to_have_count(1)
    expect(listed.get_by_role("link", name="Noor Haddad")).to_have_attribute(
        "href", re.compile(rf"/notes/?\?contact={contact_id}$"))
    page.get_by_label("Words to find").fill("KELP")
    page.get_by_role("button", name="Search notes").click()
    found = page.get_by_role("list", name="Notes found")
    expect(found.get_by_role("listitem")).to_have_count(1)  # never another student's notes
    expect(found.locator("mark")).to_have_text("kelp")
    # Research notes are searched too, and lead to step 1 of their exploration.
    page.get_by_label("Words to find").fill("tide pools")
    page.get_by_role("button", name="Search notes").click()
    expect(found.get_by_role("listitem")).to_have_count(1)
    expect(found).to_contain_text("Research notes")
    expect(found.get_by_role("link", name="Marine biology")).to_have_attribute(
        "href", re.compile(r"/exploration/?\?id=\d+&step=1$"))
    page.get_by_label("Words to find").fill("no-such-words")
    page.get_by_role("button", name="Search notes").click()
    expect(page.get_by_text("Nothing in your notes matches")).to_be_visible()

    page.goto(f"/notes?contact={contact_id}")
    expect(page.get_by_role("heading", name="Noor Haddad")).to_be_visible()
    expect(page.get_by_text("Fieldwork season runs May to August")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Download as Markdown")).click()
    markdown = info.value.path().read_text(encoding="utf-8")
    assert "Noor Haddad" in markdown and "Sampling kelp forests" in markdown
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_text("Fieldwork season runs May to August")).to_be_visible()

    page.goto(f"/notes?contact={contact_id + 1}")  # the other student's contact
    expect(page.get_by_role("heading", name="Contact not found")).to_be_visible()


def test_a_contact_never_interviewed_says_what_to_do_next(page: Page, make_user) -> None:
    user = make_user(name="New Student")
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Geology")
        contact_id = contacts.add_contact(session, user["id"], eid, {"name": "Ravi Patel"}).id
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, New Student")).to_be_visible()
    page.goto("/notes")
    expect(page.get_by_text("No interviews yet.")).to_be_visible()
    page.goto(f"/notes?contact={contact_id}")
    expect(page.get_by_role("heading", name="Ravi Patel")).to_be_visible()
    expect(page.get_by_text("No interviews with this person yet")).to_be_visible()
    page.get_by_role("link", name="Go to step 4 · Connect").click()
    expect(page.get_by_role("heading", name="Step 4 · Connect")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"id={eid}&step=4"))

"""Interview notes: search, a contact's notes page, Markdown download, print view."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import Interview, InterviewAnswer, InterviewStatus
from infoview_app.models._base import utcnow
from infoview_app.services.develop import contacts
from infoview_app.services.journey import explorations
from tests.live.conftest import sign_in


def _interview_with_notes(user_id: int) -> int:
    with db.session() as session:
        eid = explorations.start_exploration(session, user_id, "Marine biology")
        contact = contacts.add_contact(session, user_id, eid, {"name": "Noor Haddad",
                                                               "organization": "Coastal Lab"})
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
    page.get_by_label("Words to find").fill("KELP")
    page.get_by_role("button", name="Search notes").click()
    found = page.get_by_role("list", name="Notes found")
    expect(found.get_by_role("listitem")).to_have_count(1)  # never another student's notes
    expect(found.locator("mark")).to_have_text("kelp")
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

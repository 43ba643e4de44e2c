"""The stepper and its first steps, as a student uses them on a phone and on a laptop."""

import re

import pytest
from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import CommunityPartner, Exploration
from infoview_app.services.journey import explorations
from tests.live.conftest import sign_in

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout

LINKEDIN_EXPORT = (
    "Notes:\n"
    "\"When exporting your connection data, you may notice that some of the email addresses "
    "are missing.\"\n"
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Priya,Shah,https://www.linkedin.com/in/priya-shah,priya@clinic.example,Lakeside Rehab,"
    "Physical Therapist,12 Mar 2025\n"
    ",,https://www.linkedin.com/in/nobody,,,,01 Jan 2024\n"
    "Tom,Berg,https://www.linkedin.com/in/tom-berg,,Mercy Hospital,PT Aide,02 Feb 2024\n"
)


def _exploration(user_id: int, field: str) -> int:
    with db.session() as session:
        return explorations.start_exploration(session, user_id, field)


def _open_step(page: Page, exploration_id: int, step: int) -> None:
    page.goto(f"/exploration?id={exploration_id}&step={step}")


def test_stepper_moves_between_steps(page: Page, viewport_name: str, make_user) -> None:
    user = make_user(name="Stepper Student")
    eid = _exploration(user["id"], "Physical therapy")
    sign_in(page, user["email"], user["password"])
    page.get_by_role("link", name="Physical therapy").click()
    expect(page).to_have_url(re.compile(rf"/exploration\?id={eid}"))
    expect(page.get_by_role("heading", name="Step 1 · Research")).to_be_visible()
    if viewport_name == "phone":
        expect(page.get_by_text("Step 1 of 6 · Research")).to_be_visible()
        page.get_by_role("link", name="Next step").click()
        expect(page.get_by_role("heading", name="Step 2 · Develop")).to_be_visible()
        page.get_by_role("button", name="Jump to a step").click()
        page.get_by_role("menuitem", name=re.compile("6. Follow-up")).click()
    else:
        steps = page.get_by_role("navigation", name="The six steps")
        expect(steps.get_by_role("link", name=re.compile("Research"))).to_have_attribute(
            "aria-current", "step")
        steps.get_by_role("link", name=re.compile("Follow-up")).click()
    expect(page.get_by_role("heading", name="Step 6 · Follow-up")).to_be_visible()
    _open_step(page, eid + 999, 1)
    expect(page.get_by_role("heading", name="Exploration not found")).to_be_visible()


def test_research_choose_an_occupation_and_keep_notes(page: Page, make_user) -> None:
    user = make_user(name="Research Student")
    eid = _exploration(user["id"], "Helping people move again")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Research Student")).to_be_visible()
    _open_step(page, eid, 1)
    page.get_by_label("Search occupations").fill("zzzz-no-such-job")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("No occupation matches those words")).to_be_visible()
    page.get_by_label("Search occupations").fill("physical therap")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Choose Physical Therapists").click()
    expect(page.get_by_text("Your occupation")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("O\\*NET OnLine: Physical Therapists")))\
        .to_have_attribute("href", re.compile("29-1123.00"))

    notes = page.get_by_label("Research notes (Markdown)")
    notes.fill("## Settings\n- outpatient\n- hospital <script>alert(1)</script>")
    expect(page.get_by_text("Saved.")).to_be_visible()
    preview = page.get_by_label("Notes preview")
    expect(preview.get_by_role("heading", name="Settings")).to_be_visible()
    expect(preview.locator("script")).to_have_count(0)
    with db.session() as session:
        saved = session.get(Exploration, eid)
        assert saved.occupation_code == "29-1123.00"
        assert saved.research_notes.startswith("## Settings")
    page.reload()
    expect(page.get_by_label("Research notes (Markdown)")).to_have_value(re.compile("outpatient"))
    steps_done = page.get_by_text("(Done)")
    expect(steps_done.first).to_be_attached()


def test_develop_add_edit_remove_and_duplicate_warning(page: Page, make_user) -> None:
    user = make_user(name="Develop Student")
    eid = _exploration(user["id"], "Nursing")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Develop Student")).to_be_visible()
    _open_step(page, eid, 2)
    expect(page.get_by_text("No one on your list yet")).to_be_visible()

    page.get_by_role("button", name="Add a contact").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Dr. Elena Rivera")
    dialog.get_by_label("Organization").fill("Northfield University")
    dialog.get_by_label("How you know them").select_option("faculty")
    dialog.get_by_label("Email").fill("not-an-email@x")
    dialog.get_by_role("button", name="Save contact").click()
    expect(dialog.locator("#email-error")).to_be_visible()
    dialog.get_by_label("Email").fill("erivera@northfield.example.edu")
    dialog.get_by_role("button", name="Save contact").click()
    contacts = page.get_by_role("list", name="Your contacts")
    expect(contacts.get_by_text("Dr. Elena Rivera")).to_be_visible()
    expect(contacts.get_by_text("Faculty")).to_be_visible()

    page.get_by_role("button", name="Add a contact").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("E. Rivera")
    dialog.get_by_label("Email").fill("ERIVERA@northfield.example.edu")
    dialog.get_by_role("button", name="Save contact").click()
    expect(dialog.get_by_role("alert")).to_contain_text("has the same email")
    dialog.get_by_role("button", name="Cancel").click()
    expect(contacts.get_by_role("listitem")).to_have_count(1)

    page.get_by_role("button", name="Edit Dr. Elena Rivera").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name")).to_have_value("Dr. Elena Rivera")
    dialog.get_by_label("Title").fill("Associate Professor")
    dialog.get_by_role("button", name="Save contact").click()
    expect(contacts.get_by_text("Associate Professor")).to_be_visible()

    page.get_by_role("button", name="Remove Dr. Elena Rivera").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove contact").click()
    expect(page.get_by_text("No one on your list yet")).to_be_visible()


def test_develop_linkedin_import_previews_then_imports(page: Page, make_user, tmp_path) -> None:
    user = make_user(name="Import Student")
    eid = _exploration(user["id"], "Physical therapy")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Import Student")).to_be_visible()
    _open_step(page, eid, 2)
    chooser = page.locator("#contact-file input[type=file]")
    too_big = tmp_path / "Too big.vcf"
    too_big.write_bytes(b"BEGIN:VCARD\n" + b" " * (5 * 1024 * 1024))
    chooser.set_input_files(str(too_big))  # refused in the browser, explained beside it
    expect(page.locator("#file-error")).to_have_text(
        "The file is larger than 5 MB: split it into smaller files.")
    export = tmp_path / "Connections.csv"
    export.write_text(LINKEDIN_EXPORT)
    chooser.set_input_files(str(export))
    found = page.get_by_role("list", name="Contacts found")
    expect(found.get_by_text("Priya Shah")).to_be_visible()
    expect(page.get_by_role("list", name="Rows skipped")).to_contain_text("No name")
    expect(page.locator("#file-error")).to_have_count(0)
    expect(page.get_by_text("2 new contacts to import.")).to_be_visible()
    page.get_by_role("button", name="Import 2 new contacts").click()
    contacts = page.get_by_role("list", name="Your contacts")
    expect(contacts.get_by_role("listitem")).to_have_count(2)
    expect(contacts.get_by_text("LinkedIn or alumni").first).to_be_visible()


def test_develop_community_partner_request(page: Page, make_user) -> None:
    user = make_user(name="Partner Student")
    eid = _exploration(user["id"], "Physical therapy")
    with db.session() as session:
        session.add(CommunityPartner(name="Grace Okoye", organization="City Rehab",
                                     field="Physical therapy", consent_to_list=True,
                                     monthly_request_cap=5))
        session.commit()
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Partner Student")).to_be_visible()
    _open_step(page, eid, 2)
    page.get_by_role("button", name="Add to my list: Grace Okoye").first.click()
    contacts = page.get_by_role("list", name="Your contacts")
    expect(contacts.get_by_text("Grace Okoye")).to_be_visible()
    expect(contacts.get_by_text("Community partner")).to_be_visible()

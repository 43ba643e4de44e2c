"""Step 3 · Prepare as a student uses it on a phone and on a laptop: the introduction and
its timing, the rehearsal timer, and the questions."""

import re

import pytest
from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import Exploration
from infoview_app.services.core.wording import SUGGESTION_LABEL
from infoview_app.services.journey import explorations
from infoview_app.services.prepare import questions
from infoview_app.services.prepare.pitch_rules import GOOD_SECONDS
from tests.live.conftest import sign_in

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout

PARTS = {
    "Who I am": "I'm Ana Lopez, a second-year student at Northfield University",
    "What I study": "I study kinesiology and I volunteer twice a week at a sports clinic",
    "Why this field": "Helping my grandfather walk again after his hip surgery made me want "
                      "to understand how therapists plan a recovery",
    "Why this person": "Your work with runners at Lakeside Rehab is exactly the kind of care "
                       "I hope to learn more about",
}
FIRST = "What are your primary tasks and responsibilities?"
SECOND = "Why did you choose your field?"
THIRD = "Would you choose this field again?"
OWN = "What does a typical week look like for you?"
SUGGESTION = ("What is it like to assess a patient's strength, balance and range of motion at "
              "a first visit?")


def test_prepare_pitch_rehearsal_and_questions(page: Page, viewport_name: str,
                                               make_user) -> None:
    user = make_user(name="Prepare Student")
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Physical therapy")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Prepare Student")).to_be_visible()
    page.goto(f"/exploration?id={eid}&step=3")
    expect(page.get_by_role("heading", name="Step 3 · Prepare")).to_be_visible()

    # The introduction: a short first part times as too short, all four as a good length.
    timing = page.locator("#pitch-timing")
    page.get_by_label("Who I am").fill(PARTS["Who I am"])
    expect(page.get_by_label("Your introduction")).to_have_value(PARTS["Who I am"] + ".")
    expect(timing).to_contain_text("Too short")
    expect(timing).to_contain_text("a little short")
    for label, text in list(PARTS.items())[1:]:
        page.get_by_label(label).fill(text)
    expect(timing).to_contain_text("Good length")
    expect(timing).to_have_attribute("aria-live", "polite")
    pitch = page.get_by_label("Your introduction")
    expect(pitch).to_have_value(re.compile(r"^I'm Ana Lopez.*learn more about\.$"))
    edited = pitch.input_value() + " Would you have 20 minutes to talk?"
    pitch.fill(edited)
    expect(page.get_by_text("You edited this by hand")).to_be_visible()
    expect(timing).to_contain_text("Good length")
    # The job-word check of the introduction names what asks for a job, and clears.
    check = page.get_by_role("status", name="Job-word check: introduction")
    expect(check).to_contain_text("No job-seeking words")
    pitch.fill(edited + " Are you hiring?")
    expect(check).to_contain_text("\u201chiring\u201d: Ask what the work is like")
    pitch.fill(edited)
    expect(check).to_contain_text("No job-seeking words")
    with db.session() as session:
        saved = session.get(Exploration, eid)
        assert saved.pitch == edited
        assert saved.pitch_who_i_am == PARTS["Who I am"]

    # The rehearsal timer runs in the browser.
    page.get_by_role("button", name="Start rehearsal").click()
    expect(page.locator("#rehearsal-time")).not_to_have_text("0.0 s")
    page.wait_for_timeout(600)
    page.get_by_role("button", name="Stop rehearsal").click()
    expect(page.get_by_role("button", name="Start rehearsal")).to_be_visible()
    elapsed = float(page.locator("#rehearsal-time").inner_text().removesuffix(" s"))
    assert elapsed > 0
    low, high = GOOD_SECONDS  # the pitch rule's bounds, which the browser's timer judges by
    verdict = (f"a little short of {low} seconds." if elapsed < low
               else f"over {high} seconds: try to trim it." if elapsed > high
               else f"within {low}-{high} seconds. Well done!")
    expect(page.locator("#rehearsal-result")).to_have_text(
        f"You spoke for {elapsed:.1f} seconds: {verdict}")
    expect(page.locator("#rehearsal-time")).to_have_attribute("aria-live", "off")

    # The introduction's box is as tall as its text: all of it shows, no inner scrolling.
    box = pitch.evaluate("el => [el.scrollHeight, el.clientHeight]")
    assert box[0] <= box[1] + 1, box

    # Questions: the bank is collapsed by category; a search opens the matches. Three are
    # added from it, and focus stays on the button just used (never the page's body).
    expect(page.get_by_text("No questions yet")).to_be_visible()
    expect(page.locator(".iv-bank-group").first).not_to_have_attribute("open", "")
    expect(page.get_by_role("button", name=f"Add: {FIRST}")).to_be_hidden()
    summary = page.locator(".iv-bank-summary").first
    summary.focus()
    page.keyboard.press("Enter")  # a category opens from the keyboard
    expect(page.locator(".iv-bank-group").first).to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(page.locator(".iv-bank-group").first).not_to_have_attribute("open", "")
    search = page.get_by_label("Search the question bank")
    for text in (FIRST, SECOND, THIRD):
        search.fill(text.removesuffix("?"))
        expect(page.locator("#bank-matches")).to_have_text("1 question matches.")
        page.get_by_role("button", name=f"Add: {text}").click()
        added = page.get_by_role("button", name=f"Added: {text}")
        expect(added).to_be_disabled()
        expect(added).to_be_focused()
    search.fill("")
    expect(page.locator("#bank-matches")).to_have_text("Open a category to see its questions.")
    chosen = page.get_by_role("list", name="Your questions").get_by_role("listitem")
    expect(chosen).to_have_count(3)
    page.get_by_role("button", name=f"Move up: {THIRD}").click()
    expect(chosen.nth(1)).to_contain_text(THIRD)
    expect(page.get_by_role("button", name=f"Move up: {FIRST}")).to_be_disabled()
    page.get_by_role("button", name=f"Remove: {SECOND}").click()
    expect(chosen).to_have_count(2)
    expect(page.get_by_role("button", name=f"Add: {SECOND}", include_hidden=True)
           ).to_be_enabled()

    # An own question: too long is refused beside the field, then one is added.
    own = page.get_by_label("Write your own question")
    own.fill("Why " * 130)
    page.get_by_role("button", name="Add question").click()
    expect(page.locator("#text-error")).to_contain_text("500")
    expect(own).to_have_attribute("aria-invalid", "true")
    own.fill(OWN)
    page.get_by_role("button", name="Add question").click()
    expect(chosen).to_have_count(3)
    expect(page.get_by_label("Write your own question")).to_have_value("")
    expect(chosen.nth(2)).to_be_focused()  # the question just added, not the page's body
    expect(page.locator(".iv-step-link", has_text="Prepare")).to_contain_text("(Done)")

    # Suggestions come from the occupation's tasks once one is chosen.
    expect(page.get_by_text("Choose an occupation in step 1")).to_be_visible()
    with db.session() as session:
        exploration = session.get(Exploration, eid)
        exploration.occupation_code = "29-1123.00"
        session.add(exploration)
        session.commit()
    page.reload()
    expect(page.get_by_text("Drawn from the tasks of Physical Therapists")).to_be_visible()
    page.get_by_role("button", name=f"Add: {SUGGESTION}").click()
    expect(chosen).to_have_count(4)
    expect(page.get_by_role("button", name=f"Add: {SUGGESTION}")).to_have_count(0)
    expect(chosen.nth(3)).to_contain_text(SUGGESTION)
    expect(chosen.nth(3)).to_be_focused()
    # It stays marked as a suggestion, in the list and in the bank (not as one's own).
    expect(chosen.nth(3)).to_contain_text(SUGGESTION_LABEL)
    search.fill("balance and range")
    expect(page.locator(".iv-bank-summary")).to_have_count(1)
    expect(page.locator(".iv-bank-summary")).to_contain_text(SUGGESTION_LABEL)

    with db.session() as session:
        texts = [q["text"] for q in questions.chosen_questions(session, user["id"], eid)]
    assert texts == [FIRST, THIRD, OWN, SUGGESTION]
    expect(page.get_by_label("Your introduction")).to_have_value(edited)
    expect(page.locator(".iv-step-link", has_text="Prepare")).to_contain_text("(Done)")
    if viewport_name == "phone":
        expect(page.get_by_role("button", name="Jump to a step")).to_contain_text("Done")

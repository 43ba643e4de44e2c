"""Phone ergonomics (issue 13, item 5) as a student meets them, on a phone and a laptop: text
over its limit refused beside the field and never cut, a field's error gone once the field
changes, a reload that stays on the step in the URL, and toasts that keep off the tab bar."""

import re

from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import Exploration
from infoview_app.services.journey import explorations
from tests.live.conftest import sign_in


def _student_with_exploration(page: Page, make_user, name: str) -> int:
    user = make_user(name=name)
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Physical therapy")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()
    return eid


def test_a_paste_over_the_limit_is_refused_with_the_count_and_never_cut(
        page: Page, make_user) -> None:
    eid = _student_with_exploration(page, make_user, "Long Paste")
    page.goto(f"/exploration?id={eid}&step=1")
    notes = page.get_by_label("Research notes (Markdown)")
    notes.fill("Pay: ask about it.")
    expect(page.locator("#notes-status")).to_have_text("Saved.")
    notes.fill("x" * 50_000)
    expect(page.locator("#research_notes-error")).to_have_text(
        "Research notes: 20,000 characters at most; this is 50,000.")
    expect(page.locator("#notes-status")).to_have_text("")  # no "Saved." beside the refusal
    assert len(notes.input_value()) == 50_000  # the whole paste, not the first 20,000
    with db.session() as session:
        saved = session.get(Exploration, eid)
        assert saved is not None and saved.research_notes == "Pay: ask about it."
    # Shortened, it is saved and the message goes.
    notes.fill("x" * 20_000)
    expect(page.locator("#notes-status")).to_have_text("Saved.")
    expect(page.locator("#research_notes-error")).to_have_count(0)


def test_a_fields_error_goes_once_the_field_changes(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Email").fill("sam@localhost")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    name_error = page.locator("#name-error")
    expect(name_error).to_have_text("Name is required.")
    # Our wording, not email-validator's ("The part after the @-sign ...").
    expect(page.locator("#email-error")).to_have_text(
        "Enter a valid email address, such as name@example.edu.")
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Full name").fill("Sam Rivera")
    expect(name_error).to_be_hidden()
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "false")
    # The browser's own email check blocks the next try: no submit, and the name's stale
    # message stays gone.
    page.get_by_label("Email").fill("sam")
    page.get_by_role("button", name="Create account").click()
    expect(name_error).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/register"))
    # Sent again with the name still empty, its message comes back.
    page.get_by_label("Full name").fill("")
    page.get_by_label("Email").fill("sam@localhost")
    page.get_by_role("button", name="Create account").click()
    expect(name_error).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")


def test_a_reload_stays_on_the_step_shown(page: Page, make_user) -> None:
    eid = _student_with_exploration(page, make_user, "Reload Student")
    page.goto(f"/exploration?id={eid}&step=3")
    expect(page.get_by_role("heading", name="Step 3 · Prepare")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Step 3 · Prepare")).to_be_visible()
    # Opened without a step (the home card), the URL gains the step shown ...
    page.goto(f"/exploration?id={eid}")
    expect(page.get_by_role("heading", name="Step 1 · Research")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"id={eid}&step=1$"))
    # ... so that a reload stays there even once another step is suggested.
    with db.session() as session:
        exploration = session.get(Exploration, eid)
        assert exploration is not None
        exploration.occupation_code = "29-1123.00"
        exploration.research_notes = "Done researching."
        session.add(exploration)
        session.commit()
    page.reload()
    expect(page.get_by_role("heading", name="Step 1 · Research")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"id={eid}&step=1$"))


def _overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_toasts_come_one_at_a_time_on_a_phone_and_keep_off_the_tab_bar(
        page: Page, viewport_name: str, make_user) -> None:
    _student_with_exploration(page, make_user, "Toast Student")
    page.goto("/account")
    save = page.get_by_role("button", name="Save profile")
    save.click()
    expect(page.get_by_text("Profile saved.")).to_have_count(1)
    save.click()
    toasts = page.locator("[data-sonner-toast]")
    expect(toasts).to_have_count(2)
    # Measured where the newest toast comes to rest: it slides in from below the toaster.
    page.wait_for_function("""() => {
      const front = document.querySelector('[data-sonner-toast][data-front="true"]');
      return front?.dataset.mounted === 'true' && front.getAnimations().length === 0; }""")
    visible = [t for t in toasts.all() if t.is_visible()]
    assert len(visible) == (1 if viewport_name == "phone" else 2)
    shown = visible[0].bounding_box()
    assert shown is not None
    if viewport_name == "phone":
        bar = page.locator(".iv-tabbar").bounding_box()
        assert bar is not None and not _overlap(shown, bar), (shown, bar)
        assert shown["y"] + shown["height"] <= bar["y"]
    # Never over the button just used.
    button = save.bounding_box()
    assert button is not None
    for toast in visible:
        box = toast.bounding_box()
        assert box is not None and not _overlap(box, button), (box, button)


def test_the_icons_are_linked_and_served(page: Page) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    for rel, kind in (("icon", "image/"), ("apple-touch-icon", "image/png"),
                      ("manifest", "")):
        href = page.locator(f"head link[rel='{rel}']").get_attribute("href")
        assert href, rel
        response = page.request.get(href)
        assert response.status == 200, (rel, href, response.status)
        assert response.headers.get("content-type", "").startswith(kind), rel
    assert page.request.get("/favicon.ico").status == 200

"""What a screen-reader user meets on the key screens, on a phone and a laptop, read from
Chromium's accessibility tree (tests/live/ax_tree.py) and Playwright's ARIA snapshots: names,
roles, headings, landmarks, states and live regions. This is as far as automation goes: no
person with VoiceOver, TalkBack or NVDA has run through these screens (docs/accessibility.md).
"""

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from infoview_app import db
from tests import factories
from tests.factories import PASSWORD
from tests.live.ax_tree import AxNode, nodes, tree
from tests.live.conftest import sign_in, wait_hydrated
from tests.live.interview_data import booked_interview

WRONG_PASSWORD = "Wrong email or password."


def _one(found: list[AxNode], what: str) -> AxNode:
    assert len(found) == 1, f"{what}: {len(found)} found: {[node.name for node in found]}"
    return found[0]


def _eventually(page: Page, check: Callable[[], Any], what: str) -> Any:
    """Read the tree until ``check`` finds what it looks for (the page updates over its
    socket); fail with ``what`` after 10 seconds."""
    for _ in range(50):
        found = check()
        if found:
            return found
        page.wait_for_timeout(200)
    raise AssertionError(f"not in the accessibility tree: {what}")


def _focused(read: list[AxNode]) -> list[AxNode]:
    """The focused control (the document itself is marked focused too: left out)."""
    return [node for node in read if node.properties.get("focused")
            and node.role != "RootWebArea"]


@pytest.fixture
def student(live_db_url: str, app_harness: Any) -> dict[str, Any]:
    """A student with one exploration, three questions chosen and an interview held."""
    name = "Robin Reader"
    email = f"reader-{os.urandom(3).hex()}@test.example.edu"
    with db.session() as session:
        user_id = factories.student(session, name=name, email=email)
    return {"name": name, "email": email, **booked_interview(user_id)}


def _signed_in(page: Page, student: dict[str, Any]) -> None:
    sign_in(page, student["email"], PASSWORD)
    expect(page.get_by_role("heading", name=f"Welcome, {student['name']}")).to_be_visible()
    wait_hydrated(page)


def test_sign_in_names_its_fields_and_announces_a_wrong_password(
        page: Page, student: dict[str, Any]) -> None:
    page.goto("/login")
    wait_hydrated(page)
    expect(page.get_by_role("form", name="Sign in")).to_match_aria_snapshot(
        '- textbox "Email"\n- textbox "Password"\n- button "Sign in"')
    assert not [node for node in tree(page) if node.role == "alert" and node.text]
    sign_in(page, student["email"], "not-the-password")
    alert = _eventually(page, lambda: [node for node in nodes(page, "alert")
                                       if node.text == WRONG_PASSWORD], WRONG_PASSWORD)[0]
    assert alert.live() == "assertive"
    assert alert.within("form")
    password = _one(nodes(page, "textbox", "Password"), "the password field")
    assert password.properties.get("invalid") == "true"


def test_student_home_has_landmarks_one_title_and_named_cards(
        page: Page, student: dict[str, Any]) -> None:
    _signed_in(page, student)
    read = tree(page)
    for landmark in ("banner", "main"):
        _one([node for node in read if node.role == landmark], landmark)
    _one([node for node in read if node.role == "navigation" and node.name == "Main"],
         "the main navigation")
    title = _one([node for node in read if node.role == "heading"
                  and node.properties.get("level") == 1], "the level-1 heading")
    assert title.name == f"Welcome, {student['name']}"
    assert title.within("main")
    card = _one([node for node in read if node.role == "link"
                 and node.name == "Physical therapy"], "the exploration's card")
    assert card.within("main")
    _one([node for node in read if node.role == "heading" and node.name == "Your explorations"
          and node.properties.get("level") == 2], "the cards' heading")


def test_stepper_exposes_the_current_step_and_interview_mode_reads_in_order(
        page: Page, viewport_name: str, student: dict[str, Any]) -> None:
    _signed_in(page, student)
    page.goto(f"/exploration?id={student['exploration_id']}&step=5")
    wait_hydrated(page)
    steps = page.get_by_role("navigation", name="The six steps")
    if viewport_name == "laptop":
        current = steps.get_by_role("link", name=re.compile(r"^5 Interview"))
        expect(current).to_have_attribute("aria-current", "step")
        expect(steps.locator("[aria-current=step]")).to_have_count(1)
    else:  # a compact header: the current step is the menu button's name
        expect(steps.get_by_role("button", name=re.compile(r"^Step 5 of 6 · Interview")))\
            .to_be_visible()
    expect(page.get_by_role("main")).to_match_aria_snapshot(
        '- heading "Physical therapy" [level=1]\n- heading "Step 5 · Interview" [level=2]')

    questions = student["questions"]
    for number in (1, 2):
        count = f"Question {number} of 3"
        expect(page.get_by_role("heading", name=questions[number - 1], level=3)).to_be_visible()
        status = _eventually(page, lambda count=count: [
            node for node in tree(page) if node.text == count and node.live()], count)[0]
        assert status.live() == "polite"
        _one(nodes(page, "group", f"{count} {questions[number - 1]}"), "the question's group")
        previous = _one(nodes(page, "button", "Previous"), "Previous")
        assert bool(previous.properties.get("disabled")) == (number == 1)
        _one(nodes(page, "button", "Next"), "Next")
        _one(nodes(page, "textbox", "Notes for this question"), "the notes field")
        if number == 1:
            page.get_by_role("button", name="Next").click()
    focused = _one(_focused(tree(page)), "focus")
    assert (focused.role, focused.name) == ("button", "Next")


def test_a_toast_is_announced_in_a_live_region(page: Page, student: dict[str, Any]) -> None:
    _signed_in(page, student)
    page.goto("/account")
    wait_hydrated(page)
    page.get_by_label("Your time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Save time zone").click()
    said = "Time zone saved: Europe/Berlin."
    # sonner's toast is an item of its list inside a polite live region named for it.
    toast = _eventually(page, lambda: [node for node in tree(page) if node.role == "listitem"
                                       and said in node.text], said)[0]
    assert toast.live() == "polite"
    assert any(node.role == "region" and node.name.startswith("Notifications")
               and node.properties.get("live") == "polite" for node in toast.ancestors)


def test_a_dialog_is_named_and_holds_the_focus(page: Page, student: dict[str, Any]) -> None:
    _signed_in(page, student)
    page.goto(f"/exploration?id={student['exploration_id']}&step=2")
    wait_hydrated(page)
    page.get_by_role("button", name="Add a contact").first.click()
    expect(page.get_by_role("dialog", name="Add a contact")).to_be_visible()
    _one(nodes(page, "dialog", "Add a contact"), "the dialog")
    # Modal for a screen reader too: the page behind is hidden from it (Radix sets
    # aria-hidden on everything outside the dialog) while the dialog is open.
    _eventually(page, lambda: not nodes(page, "main"), "the page behind the dialog hidden")
    focused = _eventually(page, lambda: _focused(tree(page)), "focus in the dialog")[0]
    assert focused.within("dialog"), (focused.role, focused.name)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    _one(nodes(page, "main"), "the page, back after the dialog")


def test_dashboard_charts_are_named_and_their_tables_reachable(
        page: Page, make_user: Callable[..., dict[str, Any]], campus: None) -> None:
    from infoview_app.models import Role

    admin = make_user(Role.ADMIN, name="Ada Reader")
    sign_in(page, admin["email"], admin["password"])
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    wait_hydrated(page)
    headings = page.locator(".iv-chart-card h3")
    expect(headings.nth(1)).to_be_visible()  # the charts come after the page's heading
    titles = headings.all_inner_texts()
    # Recharts arrives after the first paint (components/lazy.py), and each chart is drawn once
    # the reader gets near it (components/charts.py, InView): go to each, wait for every chart.
    for heading in headings.all():
        heading.scroll_into_view_if_needed()
    expect(page.locator('.iv-chart-card svg[role="application"]')).to_have_count(len(titles))
    read = tree(page)
    for title in titles:
        chart = _one([node for node in read if node.role == "application"
                      and node.name == title], f"the chart {title!r}")
        assert not chart.within("img")
        page.locator(".iv-chart-card", has=page.get_by_role("heading", name=title, exact=True))\
            .locator("summary").click()
    # Each table is built once its <details> is opened (components/charts.py): wait for them.
    expect(page.locator(".iv-table-details table")).to_have_count(len(titles))
    read = tree(page)
    for title in titles:
        table = _one([node for node in read if node.role == "table" and node.name == title],
                     f"the table of {title!r}")
        assert table.within("region")
        headers = [node for node in read if node.role == "columnheader"
                   and any(up is table for up in node.ancestors)]
        rows = [node for node in read if node.role == "rowheader"
                and any(up is table for up in node.ancestors)]
        assert headers and rows, title

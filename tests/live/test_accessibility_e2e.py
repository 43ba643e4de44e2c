"""axe-core on every page of every role, on a phone and a laptop, in light and dark mode, and
with each dialog, sheet and menu open: no WCAG 2.0, 2.1 or 2.2 A or AA violation, colour
contrast included.

One seeded student (the demo student: two explorations, three contacts, an interview held and
one booked, follow-ups) and one admin (who sees every staff page) serve the whole module; each
signs in once and every run starts a fresh browser context from that signed-in storage. The
colour mode is the system's (Playwright's ``color_scheme``), which the app follows."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlmodel import col, select

from infoview_app import db
from infoview_app.models import Contact, Exploration, ExplorationQuestion, TokenPurpose
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import account_tokens
from infoview_app.services.demo import sample_student
from infoview_app.services.staff import partner_directory
from tests import factories
from tests.factories import PASSWORD
from tests.live.accessibility import violations
from tests.live.calendar_feed import feed_link_shown
from tests.live.conftest import VIEWPORTS, sign_in, wait_hydrated
from tests.live.contrast import Mark, drawn_too_faint, too_faint

Mode = Literal["light", "dark"]
MODES: tuple[Mode, ...] = ("light", "dark")
Opened = Literal["dialog", "alertdialog", "menu"]
Ids = dict[str, Any]


@dataclass(frozen=True)
class Screen:
    """A page as one role sees it, optionally with something opened on it."""
    name: str
    role: str | None  # "student", "admin", or None when signed out
    path: Callable[[Ids], str]
    opened: Callable[[Page], None] | None = None
    viewports: tuple[str, ...] = tuple(VIEWPORTS)


def _click_and_wait(name: str | re.Pattern[str], shown: Opened) -> Callable[[Page], None]:
    """Click the first button named ``name``; wait for the ``shown`` role to appear."""
    def open_it(page: Page) -> None:
        page.get_by_role("button", name=name).first.click()
        expect(page.get_by_role(shown).first).to_be_visible()
    return open_it


def _select_on_graph(page: Page) -> None:
    page.locator(".react-flow__node.iv-node-contact").first.click()
    expect(page.locator("aside.iv-network-panel")).to_be_visible()


def _list_view(page: Page) -> None:
    page.get_by_role("radio", name="List").click()
    expect(page.locator(".iv-tree").first).to_be_visible()


def _show_feed_link(page: Page) -> None:
    feed_link_shown(page)


def _feed_new_link_dialog(page: Page) -> None:
    feed_link_shown(page)
    page.get_by_role("button", name="New link…").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()


def _open_chart_tables(page: Page) -> None:
    """Every chart's table alternative opened (each is built only once opened)."""
    summaries = page.locator(".iv-table-details > summary")
    expect(summaries.nth(1)).to_be_visible()
    for summary in summaries.all():
        summary.click()
    expect(page.locator(".iv-table-details table")).to_have_count(summaries.count())


def _step(step: int) -> Callable[[Ids], str]:
    return lambda ids: f"/exploration?id={ids['therapy']}&step={step}"


def _fixed(path: str) -> Callable[[Ids], str]:
    return lambda ids: path


SCREENS = (
    Screen("login", None, _fixed("/login")),
    Screen("register", None, _fixed("/register")),
    Screen("forgot-password", None, _fixed("/forgot-password")),
    Screen("reset-password", None, lambda ids: f"/reset-password?token={ids['reset']()}"),
    Screen("reset-password-void-link", None, _fixed("/reset-password?token=void")),
    Screen("verify-email", None, lambda ids: f"/verify-email?token={ids['verify']()}"),
    Screen("verify-email-void-link", None, _fixed("/verify-email?token=void")),
    Screen("home", "student", _fixed("/")),
    Screen("home-delete-dialog", "student", _fixed("/"),
           _click_and_wait(re.compile(r"^Delete"), "alertdialog")),
    *(Screen(f"step-{step}", "student", _step(step)) for step in range(1, 7)),
    Screen("step-menu", "student", _step(1),
           _click_and_wait(re.compile(r"step", re.I), "menu"), ("phone",)),
    Screen("step-2-contact-dialog", "student", _step(2),
           _click_and_wait(re.compile(r"^Add a contact"), "dialog")),
    Screen("step-2-remove-dialog", "student", _step(2),
           _click_and_wait(re.compile(r"^Remove"), "alertdialog")),
    Screen("step-5-business-card", "student", _step(5),
           _click_and_wait("Business card", "dialog")),
    Screen("step-6-snooze-menu", "student", _step(6),
           _click_and_wait(re.compile(r"^Snooze"), "menu")),
    Screen("step-6-job-search-dialog", "student", _step(6),
           _click_and_wait(re.compile(r"job search"), "alertdialog")),
    Screen("notes", "student", _fixed("/notes")),
    Screen("notes-of-a-contact", "student", lambda ids: f"/notes?contact={ids['okafor']}"),
    Screen("network-graph", "student", _fixed("/network")),
    Screen("network-contact-sheet", "student", _fixed("/network"), _select_on_graph),
    Screen("network-list", "student", _fixed("/network"), _list_view),
    Screen("account", "student", _fixed("/account")),
    Screen("account-delete-dialog", "student", _fixed("/account"),
           _click_and_wait(re.compile(r"^Delete"), "alertdialog")),
    Screen("account-calendar-feed-link", "student", _fixed("/account"), _show_feed_link),
    Screen("account-calendar-feed-new-link-dialog", "student", _fixed("/account"),
           _feed_new_link_dialog),
    Screen("not-allowed", "student", _fixed("/not-allowed")),
    Screen("staff-dashboard", "admin", _fixed("/staff")),
    Screen("staff-dashboard-tables", "admin", _fixed("/staff"), _open_chart_tables),
    Screen("partner-directory", "admin", _fixed("/staff/partners")),
    Screen("partner-dialog", "admin", _fixed("/staff/partners"),
           _click_and_wait(re.compile(r"^Add"), "dialog")),
    Screen("partner-retire-dialog", "admin", _fixed("/staff/partners"),
           _click_and_wait(re.compile(r"^Retire"), "alertdialog")),
    Screen("question-bank", "admin", _fixed("/staff/questions")),
    Screen("question-dialog", "admin", _fixed("/staff/questions"),
           _click_and_wait(re.compile(r"^Add"), "dialog")),
    Screen("institution-settings", "admin", _fixed("/staff/settings")),
    Screen("staff-accounts", "admin", _fixed("/admin/staff")),
    Screen("audit-log", "admin", _fixed("/admin/audit")),
)

RUNS = [pytest.param(screen, viewport, mode, id=f"{screen.name}-{viewport}-{mode}")
        for screen in SCREENS for viewport in screen.viewports for mode in MODES]


def _token(user_id: int, purpose: TokenPurpose) -> Callable[[], str]:
    """A fresh emailed link's token each time (opening a link may use it up)."""
    def issue() -> str:
        with db.session() as session:
            token = account_tokens.issue(session, user_id, purpose, utcnow())
            session.commit()
        return token
    return issue


@pytest.fixture(scope="module")
def seeded(live_db_url: str, app_harness: Any) -> Ids:
    """The demo student, with questions chosen for interview mode; an admin; a partner; a
    student with a pending address check; five more students for the dashboard's charts."""
    with db.session() as session:
        maya, _staff = sample_student.create_demo_data(session, PASSWORD)
        assert maya.id is not None
        therapy = session.exec(select(Exploration.id).where(
            Exploration.owner_id == maya.id, Exploration.field_name == "Physical therapy")).one()
        assert therapy is not None
        okafor = session.exec(select(Contact.id).where(
            Contact.owner_id == maya.id, col(Contact.name).startswith("Sam Okafor"))).one()
        session.add_all(ExplorationQuestion(exploration_id=therapy, question_id=qid,
                                            position=position)
                        for position, qid in enumerate((1, 2, 3)))
        session.commit()
        ids: Ids = {"therapy": therapy, "okafor": okafor,
                    "student": sample_student.DEMO_STUDENT_EMAIL,
                    "admin": "ada.admin@test.example.edu"}
        factories.admin(session, name="Ada Admin", email=ids["admin"])
        partner_directory.add_partner(session, {
            "name": "Priya Nair", "organization": "Lakeside Sports Rehab",
            "field": "Physical therapy", "email": "priya@lakeside.example",
            "consent_to_list": True, "monthly_request_cap": 2})
        for number in range(5):
            owner = factories.student(session, name=f"Chart Student {number}",
                                      email=f"chart{number}@test.example.edu",
                                      major="Kinesiology", graduation_year=2027)
            factories.exploration_id(session, owner)
        newcomer = factories.student(session, name="New Student",
                                     email="new.student@test.example.edu")
    ids["reset"] = _token(maya.id, TokenPurpose.RESET_PASSWORD)
    ids["verify"] = _token(newcomer, TokenPurpose.VERIFY_EMAIL)
    return ids


@pytest.fixture(scope="module")
def signed_in(browser: Browser, app_url: str, seeded: Ids) -> Iterator[dict[str, Any]]:
    """Each role's browser storage after signing in once (the session token is kept there),
    and the seeded ids under "ids"."""
    states: dict[str, Any] = {}
    for role, heading in (("student", "Welcome, Maya Chen"), ("admin", "Programme overview")):
        context = browser.new_context(base_url=app_url)
        page = context.new_page()
        sign_in(page, seeded[role], PASSWORD)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        states[role] = context.storage_state()
        context.close()
    yield {**states, "ids": seeded}


def _viewport(name: str) -> ViewportSize:
    size = VIEWPORTS[name]
    return {"width": size["width"], "height": size["height"]}


@contextmanager
def _opened(browser: Browser, app_url: str, signed_in: dict[str, Any], screen: Screen,
            viewport_name: str, mode: Mode = "light") -> Iterator[Page]:
    """``screen``'s page, loaded in a fresh context of its role's signed-in storage."""
    context = browser.new_context(
        viewport=_viewport(viewport_name), base_url=app_url, color_scheme=mode,
        storage_state=signed_in[screen.role] if screen.role else None)
    try:
        page = context.new_page()
        page.goto(screen.path(signed_in["ids"]))
        _loaded(page)
        yield page
    finally:
        context.close()


def _loaded(page: Page) -> None:
    wait_hydrated(page)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    _settled(page)


def _settled(page: Page) -> None:
    """The page's data shown (no spinner) and no transition still running, so colours are
    measured as they end up."""
    expect(page.locator(".rt-Spinner:visible")).to_have_count(0)
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || a.effect?.getTiming().iterations === Infinity)")


@pytest.mark.parametrize(("screen", "viewport_name", "mode"), RUNS)
def test_no_wcag_a_or_aa_violation(screen: Screen, viewport_name: str, mode: Mode,
                                   browser: Browser, app_url: str,
                                   signed_in: dict[str, Any]) -> None:
    with _opened(browser, app_url, signed_in, screen, viewport_name, mode) as page:
        # The app follows the system's colour mode (Reflex marks the theme's root too).
        expect(page.locator("html")).to_have_class(re.compile(rf"\b{mode}\b"))
        expect(page.locator(".radix-themes[data-is-root-theme='true']")).to_have_class(
            re.compile(rf"\b{mode}\b"))
        if screen.opened is not None:
            screen.opened(page)
            _settled(page)
        found = violations(page)
        assert not found, "\n".join(found)


# The main pages, each with the primary action a person comes for.
MAIN_PAGES = ("login", "register", "forgot-password", "home",
              *(f"step-{step}" for step in range(1, 7)), "network-graph", "account",
              "staff-dashboard", "partner-directory", "question-bank", "institution-settings")
THUMB_PX = 44
# The primary actions: solid buttons (the page's main action, Save, Sign in...) and the
# tab bar's links.
PRIMARY = ".rt-BaseButton.rt-variant-solid:visible, .iv-tabbar .iv-tab:visible"


@pytest.mark.parametrize("screen", [pytest.param(screen, id=screen.name) for screen in SCREENS
                                    if screen.name in MAIN_PAGES])
def test_primary_actions_are_a_thumb_wide_on_a_phone(
        screen: Screen, browser: Browser, app_url: str, signed_in: dict[str, Any]) -> None:
    with _opened(browser, app_url, signed_in, screen, "phone") as page:
        sizes = page.locator(PRIMARY).evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.innerText.trim() || e.getAttribute('aria-label'), r.width, r.height]; })")
        assert sizes, "no primary action measured"
        small = [f"{name}: {width:.0f}x{height:.0f}" for name, width, height in sizes
                 if width < THUMB_PX or height < THUMB_PX]
        assert not small, small


def test_charts_reach_screen_readers_and_release_the_keyboard(
        browser: Browser, app_url: str, signed_in: dict[str, Any]) -> None:
    """Each dashboard chart is Recharts' keyboard-operable chart, named by its title and
    inside nothing that hides it (no role="img" wrapper, no aria-hidden); Tab moves on."""
    dashboard = next(screen for screen in SCREENS if screen.name == "staff-dashboard")
    with _opened(browser, app_url, signed_in, dashboard, "laptop") as page:
        titles = page.locator(".iv-chart-card h3").all_inner_texts()
        assert len(titles) >= 2
        for title in titles:
            # Drawn once the reader gets near it (components/charts.py, InView).
            page.get_by_role("heading", name=title, exact=True).scroll_into_view_if_needed()
            chart = page.get_by_role("application", name=title, exact=True)
            expect(chart).to_have_attribute("tabindex", "0")
            assert chart.evaluate("e => e.parentElement.closest('[role=img], [aria-hidden=true]')"
                                  " === null")
            chart.focus()
            page.keyboard.press("ArrowRight")  # the accessibility layer walks the points
            expect(chart).to_be_focused()
            page.keyboard.press("Tab")
            expect(chart).not_to_be_focused()
            assert page.evaluate("() => !document.activeElement.closest('.iv-chart')")
            page.keyboard.press("Shift+Tab")
            expect(chart).to_be_focused()


@dataclass(frozen=True)
class NonText:
    """The marks measured on one screen, the focus rings (what to focus, ring's mark), and
    what the browser draws itself, measured in a screenshot: (name, selector)."""
    screen: str
    marks: tuple[Mark, ...] = ()
    rings: tuple[tuple[str, Mark], ...] = ()
    drawn: tuple[tuple[str, str], ...] = ()


IN_DIALOG = "[role=dialog]"
NATIVE_UNTICKED = ("unticked native checkbox's box", "input[type=checkbox]:not(:checked)")
NATIVE_TICKED = ("ticked native checkbox's box", "input[type=checkbox]:checked")
# The network's Graph/List switch (a Radix segmented control): its track against the page,
# the selected item's indicator against the track and against its own fill.
SWITCH = (Mark("edge of the Graph/List switch's track", ".rt-SegmentedControlRoot", "shadow"),
          Mark("edge of the switch's selected item", ".rt-SegmentedControlIndicator",
               "before-shadow", inside=True))
NON_TEXT = (
    NonText("step-2-contact-dialog",
            (Mark("text field's edge", ".rt-TextFieldRoot", "shadow"),
             Mark("select's edge", ".iv-select", "border")),
            ((f"{IN_DIALOG} #field-name",
              Mark("ring of a text field", ".rt-TextFieldRoot:focus-within", "outline",
                   inside=True)),
             (f"{IN_DIALOG} #field-source",
              Mark("ring of a select", ".iv-select:focus", "outline")),
             (f"{IN_DIALOG} button[type=submit]",
              Mark("ring of a button", "button:focus", "outline")))),
    NonText("step-3",
            (Mark("text area's edge", ".rt-TextAreaRoot", "shadow"),),
            (("a.iv-step-link:visible, a.iv-step-arrow:visible",
              Mark("ring of a link", "a:focus", "outline")),)),
    NonText("step-5",
            (Mark("unticked checkbox's box", ".rt-BaseCheckboxRoot[data-state=unchecked]",
                  "before-shadow"),),
            ((".rt-BaseCheckboxRoot:visible",
              Mark("ring of a checkbox", ".rt-BaseCheckboxRoot:focus", "before-outline")),),
            (NATIVE_UNTICKED,)),
    NonText("account",
            (Mark("unticked radio's circle", ".rt-BaseRadioRoot[data-state=unchecked]",
                  "before-shadow"),),
            drawn=(NATIVE_TICKED,)),
    NonText("network-list", SWITCH),
    NonText("network-graph",
            (Mark("stage edge of a contact's node", ".react-flow__node.iv-node-contact",
                  "left-edge"),
             Mark("stage swatch of the legend", ".iv-swatch", "background"), *SWITCH)),
    NonText("network-contact-sheet",
            (Mark("stage badge's edge", ".iv-stage-chip", "border"),)),
)


@pytest.mark.parametrize(("check", "viewport_name", "mode"), [
    pytest.param(check, viewport, mode, id=f"{check.screen}-{viewport}-{mode}")
    for check in NON_TEXT for viewport in VIEWPORTS for mode in MODES])
def test_non_text_contrast(check: NonText, viewport_name: str, mode: Mode, browser: Browser,
                           app_url: str, signed_in: dict[str, Any]) -> None:
    """WCAG 1.4.11: the edges of text fields, selects, checkboxes (Radix's and the browser's)
    and radios, the Graph/List switch's track and selected item, the focus ring, and the
    pipeline stage's colour where it is the only cue (a node's edge, a swatch, a badge's
    edge), each at least 3:1 against the colours beside it, in both modes."""
    screen = next(screen for screen in SCREENS if screen.name == check.screen)
    with _opened(browser, app_url, signed_in, screen, viewport_name, mode) as page:
        if screen.opened is not None:
            screen.opened(page)
            _settled(page)
        faint: list[str] = []
        for mark in check.marks:
            count, too_low = too_faint(page, mark)
            assert count, f"no {mark.name} on {check.screen}"
            faint += too_low
        for target, ring in check.rings:
            page.keyboard.press("Tab")  # keyboard use: the ring is :focus-visible's
            page.locator(target).first.focus()
            count, too_low = too_faint(page, ring)
            assert count, f"no {ring.name} after focusing {target} on {check.screen}"
            faint += too_low
        for name, selector in check.drawn:
            count, too_low = drawn_too_faint(page, name, selector)
            assert count, f"no {name} on {check.screen}"
            faint += too_low
        assert not faint, "\n".join(faint)

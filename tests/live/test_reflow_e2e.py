"""Reflow (WCAG 1.4.10) and text spacing (WCAG 1.4.12) on every main page of every role,
signed in as the demo student (all six steps, contacts, interviews, follow-ups), the demo
staff member and an admin.

Reflow: no horizontal scrolling at 320 CSS px wide, and at 400% zoom of a 1280 x 720 window.
Zoom is emulated as the browser does it, not with CSS ``zoom``: zooming a window to 400%
gives a 320 x 180 CSS px viewport drawn with 4 device pixels per CSS px, so that is the
viewport and device scale factor here. Media queries, ``vw`` units and fixed positioning then
see what they see in a zoomed window; CSS ``zoom`` on the root would leave the viewport at
1280 px and the phone layout would never apply.

Text spacing: with line height 1.5, letter spacing 0.12em, word spacing 0.16em and 2em after
paragraphs forced on every element, no element that clips its overflow (hidden or clip) holds
text larger than its box.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page
from sqlmodel import select

from infoview_app import db, routes
from infoview_app.models import Contact, Exploration, Role, User
from infoview_app.services.accounts import user_accounts
from infoview_app.services.demo import sample_student
from infoview_app.state.base import SessionState
from tests import factories
from tests.live.conftest import VIEWPORTS, wait_hydrated

# The page shows its data: no spinner (components/cards.py, loading) and no text area still
# waiting for its text (components/forms.py, kept_text_area).
LOADED = """() => !document.querySelector(
    '[aria-label="Loading"], textarea[placeholder="Loading…"]')
  && document.querySelector('#main-content h2, #main-content h1') !== null"""

# (width, height, device scale factor)
REFLOW_SIZES = {"320 px wide": (320, 640, 1), "400% of 1280 x 720": (320, 180, 4)}

TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# Where the page scrolls sideways, and what sticks out past the viewport's edges without a
# scrolling box of its own around it (a wide table may scroll inside its card: WCAG allows
# two-dimensional scrolling for data tables).
SIDEWAYS = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrollsInside = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll('*')].filter((el) => {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === 'hidden') {
      return false;
    }
    return (box.right > width + 1 || box.left < -1) && !scrollsInside(el);
  }).map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`
                 + ` ${(el.innerText || '').trim().slice(0, 40)}`);
  return {scrollWidth: root.scrollWidth, width, out: out.slice(0, 5)};
}"""

# Elements that clip their overflow and hold text larger than their box. Not counted:
# screen-reader-only text (clipped on purpose to 1 px: .iv-sr-only, the audit table's
# header on phones), the network graph's canvas, which shows
# a part of the graph that the student pans and zooms (its list view shows everyone), and the
# frame of Radix's scroll area around a wide table, whose viewport inside scrolls to the rest
# (a table's rows and columns are the two-dimensional layout that 1.4.10 allows to scroll).
CLIPPED = """() => { const SCROLLS_TO_THE_REST = '.react-flow, .rt-ScrollAreaRoot';
  return [...document.body.querySelectorAll('*')].filter((el) => {
  const style = getComputedStyle(el);
  const clipsX = ['hidden', 'clip'].includes(style.overflowX);
  const clipsY = ['hidden', 'clip'].includes(style.overflowY);
  if (!(clipsX || clipsY) || el.closest('.iv-sr-only') || el.matches(SCROLLS_TO_THE_REST)
      || !(el.innerText || '').trim()) {
    return false;
  }
  // Not shown, or shown to screen readers only: a box of 1 px that clips on purpose.
  if (el.getClientRects().length === 0 || (el.clientWidth <= 1 && el.clientHeight <= 1)) {
    return false;
  }
  return (clipsX && el.scrollWidth > el.clientWidth + 1)
    || (clipsY && el.scrollHeight > el.clientHeight + 1);
}).map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> `
               + `${(el.innerText || '').trim().slice(0, 40)}: ${el.scrollWidth}x`
               + `${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`); }"""


@dataclass(frozen=True)
class Visitor:
    token: str  # "" for a visitor not signed in
    paths: tuple[str, ...]


def demo_visitors() -> dict[str, Visitor]:
    """Who visits which pages: the demo student and staff member (created unless an earlier
    test did) and an admin, each with a session of their own."""
    with db.session() as session:
        if user_accounts.find_user_by_email(session, sample_student.DEMO_STUDENT_EMAIL) is None:
            sample_student.create_demo_data(session, factories.PASSWORD)
        student = user_accounts.find_user_by_email(session, sample_student.DEMO_STUDENT_EMAIL)
        staff = user_accounts.find_user_by_email(session, sample_student.DEMO_STAFF_EMAIL)
        admin = factories.account(session, Role.ADMIN, name="Ada Admin",
                                  email=f"admin-{os.urandom(3).hex()}@test.example.edu")
        assert student and staff
        exploration = session.exec(select(Exploration.id).where(
            Exploration.owner_id == student.id, Exploration.field_name == "Physical therapy")
        ).one()
        contact = session.exec(select(Contact.id).where(
            Contact.owner_id == student.id, Contact.name == "Sam Okafor, DPT")).one()

        def token(user: User) -> str:
            assert user.id is not None
            return user_accounts.start_session(session, user.id, timedelta(hours=1))

        return {
            "visitor": Visitor("", (routes.LOGIN, routes.REGISTER, routes.FORGOT_PASSWORD)),
            "student": Visitor(token(student), (
                routes.HOME, *(routes.exploration_url(exploration, n) for n in range(1, 7)),
                routes.NOTES, routes.notes_url(contact), routes.network_url(exploration),
                routes.ACCOUNT)),
            "staff": Visitor(token(staff), (
                routes.STAFF_HOME, routes.STAFF_PARTNERS, routes.STAFF_QUESTIONS,
                routes.STAFF_SETTINGS, routes.ACCOUNT)),
            "admin": Visitor(token(admin), (routes.ADMIN_STAFF, routes.ADMIN_AUDIT)),
        }


@pytest.fixture(scope="module")
def visitors(live_db_url: str, app_harness: Any) -> dict[str, Visitor]:
    return demo_visitors()


def _pages(browser: Browser, app_url: str, visitor: Visitor, width: int, height: int,
           scale: int) -> Iterator[tuple[str, Page]]:
    """Each of the visitor's pages, loaded and hydrated, in a context of that size."""
    token_field: Any = SessionState.get_fields()["auth_token"].default
    storage = [{"name": token_field.name, "value": visitor.token}] if visitor.token else []
    state: Any = {"cookies": [], "origins": [{"origin": app_url, "localStorage": storage}]}
    context = browser.new_context(viewport={"width": width, "height": height},
                                  device_scale_factor=scale, base_url=app_url,
                                  storage_state=state)
    try:
        page = context.new_page()
        for path in visitor.paths:
            page.goto(path)
            wait_hydrated(page)
            page.wait_for_function(LOADED)
            # The static pages are served with a trailing slash.
            landed = urlsplit(page.url)
            query = f"?{landed.query}" if landed.query else ""
            assert (landed.path.rstrip("/") or "/") + query == path, f"{path} went to {page.url}"
            yield path, page
    finally:
        context.close()


@pytest.mark.parametrize("size", list(REFLOW_SIZES))
def test_no_page_scrolls_sideways(browser: Browser, app_url: str,
                                  visitors: dict[str, Visitor], size: str) -> None:
    found = {}
    for role, visitor in visitors.items():
        for path, page in _pages(browser, app_url, visitor, *REFLOW_SIZES[size]):
            sideways = page.evaluate(SIDEWAYS)
            if sideways["scrollWidth"] > sideways["width"] or sideways["out"]:
                found[f"{role} {path}"] = sideways
    assert not found, f"horizontal scrolling at {size}: {found}"


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
def test_text_spacing_clips_nothing(browser: Browser, app_url: str,
                                    visitors: dict[str, Visitor], viewport_name: str) -> None:
    size = VIEWPORTS[viewport_name]
    found = {}
    for role, visitor in visitors.items():
        for path, page in _pages(browser, app_url, visitor, size["width"], size["height"], 1):
            page.add_style_tag(content=TEXT_SPACING)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                          "requestAnimationFrame(r)))")
            if clipped := page.evaluate(CLIPPED):
                found[f"{role} {path}"] = clipped
    assert not found, f"text clipped with WCAG 1.4.12 spacing ({viewport_name}): {found}"

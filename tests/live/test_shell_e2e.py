"""The app shell and the student home, as a person uses them."""

import re

from playwright.sync_api import Page, WebSocketRoute, expect

from infoview_app import db
from infoview_app.models import FollowUpKind, FollowUpTask
from infoview_app.models._base import utcnow
from tests.live.conftest import sign_in


def test_navigation_matches_the_screen_size(page: Page, viewport_name: str, make_user) -> None:
    user = make_user(name="Nav Student")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Nav Student")).to_be_visible()
    tab_bar, side_nav = page.locator(".iv-tabbar"), page.locator(".iv-sidenav")
    if viewport_name == "phone":
        expect(tab_bar).to_be_visible()
        expect(side_nav).to_be_hidden()
    else:
        expect(side_nav).to_be_visible()
        expect(tab_bar).to_be_hidden()
    visible_nav = tab_bar if viewport_name == "phone" else side_nav
    visible_nav.get_by_role("link", name="Account").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page).to_have_title("Your account · InfoView")
    expect(visible_nav.get_by_role("link", name="Account")).to_have_attribute(
        "aria-current", "page")
    # The career office's contact block, from the institution settings.
    expect(page.get_by_role("link", name="careers@northfield.example.edu").first).to_be_visible()


def test_skip_link_and_colour_mode(page: Page, make_user) -> None:
    user = make_user(name="Keyboard User")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Keyboard User")).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    html = page.locator("html")
    before = html.get_attribute("class") or ""
    page.get_by_role("button", name=re.compile(r"Switch to (dark|light) mode")).click()
    expect(html).not_to_have_class(before)


def test_start_an_exploration_then_delete_it_after_confirming(page: Page, make_user) -> None:
    user = make_user(name="Explorer")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_text("You haven't started exploring")).to_be_visible()

    page.get_by_label("Career field to explore").fill("Marine biology")
    page.get_by_role("button", name="Start exploring").click()
    expect(page.get_by_role("heading", name="Marine biology")).to_be_visible()
    expect(page.get_by_text("Step 1 of 6 · Research")).to_be_visible()

    page.get_by_role("button", name="Delete Marine biology").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("This cannot be undone")
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("heading", name="Marine biology")).to_be_visible()

    page.get_by_role("button", name="Delete Marine biology").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete exploration").click()
    expect(page.get_by_role("heading", name="Marine biology")).to_have_count(0)
    expect(page.get_by_text("You haven't started exploring")).to_be_visible()


def test_empty_field_name_is_refused_beside_the_field(page: Page, make_user) -> None:
    user = make_user(name="Blank Field")
    sign_in(page, user["email"], user["password"])
    page.get_by_label("Career field to explore").fill("   ")
    page.get_by_role("button", name="Start exploring").click()
    expect(page.locator("#field_name-error")).to_have_text("Career field is required.")


def test_follow_up_marked_done_leaves_the_list(page: Page, make_user) -> None:
    user = make_user(name="Follower")
    with db.session() as session:
        session.add(FollowUpTask(owner_id=user["id"], kind=FollowUpKind.LINKEDIN_CONNECT,
                                 due_on=utcnow().date()))
        session.commit()
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_text("Connect on LinkedIn")).to_be_visible()
    expect(page.get_by_text("due today")).to_be_visible()
    page.get_by_role("button", name="Mark done: Connect on LinkedIn").click()
    expect(page.get_by_text("Connect on LinkedIn")).to_have_count(0)
    expect(page.get_by_text("Nothing to follow up yet")).to_be_visible()



# Every layout shift of the page (those after input excluded, as Lighthouse counts them),
# with what moved, from the first paint on.
RECORD_SHIFTS = """
window.__ivShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__ivShifts.push({value: entry.value, moved: (entry.sources || []).map(
      (source) => source.node ? (source.node.className || source.node.nodeName) : "?")});
  }
}).observe({type: "layout-shift", buffered: true});
"""
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


class HeldSocket:
    """The page's Reflex socket, with what the server sends held back until ``release``: the
    page is drawn first, as on a slow phone, before it knows whose page it is."""

    def __init__(self, page: Page) -> None:
        self.client: WebSocketRoute | None = None
        self.held: list[str | bytes] = []
        self.released = False
        page.route_web_socket(re.compile(r"/_event/"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        self.client = socket
        socket.on_message(server.send)
        server.on_message(self._from_server)

    def _from_server(self, message: str | bytes) -> None:
        if self.released and self.client is not None:
            self.client.send(message)
        else:
            self.held.append(message)

    def release(self) -> None:
        assert self.client is not None, "the page never opened its socket"
        self.released = True
        for message in self.held:
            self.client.send(message)


def test_nothing_moves_while_a_signed_in_page_loads(page: Page, viewport_name: str,
                                                    make_user) -> None:
    """The navigation's links, the institution's name and the data arrive over the socket
    after the first paint; nothing on screen may move for them (Lighthouse's cumulative
    layout shift was 0.19 on every signed-in page on a phone, from the tab bar)."""
    user = make_user(name="Still Student")
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Still Student")).to_be_visible()
    socket = HeldSocket(page)
    page.add_init_script(RECORD_SHIFTS)
    page.reload()
    # Drawn, hydrated and connected, with nothing from the server yet.
    page.wait_for_function("() => performance.getEntriesByType('paint').length > 0")
    for _ in range(300):
        if socket.client is not None:
            break
        page.wait_for_timeout(100)
    page.evaluate(NEXT_FRAME)
    expect(page.get_by_role("heading", name="Welcome, Still Student")).to_have_count(0)
    socket.release()
    nav = page.locator(".iv-tabbar" if viewport_name == "phone" else ".iv-sidenav")
    expect(nav.get_by_role("link", name="Account")).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome, Still Student")).to_be_visible()
    page.evaluate(NEXT_FRAME)
    shifts = page.evaluate("window.__ivShifts")
    assert sum(shift["value"] for shift in shifts) < 0.001, shifts

"""The contact network page (/network) on a phone (touch) and a laptop: the graph drawn by
React Flow, selecting a node by click, tap and keyboard, the referral chain, filters, search,
the list view, "+N more" groups and owner scoping."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from sqlalchemy import insert

from infoview_app import db
from infoview_app.models import Contact, ContactSource, OutreachAttempt, PipelineStage
from infoview_app.models._base import utcnow
from infoview_app.services.journey import explorations
from tests.live.accessibility import violations
from tests.live.conftest import VIEWPORTS, sign_in

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout

MAX_TABS = 40
LEGIBLE_PX = 12  # the smallest label, as drawn
# Where test_500_direct_contacts_are_grouped_and_readable saves its screenshots, if set
# (docs/screenshots/ for the ones in the docs).
SCREENSHOTS = os.environ.get("INFOVIEW_SCREENSHOTS", "")

# Each drawn node's box and its label's and source mark's font size as drawn (CSS px times
# the zoom, read from the box's drawn width over its layout width), with the graph's box and,
# on a phone, the top of the details sheet.
GEOMETRY = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const graph = document.querySelector('.iv-graph');
  const sheet = document.querySelector('aside.iv-network-panel');
  const nodes = [...document.querySelectorAll('.iv-graph .react-flow__node')].map((el) => {
    const zoom = el.getBoundingClientRect().width / el.offsetWidth;
    const mark = getComputedStyle(el, '::after');
    return {id: el.dataset.id, label: el.ariaLabel, ...box(el),
            font: parseFloat(getComputedStyle(el).fontSize) * zoom,
            mark: mark.content === 'none' ? null : parseFloat(mark.fontSize) * zoom};
  });
  return {graph: box(graph), sheetTop: sheet ? sheet.getBoundingClientRect().top : null,
          nodes};
}
"""


@pytest.fixture
def page(browser: Browser, viewport_name: str, app_url: str) -> Iterator[Page]:
    """As conftest's page, with a touch screen on the phone so that page.tap works."""
    context: BrowserContext = browser.new_context(
        viewport=VIEWPORTS[viewport_name], base_url=app_url,
        has_touch=viewport_name == "phone")
    page = context.new_page()
    yield page
    context.close()


def _contact(session: Any, owner_id: int, exploration_id: int, name: str,
             source: ContactSource, stage: PipelineStage,
             referred_by: int | None = None) -> int:
    contact = Contact(owner_id=owner_id, exploration_id=exploration_id, name=name,
                      title="Physical therapist", organization="Lakeside Rehab",
                      source=source, stage=stage, referred_by_id=referred_by)
    session.add(contact)
    session.flush()
    assert contact.id is not None
    return contact.id


def _network(owner_id: int) -> dict[str, int]:
    """Two fields: Physical therapy (Elena introduced Sam; Lin) and Nursing (Noor)."""
    with db.session() as session:
        therapy = explorations.start_exploration(session, owner_id, "Physical therapy")
        nursing = explorations.start_exploration(session, owner_id, "Nursing")
        elena = _contact(session, owner_id, therapy, "Elena Rivera", ContactSource.FACULTY,
                         PipelineStage.THANKED)
        sam = _contact(session, owner_id, therapy, "Sam Okafor", ContactSource.REFERRAL,
                       PipelineStage.INTERVIEWED, referred_by=elena)
        lin = _contact(session, owner_id, therapy, "Lin Chen", ContactSource.FAMILY,
                       PipelineStage.CONTACTED)
        noor = _contact(session, owner_id, nursing, "Noor Haddad", ContactSource.FRIEND,
                        PipelineStage.IDENTIFIED)
        session.add(OutreachAttempt(owner_id=owner_id, contact_id=lin, channel="email",
                                    outcome="left_message", attempted_on=utcnow().date()))
        session.commit()
        return {"therapy": therapy, "nursing": nursing, "elena": elena, "sam": sam,
                "lin": lin, "noor": noor}


def _node(page: Page, name: str) -> Locator:
    """A drawn node, by its accessible name (React Flow renders role="group" + aria-label)."""
    return page.get_by_role("group", name=re.compile(f"^{re.escape(name)}"))


def _contact_nodes(page: Page) -> Locator:
    return page.locator(".react-flow__node.iv-node-contact")


def _panel(page: Page) -> Locator:
    return page.locator("aside.iv-network-panel")


def _chain_shadow(node: Locator) -> str:
    return node.evaluate("element => getComputedStyle(element).boxShadow")


def _go(page: Page, user: dict[str, Any], path: str) -> None:
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name=f"Welcome, {user['name']}")).to_be_visible()
    page.goto(path)


def _open_network(page: Page, user: dict[str, Any]) -> None:
    _go(page, user, "/network")
    expect(page.get_by_role("heading", name="Your contact network")).to_be_visible()


def _tab_to(page: Page, name: str) -> None:
    """Press Tab until the keyboard focus is on the node named ``name``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement?.getAttribute('aria-label') || ''")
        if label.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name}")


def test_select_by_click_tap_and_keyboard(page: Page, viewport_name: str, make_user) -> None:
    user = make_user(name="Graph Student")
    ids = _network(user["id"])
    _open_network(page, user)
    expect(_contact_nodes(page)).to_have_count(4)
    expect(_node(page, "You")).to_be_visible()
    sam = _node(page, "Sam Okafor")
    expect(sam).to_be_visible()
    expect(sam).to_have_attribute("aria-label", "Sam Okafor: Interviewed, Referral")

    if viewport_name == "phone":
        sam.tap()
    else:
        sam.click()
    panel = _panel(page)
    expect(panel.get_by_role("heading", name="Sam Okafor")).to_be_visible()
    # The chain in words, and Elena again as who introduced Sam.
    expect(panel.locator(".iv-chain-path li")).to_have_text(
        ["You", "Elena Rivera", "Sam Okafor"])
    expect(panel.get_by_text("Elena Rivera", exact=True)).to_have_count(2)
    expect(panel.get_by_text("Interviewed", exact=True)).to_be_visible()
    # The chain from the student through Elena to Sam is outlined; Lin is not on it.
    expect(_node(page, "Elena Rivera")).not_to_have_css("box-shadow", "none")
    expect(_node(page, "Lin Chen")).to_have_css("box-shadow", "none")
    assert _chain_shadow(_node(page, "Lin Chen")) == "none"
    expect(page.locator(f'.react-flow__edge[data-id="e-c{ids["sam"]}"] .react-flow__edge-path')
           ).to_have_css("stroke-width", "3px")

    panel.get_by_role("button", name="Close details").click()
    expect(panel).to_have_count(0)

    # Keyboard: Tab from the search box to Lin's node, then Enter.
    page.get_by_label("Find a name").focus()
    _tab_to(page, "Lin Chen")
    page.keyboard.press("Enter")
    expect(panel.get_by_role("heading", name="Lin Chen")).to_be_visible()
    expect(panel.get_by_text("Email · Left a message")).to_be_visible()
    next_action = panel.get_by_role("link", name=re.compile("book the interview"))
    expect(next_action).to_have_attribute(
        "href", f"/exploration?id={ids['therapy']}&step=4")
    expect(_node(page, "Elena Rivera")).to_have_css("box-shadow", "none")
    next_action.click()
    expect(page).to_have_url(re.compile(rf"/exploration\?id={ids['therapy']}&step=4"))


def test_filters_search_and_list_view(page: Page, make_user) -> None:
    user = make_user(name="Filter Student")
    ids = _network(user["id"])
    _go(page, user, f"/exploration?id={ids['therapy']}&step=2")
    page.get_by_role("link", name=re.compile("your contact network")).click()
    expect(page).to_have_url(re.compile(rf"/network\?exploration={ids['therapy']}"))
    expect(page.get_by_label("Field")).to_have_value(str(ids["therapy"]))
    expect(_contact_nodes(page)).to_have_count(3)
    expect(_node(page, "Noor Haddad")).to_have_count(0)

    page.get_by_label("Field").select_option("")
    expect(_contact_nodes(page)).to_have_count(4)
    page.get_by_label("Stage").select_option("interviewed")
    expect(_contact_nodes(page)).to_have_count(1)
    expect(_node(page, "Sam Okafor")).to_be_visible()
    page.get_by_label("Stage").select_option("")
    page.get_by_label("Source").select_option("friend")
    expect(_contact_nodes(page)).to_have_count(1)
    expect(_node(page, "Noor Haddad")).to_be_visible()
    page.get_by_label("Stage").select_option("thanked")
    expect(page.get_by_text("No contacts match these filters.")).to_be_visible()
    page.get_by_role("button", name="Show everyone").click()
    expect(_contact_nodes(page)).to_have_count(4)

    page.get_by_label("Find a name").fill("noor")
    page.get_by_role("button", name="Find").click()
    expect(_panel(page).get_by_role("heading", name="Noor Haddad")).to_be_visible()
    expect(_node(page, "Noor Haddad")).to_be_focused()
    page.get_by_label("Find a name").fill("Nobody Here")
    page.get_by_label("Find a name").press("Enter")
    expect(page.get_by_text("No one called “Nobody Here” in the network shown.")).to_be_visible()

    drawn = sorted(label.split(":")[0] for label in
                   _contact_nodes(page).evaluate_all("els => els.map(e => e.ariaLabel)"))
    page.get_by_role("radio", name="List").click()
    listed = page.get_by_role("list", name="Contact network as a list")
    expect(listed).to_be_visible()
    names = sorted(listed.locator(".iv-tree-button .iv-tree-name").all_inner_texts())
    assert names == drawn == ["Elena Rivera", "Lin Chen", "Noor Haddad", "Sam Okafor"]
    sam_row = listed.get_by_role("button", name=re.compile("Sam Okafor"))
    elena_row = listed.get_by_role("button", name=re.compile("Elena Rivera"))
    # Sam, introduced by Elena, is indented one level deeper than Elena.
    indent = "e => parseFloat(getComputedStyle(e.parentElement).paddingLeft)"
    assert sam_row.evaluate(indent) > elena_row.evaluate(indent) > 0
    expect(sam_row).to_contain_text("Level 2")
    sam_row.focus()
    page.keyboard.press("Enter")
    expect(_panel(page).get_by_role("heading", name="Sam Okafor")).to_be_visible()


def test_a_student_never_sees_another_students_contacts(page: Page, make_user) -> None:
    owner = make_user(name="Owner Student")
    ids = _network(owner["id"])
    other = make_user(name="Other Student")
    _open_network(page, other)
    expect(page.get_by_text("Your network is empty.")).to_be_visible()
    expect(page.get_by_role("link", name="Start an exploration on your home page")
           ).to_be_visible()
    expect(page.get_by_text("Elena Rivera")).to_have_count(0)

    page.goto(f"/network?exploration={ids['therapy']}")  # the owner's exploration
    expect(page.get_by_text("Your network is empty.")).to_be_visible()
    expect(_node(page, "Sam Okafor")).to_have_count(0)
    with db.session() as session:
        mine = explorations.start_exploration(session, other["id"], "Dentistry")
        _contact(session, other["id"], mine, "Own Contact", ContactSource.FRIEND,
                 PipelineStage.IDENTIFIED)
        session.commit()
    page.goto(f"/network?exploration={ids['therapy']}")
    expect(page.get_by_text("That exploration no longer exists.")).to_be_visible()
    expect(_node(page, "Own Contact")).to_be_visible()
    expect(_contact_nodes(page)).to_have_count(1)
    page.get_by_role("radio", name="List").click()
    expect(page.get_by_role("list", name="Contact network as a list")
           .get_by_role("button")).to_have_count(1)


def test_more_group_expands(page: Page, make_user) -> None:
    """Beyond 1,000 contacts the farther ones are grouped; selecting a group shows them, and
    finding a name opens the group it is in. Ann has 1,000 referrals and Ben 12: breadth
    first, neither group fits in the 1,000."""
    user = make_user(name="Busy Student")
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Architecture")
        ann = _contact(session, user["id"], eid, "Ann Root", ContactSource.FACULTY,
                       PipelineStage.THANKED)
        ben = _contact(session, user["id"], eid, "Ben Root", ContactSource.FRIEND,
                       PipelineStage.THANKED)
        session.execute(insert(Contact), [
            {"owner_id": user["id"], "exploration_id": eid, "name": f"{prefix} {n:04d}",
             "source": ContactSource.REFERRAL, "stage": PipelineStage.IDENTIFIED,
             "referred_by_id": parent, "created_at": utcnow()}
            for prefix, parent, count in (("Annex", ann, 1000), ("Benji", ben, 12))
            for n in range(count)])
        session.commit()
    _open_network(page, user)
    expect(page.get_by_text("Showing 2 of 1,014 contacts.")).to_be_visible()
    expect(_contact_nodes(page)).to_have_count(2)
    more = _node(page, "+12 more")
    expect(more).to_be_visible()
    expect(_node(page, "+1,000 more")).to_be_visible()
    more.click()
    expect(_node(page, "Benji 0000")).to_be_visible()
    expect(_contact_nodes(page)).to_have_count(14)
    expect(_node(page, "+12 more")).to_have_count(0)
    expect(page.get_by_text("Showing 14 of 1,014 contacts.")).to_be_visible()

    # A name inside the other group is found too: the group opens on it.
    page.get_by_label("Find a name").fill("annex 0417")
    page.get_by_role("button", name="Find").click()
    expect(_panel(page).get_by_role("heading", name="Annex 0417")).to_be_visible()
    expect(_node(page, "Annex 0417")).to_be_focused()
    expect(page.get_by_text("Showing 1,014 of 1,014 contacts.")).to_be_visible()


def _react_flow_loaded(page: Page, path: str) -> bool:
    """Whether any script the page loads while opening ``path`` holds React Flow's code."""
    scripts: list[Any] = []
    page.on("response", lambda response: scripts.append(response)
            if response.request.resource_type == "script" else None)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return any(b"react-flow__pane" in response.body() for response in scripts
               if response.status == 200)


def test_react_flow_loads_only_on_the_network_page(page: Page, make_user) -> None:
    assert not _react_flow_loaded(page, "/login")
    user = make_user(name="Loader Student")
    _network(user["id"])
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Loader Student")).to_be_visible()
    assert _react_flow_loaded(page, "/network")  # positive control: the page's own chunk
    expect(_contact_nodes(page)).to_have_count(4)

# True once nodes are drawn and visible and the graph's pan and zoom stayed the same for
# five animation frames in a row: the fit is done.
STILL = """
() => new Promise((done) => {
  let last = null, same = 0;
  const frame = () => {
    const viewport = document.querySelector('.iv-graph .react-flow__viewport');
    const node = document.querySelector('.iv-graph .react-flow__node');
    const now = viewport && node && getComputedStyle(node).visibility !== 'hidden'
      ? viewport.style.transform : null;
    same = now !== null && now === last ? same + 1 : 0;
    last = now;
    if (same >= 5) { done(true); } else { requestAnimationFrame(frame); }
  };
  requestAnimationFrame(frame);
})
"""


def _geometry(page: Page) -> dict[str, Any]:
    return page.evaluate(GEOMETRY)


def _outside(geometry: dict[str, Any], *, vertically: bool = True) -> list[str]:
    """The drawn nodes not wholly inside the graph (or only across, if not ``vertically``)."""
    graph = geometry["graph"]
    return [node["label"] for node in geometry["nodes"]
            if node["left"] < graph["left"] - 0.5 or node["right"] > graph["right"] + 0.5
            or (vertically and (node["top"] < graph["top"] - 0.5
                               or node["bottom"] > graph["bottom"] + 0.5))]


def _too_small(geometry: dict[str, Any]) -> list[str]:
    return [f"{node['label']}: {node['font']:.1f} px, mark {node['mark']}"
            for node in geometry["nodes"]
            if node["font"] < LEGIBLE_PX or (node["mark"] or LEGIBLE_PX) < LEGIBLE_PX]


def _settled(page: Page, shape: str) -> dict[str, Any]:
    """Wait for the graph drawn as ``shape`` for this screen and fitted, then measure it."""
    expect(page.locator(".iv-graph")).to_have_attribute("data-layout", shape)
    page.wait_for_function(STILL)  # fitView runs once React Flow has measured the nodes
    return _geometry(page)


def test_every_node_fits_the_screen_at_a_legible_size(page: Page, viewport_name: str,
                                                      make_user) -> None:
    """On a 390 px phone the network is drawn as an outline, a node a row; on a laptop as a
    tree: every node inside the graph, every label and mark drawn at 12 px or more."""
    user = make_user(name="Legible Student")
    _network(user["id"])
    _open_network(page, user)
    expect(_contact_nodes(page)).to_have_count(4)
    geometry = _settled(page, "outline" if viewport_name == "phone" else "tree")
    assert len(geometry["nodes"]) == 5
    assert _outside(geometry) == []
    assert _too_small(geometry) == []
    assert min(node["font"] for node in geometry["nodes"]) >= LEGIBLE_PX
    assert violations(page, ".iv-network") == []


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_the_sheet_leaves_the_chain_visible_on_a_phone(page: Page, make_user) -> None:
    """Tapping Sam opens his details in a sheet over the lower half of the screen; the graph
    above it shows Sam and the chain from the student through Elena, at a legible size."""
    user = make_user(name="Sheet Student")
    _network(user["id"])
    _open_network(page, user)
    _settled(page, "outline")
    _node(page, "Sam Okafor").tap()
    sheet = _panel(page)
    expect(sheet.get_by_role("heading", name="Sam Okafor")).to_be_visible()
    height = VIEWPORTS["phone"]["height"]
    box = sheet.bounding_box()
    assert box is not None and box["height"] <= height / 2
    page.wait_for_function(f"""() => {{
        const g = ({GEOMETRY})();
        return g.sheetTop !== null && ['You', 'Elena Rivera', 'Sam Okafor'].every((name) =>
          g.nodes.some((n) => n.label.startsWith(name) && n.top >= Math.max(0, g.graph.top)
                              && n.bottom <= g.sheetTop));
    }}""")
    geometry = _geometry(page)
    chain = [node for node in geometry["nodes"]
             if node["label"].split(":")[0] in ("You", "Elena Rivera", "Sam Okafor")]
    assert len(chain) == 3
    for node in chain:
        assert node["top"] >= 0 and node["bottom"] <= geometry["sheetTop"] <= height
        assert geometry["graph"]["left"] <= node["left"] < node["right"] <= (
            geometry["graph"]["right"])
        assert node["font"] >= LEGIBLE_PX
    expect(_node(page, "Elena Rivera")).not_to_have_css("box-shadow", "none")
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / "network-phone.png"))
    assert violations(page, ".iv-network") == []
    sheet.get_by_role("button", name="Close details").click()
    expect(sheet).to_have_count(0)
    assert _outside(_settled(page, "outline")) == []


def _seed_500(owner_id: int) -> None:
    """Elena (who introduced Sam), Lin, and 500 people from one LinkedIn import."""
    ids = _network(owner_id)
    with db.session() as session:
        session.execute(insert(Contact), [
            {"owner_id": owner_id, "exploration_id": ids["therapy"], "name": f"Alum {n:03d}",
             "source": ContactSource.LINKEDIN_ALUMNI, "stage": PipelineStage.IDENTIFIED,
             "created_at": utcnow()} for n in range(500)])
        session.commit()


def test_500_direct_contacts_are_grouped_and_readable(page: Page, viewport_name: str,
                                                       make_user) -> None:
    """500 people known through LinkedIn are one group node with their count; Enter on it
    opens it (and again closes it). Open, no row is wider than the graph and every label is
    legible, on a phone and on a laptop."""
    user = make_user(name="Linked Student")
    _seed_500(user["id"])
    _open_network(page, user)
    group = _node(page, "LinkedIn or alumni: 500")
    expect(group).to_be_visible()
    expect(_contact_nodes(page)).to_have_count(4)
    # Four branches below the student: wider than either graph at the legible zoom.
    geometry = _settled(page, "outline")
    assert _outside(geometry) == [] and _too_small(geometry) == []
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"network-500-closed-{viewport_name}.png"))

    page.get_by_label("Find a name").focus()
    _tab_to(page, "LinkedIn or alumni")
    page.keyboard.press("Enter")
    expect(_node(page, "Alum 000")).to_be_visible()
    expect(group).to_be_focused()
    expect(group).to_have_attribute("aria-label", re.compile("press Enter to hide them$"))
    geometry = _settled(page, "outline")
    drawn = [node["label"] for node in geometry["nodes"]]
    assert any(label.startswith("Alum 0") for label in drawn)
    assert _outside(geometry, vertically=False) == []  # no row wider than the graph
    assert _too_small(geometry) == []
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.locator(".iv-graph").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SCREENSHOTS) / f"network-500-{viewport_name}.png"))
    assert violations(page, ".iv-network") == []

    # Choosing one of them outlines the chain through the group and writes it in the details.
    _node(page, "Alum 000").click()
    chain = _panel(page).locator(".iv-chain-path li")
    expect(chain).to_have_text(["You", "Alum 000"])
    expect(group).not_to_have_css("box-shadow", "none")
    into_group = '.react-flow__edge[data-id="e-group-linkedin_alumni"] .react-flow__edge-path'
    expect(page.locator(into_group)).to_have_css("stroke-width", "3px")
    _panel(page).get_by_role("button", name="Close details").click()
    expect(_panel(page)).to_have_count(0)
    # The zoom buttons' fit goes back to the group and its first people, legible, however
    # tall the open group.
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Fit the network to the screen").click()
    geometry = _settled(page, "outline")
    assert _too_small(geometry) == []
    assert any(node["label"].startswith("LinkedIn or alumni") for node in geometry["nodes"])

    group.focus()
    page.keyboard.press("Enter")
    expect(_node(page, "Alum 000")).to_have_count(0)
    expect(group).to_have_attribute("aria-label", re.compile("press Enter to show them$"))


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_turning_the_phone_draws_the_network_again(page: Page, make_user) -> None:
    """Upright, the phone shows the network as an outline (a node a row); turned sideways
    (844 px wide: no longer a phone's layout) it is drawn again as a tree, inside the graph;
    turned back, an outline again."""
    user = make_user(name="Turning Student")
    _network(user["id"])
    _open_network(page, user)
    assert _outside(_settled(page, "outline")) == []
    page.set_viewport_size({"width": 844, "height": 390})
    assert _outside(_settled(page, "tree"), vertically=False) == []
    page.set_viewport_size(VIEWPORTS["phone"])
    assert _outside(_settled(page, "outline")) == []

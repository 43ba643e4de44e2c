"""What each page makes the browser download before it can hydrate: the scripts its
prerendered HTML preloads (the route module and every module it imports statically). React
Flow (/network, components/network_graph.py) and Recharts (/staff, components/lazy.py) stay
out of it and load through a dynamic ``import()`` once the page is up.

Each library is recognised by a class name its code writes into the page: React Flow's
``react-flow__pane``, Recharts' ``recharts-wrapper``. Likewise the exploration page holds none
of its six steps' tools before its first paint (pages/exploration.py, ``after_first_paint``):
each step is recognised by a sentence only its own panel writes; and /network holds nothing
drawn from the network's data (pages/network_view.py), nor React Flow's stylesheet.
"""

import re
import urllib.request
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from infoview_app import db
from infoview_app.models import Contact, ContactSource, PipelineStage
from infoview_app.services.journey import explorations
from tests.live.conftest import sign_in
from tests.live.test_shell_e2e import NEXT_FRAME, RECORD_SHIFTS

REACT_FLOW = "react-flow__pane"
RECHARTS = "recharts-wrapper"
PAGES = ["/login", "/", "/exploration", "/network", "/staff"]
# A sentence of each step's panel (pages/steps/), found nowhere else in the app.
STEP_TEXTS = {
    1: "No occupation matches those words",
    2: "Add to my list",
    3: "Add your own question",
    4: "Cancel the interview with",
    5: "Add a person they referred you to",  # interview mode
    6: "Nothing to follow up right now",
}
PRELOADED = re.compile(r'<link[^>]*?href="([^"]+\.js)"')
STYLESHEETS = re.compile(r'<link[^>]*?href="([^"]+\.css)"')
NETWORK_VIEW = "Contact network as a list"  # the list view's label, pages/network_view.py
DYNAMIC_IMPORT = re.compile(r"""import\(\s*["'`](\.{1,2}/[^"'`]+\.js)["'`]\s*\)""")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def _first_paint(app_url: str, path: str) -> dict[str, str]:
    """Every script the page's HTML preloads, by address, with its text."""
    html = _get(app_url + path)
    addresses = dict.fromkeys(urljoin(app_url + path, href) for href in PRELOADED.findall(html))
    assert addresses, html[:500]
    return {address: _get(address) for address in addresses}


def _loaded_later(files: dict[str, str]) -> dict[str, str]:
    """The chunks those files import dynamically, and those these chunks import in turn
    (React Flow comes from the network's own lazily loaded view), with their text."""
    later: dict[str, str] = {}
    found = dict(files)
    while found:
        targets = {urljoin(address, target) for address, text in found.items()
                   for target in DYNAMIC_IMPORT.findall(text)} - set(files) - set(later)
        found = {address: _get(address) for address in targets}
        later.update(found)
    return later


@pytest.mark.parametrize("path", PAGES)
def test_no_page_downloads_react_flow_or_recharts_before_its_first_paint(
        app_url: str, path: str) -> None:
    files = _first_paint(app_url, path)
    assert [address for address, text in files.items() if REACT_FLOW in text] == []
    assert [address for address, text in files.items() if RECHARTS in text] == []


@pytest.mark.parametrize(("path", "library"), [("/network", REACT_FLOW), ("/staff", RECHARTS)])
def test_the_graph_and_the_charts_load_after_the_first_paint(
        app_url: str, path: str, library: str) -> None:
    """The library is still there: in a chunk the page's modules import once it is up."""
    later = _loaded_later(_first_paint(app_url, path))
    assert [address for address, text in later.items() if library in text] != []


@pytest.mark.parametrize("step", sorted(STEP_TEXTS))
def test_the_exploration_page_loads_each_step_after_its_first_paint(
        app_url: str, step: int) -> None:
    """None of a step's tools among what /exploration preloads; each in a chunk of its own
    that the page imports dynamically, apart from the other steps'."""
    first = _first_paint(app_url, "/exploration")
    assert [address for address, text in first.items() if STEP_TEXTS[step] in text] == []
    holding = [text for text in _loaded_later(first).values() if STEP_TEXTS[step] in text]
    assert len(holding) == 1
    others = [text for number, text in STEP_TEXTS.items() if number != step]
    assert [text for text in others if text in holding[0]] == []


def test_the_network_page_draws_its_data_with_code_and_css_loaded_after_its_first_paint(
        app_url: str) -> None:
    first = _first_paint(app_url, "/network")
    assert [address for address, text in first.items() if NETWORK_VIEW in text] == []
    assert [address for address, text in _loaded_later(first).items()
            if NETWORK_VIEW in text] != []
    html = _get(app_url + "/network")
    stylesheets = {href: _get(urljoin(app_url + "/network", href))
                   for href in STYLESHEETS.findall(html)}
    assert stylesheets
    assert [href for href, text in stylesheets.items() if REACT_FLOW in text] == []


def test_nothing_moves_when_what_was_loaded_later_is_drawn(page: Page, viewport_name: str,
                                                         make_user) -> None:
    """Step 3's tools come after its heading and advice, the network's view after the page's
    heading: they fill the space below, and nothing already on screen moves."""
    user = make_user(name="Later Student")
    with db.session() as session:
        eid = explorations.start_exploration(session, user["id"], "Physical therapy")
        session.add(Contact(owner_id=user["id"], exploration_id=eid, name="Elena Rivera",
                            source=ContactSource.FACULTY, stage=PipelineStage.CONTACTED))
        session.commit()
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name="Welcome, Later Student")).to_be_visible()
    page.add_init_script(RECORD_SHIFTS)
    introduction = re.compile(r"^Your \d+-\d+ second introduction$")
    for path, drawn in ((f"/exploration?id={eid}&step=3",
                         page.get_by_role("heading", name=introduction)),
                        ("/network", page.get_by_role("group", name=re.compile("^Elena Rivera")))):
        page.goto(path)
        expect(drawn).to_be_visible()
        page.evaluate(NEXT_FRAME)
        shifts = page.evaluate("window.__ivShifts")
        assert sum(shift["value"] for shift in shifts) < 0.001, (path, shifts)

"""What each page makes the browser download before it can hydrate: the scripts its
prerendered HTML preloads (the route module and every module it imports statically). React
Flow (/network, components/network_graph.py) and Recharts (/staff, components/lazy.py) stay
out of it and load through a dynamic ``import()`` once the page is up.

Each library is recognised by a class name its code writes into the page: React Flow's
``react-flow__pane``, Recharts' ``recharts-wrapper``.
"""

import re
import urllib.request
from urllib.parse import urljoin

import pytest

REACT_FLOW = "react-flow__pane"
RECHARTS = "recharts-wrapper"
PAGES = ["/login", "/", "/exploration", "/network", "/staff"]
PRELOADED = re.compile(r'<link[^>]*?href="([^"]+\.js)"')  # React Flow's own CSS stays
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
    """The chunks those files import dynamically, with their text."""
    later = {urljoin(address, target) for address, text in files.items()
             for target in DYNAMIC_IMPORT.findall(text)} - set(files)
    return {address: _get(address) for address in later}


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

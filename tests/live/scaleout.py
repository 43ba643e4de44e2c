"""The scale-out configuration for the live tests: the production build served by
``infoview serve`` with two Granian workers, on a Redis server and a PostgreSQL cluster of its
own (started here, on free ports, in a temporary directory), so that the fault tests can kill
and restart each of them without touching the servers other test runs share.

``INFOVIEW_LIVE_SCALEOUT=1`` switches tests/live/conftest.py's server fixtures to this
configuration (see the README's test command and tests/run_all.sh).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
# Readiness: every wait below polls for at most this long (a server start on a loaded machine).
START_TIMEOUT = 120.0


def scaleout_mode() -> bool:
    return os.environ.get("INFOVIEW_LIVE_SCALEOUT", "") == "1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready: Callable[[], bool], what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not become ready within {timeout:.0f} s")
        time.sleep(0.2)


def _postgres_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return str(versions[-1] / "bin" / name)


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user when root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster of its own: initdb on a temporary directory, pg_ctl on a free
    port; ``restart`` stops it (fast: clients are disconnected) and starts it again."""

    directory: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://infoview:infoview@127.0.0.1:{self.port}/infoview"

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        password_file = self.directory.parent / "pg-password"
        password_file.write_text("infoview\n")
        password_file.chmod(0o644)
        subprocess.run(_as_postgres([_postgres_bin("initdb"), "-D", str(self.directory / "data"),
                                     "-U", "infoview", "--auth=md5",
                                     f"--pwfile={password_file}", "-E", "UTF8"]),
                       check=True, capture_output=True)
        self.start()
        subprocess.run(_as_postgres([_postgres_bin("createdb"), "-h", "127.0.0.1", "-p",
                                     str(self.port), "-U", "infoview", "infoview"]),
                       check=True, capture_output=True, env={**os.environ,
                                                             "PGPASSWORD": "infoview"})

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        subprocess.run(_as_postgres([_postgres_bin("pg_ctl"), "-D", str(self.directory / "data"),
                                     "-o", options, "-l", str(self.directory / "log"),
                                     "-w", "start"]), check=True, capture_output=True)

    def stop(self) -> None:
        if (self.directory / "data" / "postmaster.pid").exists():
            subprocess.run(_as_postgres([_postgres_bin("pg_ctl"), "-D",
                                         str(self.directory / "data"), "-m", "fast", "-w",
                                         "stop"]), check=True, capture_output=True)

    def restart(self) -> None:
        self.stop()
        self.start()


@dataclass
class RedisServer:
    """A redis-server of its own on a free port, without persistence (as the shared one)."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_until(self._answers, "Redis")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def empty(self) -> None:
        """Every key gone, the server and its clients' connections kept."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            assert sock.recv(16).startswith(b"+OK")

    def restart(self) -> None:
        """A crash and a start: every state Redis held is gone."""
        self.stop()
        self.start()


@dataclass
class ServedApp:
    """``infoview build`` then ``infoview serve --workers 2`` on a free port, in a process
    group of its own (stopped with it)."""

    environment: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def frontend_url(self) -> str:
        return f"http://localhost:{self.port}"

    def _run_cli(self, *arguments: str, wait: bool) -> subprocess.Popen:
        log = self.log_path.open("a")
        # A server, not a test: Reflex treats a process with PYTEST_CURRENT_TEST as a test.
        environ = {name: value for name, value in self.environment.items()
                   if name != "PYTEST_CURRENT_TEST"}
        process = subprocess.Popen([str(Path(sys.executable).parent / "infoview"), *arguments],
                                   cwd=ROOT, env=environ, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        if wait and process.wait() != 0:
            raise RuntimeError(f"infoview {arguments[0]} failed; see {self.log_path}")
        return process

    def start(self) -> None:
        self._run_cli("build", "--port", str(self.port), wait=True)
        self._serve()

    def _serve(self) -> None:
        self.process = self._run_cli("serve", "--host", "127.0.0.1", "--port", str(self.port),
                                     "--workers", str(WORKERS), wait=False)
        wait_until(self._serving, "infoview serve")
        wait_until(lambda: len(self.worker_pids()) == WORKERS, "the workers")

    def serve_again(self, environment: dict[str, str]) -> None:
        """Stop the workers and serve the same build with ``environment``: a change of the
        server's configuration, as an operator's restart (no rebuild)."""
        self.stop()
        self.environment = environment
        self._serve()

    def _serving(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"infoview serve exited; see {self.log_path}")
        try:
            with urllib.request.urlopen(f"{self.frontend_url}/ping", timeout=2) as answer:
                ping = answer.status == 200
            with urllib.request.urlopen(f"{self.frontend_url}/login", timeout=2) as answer:
                return ping and answer.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def worker_pids(self) -> list[int]:
        """The Granian workers: the serving process's children (Granian's supervisor)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _ss_connections(port: int) -> dict[str, tuple[int, int]]:
    """The established connections to ``port``: peer address -> (pid of the process holding
    the server side, bytes received on it), from the kernel (``ss``)."""
    output = subprocess.run(["ss", "-Htnpi", "state", "established", f"( sport = :{port} )"],
                            check=True, capture_output=True, text=True).stdout
    connections: dict[str, tuple[int, int]] = {}
    peer, pid = "", 0
    for line in output.splitlines():
        if pid_match := re.search(r"pid=(\d+)", line):
            peer, pid = line.split()[3], int(pid_match.group(1))
        elif peer and (received := re.search(r"bytes_received:(\d+)", line)):
            connections[peer] = (pid, int(received.group(1)))
            peer = ""
    return connections


def worker_holding_socket(port: int, send_traffic: Callable[[], None]) -> int:
    """The worker whose connection carries what ``send_traffic`` sends (a tab's socket):
    the one connection whose received byte count grows meanwhile."""
    before = _ss_connections(port)
    send_traffic()
    time.sleep(1.0)
    after = _ss_connections(port)
    grown = {after[peer][0] for peer in after
             if peer in before and after[peer][1] > before[peer][1]}
    assert len(grown) == 1, f"expected one worker's connection to grow, got {grown}"
    return grown.pop()

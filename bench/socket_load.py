"""(b) Event round trips and (c) resident memory, with N concurrent socket clients.

Each client speaks the protocol of Reflex's frontend (reflex_base/.templates/web/utils/
state.js): a websocket on the ``/_event`` path and namespace with ``token=<uuid>`` in the
query, and the ``hydrate_and_load`` event (carrying the browser-storage values, such as
InfoView's session token) in the socket.io CONNECT packet. A client is ready once the
backend reports ``is_hydrated``. Then every client sends one event at a time, back to back,
and a round trip is the time from the emit to the reply delta of the event's state.
"""

import asyncio
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import procfs
import socketio
from reflex import constants
from reflex.state import State
from reflex_base.constants.state import FIELD_MARKER

NAMESPACE = str(constants.Endpoint.EVENT)
ROOT_STATE = State.get_full_name()
HYDRATE_EVENT = f"{ROOT_STATE}.{constants.CompileVars.HYDRATE_AND_LOAD}"
IS_HYDRATED = f"{constants.CompileVars.IS_HYDRATED}{FIELD_MARKER}"
CONNECT_TIMEOUT_S = 60.0
REPLY_TIMEOUT_S = 30.0
PHASE_TIMEOUT_S = 120.0
CONNECT_CONCURRENCY = 20
WARMUP_EVENTS = 2
# The server forgets a disconnected token asynchronously; a client that comes back with the
# same token before that would be treated as a duplicate tab and given another token.
RECONNECT_PAUSE_S = 2.0


class ServerProbe(Protocol):
    """What the load generator reads from the server under test."""

    def rss_mib(self) -> float: ...

    def pss_mib(self) -> float: ...

    def cpu_seconds(self) -> float: ...

    def cpu_by_pid(self) -> dict[int, float]: ...

    def database_cpu_by_pid(self) -> dict[int, float]: ...

    @property
    def workers(self) -> int: ...


@dataclass
class Target:
    """An app, the page its clients are on and the event they send."""

    label: str
    url: str
    event: str
    page: str = "/"
    # The page (path and query) client i is on, if not ``page`` (client i gets pages[i]).
    pages: list[str] = field(default_factory=list)
    # Browser storage each client sends on hydrate (client i gets storage[i]; none if short).
    storage: list[dict[str, str]] = field(default_factory=list)
    # (state, var, value) that must hold once hydrated, e.g. that the client is signed in.
    expect: tuple[str, str, Any] | None = None
    # One token per client index, reused by every phase so that the backend holds at most
    # as many states as the largest phase has clients.
    tokens: list[str] = field(default_factory=list)

    def page_of(self, index: int) -> str:
        return self.pages[index] if index < len(self.pages) else self.page

    def token(self, index: int) -> str:
        while len(self.tokens) <= index:
            self.tokens.append(str(uuid.uuid4()))
        return self.tokens[index]


def percentile_ms(latencies_s: list[float], percent: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not latencies_s:
        return math.nan
    ordered = sorted(latencies_s)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1] * 1000


@dataclass
class PhaseResult:
    label: str
    clients: int
    planned: int
    latencies_s: list[float]
    errors: int
    wall_s: float
    rss_hydrated_mib: float
    rss_loaded_mib: float
    pss_loaded_mib: float
    # CPU seconds used during the timed part by the server, by this load generator and by
    # every other process on the machine (someone else's work competing for the cores).
    server_cpu_s: float
    client_cpu_s: float
    other_cpu_s: float
    # Of server_cpu_s, the backend workers' share (procfs.busiest_delta); and the CPU the
    # PostgreSQL processes serving the app's database used (0 on SQLite).
    worker_cpu_s: float = 0.0
    database_cpu_s: float = 0.0

    def percentile_ms(self, percent: float) -> float:
        return percentile_ms(self.latencies_s, percent)

    @property
    def throughput(self) -> float:
        return len(self.latencies_s) / self.wall_s if self.wall_s else math.nan

    def cpu_percent(self, seconds: float) -> float:
        """CPU time as a percentage of one core over the timed part."""
        return 100 * seconds / self.wall_s if self.wall_s else math.nan

    def ms_per_event(self, seconds: float) -> float:
        """CPU time per timed round trip, in milliseconds."""
        return 1000 * seconds / len(self.latencies_s) if self.latencies_s else math.nan


class Client:
    """One browser tab, as far as the backend can tell."""

    def __init__(self, target: Target, index: int) -> None:
        self.target = target
        self.index = index
        self.state: dict[str, dict[str, Any]] = {}
        self._hydrated = asyncio.Event()
        self._reply: asyncio.Future[tuple[float, dict[str, Any]]] | None = None
        self._reply_state = ""
        # As the frontend sends it: the route's path, and the path with the query string.
        page = target.page_of(index)
        self._router_data = {"pathname": urlsplit(page).path, "asPath": page}
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_update, namespace=NAMESPACE)

    async def _on_update(self, update: dict[str, Any]) -> None:
        delta = update.get("delta") or {}
        reply = self._reply
        if reply is not None and not reply.done() and self._reply_state in delta:
            reply.set_result((time.perf_counter(), delta))
            return
        for state, values in delta.items():
            self.state.setdefault(state, {}).update(values)
        if self.state.get(ROOT_STATE, {}).get(IS_HYDRATED) is True:
            self._hydrated.set()

    async def connect(self) -> None:
        """Open the socket with the hydrate event and wait until hydrated."""
        storage = self.target.storage
        vars_ = storage[self.index] if self.index < len(storage) else {}
        hydrate = {"name": HYDRATE_EVENT, "payload": {constants.CompileVars.PAYLOAD_VARS: vars_},
                   "router_data": self._router_data}
        await self.sio.connect(f"{self.target.url}?token={self.target.token(self.index)}",
                               socketio_path=NAMESPACE, namespaces=[NAMESPACE],
                               transports=["websocket"],
                               auth={constants.CompileVars.CONNECT_AUTH_EVENT: hydrate},
                               wait_timeout=CONNECT_TIMEOUT_S)
        await asyncio.wait_for(self._hydrated.wait(), CONNECT_TIMEOUT_S)
        if self.target.expect is not None:
            state, var, value = self.target.expect
            actual = self.state.get(state, {}).get(var)
            if actual != value:
                raise RuntimeError(f"{self.target.label} client {self.index}: {state}.{var} is "
                                   f"{actual!r} after hydrating, not {value!r}")

    async def send(self, event: str, payload: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        """Send one event; seconds until the delta of the event's state arrived, and the
        delta (by state name)."""
        self._reply_state = event.rpartition(".")[0]
        self._reply = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        await self.sio.emit("event", {"name": event, "payload": payload,
                                      "router_data": self._router_data}, namespace=NAMESPACE)
        try:
            arrived, delta = await asyncio.wait_for(self._reply, REPLY_TIMEOUT_S)
            return arrived - started, delta
        finally:
            self._reply = None

    async def round_trip(self) -> float:
        """Send the target's event; seconds until its reply delta arrived."""
        return (await self.send(self.target.event, {}))[0]


async def connect_all(clients: list[Client]) -> None:
    limit = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def connect(client: Client) -> None:
        async with limit:
            await client.connect()

    await asyncio.gather(*(connect(client) for client in clients))


async def disconnect_all(clients: list[Client]) -> None:
    await asyncio.gather(*(client.sio.disconnect() for client in clients),
                         return_exceptions=True)
    await asyncio.sleep(RECONNECT_PAUSE_S)


def events_per_client(clients: int, total: int, minimum: int) -> int:
    """Enough events per client for about ``total`` samples, and at least ``minimum``."""
    return max(minimum, math.ceil(total / clients))


async def run_phase(target: Target, clients: int, events: int,
                    server: ServerProbe) -> PhaseResult:
    """Connect and hydrate ``clients`` clients, warm up, then time ``events`` round trips per
    client, all clients at once. Bounded by REPLY_TIMEOUT_S per event and PHASE_TIMEOUT_S."""
    pool = [Client(target, index) for index in range(clients)]
    try:
        await connect_all(pool)
        rss_hydrated = server.rss_mib()
        for _ in range(WARMUP_EVENTS):
            await asyncio.gather(*(client.round_trip() for client in pool))
        latencies: list[float] = []
        errors = 0
        server_cpu, client_cpu = server.cpu_seconds(), time.process_time()
        by_pid, database_by_pid = server.cpu_by_pid(), server.database_cpu_by_pid()
        machine_cpu = procfs.busy_cpu_seconds()
        started = time.perf_counter()
        deadline = started + PHASE_TIMEOUT_S

        async def drive(client: Client) -> None:
            nonlocal errors
            for _ in range(events):
                if time.perf_counter() > deadline:
                    return
                try:
                    latencies.append(await client.round_trip())
                except TimeoutError:
                    errors += 1
                    return

        await asyncio.gather(*(drive(client) for client in pool))
        wall = time.perf_counter() - started
        server_cpu = server.cpu_seconds() - server_cpu
        worker_cpu = procfs.busiest_delta(by_pid, server.cpu_by_pid(), server.workers)
        database_cpu = procfs.busiest_delta(database_by_pid, server.database_cpu_by_pid())
        client_cpu = time.process_time() - client_cpu
        other_cpu = procfs.busy_cpu_seconds() - machine_cpu - server_cpu - client_cpu
        rss_loaded, pss_loaded = server.rss_mib(), server.pss_mib()
    finally:
        await disconnect_all(pool)
    return PhaseResult(target.label, clients, clients * events, latencies, errors, wall,
                       rss_hydrated, rss_loaded, pss_loaded, server_cpu, client_cpu,
                       max(0.0, other_cpu - database_cpu), worker_cpu, database_cpu)

"""(m) The campus peak and the capacity benchmark (issue 15, items 2 and 5).

Open loop: N signed-in students (default 1,000), one socket client each, each sending one
event every ``--interval`` seconds (default 5 s: 200 events/s at 1,000) with a random start
within the first interval. Each event is, at random by ``--mix``, a home load
(``StudentHomeState.load`` on ``/``), a step load (``ExplorationState.load`` on a random step
of the student's exploration) or an interview notes save (``InterviewState.save_notes`` with
the notes grown by one line). A student whose previous event is still unanswered at the next
slot does not send (a "behind" slot), as a browser tab whose queue is held up. The bare
Reflex counter gets the same students and rate (``CounterState.increment``) in the same run.

Both apps run with ``reflex run --env prod`` on Redis (a private ``redis-server`` started
here, so its CPU is ours alone) and InfoView on a fresh PostgreSQL database per worker count
(cloned from one seeded template; INFOVIEW_TEST_POSTGRES_URL names a role that may CREATE
DATABASE), with GRANIAN_WORKERS = each of ``--workers``. Then the closed loop of
socket_load (``--closed-clients`` clients, each sending the next event when the last was
answered) on the same servers.

Reported per app and worker count: p50/p95/p99 round trip (emit to the reply delta), events
due / sent / answered / unanswered, "busy" notices of the admission control, lock expiries
(``LockExpiredError`` and "held too long" lines in the server log), CPU per component from
/proc (the server's process tree, Redis, the PostgreSQL backends of the run's database, this
load generator), CPU per answered event, and afterwards the stored notes checked in the
database: every student's notes must be exactly the last text sent, each line once.
The projection for a campus (``--campus``, ``--campus-active``) uses the measured CPU per
event. From the repository root:

    export PATH=$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1 \\
      INFOVIEW_TEST_POSTGRES_URL=postgresql+psycopg://infoview_test:infoview_test@127.0.0.1:5432/postgres
    python bench/campus_peak.py                       # 1,000 students, workers 1,2,4
    python bench/campus_peak.py --students 200 --workers 2 --duration 30

Nothing here asserts on time; the output ends with Markdown tables ready to paste.
"""

import argparse
import asyncio
import contextlib
import math
import os
import random
import re
import secrets
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import procfs
import sqlalchemy as sa
from appserver import ROOT, AppServer, bare_event_name, free_port, write_bare_app
from notes_load import INTERVIEW_STEP, NotesStudent, seed_students
from report import machine, table
from socket_load import (
    CONNECT_TIMEOUT_S,
    Client,
    PhaseResult,
    Target,
    connect_all,
    disconnect_all,
    events_per_client,
    percentile_ms,
    run_phase,
)

INFOVIEW, BARE = "InfoView", "bare Reflex"
KINDS = ("home", "step", "notes")
NOTE_LINE = "{n:03d} Asked how they moved from the clinic floor into research; follow up.\n"
LOCK_EXPIRED = re.compile(r"LockExpiredError")
LOCK_HELD_TOO_LONG = re.compile(r"held too long")
# A target utilisation for the projection: cores kept 30% free for bursts and the OS.
PLANNED_UTILISATION = 0.7


def _var(name: str) -> str:
    from reflex_base.constants.state import FIELD_MARKER

    return f"{name}{FIELD_MARKER}"


def _busy_state() -> str:
    from infoview_app.state.admission import AdmissionState

    return AdmissionState.get_full_name()


class PeakClient(Client):
    """A socket client that can move between pages (as a tab navigating) and counts the
    admission control's "busy" notices it is shown."""

    def __init__(self, target: Target, index: int, busy_state: str) -> None:
        super().__init__(target, index)
        self.busy_state = busy_state
        self.busy_notices = 0

    def go_to(self, page: str) -> None:
        path = page.split("?", 1)[0]
        self._router_data = {"pathname": path, "asPath": page}

    async def _on_update(self, update: dict[str, Any]) -> None:
        notice = (update.get("delta") or {}).get(self.busy_state, {}).get(_var("busy"))
        if notice:
            self.busy_notices += 1
        await super()._on_update(update)


@dataclass
class Log:
    """What one student did in the open loop."""

    due: int = 0
    sent: int = 0
    answered: int = 0
    behind: int = 0
    notes_sent: int = 0
    last_notes: str = ""
    pending: asyncio.Task[None] | None = None


@dataclass
class CpuProbe:
    """CPU seconds of the server's tree, the Redis server and the run database's PostgreSQL
    backends, read from /proc at the start and end of a phase."""

    server: AppServer
    redis_pid: int
    pg_admin: str
    database: str | None
    start: dict[str, float] = field(default_factory=dict)
    pg_start: dict[int, float] = field(default_factory=dict)

    def _pg_pids(self) -> list[int]:
        if self.database is None:
            return []
        engine = sa.create_engine(self.pg_admin)
        try:
            with engine.connect() as conn:
                return list(conn.execute(sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                    {"name": self.database}).scalars())
        finally:
            engine.dispose()

    def begin(self) -> None:
        self.pg_start = {pid: procfs.process_cpu_seconds(pid) for pid in self._pg_pids()}
        self.start = {"workers": self.server.cpu_seconds(),
                      "redis": procfs.process_cpu_seconds(self.redis_pid),
                      "generator": time.process_time(), "machine": procfs.busy_cpu_seconds()}

    def end(self) -> dict[str, float]:
        pg = sum(procfs.process_cpu_seconds(pid) - self.pg_start.get(pid, 0.0)
                 for pid in self._pg_pids())
        used = {"workers": self.server.cpu_seconds() - self.start["workers"],
                "redis": procfs.process_cpu_seconds(self.redis_pid) - self.start["redis"],
                "postgres": pg, "generator": time.process_time() - self.start["generator"]}
        machine_cpu = procfs.busy_cpu_seconds() - self.start["machine"]
        used["other"] = max(0.0, machine_cpu - sum(used.values()))
        return used


@dataclass
class PeakResult:
    label: str
    workers: int
    students: int
    wall_s: float
    latencies_s: dict[str, list[float]]
    logs: list[Log]
    cpu_s: dict[str, float]
    busy_notices: int
    lock_expired: int = 0
    held_too_long: int = 0
    notes_stored: int = 0
    notes_checked: int = 0

    @property
    def all_latencies(self) -> list[float]:
        return [seconds for kind in self.latencies_s.values() for seconds in kind]

    def total(self, name: str) -> int:
        return sum(getattr(log, name) for log in self.logs)

    @property
    def unanswered(self) -> int:
        return self.total("sent") - self.total("answered")

    def cpu_per_event_ms(self, component: str) -> float:
        answered = self.total("answered")
        return 1000 * self.cpu_s[component] / answered if answered else math.nan


def pick_kinds(mix: str) -> tuple[list[str], list[float]]:
    weights = dict(part.split(":") for part in mix.split(","))
    unknown = set(weights) - set(KINDS)
    if unknown:
        raise SystemExit(f"--mix: unknown kinds {sorted(unknown)}; use {', '.join(KINDS)}")
    return list(weights), [float(weight) for weight in weights.values()]


def infoview_target(url: str, students: list[NotesStudent], label: str = INFOVIEW) -> Target:
    """Each client signed in as one student, first on their interview step (its on_load
    loads the interview whose notes the student saves). No ``expect`` at hydration:
    until_opened checks the sign-in with the interview, which the step's load_step (chained
    after the hydrated flag) shows."""
    from infoview_app.state.base import SessionState
    from infoview_app.state.home import StudentHomeState

    session_state = SessionState.get_full_name()
    return Target(label, url, f"{StudentHomeState.get_full_name()}.load",
                  pages=[student.page(INTERVIEW_STEP) for student in students],
                  storage=[{f"{session_state}.{_var('auth_token')}": student.token}
                           for student in students])


async def until_opened(client: PeakClient, student: NotesStudent) -> None:
    """Wait until the page's on_load chain has signed the client in and shown the student's
    interview (its deltas arrive after the hydrated flag)."""
    from infoview_app.models import Role
    from infoview_app.state.base import SessionState
    from infoview_app.state.interview import InterviewState

    deadline = time.perf_counter() + CONNECT_TIMEOUT_S
    while True:
        role = client.state.get(SessionState.get_full_name(), {}).get(_var("user_role"))
        shown = client.state.get(InterviewState.get_full_name(), {}).get(_var("interview_id"))
        if role == Role.STUDENT.value and shown == student.interview_id:
            return
        if time.perf_counter() > deadline:
            raise RuntimeError(f"client {client.index}: signed in as {role!r}, interview "
                               f"{shown!r} shown, not {student.interview_id}")
        await asyncio.sleep(0.1)


def infoview_event(kind: str, student: NotesStudent, log: Log,
                   rng: random.Random) -> tuple[str, str, dict[str, Any]]:
    """(page, event, payload) of one student event of ``kind``."""
    from infoview_app import routes
    from infoview_app.state.exploration import ExplorationState
    from infoview_app.state.home import StudentHomeState
    from infoview_app.state.interview import InterviewState

    if kind == "home":
        return routes.HOME, f"{StudentHomeState.get_full_name()}.load", {}
    if kind == "step":
        return (student.page(rng.randint(1, 6)), f"{ExplorationState.get_full_name()}.load",
                {})
    text = log.last_notes + NOTE_LINE.format(n=log.notes_sent + 1)
    log.notes_sent, log.last_notes = log.notes_sent + 1, text
    return (student.page(INTERVIEW_STEP), f"{InterviewState.get_full_name()}.save_notes",
            {"interview_id": student.interview_id, "text": text})


async def open_loop(target: Target, students: list[NotesStudent] | None, count: int,
                    interval_s: float, duration_s: float, mix: str, probe: CpuProbe,
                    seed: int, workers: int) -> PeakResult:
    """The campus peak against one app: ``students`` for InfoView, None for the bare app."""
    busy_state = _busy_state()
    pool = [PeakClient(target, index, busy_state) for index in range(count)]
    logs = [Log() for _ in range(count)]
    latencies: dict[str, list[float]] = {}
    kinds, weights = pick_kinds(mix)
    try:
        await connect_all(pool)
        if students is not None:
            await asyncio.gather(*(until_opened(client, student)
                                   for client, student in zip(pool, students, strict=True)))
        for client in pool:  # only the timed part's notices count
            client.busy_notices = 0
        probe.begin()
        started = time.perf_counter()

        async def one(client: PeakClient, log: Log, kind: str, page: str, event: str,
                      payload: dict[str, Any]) -> None:
            client.go_to(page)
            log.sent += 1
            try:
                seconds, _ = await client.send(event, payload)
            except TimeoutError:
                return
            log.answered += 1
            latencies.setdefault(kind, []).append(seconds)

        async def drive(index: int) -> None:
            client, log = pool[index], logs[index]
            student_rng = random.Random(seed * 100_003 + index)
            slot = started + student_rng.uniform(0, interval_s)
            while slot < started + duration_s:
                await asyncio.sleep(max(0.0, slot - time.perf_counter()))
                slot += interval_s
                log.due += 1
                if log.pending is not None and not log.pending.done():
                    log.behind += 1
                    continue
                if students is None:
                    kind, page, event, payload = "counter", "/", target.event, {}
                else:
                    kind = student_rng.choices(kinds, weights)[0]
                    page, event, payload = infoview_event(kind, students[index], log,
                                                          student_rng)
                log.pending = asyncio.create_task(one(client, log, kind, page, event,
                                                      payload))
            if log.pending is not None:
                await log.pending

        await asyncio.gather(*(drive(index) for index in range(count)))
        wall = time.perf_counter() - started
        cpu = probe.end()
    finally:
        await disconnect_all(pool)
    return PeakResult(target.label, workers, count, wall, latencies, logs, cpu,
                      sum(client.busy_notices for client in pool))


def count_log(result: PeakResult, log_path: Path, offset: int) -> None:
    text = log_path.read_text(errors="replace")[offset:]
    result.lock_expired = len(LOCK_EXPIRED.findall(text))
    result.held_too_long = len(LOCK_HELD_TOO_LONG.findall(text))


def check_notes(db_url: str, students: list[NotesStudent], result: PeakResult) -> None:
    """Every student who saved notes: stored notes equal the last text sent, each line once
    (a lost write leaves an older text; a replayed one could not add a line twice here, as
    each text is whole, but a doubled line would show a broken merge)."""
    from sqlmodel import Session, col, select

    from infoview_app import db
    from infoview_app.models import Interview

    engine = db.engine_for(db_url)
    with Session(engine) as session:
        stored = dict(session.exec(select(Interview.id, Interview.notes).where(
            col(Interview.id).in_([student.interview_id for student in students]))).all())
    engine.dispose()
    checked = [(student, log) for student, log in zip(students, result.logs, strict=True)
               if log.notes_sent]
    result.notes_checked = len(checked)
    result.notes_stored = 0
    for student, log in checked:
        text = stored.get(student.interview_id) or ""
        lines = text.splitlines()
        if text == log.last_notes and len(lines) == len(set(lines)) == log.notes_sent:
            result.notes_stored += 1


@contextlib.contextmanager
def private_redis(tmp: Path) -> Iterator[tuple[str, int]]:
    """A redis-server of this run alone (no persistence), so its CPU is this run's."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port),
                                "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def pg_database(pg_admin: str, name: str, template: str | None = None) -> str:
    admin = sa.create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'
                             + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return sa.make_url(pg_admin).set(database=name).render_as_string(hide_password=False)


def drop_database(pg_admin: str, name: str) -> None:
    admin = sa.create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed_template(pg_admin: str, name: str, count: int) -> list[NotesStudent]:
    """The seeded database every worker count's run database is cloned from."""
    from infoview_app import db

    url = pg_database(pg_admin, name)
    db.upgrade_to_head(url)
    students = seed_students(url, count)
    db.engine_for(url).dispose()
    return students


def closed_target(url: str, students: list[NotesStudent], clients: int) -> Target:
    """The home load on ``/`` by the first ``clients`` students (socket_load's closed loop)."""
    target = infoview_target(url, students[:clients], f"{INFOVIEW} closed")
    target.pages = []
    return target


def latency_cell(latencies: list[float]) -> str:
    return " / ".join(f"{percentile_ms(latencies, p):.0f}" for p in (50, 95, 99))


def peak_table(results: list[PeakResult]) -> str:
    rows = []
    for result in results:
        wall = result.wall_s
        cpu = result.cpu_s
        rows.append([
            result.label, str(result.workers), str(result.students),
            f"{result.total('answered') / wall:.0f}", latency_cell(result.all_latencies),
            f"{result.total('due')} / {result.total('sent')} / {result.total('answered')}",
            f"{result.unanswered} / {result.total('behind')}", str(result.busy_notices),
            f"{result.lock_expired} / {result.held_too_long}",
            " / ".join(f"{100 * cpu[key] / wall:.0f}%"
                       for key in ("workers", "redis", "postgres", "generator", "other")),
            " / ".join(f"{result.cpu_per_event_ms(key):.1f}"
                       for key in ("workers", "redis", "postgres")),
            (f"{result.notes_stored} of {result.notes_checked}" if result.notes_checked
             else "-")])
    return table(["app", "workers", "students", "answered/s", "p50 / p95 / p99 (ms)",
                  "events due / sent / answered", "unanswered / behind", "busy notices",
                  "lock expiries / held too long",
                  "CPU workers / Redis / PostgreSQL / generator / others (% of a core)",
                  "CPU per event workers / Redis / PostgreSQL (ms)",
                  "notes stored = last sent"], rows)


def kinds_table(results: list[PeakResult]) -> str:
    rows = [[result.label, str(result.workers), kind, str(len(result.latencies_s[kind])),
             latency_cell(result.latencies_s[kind])]
            for result in results for kind in KINDS if kind in result.latencies_s]
    return table(["app", "workers", "event", "answered", "p50 / p95 / p99 (ms)"], rows)


def closed_table(results: list[tuple[int, PhaseResult]]) -> str:
    rows = [[phase.label, str(workers), str(phase.clients),
             f"{phase.percentile_ms(50):.0f} / {phase.percentile_ms(95):.0f}",
             f"{phase.throughput:.0f}", f"{phase.cpu_percent(phase.server_cpu_s):.0f}%",
             f"{1000 * phase.server_cpu_s / max(1, len(phase.latencies_s)):.1f}",
             f"{phase.cpu_percent(phase.client_cpu_s):.0f}%",
             f"{phase.cpu_percent(phase.other_cpu_s):.0f}%",
             f"{len(phase.latencies_s)} of {phase.planned} ({phase.errors})"]
            for workers, phase in results]
    return table(["app", "workers", "clients", "p50 / p95 (ms)", "events/s", "server CPU",
                  "server CPU per event (ms)", "load generator CPU",
                  "other processes' CPU (Redis, PostgreSQL, others)",
                  "round trips (timeouts)"], rows)


def projection(results: list[PeakResult], campus: int, active: float,
               interval_s: float) -> str:
    """Cores for the campus peak at the best measured InfoView CPU per event."""
    ours = [result for result in results if result.label == INFOVIEW
            and result.total("answered")]
    if not ours:
        return "No InfoView events answered: no projection."
    rate = campus * active / interval_s
    lines = [f"Campus of {campus:,} students, {active:.0%} of them active at the peak, one "
             f"event each {interval_s:g} s: {rate:,.0f} events/s. Cores needed = events/s x "
             f"CPU per event / {PLANNED_UTILISATION:.0%} planned utilisation:", ""]
    rows = []
    for result in ours:
        per_event = {key: result.cpu_per_event_ms(key) for key in ("workers", "redis",
                                                                    "postgres")}
        cores = {key: rate * value / 1000 / PLANNED_UTILISATION
                 for key, value in per_event.items()}
        rows.append([str(result.workers), " / ".join(f"{value:.1f}" for value in
                                                     per_event.values()),
                     " / ".join(f"{value:.1f}" for value in cores.values()),
                     f"{sum(cores.values()):.1f}"])
    lines.append(table(["measured with workers", "CPU per event workers / Redis / "
                        "PostgreSQL (ms)", "cores workers / Redis / PostgreSQL",
                        "cores in all"], rows))
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="The campus peak (open loop) and the closed loop against InfoView and "
                    "the bare Reflex app on Redis + PostgreSQL (docs/benchmarks.md (m)).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=5.0,
                        help="seconds between one student's events")
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds of the open loop per app and worker count")
    parser.add_argument("--workers", default="1,2,4", help="Granian worker counts")
    parser.add_argument("--mix", default="home:0.4,step:0.3,notes:0.3",
                        help="weights of the InfoView events")
    parser.add_argument("--closed-clients", type=int, default=200,
                        help="clients of the closed loop (0: skip it)")
    parser.add_argument("--closed-events", type=int, default=2000,
                        help="timed round trips of the closed loop, spread over its clients")
    parser.add_argument("--campus", type=int, default=20_000,
                        help="students of the campus in the projection")
    parser.add_argument("--campus-active", type=float, default=0.1,
                        help="share of the campus sending events at the peak")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--log-dir", type=Path,
                        help="keep the servers' logs here (default: a temporary directory)")
    parser.add_argument("--skip-bare", action="store_true", help="InfoView alone")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment of both servers (e.g. "
                             "INFOVIEW_EVENTS_IN_FLIGHT=8)")
    return parser.parse_args()


def run_workers(args: argparse.Namespace, workers: int, tmp: Path, pg_admin: str,
                template: str, students: list[NotesStudent]
                ) -> tuple[list[PeakResult], list[tuple[int, PhaseResult]]]:
    """Both apps on ``workers`` workers: the open loop, then the closed loop."""
    database = f"infoview_peak_{workers}w_{uuid.uuid4().hex[:8]}"
    db_url = pg_database(pg_admin, database, template)
    extra = dict(item.split("=", 1) for item in args.server_env)
    peaks: list[PeakResult] = []
    closed: list[tuple[int, PhaseResult]] = []
    try:
        with private_redis(tmp) as (redis_url, redis_pid):
            common = {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": str(workers),
                      "INFOVIEW_SECRET_KEY": secrets.token_urlsafe(32), **extra}
            infoview = AppServer(INFOVIEW, ROOT, env={"REFLEX_DB_URL": db_url, **common},
                                 log_path=tmp / f"infoview-{workers}.log")
            servers = [infoview]
            if not args.skip_bare:
                servers.append(AppServer(BARE, write_bare_app(tmp / f"bare-{workers}"),
                                         env=common, log_path=tmp / f"bare-{workers}.log"))
            with contextlib.ExitStack() as stack:
                for server in servers:
                    print(f"Building and starting {server.label} on {workers} worker(s) ...",
                          flush=True)
                    stack.enter_context(server)
                for server in servers:
                    is_infoview = server is infoview
                    target = (infoview_target(server.url, students) if is_infoview
                              else Target(BARE, server.url, bare_event_name()))
                    probe = CpuProbe(server, redis_pid, pg_admin,
                                     database if is_infoview else None)
                    assert server.log_path is not None
                    offset = len(server.log_path.read_text(errors="replace"))
                    print(f"  open loop: {server.label}, {args.students} students ...",
                          flush=True)
                    result = asyncio.run(open_loop(
                        target, students if is_infoview else None, args.students,
                        args.interval, args.duration, args.mix, probe, args.seed, workers))
                    count_log(result, server.log_path, offset)
                    if is_infoview:
                        check_notes(db_url, students, result)
                    print(f"    answered {result.total('answered')} of "
                          f"{result.total('sent')} sent ({result.total('due')} due), p95 "
                          f"{percentile_ms(result.all_latencies, 95):.0f} ms, lock expiries "
                          f"{result.lock_expired}, notes {result.notes_stored} of "
                          f"{result.notes_checked}", flush=True)
                    peaks.append(result)
                if args.closed_clients:
                    for server in servers:
                        target = (closed_target(server.url, students, args.closed_clients)
                                  if server is infoview
                                  else Target(f"{BARE} closed", server.url, bare_event_name()))
                        print(f"  closed loop: {server.label}, {args.closed_clients} "
                              "clients ...", flush=True)
                        events = events_per_client(args.closed_clients, args.closed_events, 5)
                        phase = asyncio.run(run_phase(target, args.closed_clients, events,
                                                      server))
                        closed.append((workers, phase))
    finally:
        drop_database(pg_admin, database)
    return peaks, closed


def main() -> None:
    args = parse_args()
    pg_admin = os.environ.get("INFOVIEW_TEST_POSTGRES_URL")
    if not pg_admin:
        raise SystemExit("INFOVIEW_TEST_POSTGRES_URL must name a PostgreSQL role that may "
                         "CREATE DATABASE")
    if args.closed_clients > args.students:
        raise SystemExit("--closed-clients must be at most --students")
    worker_counts = [int(n) for n in args.workers.split(",")]
    started = time.monotonic()
    first_machine = machine()
    print(f"Machine: {first_machine}", flush=True)
    template = f"infoview_peak_template_{uuid.uuid4().hex[:8]}"
    peaks: list[PeakResult] = []
    closed: list[tuple[int, PhaseResult]] = []
    loads: list[str] = []
    with tempfile.TemporaryDirectory(prefix="infoview-peak-") as tmp_name:
        tmp = args.log_dir or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        try:
            print(f"Seeding {args.students} students ...", flush=True)
            students = seed_template(pg_admin, template, args.students)
            for workers in worker_counts:
                more_peaks, more_closed = run_workers(args, workers, tmp, pg_admin, template,
                                                      students)
                peaks += more_peaks
                closed += more_closed
                loads.append(f"{workers} worker(s): "
                             + ", ".join(f"{value:.1f}" for value in os.getloadavg()))
        finally:
            drop_database(pg_admin, template)
    sections = [
        f"Machine: {first_machine}",
        f"Load averages (1, 5, 15 min) after each worker count: {'; '.join(loads)}. "
        f"Finished in {time.monotonic() - started:.0f} s.",
        f"Open loop: {args.students} signed-in students, one event each {args.interval:g} s "
        f"for {args.duration:g} s (InfoView mix {args.mix}; the bare app's counter), Redis + "
        f"PostgreSQL. Round trip = emit to the reply delta; unanswered = sent but no reply "
        f"within 30 s; behind = a slot skipped as the previous event was unanswered.\n\n"
        + peak_table(peaks),
        "By event (InfoView)\n\n" + kinds_table([p for p in peaks if p.label == INFOVIEW]),
    ]
    if closed:
        sections.append(f"Closed loop: {args.closed_clients} clients, each sending the next "
                        f"event when the last was answered (home load / counter)\n\n"
                        + closed_table(closed))
    sections.append(projection(peaks, args.campus, args.campus_active, args.interval))
    print("\n" + "\n\n".join(sections))


if __name__ == "__main__":
    main()

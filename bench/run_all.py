"""Run InfoView's benchmarks against a bare Reflex app of the same version and print the
results as Markdown tables (docs/benchmarks.md explains each figure). From the repository
root, with the development environment installed (pip install -e '.[test]'):

    export PATH=$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1
    python bench/run_all.py

Both apps are built and served with ``reflex run --env prod`` on free ports; InfoView runs on
a fresh SQLite database in a temporary directory, seeded with the demo student and one
session per socket client. Nothing here asserts on time.
"""

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import graph_browser
import graph_layout
from appserver import ROOT, AppServer, bare_event_name, write_bare_app
from first_load import GZIP_LEVEL, FirstLoad, measure
from notes_load import add_arguments, notes_sections, run_notes, seed_students, stepper_first_load
from report import kib, machine, table
from socket_load import PhaseResult, Target, events_per_client, percentile_ms, run_phase

FIRST_LOAD_TARGET = 1.3
ROUND_TRIP_TARGET = 1.5
INFOVIEW, BARE = "InfoView", "bare Reflex"
# Other processes using more than this share of one core during a timed phase competed.
BUSY_CPU_PERCENT = 10.0


@contextlib.contextmanager
def fresh_postgres() -> Iterator[tuple[str, str]]:
    """A new, empty PostgreSQL database on the server of INFOVIEW_TEST_POSTGRES_URL (an
    account that may create databases): yields its URL and name, then drops it."""
    import sqlalchemy as sa

    admin_url = os.environ.get("INFOVIEW_TEST_POSTGRES_URL")
    if not admin_url:
        raise SystemExit("--postgres needs INFOVIEW_TEST_POSTGRES_URL (see docs/benchmarks.md)")
    name = f"infoview_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(False), name
    finally:
        from infoview_app import db

        db.engine_for.cache_clear()  # the seeding engine's connections, closed with it
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_env(args: argparse.Namespace) -> dict[str, str]:
    """What both apps are served with: the workers, and Redis if asked (emptied first)."""
    env = {"GRANIAN_WORKERS": str(args.workers)}
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        env["REFLEX_REDIS_URL"] = args.redis_url
    return env


def seed_infoview(db_url: str, sessions: int) -> list[str]:
    """Migrate a fresh database, add the demo student and open ``sessions`` sessions for her.

    Sessions are opened directly: signing in costs an Argon2 hash each, which is not what
    is measured. Every client then reads the same (realistic) home data.
    """
    from sqlmodel import Session

    from infoview_app import db
    from infoview_app.services.accounts import user_accounts
    from infoview_app.services.demo import sample_student

    db.upgrade_to_head(db_url)
    with Session(db.engine_for(db_url), expire_on_commit=False) as session:
        student, _staff = sample_student.create_demo_data(session, secrets.token_urlsafe(16))
        assert student.id is not None
        return [user_accounts.start_session(session, student.id, timedelta(days=1))
                for _ in range(sessions)]


def handler_db_cost(db_url: str, session_token: str, repeat: int = 500) -> dict[str, float]:
    """Median milliseconds of the database work behind one StudentHomeState.load, timed in
    this process without Reflex: the guard's session look-up and the home queries, each in
    its own ORM session as in the app."""
    from sqlmodel import Session

    from infoview_app import db
    from infoview_app.services.accounts import user_accounts
    from infoview_app.services.journey import home_summary

    engine = db.engine_for(db_url)
    with Session(engine) as session:
        user = user_accounts.resolve_session(session, session_token)
    assert user is not None

    def guard() -> None:
        with Session(engine, expire_on_commit=False) as session:
            user_accounts.resolve_session(session, session_token)

    def home_data() -> None:
        with Session(engine, expire_on_commit=False) as session:
            home_summary.student_home(session, user.id)

    medians = {}
    for name, work in (("guard", guard), ("home", home_data)):
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            work()
            timings.append(time.perf_counter() - started)
        medians[name] = statistics.median(timings) * 1000
    return medians


def infoview_target(url: str, session_tokens: list[str]) -> Target:
    """Signed-in students on the home page, sending StudentHomeState.load."""
    from reflex_base.constants.state import FIELD_MARKER

    from infoview_app.models import Role
    from infoview_app.state.base import SessionState
    from infoview_app.state.home import StudentHomeState

    session_state = SessionState.get_full_name()
    auth_var = f"{session_state}.auth_token{FIELD_MARKER}"
    return Target(INFOVIEW, url, f"{StudentHomeState.get_full_name()}.load",
                  storage=[{auth_var: token} for token in session_tokens],
                  expect=(session_state, f"user_role{FIELD_MARKER}", Role.STUDENT.value))


async def round_trips(pairs: list[tuple[Target, AppServer]], concurrency: list[int],
                      total: int, minimum: int) -> list[PhaseResult]:
    """Every concurrency for both apps in turn (the apps alternate, so drift hits both)."""
    results: list[PhaseResult] = []
    for clients in concurrency:
        events = events_per_client(clients, total, minimum)
        for target, server in pairs:
            result = await run_phase(target, clients, events, server)
            print(f"  {target.label:12} {clients:4} clients: {len(result.latencies_s)} round "
                  f"trips in {result.wall_s:.1f} s, p50 {result.percentile_ms(50):.1f} ms, "
                  f"p95 {result.percentile_ms(95):.1f} ms, {result.errors} timeouts; CPU: server "
                  f"{result.cpu_percent(result.server_cpu_s):.0f}%, worker "
                  f"{result.ms_per_event(result.worker_cpu_s):.2f} ms/event, PostgreSQL "
                  f"{result.ms_per_event(result.database_cpu_s):.2f} ms/event, other processes "
                  f"{result.cpu_percent(result.other_cpu_s):.0f}%", flush=True)
            results.append(result)
    return results


def _verdict(ratio: float, target: float) -> str:
    if ratio <= target:
        return "met"
    return f"missed by {(ratio / target - 1) * 100:.0f}%"


def first_load_table(infoview: FirstLoad, bare: FirstLoad) -> str:
    ratio = infoview.total_gzip / bare.total_gzip
    rows = [[f"{label} `{urlsplit(load.url).path}`",
             f"{load.js_files} / {load.css_files}", kib(load.js_gzip), kib(load.css_gzip),
             kib(load.total_gzip), f"{load.total_gzip:,}", kib(load.js_raw + load.css_raw)]
            for label, load in ((INFOVIEW, infoview), (BARE, bare))]
    return (table(["page", "JS / CSS files", "JS gzip", "CSS gzip", "JS+CSS gzip", "bytes",
                   "uncompressed"], rows)
            + f"\n\nRatio {ratio:.2f}x (target at most {FIRST_LOAD_TARGET}x: "
              f"{_verdict(ratio, FIRST_LOAD_TARGET)}).")


def round_trip_table(results: list[PhaseResult]) -> str:
    by_key = {(result.label, result.clients): result for result in results}
    rows = []
    for clients in sorted({result.clients for result in results}):
        ours, base = by_key[INFOVIEW, clients], by_key[BARE, clients]
        ratios = [ours.percentile_ms(p) / base.percentile_ms(p) for p in (50, 95)]
        pair = (ours, base)
        rows.append([
            str(clients),
            *(f"{run.percentile_ms(50):.1f} / {run.percentile_ms(95):.1f}" for run in pair),
            f"{ratios[0]:.2f}x / {ratios[1]:.2f}x",
            _verdict(max(ratios), ROUND_TRIP_TARGET),
            " / ".join(f"{run.throughput:.0f}" for run in pair),
            " / ".join(f"{run.cpu_percent(run.server_cpu_s):.0f}%" for run in pair),
            " / ".join(f"{run.ms_per_event(run.worker_cpu_s):.2f}" for run in pair),
            f"{ours.ms_per_event(ours.database_cpu_s):.2f}",
            " / ".join(f"{run.cpu_percent(run.client_cpu_s):.0f}%" for run in pair),
            " / ".join(f"{run.cpu_percent(run.other_cpu_s):.0f}%" for run in pair),
            " / ".join(f"{len(run.latencies_s)} of {run.planned} ({run.errors})"
                       for run in pair),
        ])
    return table(["clients", "InfoView p50 / p95 (ms)", "bare p50 / p95 (ms)",
                  "ratio p50 / p95", f"target {ROUND_TRIP_TARGET}x", "round trips/s",
                  "server CPU", "worker CPU per event (ms)",
                  "InfoView's PostgreSQL CPU per event (ms)", "load generator CPU",
                  "other processes' CPU",
                  "round trips (timeouts)"], rows)


def memory_table(results: list[PhaseResult], idle: dict[str, tuple[float, float]]) -> str:
    """VmRSS (summed over the server's processes) and PSS, idle and at the largest phase."""
    largest = max(result.clients for result in results)
    rows = []
    for result in results:
        if result.clients != largest:
            continue
        idle_rss, idle_pss = idle[result.label]
        per_client = (result.rss_loaded_mib - idle_rss) / largest * 1024
        rows.append([result.label, f"{idle_rss:.0f}", f"{result.rss_hydrated_mib:.0f}",
                     f"{result.rss_loaded_mib:.0f}", f"{per_client:.0f}",
                     f"{idle_pss:.0f} / {result.pss_loaded_mib:.0f}"])
    return table(["app", "RSS idle (MiB)", f"RSS, {largest} hydrated (MiB)",
                  f"RSS, {largest} after the round trips (MiB)", "RSS per client (KiB)",
                  f"PSS idle / {largest} (MiB)"], rows)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark InfoView against a bare Reflex app and print the results "
                    "(see docs/benchmarks.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--clients", default="1,50,200",
                        help="concurrent socket clients, one phase each")
    parser.add_argument("--events", type=int, default=2000,
                        help="timed round trips per phase, spread over its clients")
    parser.add_argument("--min-events", type=int, default=40,
                        help="timed round trips per client at least")
    parser.add_argument("--skip-first-load", action="store_true",
                        help="skip the browser measurement (a)")
    parser.add_argument("--skip-notes", action="store_true",
                        help="skip the interview notes load (d) and the stepper's first load (e)")
    add_arguments(parser)
    parser.add_argument("--skip-graph", action="store_true",
                        help="skip the contact network graph timing (f)")
    parser.add_argument("--skip-graph-browser", action="store_true",
                        help="skip the contact network page in the browser (h)")
    parser.add_argument("--postgres", action="store_true",
                        help="serve InfoView on a fresh PostgreSQL database (created on the "
                             "server of INFOVIEW_TEST_POSTGRES_URL, dropped afterwards) "
                             "instead of SQLite")
    parser.add_argument("--redis-url", default="",
                        help="keep both apps' states in this Redis database (REFLEX_REDIS_URL; "
                             "emptied first), e.g. redis://127.0.0.1:6379/5")
    parser.add_argument("--workers", type=int, default=1,
                        help="backend workers per app (GRANIAN_WORKERS)")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument("--dashboard", action="store_true",
                        help="also time the staff dashboard on a synthetic campus of 10,000 "
                             "students, SQLite and PostgreSQL (bench/dashboard_scale.py; "
                             "needs INFOVIEW_TEST_POSTGRES_URL, adds a few minutes)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    concurrency = sorted(int(n) for n in args.clients.split(","))
    started = time.monotonic()
    first_machine = machine()
    print(f"Machine: {first_machine}", flush=True)
    with contextlib.ExitStack() as resources:
        tmp = Path(resources.enter_context(tempfile.TemporaryDirectory(prefix="infoview-bench-")))
        db_url, database = f"sqlite:///{tmp / 'infoview.db'}", ""
        if args.postgres:
            db_url, database = resources.enter_context(fresh_postgres())
        env = server_env(args)
        session_tokens = seed_infoview(db_url, max(concurrency))
        notes_students = [] if args.skip_notes else seed_students(db_url, args.notes_students)
        graph_tokens = {} if args.skip_graph_browser else graph_browser.seed(db_url)
        infoview = AppServer(INFOVIEW, ROOT, env={**env, "REFLEX_DB_URL": db_url},
                             log_path=tmp / "infoview.log", database=database)
        bare = AppServer(BARE, write_bare_app(tmp / "bare"), env=env, log_path=tmp / "bare.log")
        with contextlib.ExitStack() as stack:
            for server in (infoview, bare):
                print(f"Building and starting {server.label} (reflex run --env prod) ...",
                      flush=True)
                stack.enter_context(server)
                print(f"  serving on {server.url} after {server.startup_s:.0f} s", flush=True)
            idle = {server.label: (server.rss_mib(), server.pss_mib())
                    for server in (infoview, bare)}
            processes = ", ".join(f"{server.label} {len(server.pids())}"
                                  for server in (infoview, bare))
            loads: list[FirstLoad] = []
            if not args.skip_first_load:
                print("(a) first load in headless Chromium ...", flush=True)
                loads = measure([f"{infoview.url}/login", f"{bare.url}/"])
            graph_loads: list[graph_browser.GraphLoad] = []
            if graph_tokens:
                print("(h) the contact network page in headless Chromium ...", flush=True)
                network_load, login_load = graph_browser.first_loads(
                    infoview.url, graph_tokens[min(graph_tokens)])
                graph_loads = graph_browser.measure(infoview.url, graph_tokens)
            print("(b, c) socket clients ...", flush=True)
            pairs = [(infoview_target(infoview.url, session_tokens), infoview),
                     (Target(BARE, bare.url, bare_event_name()), bare)]
            phases = asyncio.run(round_trips(pairs, concurrency, args.events, args.min_events))
            notes, stepper_loads = None, None
            if notes_students:
                if not args.skip_first_load:
                    print("(e) stepper first load in headless Chromium ...", flush=True)
                    stepper_loads = stepper_first_load(infoview.url, notes_students[0])
                notes = run_notes(infoview, db_url, notes_students, args.notes_duration,
                                  args.notes_interval)
        print("InfoView's database work alone, in this process ...", flush=True)
        db_cost = handler_db_cost(db_url, session_tokens[0])
    graph: list[graph_layout.GraphTiming] = []
    if not args.skip_graph:
        print("(f) contact network graph, in this process ...", flush=True)
        graph = graph_layout.measure()

    busiest = max(phase.cpu_percent(phase.other_cpu_s) for phase in phases)
    sections = [f"Machine: {first_machine}",
                f"Server: `reflex run --env prod` per app (frontend and backend on one port), "
                f"{len(concurrency)} phases, finished in {time.monotonic() - started:.0f} s."]
    if busiest > BUSY_CPU_PERCENT:
        sections.append(f"Note: other processes used up to {busiest:.0f}% of a core during "
                        "the timed phases, competing with the servers and the load generator "
                        "for the machine's cores: the time figures are noisier than on an "
                        "otherwise idle machine.")
    if loads:
        sections.append(f"(a) First-load JS + CSS of a fresh headless Chromium, each response "
                        f"gzip level {GZIP_LEVEL}\n\n{first_load_table(*loads)}")
    sections.append("(b) Event round trip, emit to reply delta: InfoView "
                    "StudentHomeState.load (signed in) vs bare CounterState.increment; "
                    "pairs are InfoView / bare, CPU in % of one core\n\n"
                    + round_trip_table(phases)
                    + f"\n\nThe database work of one InfoView load alone (median, in the "
                      f"benchmark process, servers stopped): {db_cost['guard']:.2f} ms for the "
                      f"guard's session look-up + {db_cost['home']:.2f} ms for the home "
                      f"queries = {sum(db_cost.values()):.2f} ms.")
    sections.append(f"(c) Backend memory, summed over each server's processes ({processes})"
                    f"\n\n{memory_table(phases, idle)}")
    if notes is not None:
        sections += notes_sections(notes, stepper_loads)
    if graph:
        sections.append(f"(f) Contact network graph, in the benchmark process (servers "
                        f"stopped): median wall-clock / CPU time of {graph_layout.RUNS} runs of "
                        f"graph.layered_layout alone and of the whole graph.network() on SQLite "
                        f"(bench/graph_layout.py)\n\n"
                        + table(*graph_layout.table_rows(graph)))
    if args.dashboard:
        import dashboard_scale

        print("(g) Staff dashboard on a synthetic campus ...", flush=True)
        sections.append("(g) Staff dashboard vs hand-written SQL (bench/dashboard_scale.py)\n\n"
                        + dashboard_scale.run(big=False, repeat=7, pg_admin=os.environ.get(
                            "INFOVIEW_TEST_POSTGRES_URL")))
    if graph_loads:
        sections.append(f"(h) The contact network page in headless Chromium at 390 x 844 "
                        f"with touch, median of {graph_browser.RUNS} loads per size "
                        f"(bench/graph_browser.py)\n\n"
                        + table(*graph_browser.table_rows(graph_loads))
                        + "\n\nFirst-load JS + CSS of the graph page against the sign-in "
                          "page, each response gzip level 9\n\n"
                        + table(*graph_browser.bytes_rows(network_load, login_load)))
    print("\n" + "\n\n".join(sections))
    if args.json:
        args.json.write_text(json.dumps({
            "machine": first_machine, "idle_rss_pss_mib": idle,
            "infoview_db_work_ms": db_cost,
            "first_load": [asdict(load) for load in loads],
            "graph": [asdict(timing) for timing in graph],
            "graph_browser": [asdict(load) for load in graph_loads],
            "round_trips": [{**asdict(phase), "latencies_s": None, "samples": len(
                phase.latencies_s), "p50_ms": phase.percentile_ms(50), "p95_ms":
                phase.percentile_ms(95)} for phase in phases],
            "notes": notes and {**asdict(notes), "latencies_s": None, "logs": None,
                                "sent": notes.sent, "acknowledged": notes.acknowledged,
                                "p50_ms": percentile_ms(notes.latencies_s, 50),
                                "p95_ms": percentile_ms(notes.latencies_s, 95)},
            "stepper_first_load": [asdict(load) for load in stepper_loads or []],
        }, indent=2))


if __name__ == "__main__":
    main()

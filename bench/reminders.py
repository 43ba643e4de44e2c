"""`infoview send-reminders` over a synthetic campus (the dashboard benchmark's generator),
to a local SMTP server (aiosmtpd's Sink, in its own process), on SQLite and PostgreSQL. From
the repository root:

    export PATH=$PWD/.venv/bin:$PATH
    export INFOVIEW_TEST_POSTGRES_URL=postgresql+psycopg://...   # a role that may CREATE DATABASE
    python bench/reminders.py                    # 10,000 students
    python bench/reminders.py --students 1000 --no-postgres

The campus's students are marked as having proven their address, a share of them get their
own time zone, and every one gets a progress update due today (on top of the generator's open
thank-you notes and upcoming interviews): the worst case, a digest for every active student.
The campus is written by a child process, so that this process's peak RSS (getrusage) is the
sending's. Two runs each: the first sends (wall time, this process's CPU time, statements by
kind, digests per second, peak RSS), the second the same day sends nothing (idempotent).
Prints the load average beside the figures: on a shared machine the CPU time is the steadier
figure. Nothing here asserts on time.
"""

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time as clock
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dashboard_scale import drop_database
from sqlalchemy import event
from sqlmodel import Session

from infoview_app import db
from infoview_app.config import SmtpSettings
from infoview_app.models import FollowUpKind, FollowUpStatus, Role
from infoview_app.services.core.mail import Letterhead
from infoview_app.services.demo import synthetic_campus
from infoview_app.services.follow_up import reminders

# 22:30 UTC: past 7 am (reminders.SEND_FROM) in every zone below, so every student is due.
NOW = datetime.combine(datetime.now(UTC).date(), time(22, 30), UTC)
TARGET_SECONDS = 60
ZONES = ("America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin")  # every 4th student: UTC


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_sink() -> Iterator[int]:
    """aiosmtpd's Sink handler (accepts and discards every message) in a child process."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c",
                               "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"])
    try:
        import socket

        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                clock.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def fresh_database(tmp: Path, kind: str, pg_admin: str | None) -> str:
    if kind == "SQLite":
        return f"sqlite:///{tmp / 'reminders.db'}"
    assert pg_admin is not None
    name = f"infoview_bench_reminders_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.make_url(pg_admin).set(database=name).render_as_string(hide_password=False)


def fill(url: str, students: int) -> None:
    """The campus, its students' addresses proven and zones set, a task due today each."""
    db.upgrade_to_head(url)
    engine = db.engine_for(url)
    size = synthetic_campus.CampusSize().scaled(students / synthetic_campus.CampusSize().students)
    with Session(engine) as session:
        written = synthetic_campus.create_campus(session, size, NOW.date())
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE user_account SET email_verified_at = created_at "
                             "WHERE role = :student"), {"student": Role.STUDENT.value})
        for index, zone in enumerate(ZONES):
            conn.execute(sa.text("UPDATE user_account SET time_zone = :zone "
                                 f"WHERE role = :student AND id % 4 = {index + 1}"),
                         {"zone": zone, "student": Role.STUDENT.value})
        ids = conn.execute(sa.text("SELECT id FROM user_account WHERE role = :student"),
                           {"student": Role.STUDENT.value}).scalars().all()
        conn.execute(sa.text(
            "INSERT INTO follow_up_task (owner_id, kind, due_on, status, created_at) "
            "VALUES (:owner, :kind, :due, :status, :at)"),
            [{"owner": owner, "kind": FollowUpKind.PROGRESS_UPDATE.value,
              "due": (NOW - timedelta(days=1)).date(), "status": FollowUpStatus.OPEN.value,
              "at": NOW} for owner in ids])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    print(f"campus: {written}", flush=True)


@contextmanager
def counting(engine: sa.Engine) -> Iterator[dict[str, int]]:
    counts = {"SELECT": 0, "INSERT": 0, "UPDATE": 0, "other": 0}

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        counts[verb if verb in counts else "other"] += 1

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", record)


def one_run(url: str, port: int, now: datetime, page_size: int, connections: int
            ) -> dict[str, Any]:
    engine = db.engine_for(url)
    mailing = reminders.Mailing(
        settings=SmtpSettings(host="127.0.0.1", port=port, security="none", user="",
                              password="", sender="careers@bench.example.edu"),
        letterhead=Letterhead("Northfield College", "Career Office", ("555-0100",)),
        base_url="https://infoview.bench.example",
        unsubscribe_url="https://infoview.bench.example/mail/unsubscribe",
        secret=b"bench-secret-" * 4, now=now)
    with counting(engine) as counts, Session(engine, expire_on_commit=False) as session:
        started, cpu = clock.perf_counter(), clock.process_time()
        report = reminders.send_reminders(session, mailing, page_size=page_size,
                                          connections=connections)
        seconds, cpu = clock.perf_counter() - started, clock.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"seconds": seconds, "cpu": cpu, "report": report, "counts": dict(counts),
            "peak": peak}


def _row(kind: str, students: int, label: str, result: dict[str, Any]) -> str:
    report, counts = result["report"], result["counts"]
    rate = report.sent / result["seconds"] if result["seconds"] else 0
    return (f"| {kind} | {students:,} | {label} | {result['seconds']:.1f} s | "
            f"{result['cpu']:.1f} s | {report.sent:,} | {rate:,.0f}/s | {report.pages} | "
            f"{counts['SELECT']} | {counts['INSERT']} | {counts['UPDATE']} | "
            f"{result['peak'] / 2**20:.0f} MiB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=reminders.PAGE_SIZE)
    parser.add_argument("--connections", type=int, default=reminders.CONNECTIONS,
                        help="SMTP connections sending at once")
    parser.add_argument("--databases", default="SQLite,PostgreSQL",
                        help="which, comma-separated")
    args = parser.parse_args()
    kinds = [kind for kind in ("SQLite", "PostgreSQL") if kind in args.databases.split(",")]
    pg_admin = os.environ.get("INFOVIEW_TEST_POSTGRES_URL")
    if "PostgreSQL" in kinds and not pg_admin:
        raise SystemExit("Set INFOVIEW_TEST_POSTGRES_URL (or pass --databases SQLite).")
    rows = []
    with tempfile.TemporaryDirectory(prefix="infoview-reminders-") as tmp, smtp_sink() as port:
        for kind in kinds:
            url = fresh_database(Path(tmp), kind, pg_admin)
            try:
                filler = multiprocessing.get_context("fork").Process(
                    target=fill, args=(url, args.students))
                filler.start()
                filler.join()
                print(f"{kind}: campus of {args.students:,} students written", flush=True)
                runs = [(label, one_run(url, port, NOW, args.page_size, args.connections))
                        for label in ("first run", "again, same day")]
                load = ", ".join(f"{average:.2f}" for average in os.getloadavg())
                for label, result in runs:
                    rows.append(_row(kind, args.students, label, result))
                    print(rows[-1], f"(load {load})", flush=True)
            finally:
                if kind == "PostgreSQL" and pg_admin:
                    drop_database(pg_admin, url)
    header = ("| database | students | run | wall | CPU | digests sent | rate | pages | "
              "SELECT | INSERT | UPDATE | peak RSS |")
    print("\n" + header + "\n|" + "---|" * 12 + "\n" + "\n".join(rows))
    load = ", ".join(f"{average:.2f}" for average in os.getloadavg())
    print(f"\n{os.cpu_count()} CPUs, load average {load}; target: under {TARGET_SECONDS} s.")


if __name__ == "__main__":
    main()

"""(d) Interview notes autosave under load, and (e) the stepper page's first load.

(d) N students, each signed in on their own socket client in interview mode
(``/exploration?id=<theirs>&step=5``), each send ``InterviewState.save_notes`` once a
second (an open loop: client i starts i/N of a second into the run) with their notes growing
by one line each time, for D seconds. A round trip is the time from the emit to the reply
delta of the interview state; an update is acknowledged when that delta carries the notes
just sent (the handler assigns them only after the database commit). Afterwards every
student's stored notes are read from the database and compared with the last text that
student sent: nothing may be lost.

(e) First-load JS + CSS of the stepper page of a signed-in student, measured as first_load
measures ``/login``, and its ratio to ``/login``.

Standalone, from the repository root:

    export PATH=$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1
    python bench/notes_load.py --notes-students 100 --notes-duration 60

run_all.py runs both as well, on the InfoView server it starts.
"""

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import procfs
from appserver import ROOT, AppServer
from first_load import GZIP_LEVEL, FirstLoad, measure
from report import kib, machine, table
from socket_load import Client, ServerProbe, Target, connect_all, disconnect_all, percentile_ms

INTERVIEW_STEP = 5
STEPPER_STEP = 1
# The notes grow by one line per update: 60 s at one a second stays far below 20,000.
NOTE_LINE = "{n:03d} They started as an aide in a clinic; ask about the residency.\n"
# A send that leaves this much after its slot counts as late: the previous reply held it up.
LATE_AFTER_S = 0.05


@dataclass(frozen=True)
class NotesStudent:
    user_id: int
    exploration_id: int
    interview_id: int
    token: str

    def page(self, step: int) -> str:
        from infoview_app import routes

        return routes.exploration_url(self.exploration_id, step)


def seed_students(db_url: str, count: int) -> list[NotesStudent]:
    """``count`` students on a migrated database, each with an exploration, a contact, an
    interview booked for tomorrow and an open session.

    All through the services, except that the students after the first reuse the first one's
    password hash: nobody signs in with a password here, and Argon2 costs about half a
    second per account on this machine."""
    from sqlmodel import Session

    from infoview_app import db
    from infoview_app.models import Role, User
    from infoview_app.services.accounts import user_accounts
    from infoview_app.services.connect import booking
    from infoview_app.services.develop import contacts
    from infoview_app.services.journey import explorations

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    students = []
    with Session(db.engine_for(db_url), expire_on_commit=False) as session:
        first = user_accounts.create_user(session, role=Role.STUDENT, name="Notes Student 0",
                                          email="notes.student0@bench.example",
                                          password="notes-benchmark-password")
        for n in range(count):
            user = first if n == 0 else User(
                role=Role.STUDENT, name=f"Notes Student {n}",
                email=f"notes.student{n}@bench.example",
                email_key=f"notes.student{n}@bench.example", password_hash=first.password_hash,
                email_verified_at=first.email_verified_at)
            session.add(user)
            session.commit()
            assert user.id is not None
            exploration_id = explorations.start_exploration(session, user.id,
                                                            "Physical therapy")
            contact = contacts.add_contact(session, user.id, exploration_id,
                                           {"name": f"Contact of student {n}"})
            booked = booking.book_interview(
                session, user.id, contact.id, date=tomorrow, time="10:00",
                duration_minutes=30, mode="video", location="https://meet.example/bench",
                timezone="UTC")
            token = user_accounts.start_session(session, user.id, timedelta(days=1))
            students.append(NotesStudent(user.id, exploration_id, booked["id"], token))
    return students


def notes_target(url: str, students: list[NotesStudent]) -> Target:
    """Each client signed in as one student, on that student's interview step."""
    from reflex_base.constants.state import FIELD_MARKER

    from infoview_app.models import Role
    from infoview_app.state.base import SessionState
    from infoview_app.state.interview import InterviewState

    session_state = SessionState.get_full_name()
    return Target("InfoView notes", url, f"{InterviewState.get_full_name()}.save_notes",
                  pages=[student.page(INTERVIEW_STEP) for student in students],
                  storage=[{f"{session_state}.auth_token{FIELD_MARKER}": student.token}
                           for student in students],
                  expect=(session_state, f"user_role{FIELD_MARKER}", Role.STUDENT.value))


def _var(name: str) -> str:
    from reflex_base.constants.state import FIELD_MARKER

    return f"{name}{FIELD_MARKER}"


@dataclass
class StudentLog:
    sent: int = 0
    acknowledged: int = 0
    late: int = 0
    timeouts: int = 0
    last_sent: str = ""


@dataclass
class NotesResult:
    students: int
    duration_s: float
    interval_s: float
    latencies_s: list[float]
    logs: list[StudentLog]
    wall_s: float
    server_cpu_s: float
    client_cpu_s: float
    other_cpu_s: float
    stored_matches: int = 0

    @property
    def sent(self) -> int:
        return sum(log.sent for log in self.logs)

    @property
    def acknowledged(self) -> int:
        return sum(log.acknowledged for log in self.logs)

    @property
    def late(self) -> int:
        return sum(log.late for log in self.logs)

    @property
    def timeouts(self) -> int:
        return sum(log.timeouts for log in self.logs)

    def cpu_percent(self, seconds: float) -> float:
        return 100 * seconds / self.wall_s


async def _open_interview(client: Client, student: NotesStudent) -> None:
    """What the browser does after the page's on_load: load the step's interview into the
    state. (No interview_id in the reply: the page's on_load had loaded it already.)"""
    state = client.target.event.rpartition(".")[0]
    _, delta = await client.send(f"{state}.load_step", {})
    shown = delta.get(state, {}).get(_var("interview_id"), student.interview_id)
    if shown != student.interview_id:
        raise RuntimeError(f"client {client.index}: interview {shown!r} shown, not "
                           f"{student.interview_id}")


async def run_notes_load(target: Target, students: list[NotesStudent], duration_s: float,
                         interval_s: float, server: ServerProbe) -> NotesResult:
    """Connect one client per student, open their interview, then drive the updates."""
    pool = [Client(target, index) for index in range(len(students))]
    state = target.event.rpartition(".")[0]
    logs = [StudentLog() for _ in students]
    latencies: list[float] = []
    try:
        await connect_all(pool)
        await asyncio.gather(*(_open_interview(client, student)
                               for client, student in zip(pool, students, strict=True)))
        server_cpu, client_cpu = server.cpu_seconds(), time.process_time()
        machine_cpu = procfs.busy_cpu_seconds()
        started = time.perf_counter()

        async def drive(client: Client, log: StudentLog, interview_id: int) -> None:
            slot = started + interval_s * client.index / len(pool)
            while slot < started + duration_s:
                wait = slot - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                elif wait < -LATE_AFTER_S:
                    log.late += 1
                text = log.last_sent + NOTE_LINE.format(n=log.sent + 1)
                log.sent, log.last_sent = log.sent + 1, text
                try:
                    seconds, delta = await client.send(target.event, {
                        "interview_id": interview_id, "text": text})
                except TimeoutError:
                    log.timeouts += 1
                    return
                latencies.append(seconds)
                if delta[state].get(_var("notes")) == text:
                    log.acknowledged += 1
                slot += interval_s

        await asyncio.gather(*(drive(client, log, student.interview_id) for client, log, student
                               in zip(pool, logs, students, strict=True)))
        wall = time.perf_counter() - started
        server_cpu = server.cpu_seconds() - server_cpu
        client_cpu = time.process_time() - client_cpu
        other_cpu = procfs.busy_cpu_seconds() - machine_cpu - server_cpu - client_cpu
    finally:
        await disconnect_all(pool)
    return NotesResult(len(students), duration_s, interval_s, latencies, logs, wall,
                       server_cpu, client_cpu, max(0.0, other_cpu))


def count_stored(db_url: str, students: list[NotesStudent], result: NotesResult) -> None:
    """How many students' stored notes are exactly the last text they sent."""
    from sqlmodel import Session, col, select

    from infoview_app import db
    from infoview_app.models import Interview

    with Session(db.engine_for(db_url)) as session:
        stored = dict(session.exec(select(Interview.id, Interview.notes).where(
            col(Interview.id).in_([student.interview_id for student in students]))).all())
    result.stored_matches = sum(stored.get(student.interview_id) == log.last_sent
                                for student, log in zip(students, result.logs, strict=True))


def notes_table(result: NotesResult) -> str:
    lost = "none" if (result.acknowledged == result.sent
                      and result.stored_matches == result.students) else "**some**"
    rows = [[str(result.students), f"{result.wall_s:.0f} s",
             f"{result.sent} / {result.acknowledged}",
             f"{result.stored_matches} of {result.students}", lost,
             " / ".join(f"{percentile_ms(result.latencies_s, p):.1f}" for p in (50, 95, 100)),
             f"{result.sent / result.wall_s:.0f}", f"{result.late}", f"{result.timeouts}",
             f"{result.cpu_percent(result.server_cpu_s):.0f}%",
             f"{1000 * result.server_cpu_s / result.sent:.1f}",
             f"{result.cpu_percent(result.client_cpu_s):.0f}%",
             f"{result.cpu_percent(result.other_cpu_s):.0f}%"]]
    return table(["students", "timed", "updates sent / acknowledged",
                  "stored notes = last sent", "lost", "round trip p50 / p95 / max (ms)",
                  "updates/s", "late sends", "timeouts", "server CPU",
                  "server CPU per update (ms)", "load generator CPU", "other processes' CPU"],
                 rows)


def stepper_first_load(url: str, student: NotesStudent) -> tuple[FirstLoad, FirstLoad]:
    """/login for a visitor, and the stepper for a signed-in student (the session token in
    LocalStorage, as after signing in)."""
    from infoview_app.state.base import SessionState

    storage_key = SessionState.get_fields()["auth_token"].default.name
    login, stepper_url = f"{url}/login", url + student.page(STEPPER_STEP)
    login_load, stepper = measure([login, stepper_url],
                                  {stepper_url: {storage_key: student.token}})
    asked, ended = urlsplit(stepper_url), urlsplit(stepper.final_url)
    if (ended.path.rstrip("/"), ended.query) != (asked.path, asked.query):
        raise RuntimeError(f"the stepper page ended on {stepper.final_url}, not signed in?")
    return login_load, stepper


def stepper_table(login: FirstLoad, stepper: FirstLoad) -> str:
    rows = [[f"`{page}`", f"{load.js_files} / {load.css_files}", kib(load.js_gzip),
             kib(load.css_gzip), kib(load.total_gzip), f"{load.total_gzip:,}"]
            for page, load in (("/login", login), ("/exploration?id=N&step=1", stepper))]
    return (table(["InfoView page", "JS / CSS files", "JS gzip", "CSS gzip", "JS+CSS gzip",
                    "bytes"], rows)
            + f"\n\nStepper / login: {stepper.total_gzip / login.total_gzip:.2f}x "
              f"({kib(stepper.total_gzip - login.total_gzip)} more).")


def notes_sections(result: NotesResult, first_load: tuple[FirstLoad, FirstLoad] | None
                   ) -> list[str]:
    """The printed report: (e), if measured, then (d)."""
    sections = []
    if first_load:
        sections.append(f"(e) First-load JS + CSS of the stepper page, signed in, vs `/login` "
                        f"(fresh headless Chromium, each response gzip level {GZIP_LEVEL})\n\n"
                        + stepper_table(*first_load))
    sections.append(
        f"(d) Interview notes autosave: {result.students} signed-in students in interview "
        f"mode, each sending `InterviewState.save_notes` every {result.interval_s:g} s with "
        f"growing notes for {result.duration_s:g} s; round trip = emit to the interview "
        f"state's reply delta\n\n" + notes_table(result))
    return sections


def run_notes(server: AppServer, db_url: str, students: list[NotesStudent],
              duration_s: float, interval_s: float) -> NotesResult:
    """(d) against a running InfoView server on ``db_url``, stored notes counted."""
    print(f"(d) {len(students)} students saving notes for {duration_s:g} s ...", flush=True)
    result = asyncio.run(run_notes_load(notes_target(server.url, students), students,
                                        duration_s, interval_s, server))
    count_stored(db_url, students, result)
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--notes-students", type=int, default=100,
                        help="students saving interview notes at once (d)")
    parser.add_argument("--notes-duration", type=float, default=60.0,
                        help="seconds each student keeps saving (d)")
    parser.add_argument("--notes-interval", type=float, default=1.0,
                        help="seconds between one student's updates (d)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Interview notes autosave under load (d) and the stepper's first load "
                    "(e), against InfoView alone (see docs/benchmarks.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--skip-first-load", action="store_true",
                        help="skip the browser measurement (e)")
    args = parser.parse_args()
    print(f"Machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="infoview-notes-bench-") as tmp_name:
        tmp = Path(tmp_name)
        db_url = f"sqlite:///{tmp / 'infoview.db'}"
        from infoview_app import db

        db.upgrade_to_head(db_url)
        students = seed_students(db_url, args.notes_students)
        server = AppServer("InfoView", ROOT, env={"REFLEX_DB_URL": db_url},
                           log_path=tmp / "infoview.log")
        print("Building and starting InfoView (reflex run --env prod) ...", flush=True)
        with server:
            print(f"  serving on {server.url} after {server.startup_s:.0f} s", flush=True)
            loads = None
            if not args.skip_first_load:
                print("(e) stepper first load in headless Chromium ...", flush=True)
                loads = stepper_first_load(server.url, students[0])
            result = run_notes(server, db_url, students, args.notes_duration,
                               args.notes_interval)
    print("\n" + "\n\n".join(notes_sections(result, loads)))


if __name__ == "__main__":
    main()

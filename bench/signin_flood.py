"""A signed-in student's round trip during an anonymous sign-in flood (issue 10).

One InfoView production server (``reflex run --env prod``, one worker, a fresh SQLite
database). A signed-in student's socket client (bench/socket_load.py's client, hydrated with
the session token on the home page) sends ``StudentHomeState.load`` one after another, and a
round trip is the time from the emit to the reply delta of that state. Three phases in the
same run:

1. idle: the student alone, ``--baseline`` round trips;
2. valid flood: ``--flooders`` anonymous sockets on /login, each sending ``--attempts``
   sign-ins with the right password of one account, one after another (every attempt costs
   an Argon2 check: wrong passwords would soon be throttled), while the student keeps
   making round trips until the flood ends;
3. spray flood: the same with wrong passwords for unknown emails; the throttle refuses all
   but the first ADDRESS_FAILURES[0] of them (all sockets share 127.0.0.1), cheaply.

Standalone, from the repository root:

    export PATH=$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1
    python bench/signin_flood.py
"""

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from appserver import ROOT, AppServer
from report import machine, table
from socket_load import Client, ServerProbe, Target, connect_all, disconnect_all, percentile_ms

FLOOD_PASSWORD = "flood-benchmark-password"


def seed(db_url: str) -> tuple[str, str]:
    """A migrated database with the demo student (and an open session for her) and the
    account the valid flood signs in to; returns (session token, that account's email)."""
    import secrets

    from sqlmodel import Session

    from infoview_app import db
    from infoview_app.models import Role
    from infoview_app.services.accounts import user_accounts
    from infoview_app.services.demo import sample_student

    db.upgrade_to_head(db_url)
    with Session(db.engine_for(db_url), expire_on_commit=False) as session:
        student, _staff = sample_student.create_demo_data(session, secrets.token_urlsafe(16))
        assert student.id is not None
        token = user_accounts.start_session(session, student.id, timedelta(days=1))
        flooded = user_accounts.create_user(session, role=Role.STUDENT, name="Flooded Account",
                                            email="flooded@bench.example", password=FLOOD_PASSWORD)
    return token, flooded.email


def targets(url: str, token: str) -> tuple[Target, Target]:
    """The signed-in student on the home page, and the anonymous sign-in form."""
    from reflex_base.constants.state import FIELD_MARKER

    from infoview_app.models import Role
    from infoview_app.state.auth import LoginState
    from infoview_app.state.base import SessionState
    from infoview_app.state.home import StudentHomeState

    session_state = SessionState.get_full_name()
    student = Target("student", url, f"{StudentHomeState.get_full_name()}.load",
                     storage=[{f"{session_state}.auth_token{FIELD_MARKER}": token}],
                     expect=(session_state, f"user_role{FIELD_MARKER}", Role.STUDENT.value))
    login = Target("flood", url, f"{LoginState.get_full_name()}.submit", page="/login")
    return student, login


def sign_in_form(email: str, password: str) -> dict[str, object]:
    """The sign-in form's submission, as the frontend sends it."""
    return {"form_data": {"__reflex_form_data__": [["email", email], ["password", password]]}}


@dataclass
class Phase:
    label: str
    latencies_s: list[float]
    wall_s: float
    server_cpu_s: float
    signed_in: int = 0
    wrong: int = 0
    refused: int = 0

    def cells(self) -> list[str]:
        flood = (f"{self.signed_in + self.wrong + self.refused} in {self.wall_s:.1f} s: "
                 f"{self.signed_in} signed in, {self.wrong} wrong, {self.refused} refused"
                 if self.label != "idle" else "none")
        return [self.label, flood, str(len(self.latencies_s)),
                *(f"{percentile_ms(self.latencies_s, p):.1f}" for p in (50, 95, 100)),
                f"{100 * self.server_cpu_s / self.wall_s:.0f}%"]


async def flood_phase(label: str, student: Client, login: Target, flooders: int,
                      attempts: int, forms: list[dict[str, object]],
                      server: ServerProbe) -> Phase:
    """The student's round trips while ``flooders`` sockets send ``attempts`` sign-ins each
    (client i sends forms[i % len(forms)] ...), until the flood has had every reply."""
    from reflex_base.constants.state import FIELD_MARKER

    errors_var = f"errors{FIELD_MARKER}"
    pool = [Client(login, index) for index in range(flooders)]
    await connect_all(pool)
    phase = Phase(label, [], 0.0, 0.0)

    async def flood(client: Client) -> None:
        for n in range(attempts):
            _, delta = await client.send(login.event, forms[(client.index + n) % len(forms)])
            errors = delta.get(login.event.rpartition(".")[0], {}).get(errors_var) or {}
            if "form" in errors:
                phase.refused += 1
            elif errors:
                phase.wrong += 1
            else:
                phase.signed_in += 1

    try:
        cpu, started = server.cpu_seconds(), time.perf_counter()
        flooding = asyncio.gather(*(flood(client) for client in pool))
        while not flooding.done():
            phase.latencies_s.append(await student.round_trip())
        await flooding
        phase.wall_s = time.perf_counter() - started
        phase.server_cpu_s = server.cpu_seconds() - cpu
    finally:
        await disconnect_all(pool)
    return phase


async def run(url: str, token: str, email: str, args: argparse.Namespace,
              server: ServerProbe) -> list[Phase]:
    student_target, login = targets(url, token)
    student = Client(student_target, 0)
    await student.connect()
    try:
        for _ in range(5):
            await student.round_trip()
        cpu, started = server.cpu_seconds(), time.perf_counter()
        idle = [await student.round_trip() for _ in range(args.baseline)]
        phases = [Phase("idle", idle, time.perf_counter() - started, server.cpu_seconds() - cpu)]
        phases.append(await flood_phase("valid flood", student, login, args.flooders,
                                        args.attempts, [sign_in_form(email, FLOOD_PASSWORD)],
                                        server))
        sprayed = [sign_in_form(f"nobody{n}@bench.example", "a-wrong-password")
                   for n in range(args.flooders * args.attempts)]
        phases.append(await flood_phase("spray flood", student, login, args.flooders,
                                        args.attempts, sprayed, server))
    finally:
        await student.sio.disconnect()
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--baseline", type=int, default=300,
                        help="the student's round trips with the server otherwise idle")
    parser.add_argument("--flooders", type=int, default=4, help="anonymous flood sockets")
    parser.add_argument("--attempts", type=int, default=40, help="sign-ins per flood socket")
    args = parser.parse_args()
    print(f"Machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="infoview-flood-bench-") as tmp_name:
        tmp = Path(tmp_name)
        db_url = f"sqlite:///{tmp / 'infoview.db'}"
        token, email = seed(db_url)
        server = AppServer("InfoView", ROOT, env={"REFLEX_DB_URL": db_url},
                           log_path=tmp / "infoview.log")
        print("Building and starting InfoView (reflex run --env prod) ...", flush=True)
        with server:
            print(f"  serving on {server.url} after {server.startup_s:.0f} s", flush=True)
            phases = asyncio.run(run(server.url, token, email, args, server))
    print(f"\nMachine at the end: {machine()}\n")
    print(table(["phase", "flood (attempts, time, outcome)", "student round trips",
                 "p50 (ms)", "p95 (ms)", "max (ms)", "server CPU"],
                [phase.cells() for phase in phases]))


if __name__ == "__main__":
    main()

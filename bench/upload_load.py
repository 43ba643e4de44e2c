"""Hostile uploads (issue 10): parse times, and another student's round trip meanwhile.

1. Parse time of a vCard 2.1 note wrapped with a quoted-printable soft line break on every
   line, for N and 8N lines (linear: 8x; the old joiner was quadratic: 64x), in this process
   (best of 3), and of three 5 MB files: one such card, 5 MB of such cards with their
   addresses wrapped (the costliest shape for vobject found) and a legitimate file of 10,000
   cards, each also through services/core/isolation.py (a child process, as the app runs it).
2. InfoView served by ``reflex run --env prod`` (Granian) on a fresh SQLite database: one
   student's tab uploads the hostile 5 MB file to the contact import over and over while
   another student's socket client sends ``StudentHomeState.load`` back to back; the other
   student's round trips p50 / p95 / max are compared with an idle phase of the same length
   in the same run.
3. A 1 GB upload streamed (chunked, 64 KiB at a time from one buffer) at the same server:
   the answer, the bytes it read first, and the server's resident memory before and after.

From the repository root:

    export PATH=$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1
    python bench/upload_load.py            # --lines 20000  --seconds 20

Nothing here asserts on time.
"""

import argparse
import asyncio
import json
import math
import os
import select
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from appserver import ROOT, AppServer
from notes_load import seed_students
from report import machine, table
from socket_load import Client, Target, connect_all, disconnect_all, percentile_ms

from infoview_app.services.core import isolation
from infoview_app.services.develop import contact_import

GIGABYTE = 1024 ** 3
UPLOAD_ARGS_FIELD = "__reflex_event_args"


def soft_line_breaks(lines: int) -> bytes:
    """One card whose quoted-printable note wraps with a soft line break on every line."""
    return ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Hostile\r\nNOTE;ENCODING=QUOTED-PRINTABLE:"
            + "=41=42=\r\n" * lines + "=41\r\nEND:VCARD\r\n").encode()


def wrapped_addresses(size: int = contact_import.MAX_FILE_BYTES) -> bytes:
    """Cards whose quoted-printable addresses wrap on every line, ``size`` bytes at most."""
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Hostile\r\nADR;ENCODING=QUOTED-PRINTABLE:"
            + "=41=42=\r\n" * 400 + "=41\r\nEND:VCARD\r\n").encode()
    return card * (size // len(card))


def legitimate(cards: int = 10_000) -> bytes:
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;Ann;;;\r\nFN:Ann Smith {n}\r\n"
            "ORG:Globex;Research\r\nTITLE:Senior Researcher\r\n"
            "EMAIL;TYPE=WORK:ann{n}@globex.example\r\nTEL;TYPE=CELL:+1 555 0100\r\n"
            "ADR;TYPE=WORK:;;2 Elm Street;Metropolis;NY;10001;USA\r\nNOTE:{note}\r\n"
            "END:VCARD\r\n")
    return "".join(card.format(n=n, note="x" * 200) for n in range(cards)).encode()


def fastest(work: Callable[[], object], runs: int = 3) -> float:
    best = math.inf
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def parse_times(lines: int) -> str:
    small = fastest(lambda: contact_import.parse_vcards(soft_line_breaks(lines)))
    large = fastest(lambda: contact_import.parse_vcards(soft_line_breaks(8 * lines)))
    rows = [[f"{lines:,}", f"{len(soft_line_breaks(lines)):,}", f"{small * 1000:.1f}", ""],
            [f"{8 * lines:,}", f"{len(soft_line_breaks(8 * lines)):,}", f"{large * 1000:.1f}",
             f"{large / small:.1f}x"]]
    ratio = table(["soft line breaks", "bytes", "parse (ms, best of 3)", "8N / N"], rows)
    files = [("one card, 5 MB of soft line breaks",
              soft_line_breaks((contact_import.MAX_FILE_BYTES - 100) // 9)),
             ("5 MB of cards with wrapped addresses", wrapped_addresses()),
             ("10,000 ordinary cards", legitimate())]
    rows = []
    for label, data in files:
        here = fastest(lambda data=data: contact_import.parse_vcards(data), runs=1)
        child = fastest(lambda data=data: isolation.run_blocking(
            contact_import.parse_vcards, data, budget=contact_import.PARSE_BUDGET), runs=1)
        rows.append([label, f"{len(data):,}", f"{here:.2f}", f"{child:.2f}"])
    return ratio + "\n\n" + table(["file", "bytes", "parse here (s)",
                                   "in the isolation child (s)"], rows)


def upload(url: str, client_token: str, session_token: str, data: bytes) -> tuple[float, str]:
    """POST a vCard to the contact import's preview as the page does; seconds and outcome."""
    from infoview_app.state.develop import DevelopState

    started = time.perf_counter()
    response = httpx.post(
        f"{url}/_upload", data={UPLOAD_ARGS_FIELD: json.dumps({"session_token": session_token})},
        files={"files": ("hostile.vcf", data, "text/vcard")},
        headers={"reflex-client-token": client_token,
                 "reflex-event-handler": f"{DevelopState.get_full_name()}.preview_file"},
        timeout=300)
    elapsed = time.perf_counter() - started
    text = response.text
    outcome = ("previewed" if "import_rows" in text else
               "refused: " + text[text.find("This file"):][:60] if "This file" in text else
               f"HTTP {response.status_code}")
    return elapsed, outcome


async def round_trips_for(client: Client, seconds: float, busy: asyncio.Task | None
                          ) -> list[float]:
    """Back-to-back round trips for ``seconds``, or while ``busy`` runs."""
    latencies, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline if busy is None else not busy.done():
        latencies.append(await client.round_trip())
    return latencies


def stream_gigabyte(url: str, client_token: str) -> tuple[str, int, float]:
    """A 1 GB chunked upload until the server answers: its status line, the file bytes sent
    by then and the seconds it took."""
    from infoview_app.state.develop import DevelopState

    address = urlsplit(url)
    boundary = "bench-boundary"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            "filename=\"huge.vcf\"\r\nContent-Type: text/vcard\r\n\r\n").encode()
    head = (f"POST /_upload HTTP/1.1\r\nHost: {address.netloc}\r\n"
            f"reflex-client-token: {client_token}\r\n"
            f"reflex-event-handler: {DevelopState.get_full_name()}.preview_file\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    chunk = b"A" * 65536
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    sent, answer = 0, b""
    started = time.perf_counter()
    with socket.create_connection((address.hostname, address.port), timeout=60) as sock:
        try:
            sock.sendall(head + b"%x\r\n%s\r\n" % (len(part), part))
            while sent < GIGABYTE and not select.select([sock], [], [], 0)[0]:
                sock.sendall(frame)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
    return answer.split(b"\r\n", 1)[0].decode(), sent, time.perf_counter() - started


def latency_row(label: str, latencies: list[float], note: str) -> list[str]:
    return [label, str(len(latencies)), f"{percentile_ms(latencies, 50):.1f}",
            f"{percentile_ms(latencies, 95):.1f}", f"{max(latencies) * 1000:.1f}", note]


async def live(seconds: float) -> str:
    from reflex_base.constants.state import FIELD_MARKER

    from infoview_app.state.base import SessionState
    from infoview_app.state.home import StudentHomeState

    with tempfile.TemporaryDirectory(prefix="infoview-upload-bench-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'infoview.db'}"
        from infoview_app import db

        db.upgrade_to_head(db_url)
        uploader, other = seed_students(db_url, 2)
        token_key = f"{SessionState.get_full_name()}.auth_token{FIELD_MARKER}"
        server = AppServer("InfoView", ROOT, env={"REFLEX_DB_URL": db_url},
                           log_path=Path(tmp) / "server.log")
        with server:
            uploads_tab = Client(Target("uploader", server.url, "", page=uploader.page(2),
                                        storage=[{token_key: uploader.token}]), 0)
            others_tab = Client(Target("other", server.url,
                                       f"{StudentHomeState.get_full_name()}.load",
                                       storage=[{token_key: other.token}]), 0)
            await connect_all([uploads_tab, others_tab])
            try:
                for _ in range(5):  # warm up
                    await others_tab.round_trip()
                idle = await round_trips_for(others_tab, seconds, None)
                hostile = wrapped_addresses()
                busy: list[float] = []
                uploads: list[tuple[float, str]] = []

                async def keep_uploading() -> None:
                    deadline = time.perf_counter() + seconds
                    while time.perf_counter() < deadline:
                        uploads.append(await asyncio.to_thread(
                            upload, server.url, uploads_tab.target.token(0), uploader.token,
                            hostile))

                uploading = asyncio.create_task(keep_uploading())
                busy = await round_trips_for(others_tab, 0, uploading)
                await uploading
                rss_before = server.rss_mib()
                status, sent, took = await asyncio.to_thread(
                    stream_gigabyte, server.url, uploads_tab.target.token(0))
                rss_after = server.rss_mib()
            finally:
                await disconnect_all([uploads_tab, others_tab])
    outcome = ", ".join(sorted({result for _, result in uploads}))
    rows = [latency_row("idle", idle, ""),
            latency_row("5 MB hostile vCard uploads running", busy,
                        f"{len(uploads)} uploads of {len(hostile):,} bytes, each "
                        f"{min(t for t, _ in uploads):.1f}-{max(t for t, _ in uploads):.1f} s "
                        f"({outcome})")]
    return (table(["other student's phase", "round trips", "p50 (ms)", "p95 (ms)", "max (ms)",
                   "meanwhile"], rows)
            + "\n\n" + table(["1 GB upload (chunked)", "answer", "file bytes sent before it",
                              "seconds", "server RSS before / after (MiB)"],
                             [["", status, f"{sent:,}", f"{took:.2f}",
                               f"{rss_before:.0f} / {rss_after:.0f}"]]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=20_000,
                        help="N: soft line breaks of the smaller parse")
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="length of the idle phase and of the upload phase")
    args = parser.parse_args()
    print(machine())
    print(f"loadavg at start: {Path('/proc/loadavg').read_text().strip()}\n")
    print(parse_times(args.lines) + "\n", flush=True)
    print(asyncio.run(live(args.seconds)))
    print(f"\nloadavg at end: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    os.environ.setdefault("REFLEX_USE_NPM", "1")
    main()

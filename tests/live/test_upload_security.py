"""The contact import's upload (POST /_upload) attacked with raw HTTP against the live backend.

An upload names its tab by the client token, which is no secret (it is in the socket URL). It
must also prove who is uploading with the tab's own session token, or it learns nothing. No
file stalls the server: while a hostile 5 MB vCard is parsed, another student's events are
answered; a 1 GB upload is refused while it streams, without the server's memory growing by
more than MEMORY_BOUND.

The app runs in this pytest process (AppHarnessProd serves the backend from a thread), so the
parse's child process is visible to multiprocessing here and /proc/self is the server's.
"""

import json
import multiprocessing
import re
import select
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from infoview_app import db, routes
from infoview_app.services.develop import contacts
from infoview_app.services.journey import explorations
from infoview_app.state.base import SessionState
from infoview_app.state.develop import DevelopState
from tests.live.socket_client import ReflexSocket, Replies, event_name
from tests.live.test_socket_security import AUTH_TOKEN, GENERIC_ERROR, _session_token

PREVIEW = event_name(DevelopState, "preview_file")
LOAD_STEP = event_name(DevelopState, "load_step")
CONFIRM = event_name(DevelopState, "confirm_import")
ARGS_FIELD = "__reflex_event_args"
KNOWN = "dana.private@clinic.example"
LOOKALIKE = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Lookalike\r\n"
             f"EMAIL:{KNOWN}\r\nEND:VCARD\r\n").encode()
IMPORT_VARS = ("import_name", "import_rows", "import_skipped", "import_new")
GIGABYTE = 1024 ** 3
MEMORY_BOUND = 64 * 1024 ** 2  # the server's peak memory may grow by at most this much


def hostile_vcard(size: int = 5 * 1024 ** 2) -> bytes:
    """About ``size`` bytes of vCard 2.1 cards whose quoted-printable addresses wrap with a
    soft line break on every line (the shape of file that froze the server for minutes)."""
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Hostile\r\nADR;ENCODING=QUOTED-PRINTABLE:"
            + "=41=42=\r\n" * 400 + "=41\r\nEND:VCARD\r\n").encode()
    return card * (size // len(card))


@dataclass
class Tab:
    """A student's browser tab on step 2 of their exploration."""

    client: ReflexSocket
    user_id: int
    session_token: str
    page_query: dict[str, str]

    def call(self, name: str, **payload: Any) -> Replies:
        return self.client.call(name, path=routes.EXPLORATION, page_query=self.page_query,
                                **payload)


@pytest.fixture
def open_tab(backend_url: str, make_user: Callable[..., dict[str, Any]]
             ) -> Iterator[Callable[[str], Tab]]:
    clients: list[ReflexSocket] = []

    def open_as(name: str) -> Tab:
        user = make_user(name=name)
        token = _session_token(user["id"])
        with db.session() as session:
            exploration_id = explorations.start_exploration(session, user["id"], "Nursing")
        client = ReflexSocket(backend_url, path=routes.HOME, timeout=60)
        clients.append(client)
        assert client.connect({AUTH_TOKEN: token}).var(SessionState, "user_name") == name
        tab = Tab(client, user["id"], token, {"id": str(exploration_id), "step": "2"})
        _assert_answered(tab.call(LOAD_STEP))
        return tab

    yield open_as
    for client in clients:
        client.close()


def _assert_answered(replies: Replies) -> None:
    """The student's event was processed as theirs: no refusal, no server error."""
    assert not replies.redirects() and GENERIC_ERROR not in replies.text(), replies.text()


def _upload(backend_url: str, client_token: str, data: bytes,
            session_token: str | None) -> httpx.Response:
    """POST a file to the preview handler as the page's upload does, naming the tab by
    ``client_token``, with ``session_token`` bound as the handler's argument (if not None)."""
    fields = ({ARGS_FIELD: json.dumps({"session_token": session_token})}
              if session_token is not None else {})
    return httpx.post(f"{backend_url}/_upload", data=fields,
                      files={"files": ("contacts.vcf", data, "text/vcard")},
                      headers={"reflex-client-token": client_token,
                               "reflex-event-handler": PREVIEW}, timeout=120)


def _updates(response: httpx.Response) -> Replies:
    """The state updates an upload's ndjson answer carries."""
    return Replies(json.loads(line) for line in response.text.splitlines() if line.strip())


# --- (c) an upload must prove who is uploading --------------------------------------------

def test_an_upload_with_another_tabs_client_token_learns_nothing(open_tab, backend_url: str
                                                                 ) -> None:
    victim = open_tab("Vera Victim")
    with db.session() as session:
        contacts.add_contact(session, victim.user_id, int(victim.page_query["id"]),
                             {"name": "Dana Private", "email": KNOWN})
    attacker = open_tab("Mallory Attacker")

    # The victim's client token without the victim's session token: none at all, the
    # attacker's own (a live session of another student), an empty one.
    for session_token in (None, attacker.session_token, ""):
        response = _upload(backend_url, victim.client.token, LOOKALIKE, session_token)
        assert response.status_code == 200
        for secret in ("Dana", KNOWN, "already have", "Vera"):
            assert secret not in response.text, f"{secret!r} was sent to the uploader"
        updates = _updates(response)
        assert not [name for name in IMPORT_VARS if updates.sent(DevelopState, name)]

    # The victim's tab holds no preview (confirming finds nothing) and is still signed in.
    replies = victim.call(CONFIRM)
    assert replies.var(DevelopState, "errors") == {"file": "There is nothing new to import."}
    _assert_answered(replies)

    # Positive control: the same upload with the tab's own session token is previewed.
    updates = _updates(_upload(backend_url, victim.client.token, LOOKALIKE,
                               victim.session_token))
    [row] = updates.var(DevelopState, "import_rows")
    assert row["name"] == "Dana Lookalike" and "already have" in row["duplicate"]


# --- (d) no upload stalls the server ------------------------------------------------------

def _parse_children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "infoview-isolated"]


def test_another_students_events_are_answered_while_a_hostile_vcard_is_parsed(
        open_tab, backend_url: str) -> None:
    uploader, other = open_tab("Hugo Hostile"), open_tab("Olga Other")
    answer: dict[str, httpx.Response] = {}
    upload = threading.Thread(target=lambda: answer.update(response=_upload(
        backend_url, uploader.client.token, hostile_vcard(), uploader.session_token)))
    upload.start()
    try:
        while not (children := _parse_children()):
            assert upload.is_alive(), "the upload ended without a parse in a child process"
        parse = children[0]
        answered_during_parse = 0
        while parse.is_alive():
            _assert_answered(other.call(LOAD_STEP))
            if parse.is_alive():  # answered before the parse ended
                answered_during_parse += 1
                assert upload.is_alive()
    finally:
        upload.join(timeout=120)
    assert answered_during_parse >= 1
    updates = _updates(answer["response"])  # the hostile file was read in the end
    assert updates.var(DevelopState, "import_name") == "vCard: contacts.vcf"
    assert updates.var(DevelopState, "import_rows")[0]["name"] == "Hostile"


def _memory(field: str) -> int:
    """A figure of this (the server's) process from /proc/self/status, in bytes."""
    status = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None
    return int(match.group(1)) * 1024


def _stream_upload(backend_url: str, client_token: str, *, declare_length: bool
                   ) -> tuple[bytes, int]:
    """POST a 1 GB file over a raw socket, 64 KiB at a time from one buffer (the body is never
    built), until the server answers. Returns the answer and the file bytes sent by then.
    ``declare_length``: with a Content-Length header, else chunked."""
    address = urlsplit(backend_url)
    boundary = "infoview-upload-boundary"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            "filename=\"huge.vcf\"\r\nContent-Type: text/vcard\r\n\r\n").encode()
    framing = ("Content-Length: " + str(len(part) + GIGABYTE)) if declare_length else (
        "Transfer-Encoding: chunked")
    head = (f"POST /_upload HTTP/1.1\r\nHost: {address.netloc}\r\n"
            f"reflex-client-token: {client_token}\r\nreflex-event-handler: {PREVIEW}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n{framing}\r\n\r\n")
    chunk = b"A" * 65536
    answer, sent = b"", 0
    with socket.create_connection((address.hostname, address.port), timeout=60) as sock:
        sock.sendall(head.encode())
        pieces = [part] if declare_length else [b"%x\r\n%s\r\n" % (len(part), part)]
        frame = chunk if declare_length else b"%x\r\n%s\r\n" % (len(chunk), chunk)
        try:
            sock.sendall(pieces[0])
            while sent < GIGABYTE and not select.select([sock], [], [], 0)[0]:
                sock.sendall(frame)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection after answering
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
    return answer, sent


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_a_1_gb_upload_is_refused_while_it_streams(open_tab, backend_url: str,
                                                   declare_length: bool) -> None:
    uploader = open_tab("Gus Gigabyte")
    before = _memory("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
    answer, sent = _stream_upload(backend_url, uploader.client.token,
                                  declare_length=declare_length)
    peak_growth = _memory("VmHWM") - before
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert b"larger than 5 MB" in answer
    assert sent < GIGABYTE // 16, f"the server read {sent} bytes before refusing"
    assert peak_growth < MEMORY_BOUND, f"the server's memory grew by {peak_growth} bytes"
    # The tab is untouched and still works: its own small upload is previewed.
    updates = _updates(_upload(backend_url, uploader.client.token, LOOKALIKE,
                               uploader.session_token))
    assert updates.var(DevelopState, "import_new") == 1

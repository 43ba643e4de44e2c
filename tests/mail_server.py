"""A real SMTP server for the tests (aiosmtpd, in a thread of the test process): whatever the
app sends lands in its inbox, where the tests read it back."""

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from typing import Any

from aiosmtpd.controller import Controller

SENDER = "careers@northfield.example.edu"


class Inbox:
    """The aiosmtpd handler: keeps every message; ``busy`` refuses that many deliveries with
    a temporary error first (a server that is busy or restarting)."""

    def __init__(self) -> None:
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self.busy = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.busy:
                self.busy -= 1
                return "451 4.3.0 Busy, try again later"
            message = message_from_bytes(envelope.original_content or envelope.content,
                                         policy=policy.default)
            assert isinstance(message, EmailMessage)
            self._messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self._messages if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20) -> list[EmailMessage]:
        """The messages to ``address`` once there are ``count`` of them (mail is sent from a
        background thread); AssertionError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = self.to(address)
            if len(received) >= count:
                return received
            time.sleep(0.05)
        raise AssertionError(f"{count} message(s) to {address} expected, "
                             f"{len(self.to(address))} arrived")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_mail_server() -> Iterator[Inbox]:
    """Start the server on a free loopback port and point the app's mail settings at it
    (the app reads them when it sends)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = {"INFOVIEW_SMTP_HOST": "127.0.0.1", "INFOVIEW_SMTP_PORT": str(port),
                "INFOVIEW_SMTP_SECURITY": "none", "INFOVIEW_MAIL_FROM": SENDER}
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield inbox
    finally:
        controller.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def as_received(message: Message) -> EmailMessage:
    """A message as a mail client reads it: a composed one (mail.compose builds compat32
    messages) goes through its bytes, as it would over SMTP."""
    if isinstance(message, EmailMessage):
        return message
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def text_part(message: Message) -> str:
    body = as_received(message).get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content().replace("\r\n", "\n")


def html_part(message: Message) -> str:
    body = as_received(message).get_body(preferencelist=("html",))
    assert body is not None
    return body.get_content()

"""Outgoing email over SMTP (the standard library's smtplib and email), for every feature
that writes to people: password resets and address checks now, reminders later.

A letter is composed with a plain-text and an HTML part, signed with the institution's name
and the career office's contact block. Sending never runs on the event loop: ``post``
hands the message to a small pool of mail threads, which try it up to three times (a
server that is busy or restarting usually answers a moment later) and write one clear log
line if it still fails. With no server configured (INFOVIEW_SMTP_HOST unset), nothing is
sent and the log says so.
"""

import html
import logging
import smtplib
import ssl
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from infoview_app.config import SmtpSettings

log = logging.getLogger("infoview.mail")

ATTEMPTS = 3
PAUSES = (2.0, 10.0)  # seconds before the second and the third attempt
TIMEOUT_SECONDS = 20

_outbox = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")


@dataclass(frozen=True)
class Letterhead:
    """Who writes: the institution and the career office's contact block (empty lines are
    left out)."""
    institution: str
    office_name: str
    office_lines: Sequence[str]


@dataclass(frozen=True)
class Letter:
    """What to say: paragraphs of plain text, and at most one link (a label and its URL)."""
    to: str
    subject: str
    paragraphs: Sequence[str]
    link_label: str = ""
    link_url: str = ""


def compose(letter: Letter, letterhead: Letterhead, sender: str) -> EmailMessage:
    """The message, as text and as HTML (user text escaped), signed by the office."""
    office = [line for line in (letterhead.office_name, *letterhead.office_lines) if line]
    text = [*letter.paragraphs]
    if letter.link_url:
        text.append(f"{letter.link_label}:\n{letter.link_url}")
    text.append("\n".join(["-- ", letterhead.institution, *office]))
    body = [f"<p>{html.escape(paragraph)}</p>" for paragraph in letter.paragraphs]
    if letter.link_url:
        body.append(f'<p><a href="{html.escape(letter.link_url, quote=True)}">'
                    f"{html.escape(letter.link_label)}</a></p>")
    signature = "<br>".join(html.escape(line) for line in (letterhead.institution, *office))
    body.append(f'<hr><p style="color:#555;font-size:90%">{signature}</p>')

    message = EmailMessage()
    message["Subject"] = letter.subject
    message["From"] = formataddr((f"{letterhead.office_name}, {letterhead.institution}",
                                  sender))
    message["To"] = letter.to
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content("\n\n".join(text) + "\n")
    message.add_alternative(
        f'<!doctype html><html lang="en"><body>{"".join(body)}</body></html>', subtype="html")
    return message


def _send_once(settings: SmtpSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if settings.security == "tls":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS,
                                context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(message)


def deliver(settings: SmtpSettings | None, message: EmailMessage,
            pauses: Sequence[float] = PAUSES) -> bool:
    """Send ``message`` now, in this thread, trying again after each of ``pauses``; whether
    it was sent. A failure is logged, never raised: the caller's work is already saved."""
    what = f"{message['Subject']!r} to {message['To']}"
    if settings is None:
        log.warning("mail: not sent, no SMTP server is configured (INFOVIEW_SMTP_HOST): %s",
                    what)
        return False
    attempts = len(pauses) + 1
    for attempt in range(1, attempts + 1):
        try:
            _send_once(settings, message)
        except (OSError, smtplib.SMTPException) as error:
            if attempt == attempts:
                log.error("mail: could not send %s through %s:%d after %d attempts: %s",
                          what, settings.host, settings.port, attempts, error)
                return False
            time.sleep(pauses[attempt - 1])
        else:
            log.info("mail: sent %s", what)
            return True
    return False


def post(settings: SmtpSettings | None, message: EmailMessage) -> "Future[bool]":
    """Send ``message`` in a mail thread (``deliver``), so the caller does not wait."""
    return _outbox.submit(deliver, settings, message)

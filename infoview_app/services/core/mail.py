"""Outgoing email over SMTP (the standard library's smtplib and email), for every feature
that writes to people: password resets, address checks and the reminder digests.

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
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import encoders
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
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
class Attachment:
    """A file sent with a letter (a calendar invitation, say)."""
    filename: str
    content: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class Letter:
    """What to say: paragraphs of plain text, an optional bulleted list of ``items`` after
    them, at most one link (a label and its URL), links in small print under the signature
    (``footer_links``: an unsubscribe link, say), attachments and extra headers. An empty
    ``message_id`` gets a fresh one; a fixed one lets the receiving side recognise a message
    sent again."""
    to: str
    subject: str
    paragraphs: Sequence[str]
    link_label: str = ""
    link_url: str = ""
    items: Sequence[str] = ()
    footer_links: Sequence[tuple[str, str]] = ()
    attachments: Sequence[Attachment] = ()
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    message_id: str = ""


def _link_html(label: str, url: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>'


def compose(letter: Letter, letterhead: Letterhead, sender: str) -> Message:
    """The message, as text and as HTML (user text escaped), signed by the office. Built with
    the ``email.mime`` classes (the compat32 policy): header values are kept as written
    instead of being parsed and refolded, which made composing about six times slower
    (docs/benchmarks.md (l))."""
    office = [line for line in (letterhead.office_name, *letterhead.office_lines) if line]
    text = [*letter.paragraphs]
    if letter.items:
        text.append("\n".join(f"- {item}" for item in letter.items))
    if letter.link_url:
        text.append(f"{letter.link_label}:\n{letter.link_url}")
    text.append("\n".join(["-- ", letterhead.institution, *office]))
    text.extend(f"{label}:\n{url}" for label, url in letter.footer_links)
    body = [f"<p>{html.escape(paragraph)}</p>" for paragraph in letter.paragraphs]
    if letter.items:
        body.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in letter.items)
                    + "</ul>")
    if letter.link_url:
        body.append(f"<p>{_link_html(letter.link_label, letter.link_url)}</p>")
    signature = "<br>".join(html.escape(line) for line in (letterhead.institution, *office))
    body.append(f'<hr><p style="color:#555;font-size:90%">{signature}</p>')
    body.extend(f'<p style="color:#555;font-size:90%">{_link_html(label, url)}</p>'
                for label, url in letter.footer_links)

    alternative = MIMEMultipart("alternative", policy=_POLICY)
    alternative.attach(_text_part("\n\n".join(text) + "\n", "plain"))
    alternative.attach(_text_part(
        f'<!doctype html><html lang="en"><body>{"".join(body)}</body></html>', "html"))
    message: Message = alternative
    if letter.attachments:
        message = MIMEMultipart("mixed", policy=_POLICY)
        message.attach(alternative)
        for attachment in letter.attachments:
            part = MIMEBase(attachment.maintype, attachment.subtype)
            part.set_payload(attachment.content)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
            message.attach(part)
    message["Subject"] = _header(letter.subject)
    message["From"] = formataddr((f"{letterhead.office_name}, {letterhead.institution}",
                                  sender), charset="utf-8")
    message["To"] = _header(letter.to)
    message["Message-ID"] = letter.message_id or make_msgid(
        domain=sender.rpartition("@")[2] or None)
    for name, value in letter.headers.items():
        message[name] = _header(value)
    return message


# Long header values (an unsubscribe URL) stay on one line, as RFC 5322 allows up to 998
# characters: compat32 would otherwise fold them right after the colon.
MAX_LINE = 998


class _Policy(Compat32):
    """compat32 that writes a short ASCII header as it is: the generator otherwise runs
    every header through ``email.header.Header.encode`` (a tenth of a digest's cost), from
    ``_fold``, the hook both of compat32's ``fold`` and ``fold_binary`` call."""

    def _fold(self, name: str, value: object, sanitize: bool) -> str:
        if (isinstance(value, str) and value.isascii() and "\n" not in value
                and "\r" not in value and len(name) + 2 + len(value) <= MAX_LINE):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)  # pyright: ignore[reportAttributeAccessIssue] the stub omits it


_POLICY = _Policy(max_line_length=MAX_LINE)


def _header(value: str) -> str:
    """A header's value as it is when ASCII, else encoded (RFC 2047)."""
    return value if value.isascii() else Header(value, "utf-8").encode()


def _text_part(content: str, subtype: str) -> MIMEText:
    """A text part: as it is when ASCII in short lines, else UTF-8 in quoted-printable
    (readable, and its lines fit SMTP's limit of 1,000 characters)."""
    if content.isascii() and all(len(line) <= MAX_LINE for line in content.splitlines()):
        return MIMEText(content, subtype, "us-ascii")
    charset = Charset("utf-8")
    charset.body_encoding = QP
    return MIMEText(content, subtype, charset)  # pyright: ignore[reportArgumentType] the stub says str; a Charset is documented


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.security == "tls":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS,
                                context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    try:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_once(settings: SmtpSettings, message: Message) -> None:
    with _connect(settings) as smtp:
        smtp.send_message(message)


class Mailbag:
    """One SMTP connection for many messages (a batch job such as the reminder digests):
    ``send`` delivers one message on it now, in this thread, reconnecting and trying again
    after each of ``pauses`` when the server fails, and says whether it was sent."""

    def __init__(self, settings: SmtpSettings, pauses: Sequence[float] = PAUSES) -> None:
        self.settings = settings
        self.pauses = pauses
        self._smtp: smtplib.SMTP | None = None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, message: Message) -> bool:
        attempts = len(self.pauses) + 1
        for attempt in range(1, attempts + 1):
            try:
                if self._smtp is None:
                    self._smtp = _connect(self.settings)
                self._smtp.send_message(message)
            except (OSError, smtplib.SMTPException) as error:
                self.close()
                if attempt == attempts:
                    log.error("mail: could not send %r to %s through %s:%d after %d "
                              "attempts: %s", message["Subject"], message["To"],
                              self.settings.host, self.settings.port, attempts, error)
                    return False
                time.sleep(self.pauses[attempt - 1])
            else:
                return True
        return False


@contextmanager
def mailbag(settings: SmtpSettings, pauses: Sequence[float] = PAUSES) -> Iterator[Mailbag]:
    """A ``Mailbag`` whose connection is closed at the end of the ``with`` block."""
    bag = Mailbag(settings, pauses)
    try:
        yield bag
    finally:
        bag.close()


def deliver(settings: SmtpSettings | None, message: Message,
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


def post(settings: SmtpSettings | None, message: Message) -> "Future[bool]":
    """Send ``message`` in a mail thread (``deliver``), so the caller does not wait."""
    return _outbox.submit(deliver, settings, message)

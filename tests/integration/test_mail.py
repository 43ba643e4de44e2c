"""Outgoing mail against a real SMTP server (tests/mail_server.py): what a letter looks like
when it arrives, and what happens when the server is busy or away."""

import logging

import pytest

from infoview_app.config import SmtpSettings, smtp_settings
from infoview_app.services.core import mail
from tests.mail_server import SENDER, Inbox, free_port, html_part, text_part

HEAD = mail.Letterhead(institution="Northfield University", office_name="Career Services",
                       office_lines=("+1 555 0100", "", "careers@northfield.example.edu"))


def _letter(to: str) -> mail.Letter:
    return mail.Letter(to=to, subject="Choose a new InfoView password",
                       paragraphs=("Hello <Ana> & co,", "The link works for an hour."),
                       link_label="Choose a new password",
                       link_url="https://infoview.example.edu/reset-password?token=a&b")


def test_a_letter_arrives_as_text_and_html_signed_by_the_office(mail_server: Inbox) -> None:
    settings = smtp_settings()
    assert settings is not None and settings.sender == SENDER
    to = "ana.text@uni.example.edu"
    assert mail.deliver(settings, mail.compose(_letter(to), HEAD, settings.sender)) is True
    [message] = mail_server.wait_for(to)
    assert message["Subject"] == "Choose a new InfoView password"
    assert message["From"] == f"\"Career Services, Northfield University\" <{SENDER}>"
    text = text_part(message)
    assert "Hello <Ana> & co," in text
    assert "Choose a new password:\nhttps://infoview.example.edu/reset-password?token=a&b" in text
    assert text.rstrip().endswith("Northfield University\nCareer Services\n+1 555 0100\n"
                                  "careers@northfield.example.edu")
    page = html_part(message)
    assert "<p>Hello &lt;Ana&gt; &amp; co,</p>" in page  # the user's words, escaped
    assert '<a href="https://infoview.example.edu/reset-password?token=a&amp;b">' in page
    assert "Career Services<br>+1 555 0100" in page


def test_words_beyond_ascii_and_an_attachment_arrive_intact(mail_server: Inbox) -> None:
    """The compat32 composing encodes what is not ASCII (RFC 2047 headers, quoted-printable
    bodies) and keeps long header values whole."""
    settings = smtp_settings()
    assert settings is not None
    to = "ana.utf8@uni.example.edu"
    head = mail.Letterhead(institution="Université de Montréal", office_name="Carrières",
                           office_lines=("Pavillon Roger-Gaudry",))
    long_url = "https://infoview.example.edu/mail/unsubscribe?t=" + "x" * 120
    letter = mail.Letter(to=to, subject="Rappel : entretien avec Zoë Ærø demain",
                         paragraphs=("Bonjour Anaïs Díaz,",), items=("Remercier Zoë ✉",),
                         attachments=[mail.Attachment("entretien.ics", b"BEGIN:VCALENDAR\r\n",
                                                      "text", "calendar")],
                         headers={"List-Unsubscribe": f"<{long_url}>"})
    assert mail.deliver(settings, mail.compose(letter, head, settings.sender)) is True
    [message] = mail_server.wait_for(to)
    assert message["Subject"] == "Rappel : entretien avec Zoë Ærø demain"
    assert message["From"].addresses[0].display_name == "Carrières, Université de Montréal"
    assert message["List-Unsubscribe"] == f"<{long_url}>"
    assert "Bonjour Anaïs Díaz,\n\n- Remercier Zoë ✉" in text_part(message)
    assert "<li>Remercier Zoë ✉</li>" in html_part(message)
    assert "Université de Montréal<br>Carrières" in html_part(message)
    [attached] = list(message.iter_attachments())
    assert attached.get_filename() == "entretien.ics"
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_payload(decode=True) == b"BEGIN:VCALENDAR\r\n"


def test_a_long_html_line_is_wrapped_for_smtp(mail_server: Inbox) -> None:
    """The HTML part is one line; past SMTP's 1,000 characters a server refuses it unless
    it is encoded in shorter lines."""
    settings = smtp_settings()
    assert settings is not None
    to = "ana.long@uni.example.edu"
    items = tuple(f"Follow-up number {n} with a contact" for n in range(60))
    letter = mail.Letter(to=to, subject="Many items", paragraphs=("Hello,",), items=items)
    assert mail.deliver(settings, mail.compose(letter, HEAD, settings.sender),
                        pauses=(0.01,)) is True
    [message] = mail_server.wait_for(to)
    assert "".join(f"<li>{item}</li>" for item in items) in html_part(message)


def test_posting_sends_from_a_mail_thread(mail_server: Inbox) -> None:
    to = "ana.post@uni.example.edu"
    settings = smtp_settings()
    assert settings is not None
    sent = mail.post(settings, mail.compose(_letter(to), HEAD, settings.sender))
    assert sent.result(timeout=30) is True
    assert len(mail_server.wait_for(to)) == 1


def test_a_busy_server_is_tried_again(mail_server: Inbox) -> None:
    to = "ana.busy@uni.example.edu"
    settings = smtp_settings()
    assert settings is not None
    mail_server.busy = 2
    message = mail.compose(_letter(to), HEAD, settings.sender)
    assert mail.deliver(settings, message, pauses=(0.01, 0.01)) is True
    assert mail_server.busy == 0 and len(mail_server.wait_for(to)) == 1


def test_a_server_that_never_answers_is_logged_once_and_raises_nothing(
        caplog: pytest.LogCaptureFixture) -> None:
    away = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", user="",
                        password="", sender=SENDER)
    message = mail.compose(_letter("ana.away@uni.example.edu"), HEAD, SENDER)
    with caplog.at_level(logging.INFO, logger="infoview.mail"):
        assert mail.deliver(away, message, pauses=(0.01, 0.01)) is False
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.levelno == logging.ERROR
    assert "'Choose a new InfoView password' to ana.away@uni.example.edu" in line.getMessage()
    assert "after 3 attempts" in line.getMessage()


def test_with_no_server_configured_nothing_is_sent_and_the_log_says_so(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("INFOVIEW_SMTP_HOST", raising=False)
    assert smtp_settings() is None
    with caplog.at_level(logging.WARNING, logger="infoview.mail"):
        assert mail.deliver(None, mail.compose(_letter("x@uni.example.edu"), HEAD, SENDER)) is False
    assert "no SMTP server is configured" in caplog.text


def test_smtp_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOVIEW_SMTP_HOST", "smtp.uni.example.edu")
    for name in ("PORT", "SECURITY", "USER", "PASSWORD"):
        monkeypatch.delenv(f"INFOVIEW_SMTP_{name}", raising=False)
    monkeypatch.delenv("INFOVIEW_MAIL_FROM", raising=False)
    assert smtp_settings() == SmtpSettings(host="smtp.uni.example.edu", port=587,
                                           security="starttls", user="", password="",
                                           sender="no-reply@smtp.uni.example.edu")
    monkeypatch.setenv("INFOVIEW_SMTP_SECURITY", "tls")
    settings = smtp_settings()
    assert settings is not None and settings.port == 465
    monkeypatch.setenv("INFOVIEW_SMTP_SECURITY", "ssl3")
    with pytest.raises(RuntimeError, match="INFOVIEW_SMTP_SECURITY"):
        smtp_settings()

"""The one-click unsubscribe route (api_mail.py), over HTTP against a real database: POST turns
the digests off, GET only asks, a forged or altered token is refused and another student is
untouched, and every switch to off is recorded for the staff dashboard."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from infoview_app import db, routes
from infoview_app.api import with_api
from infoview_app.models import AuditEvent, AuditKind, ReminderFrequency, User
from infoview_app.services.accounts import reminder_preferences
from infoview_app.services.accounts.audit import Actor
from infoview_app.services.core.errors import InvalidInput
from tests.factories import BY, staff, student

SECRET = "unsubscribe-tests-secret-key-0123456789"


async def _no_reflex(scope: dict, receive: object, send: object) -> None:
    raise AssertionError(f"{scope.get('path')} reached the Reflex backend")


@pytest.fixture
def client(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(db, "database_url", lambda: sqlite_url)
    monkeypatch.setenv("INFOVIEW_SECRET_KEY", SECRET)
    with TestClient(with_api(_no_reflex)) as client:
        yield client


def _frequency(user_id: int) -> ReminderFrequency:
    with db.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.reminder_frequency


def _url(user_id: int) -> str:
    token = reminder_preferences.unsubscribe_token(user_id, SECRET.encode())
    return f"{routes.UNSUBSCRIBE}?t={token}"


def test_one_click_post_turns_the_digests_off_and_records_it(client: TestClient) -> None:
    with db.session() as session:
        ana, ben = student(session, 1), student(session, 2)
    answer = client.post(_url(ana), data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert "no more reminder emails" in answer.text
    assert _frequency(ana) == ReminderFrequency.OFF
    assert _frequency(ben) == ReminderFrequency.DAILY
    assert client.post(_url(ana)).status_code == 200  # again: still fine, nothing new
    with db.session() as session:
        events = session.exec(select(AuditEvent).where(
            AuditEvent.kind == AuditKind.REMINDERS_OFF)).all()
        assert [(e.target_id, e.actor_id, e.detail, e.client) for e in events] == [
            (ana, None, reminder_preferences.VIA_LINK, "testclient")]


def test_get_only_asks_with_a_button_that_posts(client: TestClient) -> None:
    with db.session() as session:
        ana = student(session, 1)
    page = client.get(_url(ana))
    assert page.status_code == 200
    assert _frequency(ana) == ReminderFrequency.DAILY
    assert '<form method="post"' in page.text and "Stop reminder emails</button>" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_forged_altered_and_foreign_tokens_are_refused(client: TestClient) -> None:
    with db.session() as session:
        ana, ben = student(session, 1), student(session, 2)
    ana_token = reminder_preferences.unsubscribe_token(ana, SECRET.encode())
    signature = ana_token.split(".", 1)[1]
    forged = [f"{ben}.{signature}",  # Ana's signature on Ben's id
              reminder_preferences.unsubscribe_token(ben, b"not-the-server-secret-000000000"),
              ana_token[:-1] + ("A" if ana_token[-1] != "A" else "B"),
              f"{ben}", "", "0" + ana_token, "x" * 500]
    for token in forged:
        for method in ("GET", "POST"):
            answer = client.request(method, routes.UNSUBSCRIBE, params={"t": token})
            assert answer.status_code == 400, (method, token)
    assert client.post(routes.UNSUBSCRIBE).status_code == 400
    assert (_frequency(ana), _frequency(ben)) == (ReminderFrequency.DAILY,) * 2


def test_a_deleted_accounts_link_is_refused(client: TestClient) -> None:
    with db.session() as session:
        ana = student(session, 1)
        user = session.get(User, ana)
        session.delete(user)
        session.commit()
    assert client.post(_url(ana)).status_code == 400


def test_the_account_preference_is_validated_and_recorded(session: Session) -> None:
    ana = student(session, 1)
    reminder_preferences.set_frequency(session, ana, "weekly", by=Actor(ana, "192.0.2.1"))
    assert reminder_preferences.frequency(session, ana) == ReminderFrequency.WEEKLY
    for bad in ("never", None, 3, ["off"]):
        with pytest.raises(InvalidInput):
            reminder_preferences.set_frequency(session, ana, bad, by=BY)
    with pytest.raises(InvalidInput):
        reminder_preferences.set_frequency(session, staff(session), "off", by=BY)
    reminder_preferences.set_frequency(session, ana, "off", by=Actor(ana, "192.0.2.1"))
    events = session.exec(select(AuditEvent).where(
        AuditEvent.kind == AuditKind.REMINDERS_OFF)).all()
    assert [(e.actor_id, e.detail) for e in events] == [
        (ana, reminder_preferences.VIA_ACCOUNT)]

"""The account page's reminder-email choice through the real handlers and the guard."""

from collections.abc import Callable
from typing import Any

from infoview_app import db, routes
from infoview_app.models import ReminderFrequency, Role, User
from infoview_app.state.base import SessionState
from infoview_app.state.reminders import ReminderState
from tests.state.conftest import call, open_page, redirect_path


def _stored(user_id: int) -> ReminderFrequency:
    with db.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.reminder_frequency


def test_a_student_sees_and_changes_their_choice(
        signed_in: Callable[..., tuple[int, str]], substate: Callable[[type], Any]) -> None:
    user_id, token = signed_in(Role.STUDENT)
    open_page(substate(SessionState), token, routes.ACCOUNT)
    state = substate(ReminderState)
    call(state, "load")
    assert state.frequency == "daily"
    call(state, "set_frequency", "weekly")
    assert (state.frequency, _stored(user_id)) == ("weekly", ReminderFrequency.WEEKLY)
    call(state, "set_frequency", "hourly")  # refused: a toast, nothing changes
    call(state, "set_frequency", {"value": "off"})
    assert (state.frequency, _stored(user_id)) == ("weekly", ReminderFrequency.WEEKLY)


def test_staff_have_no_choice_and_cannot_set_one(
        signed_in: Callable[..., tuple[int, str]], substate: Callable[[type], Any]) -> None:
    user_id, token = signed_in(Role.STAFF)
    open_page(substate(SessionState), token, routes.ACCOUNT)
    state = substate(ReminderState)
    call(state, "load")
    assert state.frequency == ""
    call(state, "set_frequency", "off")
    assert _stored(user_id) == ReminderFrequency.DAILY


def test_a_visitor_is_sent_to_sign_in(substate: Callable[[type], Any]) -> None:
    open_page(substate(SessionState), "", routes.ACCOUNT)
    assert redirect_path(call(substate(ReminderState), "set_frequency", "off")) is not None

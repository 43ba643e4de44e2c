"""Any browser can call any handler with any arguments (JSON: null, numbers, booleans, text,
lists, objects). Every public handler of every InfoView state, called by a user it admits
with arguments of the wrong type, refuses them with a message: no exception escapes it (which
would show "Something went wrong and nothing was saved")."""

import inspect
from typing import Any

import pytest

from infoview_app import routes
from infoview_app.models import Role
from infoview_app.state.base import GUARD_MARK, SessionState
from tests.private_data import planted_journey
from tests.state.conftest import open_page, public_handlers

WRONG_VALUES: tuple[Any, ...] = (None, 0, -1, True, 10**30, 1.5, "", "x" * 5000, [], [None],
                                 {}, {"__reflex_form_data__": 5}, {"": None})


def _argument_lists(parameter_count: int) -> list[list[Any]]:
    """Every wrong value in every position at once, and in each position alone (the others
    holding "1", an id the signed-in user owns for many handlers)."""
    lists = [[value] * parameter_count for value in WRONG_VALUES]
    for position in range(parameter_count):
        for value in WRONG_VALUES:
            lists.append(["1"] * position + [value] + ["1"] * (parameter_count - position - 1))
    return lists or [[]]


def _role_admitted(handler: Any) -> Role | None:
    admitted = getattr(handler.fn, GUARD_MARK).roles
    if admitted is None:
        return None
    return Role.STUDENT if Role.STUDENT in admitted else sorted(admitted)[0]


@pytest.mark.parametrize(("state_class", "handler_name"), public_handlers(),
                         ids=lambda value: value if isinstance(value, str) else value.__name__)
async def test_wrong_typed_arguments_are_refused_without_an_exception(
        substate: Any, signed_in: Any, state_class: type, handler_name: str) -> None:
    handler = state_class.event_handlers[handler_name]
    role = _role_admitted(handler)
    if role is not None:
        user_id, token = signed_in(role, name="Fuzz Tester")
        page = routes.HOME
        if role == Role.STUDENT:
            page = routes.exploration_url(planted_journey(user_id).exploration_id, 2)
        open_page(substate(SessionState), token, page)
    state = substate(state_class)
    parameters = list(inspect.signature(handler.fn).parameters)[1:]
    failures = []
    for arguments in _argument_lists(len(parameters)):
        try:
            result = handler.fn(state, *arguments)
            if inspect.isawaitable(result):
                await result
        except Exception as error:  # every escape is a failure, reported below
            failures.append(f"{arguments!r:.80}: {type(error).__name__}: {error}")
    assert failures == [], f"{state_class.__name__}.{handler_name} raised"

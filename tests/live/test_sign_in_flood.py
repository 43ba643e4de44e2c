"""Sign-in floods and password spraying against the live backend, over raw sockets.

Client addresses: each attacker or owner connects from a loopback address of its own
(127.0.0.2 and up; Linux routes all of 127.0.0.0/8 to the loopback interface), so the
server sees genuinely different peers, exactly as it would for two machines, with its
production configuration (no trusted proxy, no X-Forwarded-For taken on trust). The
throttle's counts live as long as the app, so each test uses addresses of its own, and the
browser tests' 127.0.0.1 is never throttled by these.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from infoview_app import db, routes
from infoview_app.services.accounts import user_accounts
from infoview_app.services.core import throttle
from infoview_app.state.auth import LoginState, ShellState
from infoview_app.state.base import SessionState
from tests.live.conftest import PASSWORD
from tests.live.socket_client import (
    ReflexSocket,
    Replies,
    event_name,
    form,
    open_socket,
    storage_key,
)

SUBMIT_LOGIN = event_name(LoginState, "submit")
WRONG = "Wrong email or password."
FROM_ADDRESS = "Too many attempts from this address."
FOR_ACCOUNT = "Too many attempts for this account from this address."


def _attempt(client: ReflexSocket, email: str, password: str) -> Replies:
    return client.call(SUBMIT_LOGIN, path=routes.LOGIN,
                       form_data=form({"email": email, "password": password}))


def _outcome(replies: Replies) -> str:
    """'signed in', or the message shown beside the sign-in form."""
    if replies.var(SessionState, "auth_token", ""):
        return "signed in"
    errors = replies.var(LoginState, "errors", {})
    return errors.get("form") or errors.get("password") or f"? {replies.text()[:300]}"


def test_a_sprayer_is_throttled_while_the_owner_signs_in(backend_url: str, make_user) -> None:
    owner, other = make_user(name="Owner"), make_user(name="Other")
    with open_socket(backend_url, path=routes.LOGIN, source_address="127.0.0.2") as attacker:
        # Guessing at the owner's account: refused for that account, from this address,
        # after a few failures (an account lock would have kept the owner out from then on).
        guesses = [_outcome(_attempt(attacker, owner["email"], f"guess-{n}-password"))
                   for n in range(throttle.ACCOUNT_FAILURES[0].amount + 1)]
        assert guesses == [WRONG] * (len(guesses) - 1) + [guesses[-1]]
        assert guesses[-1].startswith(FOR_ACCOUNT)
        # Spraying other accounts: refused from this address once its tier is full...
        spray = [_outcome(_attempt(attacker, f"nobody{n}@test.example.edu", PASSWORD))
                 for n in range(throttle.ADDRESS_FAILURES[0].amount)]
        assert spray.count(WRONG) == (throttle.ADDRESS_FAILURES[0].amount
                                      - throttle.ACCOUNT_FAILURES[0].amount)
        assert spray[-1] == f"{FROM_ADDRESS} Try again in 1 minute."
        # ...before any password is checked: even the right one of an account is refused, so
        # the answer tells the sprayer nothing.
        assert _outcome(_attempt(attacker, other["email"], PASSWORD)).startswith(FROM_ADDRESS)
        # Meanwhile the owner, from their own address, signs in.
        with open_socket(backend_url, path=routes.LOGIN, source_address="127.0.0.3") as tab:
            replies = _attempt(tab, owner["email"], PASSWORD)
            assert _outcome(replies) == "signed in"
            assert replies.redirects() == [routes.HOME]


def test_parallel_sockets_from_one_address_get_no_more_guesses(backend_url: str) -> None:
    """Four sockets sending their guesses all at once: the attempts take turns per address,
    so no more are checked than the tier allows."""
    sockets, per_socket = 4, throttle.ADDRESS_FAILURES[0].amount
    clients = [ReflexSocket(backend_url, path=routes.LOGIN, source_address="127.0.0.4")
               for _ in range(sockets)]
    try:
        for client in clients:
            client.connect()
        for index, client in enumerate(clients):
            for n in range(per_socket):
                client.send(SUBMIT_LOGIN, form_data=form({
                    "email": f"sprayed{index}-{n}@test.example.edu", "password": PASSWORD}))
        with ThreadPoolExecutor(sockets) as pool:
            replies = list(pool.map(lambda client: client.barrier(), clients))
    finally:
        for client in clients:
            client.close()
    text = "".join(reply.text() for reply in replies)
    assert text.count(WRONG) == throttle.ADDRESS_FAILURES[0].amount
    assert text.count(FROM_ADDRESS) == sockets * per_socket - text.count(WRONG)


def _signed_in_student(make_user) -> dict[str, Any]:
    user = make_user(name="Busy Student")
    with db.session() as session:
        user["token"] = user_accounts.start_session(session, user["id"], timedelta(hours=1))
    return user


def test_a_sign_in_flood_does_not_hold_up_another_students_events(backend_url: str,
                                                                   make_user) -> None:
    """(e) Four sockets, from four addresses, each send a burst of sign-ins with the right
    password (every attempt costs an Argon2 check; wrong ones would soon be throttled).
    Meanwhile a signed-in student makes twice as many round trips, one after another, as
    the flood has attempts. With Argon2 on the event loop the student's events waited behind
    the flood (measured on that code: done 0.5 to 0.7 s after the flood's last reply); with
    Argon2 in its worker pool they never wait for it (measured: 80 round trips in 1 s, the
    flood in 28 s, on this 2-core machine under load), so the student finishes first."""
    flooders, per_socket = 4, 20
    victim = make_user(name="Flooded")
    student = _signed_in_student(make_user)
    clients = [ReflexSocket(backend_url, path=routes.LOGIN, source_address=f"127.0.0.{10 + n}",
                            timeout=600) for n in range(flooders)]
    tab = ReflexSocket(backend_url, source_address="127.0.0.20")
    hydrated = tab.connect({storage_key(SessionState, "auth_token"): student["token"]})
    assert hydrated.var(SessionState, "user_name") == "Busy Student"
    try:
        for client in clients:
            client.connect()
        for client in clients:
            for _ in range(per_socket):
                client.send(SUBMIT_LOGIN, form_data=form({"email": victim["email"],
                                                          "password": PASSWORD}))
        with ThreadPoolExecutor(flooders) as pool:
            flood = [pool.submit(lambda client=client: (client.barrier(), time.monotonic()))
                     for client in clients]
            for _ in range(2 * flooders * per_socket):
                tab.call(event_name(ShellState, "load"))
            student_done = time.monotonic()
            results = [future.result() for future in flood]
    finally:
        for client in [tab, *clients]:
            client.close()
    flood_done = max(done for _, done in results)
    # Every attempt of the flood was checked, and signed in.
    assert sum(len(replies.redirects()) for replies, _ in results) == flooders * per_socket
    assert student_done < flood_done

"""The contact network's handlers attacked over the raw event socket (see socket_client.py):
a student who forges another student's contact or exploration ids learns nothing of them.
Each refusal has a positive control beside it: the same event with the student's own ids."""

from typing import Any

from infoview_app import db, routes
from infoview_app.models import Contact, ContactSource, PipelineStage, Role
from infoview_app.services.journey import explorations
from infoview_app.state.network import NetworkState
from tests.live.socket_client import event_name, form
from tests.live.test_socket_security import GENERIC_ERROR, signed_in  # noqa: F401 (fixture)

LOAD = event_name(NetworkState, "load")
SELECT = event_name(NetworkState, "select_node")
SET_FILTER = event_name(NetworkState, "set_filter")
SEARCH = event_name(NetworkState, "search")
SECRETS = ("Quentin Secret", "quentin@secret.example", "Secret field")


def _person(owner_id: int, field_name: str, name: str, email: str) -> tuple[int, int]:
    """An exploration with one contact (and one the contact introduced), owned by the user."""
    with db.session() as session:
        exploration_id = explorations.start_exploration(session, owner_id, field_name)
        contact = Contact(owner_id=owner_id, exploration_id=exploration_id, name=name,
                          email=email, source=ContactSource.FACULTY,
                          stage=PipelineStage.INTERVIEWED)
        session.add(contact)
        session.flush()
        session.add(Contact(owner_id=owner_id, exploration_id=exploration_id,
                            name=f"Friend of {name}", source=ContactSource.REFERRAL,
                            referred_by_id=contact.id))
        session.commit()
        assert contact.id is not None
        return exploration_id, contact.id


def _assert_nothing_leaked(text: str) -> None:
    assert GENERIC_ERROR not in text
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} was sent"


def test_forged_ids_show_nothing_of_another_students_network(signed_in, make_user) -> None:  # noqa: F811
    owner = make_user(name="Olive Owner")
    secret_exploration, secret_contact = _person(owner["id"], "Secret field",
                                                 "Quentin Secret", "quentin@secret.example")
    client, attacker = signed_in(Role.STUDENT, "Alex Attacker")
    own_exploration, own_contact = _person(attacker["id"], "Urban planning", "Alice Own",
                                           "alice@own.example")
    _person(attacker["id"], "Law", "Bob Lawyer", "bob@own.example")

    replies = client.call(LOAD, path=routes.NETWORK)
    drawn = {node["id"] for node in replies.var(NetworkState, "nodes")}
    assert f"c{own_contact}" in drawn and f"c{secret_contact}" not in drawn
    _assert_nothing_leaked(replies.text())

    forged: list[Any] = [f"c{secret_contact}", str(secret_contact), secret_contact,
                         f"more-c{secret_contact}", {"id": f"c{secret_contact}"}, None]
    for node_id in forged:
        replies = client.call(SELECT, path=routes.NETWORK, node_id=node_id)
        _assert_nothing_leaked(replies.text())
        assert not replies.sent(NetworkState, "selected"), node_id
        assert not replies.sent(NetworkState, "nodes"), node_id
        assert not replies.redirects()  # a student on her own page: past the guard

    replies = client.call(SET_FILTER, path=routes.NETWORK, field="exploration",
                          value=str(secret_exploration))
    _assert_nothing_leaked(replies.text())
    assert "exploration_id" in replies.var(NetworkState, "errors")
    assert not replies.sent(NetworkState, "nodes")

    replies = client.call(SEARCH, path=routes.NETWORK, form_data=form({"name": "Quentin"}))
    assert "quentin@secret.example" not in replies.text()
    assert not replies.sent(NetworkState, "selected")
    assert replies.var(NetworkState, "errors")["name"].startswith("No one called")

    # Positive controls: the same events with the attacker's own ids.
    replies = client.call(SELECT, path=routes.NETWORK, node_id=f"c{own_contact}")
    panel = replies.var(NetworkState, "selected")
    assert panel["name"] == "Alice Own" and panel["email"] == "alice@own.example"
    assert panel["chain"] == ["student", f"c{own_contact}"]
    _assert_nothing_leaked(replies.text())
    replies = client.call(SET_FILTER, path=routes.NETWORK, field="exploration",
                          value=str(own_exploration))
    assert {n["data"]["label"] for n in replies.var(NetworkState, "nodes")} == {
        "You", "Alice Own", "Friend of Alice Own"}
    replies = client.call(SEARCH, path=routes.NETWORK, form_data=form({"name": "friend of"}))
    assert replies.var(NetworkState, "selected")["name"] == "Friend of Alice Own"
    _assert_nothing_leaked(replies.text())

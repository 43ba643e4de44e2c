"""The network and Notes pages' handlers when the URL or a filter names a record that is not
the student's: the network says why beside its filter and keeps showing what it can, and the
Notes page says the contact is not found, with no toast."""

from typing import Any

import pytest

from infoview_app import db, routes
from infoview_app.models import Contact, ContactSource, Role
from infoview_app.services.journey import explorations
from infoview_app.state.base import SessionState
from infoview_app.state.network import NetworkState
from infoview_app.state.notes import NotesState
from tests.factories import add_contact, add_interview, contact_id
from tests.state.conftest import Student, call, open_page

GONE = "That exploration no longer exists."


@pytest.fixture
def contact_ids(student: Student) -> list[int]:
    """The student's two contacts, in the exploration of the ``student`` fixture."""
    with db.session() as session:
        return [add_contact(session, student.user_id, student.exploration_id, name).id
                for name in ("Sam Okafor", "Dana Reyes")]


@pytest.fixture
def foreign_exploration(signed_in: Any) -> int:
    """Another student's exploration, with a contact of theirs in it."""
    user_id, _ = signed_in(Role.STUDENT, name="Eve Other")
    with db.session() as session:
        exploration_id = explorations.start_exploration(session, user_id, "Dentistry")
        add_contact(session, user_id, exploration_id, "Dr. Lee")
    return exploration_id


def _network(substate: Any, student: Student, exploration: object = None) -> Any:
    open_page(substate(SessionState), student.token, routes.network_url(exploration))
    network = substate(NetworkState)
    assert call(network, "load") is None
    return network


def _labels(network: Any) -> set[str]:
    return {node["data"]["label"] for node in network.nodes}


def test_the_network_of_one_exploration(substate: Any, student: Student,
                                        contact_ids: list[int]) -> None:
    network = _network(substate, student, student.exploration_id)
    assert network.errors == {} and network.exploration == str(student.exploration_id)
    assert network.total == 2 and {"Sam Okafor", "Dana Reyes"} <= _labels(network)


@pytest.mark.parametrize("named", ["foreign", "abc", "-1"])
def test_an_exploration_in_the_url_that_is_not_yours_draws_all_your_contacts(
        substate: Any, student: Student, contact_ids: list[int], foreign_exploration: int,
        named: str) -> None:
    network = _network(substate, student,
                       foreign_exploration if named == "foreign" else named)
    assert set(network.errors) == {"exploration_id"}  # beside the exploration filter
    if named == "foreign":
        assert network.errors["exploration_id"] == GONE
    assert network.loaded and network.exploration == ""
    assert network.total == 2 and {"Sam Okafor", "Dana Reyes"} <= _labels(network)
    assert "Dr. Lee" not in _labels(network)


def test_a_refused_filter_leaves_the_network_as_it_was(substate: Any, student: Student,
                                                       contact_ids: list[int],
                                                       foreign_exploration: int) -> None:
    network = _network(substate, student)
    nodes, drawing = network.nodes, network.drawing
    network._expanded = [contact_ids[0]]  # a "+N more" the student had opened
    call(network, "set_filter", "exploration", str(foreign_exploration))
    assert network.errors == {"exploration_id": GONE}
    assert network.nodes == nodes and network.drawing == drawing
    assert network.exploration == "" and network._expanded == [contact_ids[0]]
    call(network, "set_filter", "stage", "no such stage")
    assert set(network.errors) == {"stages"} and network.nodes == nodes
    call(network, "set_filter", "exploration", str(student.exploration_id))
    assert network.errors == {} and network.exploration == str(student.exploration_id)
    assert network._expanded == [] and network.drawing == drawing + 1


def test_notes_of_a_contact_that_is_not_yours_say_it_is_not_found(
        substate: Any, student: Student, contact_ids: list[int], signed_in: Any) -> None:
    with db.session() as session:
        interview_id = add_interview(session, session.get_one(Contact, contact_ids[0])).id
    open_page(substate(SessionState), student.token, routes.notes_url(contact_ids[0]))
    notes = substate(NotesState)
    assert call(notes, "load") is None
    assert not notes.missing and notes.contact["name"] == "Sam Okafor"
    assert [i["id"] for i in notes.interviews] == [interview_id]
    other_id, _ = signed_in(Role.STUDENT, name="Eve Other")
    with db.session() as session:
        theirs = add_contact(session, other_id,
                             explorations.start_exploration(session, other_id, "Law"),
                             "Dr. Lee").id
    for foreign in (theirs, "abc", "0"):
        open_page(substate(SessionState), student.token, routes.notes_url(foreign))
        assert call(notes, "load") is None, foreign  # no toast: the page says it
        assert notes.missing and notes.errors == {}, foreign
        assert notes.contact == {} and notes.interviews == [], foreign
    # The page's other handlers still answer beside the form.
    call(notes, "download_markdown", 10_000)
    assert notes.errors == {"form": "That interview no longer exists."}


def test_a_phone_gets_an_outline_groups_toggle_and_a_selection_fits_its_chain(
        substate: Any, student: Student) -> None:
    """The graph's reported size picks the layout; a group node opens and closes; on a phone
    selecting a contact draws the graph again fitted around its chain."""
    with db.session() as session:
        rivera = contact_id(session, student.user_id, student.exploration_id, "Rivera",
                            source=ContactSource.FACULTY)
        sam = contact_id(session, student.user_id, student.exploration_id, "Sam",
                         source=ContactSource.REFERRAL, referred_by_id=rivera)
        for n in range(12):
            contact_id(session, student.user_id, student.exploration_id, f"Alum {n}",
                       source=ContactSource.LINKEDIN_ALUMNI)
    network = _network(substate, student)
    assert _labels(network) == {"You", "Rivera", "Sam", "LinkedIn or alumni: 12"}
    assert "sourcePosition" not in network.nodes[1]  # a tidy tree until the size is known
    for hostile in ([358], ["358", 500, True], [358, 500, "yes"], [5, 500, True],
                    [358, 10**9, True], {"w": 358}, None, [True, 500, True]):
        call(network, "set_screen", hostile)
        assert network._screen is None
    drawing = network.drawing
    call(network, "set_screen", [358, 506, True])
    assert network._screen == (358, 506, True) and network.drawing == drawing + 1
    call(network, "set_screen", [358, 506, True])  # the same size: nothing drawn again
    assert network.drawing == drawing + 1

    call(network, "select_node", "group-linkedin_alumni")
    assert len(network.nodes) == 4 + 12
    assert all(node["sourcePosition"] == "left" for node in network.nodes)  # an outline
    assert {edge.get("type") for edge in network.edges} == {"smoothstep"}
    group = next(n for n in network.nodes if n["id"] == "group-linkedin_alumni")
    assert group["ariaLabel"].endswith("press Enter to hide them")
    # The graph opens on the group and the first rows below it.
    ys = sorted(node["position"]["y"] for node in network.nodes)
    assert group["position"]["y"] == ys[3]
    assert [node["id"] for node in network.fit["nodes"]] == [
        node["id"] for node in network.nodes if ys[3] <= node["position"]["y"] <= ys[3 + 5]]

    drawing = network.drawing
    call(network, "select_node", f"c{sam}")
    assert network.selected["name"] == "Sam" and network.drawing == drawing + 1
    assert network.fit["nodes"] == [{"id": "student"}, {"id": f"c{rivera}"},
                                    {"id": f"c{sam}"}]
    call(network, "close_panel")
    assert network.selected == {} and network.drawing == drawing + 2

    call(network, "select_node", "group-linkedin_alumni")  # closes it again
    assert len(network.nodes) == 4
    # In the list view the group is a row that opens it too.
    call(network, "set_view", "list")
    row = next(r for r in network.rows if r["id"] == "group-linkedin_alumni")
    assert (row["kind"], row["level"], row["open"]) == ("group", 1, False)
    call(network, "select_node", "group-linkedin_alumni")
    assert [r["label"] for r in network.rows if r["level"] == 2][:2] == ["Sam", "Alum 0"]
    assert len(network.rows) == 4 + 12

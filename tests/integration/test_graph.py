"""The contact network graph (services/network/) against SQLite and PostgreSQL: the
nodes and edges, the filters, owner scoping, bad referral data, the figures, collapsing beyond the
limit and the side panel."""

import random
from collections import Counter
from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from sqlmodel import Session

from infoview_app.models import (
    Contact,
    ContactSource,
    InterviewStatus,
    PipelineStage,
)
from infoview_app.services.connect import outreach
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.core.wording import date_label
from infoview_app.services.journey import explorations
from infoview_app.services.network import building
from infoview_app.services.network.filters import (
    GraphFilters,
    expand_target,
    filter_options,
    node_id,
    parse_filters,
)
from infoview_app.services.network.layout import X_STEP
from infoview_app.services.network.panel import contact_panel
from tests.factories import add_interview, contact_id, student_with_exploration
from tests.integration.helpers import statements

FACULTY, FAMILY, FRIEND, REFERRAL = (ContactSource.FACULTY, ContactSource.FAMILY,
                                     ContactSource.FRIEND, ContactSource.REFERRAL)


def add_tree(session: Session, owner: int, exploration: int | None,
             parents: list[int | None], name: str = "Person") -> list[int]:
    """Contacts "<name> 000", "<name> 001"... where ``parents[i]`` is the index of the one
    who referred contact i (an earlier one) or None. Returns their ids."""
    ids: list[int] = []
    for index, parent in enumerate(parents):
        contact = Contact(owner_id=owner, exploration_id=exploration, name=f"{name} {index:03d}",
                          source=REFERRAL if parent is not None else FRIEND,
                          referred_by_id=ids[parent] if parent is not None else None)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        ids.append(contact.id)
    session.commit()
    return ids


def by_id(network: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in network["nodes"]}


def links(network: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(e["source"], e["target"], e["kind"], e["label"]) for e in network["edges"]}


def contact_nodes(network: dict[str, Any]) -> set[int]:
    return {n["contact_id"] for n in network["nodes"] if n["kind"] == "contact"}


def assert_consistent(network: dict[str, Any]) -> None:
    """One edge per node but the student, from its parent; depths follow the parents; no
    two nodes of a layer overlap; the tree list holds the same nodes, each after its
    parent, at its depth."""
    nodes = by_id(network)
    assert len(nodes) == len(network["nodes"])
    assert {e["target"]: e["source"] for e in network["edges"]} == {
        n["id"]: n["parent"] for n in network["nodes"] if n["id"] != "student"}
    for node in network["nodes"]:
        if node["parent"]:
            assert node["depth"] == nodes[node["parent"]]["depth"] + 1
    layers: dict[float, list[float]] = {}
    for node in network["nodes"]:
        layers.setdefault(node["y"], []).append(node["x"])
    for xs in layers.values():
        assert all(b - a >= X_STEP for a, b in pairwise(sorted(xs)))
    items = building.tree_list(network)
    assert items[0]["id"] == "student"
    assert sorted(item["id"] for item in items) == sorted(nodes)
    seen: set[str] = set()
    for item in items:
        node = nodes[item["id"]]
        assert item["level"] == node["depth"] and item["label"] == node["label"]
        assert node["parent"] in seen or node["id"] == "student"
        seen.add(item["id"])


def test_direct_contacts_and_referrals_with_their_labels(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    rivera = contact_id(session, owner, exploration, "Rivera", source=FACULTY,
                        stage=PipelineStage.THANKED)
    okafor = contact_id(session, owner, exploration, "Okafor", source=REFERRAL,
                        referred_by_id=rivera, stage=PipelineStage.INTERVIEWED)
    lin = contact_id(session, owner, exploration, "Lin", source=FAMILY)
    network = building.network(session, owner)
    assert [n["id"] for n in network["nodes"]] == ["student", f"c{lin}", f"c{rivera}",
                                                   f"c{okafor}"]
    assert links(network) == {("student", f"c{lin}", "direct", "Family"),
                              ("student", f"c{rivera}", "direct", "Faculty"),
                              (f"c{rivera}", f"c{okafor}", "referral", "referred")}
    nodes = by_id(network)
    assert nodes[f"c{okafor}"] | {"x": 0, "y": 0} == {
        "id": f"c{okafor}", "kind": "contact", "contact_id": okafor, "label": "Okafor",
        "stage": "interviewed", "stage_label": "Interviewed", "source": "referral",
        "source_label": "Referral", "depth": 2, "x": 0, "y": 0, "hidden": 0,
        "open": False, "parent": f"c{rivera}"}
    assert nodes["student"]["kind"] == "student" and nodes["student"]["depth"] == 0
    assert nodes[f"c{lin}"]["stage_label"] == "Not contacted yet"
    assert nodes[f"c{okafor}"]["x"] == nodes[f"c{rivera}"]["x"]  # an only child, below
    assert nodes["student"]["x"] == (nodes[f"c{lin}"]["x"] + nodes[f"c{rivera}"]["x"]) / 2
    assert (network["total_contacts"], network["shown_contacts"], network["collapsed"],
            network["message"]) == (3, 3, False, "")
    assert network["figures"]["by_depth"] == [
        {"depth": 1, "label": "1st degree", "contacts": 2},
        {"depth": 2, "label": "2nd degree", "contacts": 1}]
    assert_consistent(network)
    assert building.network(session, owner) == network  # the same data, the same drawing


def test_filters_narrow_the_graph_and_attach_orphans_to_the_student(session: Session) -> None:
    owner, therapy = student_with_exploration(session, 1)
    design = explorations.start_exploration(session, owner, "UX research")
    rivera = contact_id(session, owner, therapy, "Rivera", source=FACULTY,
                        stage=PipelineStage.THANKED)
    okafor = contact_id(session, owner, therapy, "Okafor", source=REFERRAL,
                        referred_by_id=rivera, stage=PipelineStage.INTERVIEWED)
    pat = contact_id(session, owner, therapy, "Pat", source=REFERRAL, referred_by_id=okafor)
    quinn = contact_id(session, owner, design, "Quinn", source=FRIEND, referred_by_id=rivera)

    def shown(**filters: Any) -> dict[str, Any]:
        network = building.network(session, owner, GraphFilters(**filters))
        assert_consistent(network)
        return network

    assert contact_nodes(shown()) == {rivera, okafor, pat, quinn}
    assert contact_nodes(shown(exploration_id=therapy)) == {rivera, okafor, pat}
    # Quinn's referrer is in the other exploration: Quinn hangs from the student.
    assert links(shown(exploration_id=design)) == {("student", f"c{quinn}", "direct", "Friend")}
    assert links(shown(stages=frozenset({"identified"}))) == {
        ("student", f"c{pat}", "direct", "Referral"), ("student", f"c{quinn}", "direct", "Friend")}
    referrals = shown(sources=frozenset({"referral"}))
    assert links(referrals) == {("student", f"c{okafor}", "direct", "Referral"),
                                (f"c{okafor}", f"c{pat}", "referral", "referred")}
    assert referrals["figures"]["by_depth"] == [
        {"depth": 1, "label": "1st degree", "contacts": 1},
        {"depth": 2, "label": "2nd degree", "contacts": 1}]
    both = shown(exploration_id=therapy, stages=frozenset({"interviewed", "thanked"}),
                 sources=frozenset({"faculty", "referral"}))
    assert contact_nodes(both) == {rivera, okafor}
    empty = shown(exploration_id=design, stages=frozenset({"thanked"}))
    assert [n["id"] for n in empty["nodes"]] == ["student"]
    assert (empty["total_contacts"], empty["message"]) == (0, "No contacts match these filters.")
    assert empty["figures"]["by_depth"] == []


def test_parse_filters_validates_what_the_browser_sends() -> None:
    assert parse_filters("7", ["identified", "thanked"], "faculty,family") == GraphFilters(
        7, frozenset({"identified", "thanked"}), frozenset({"faculty", "family"}))
    assert parse_filters("", None, []) == GraphFilters()
    assert parse_filters(None, "", ()) == GraphFilters()
    with pytest.raises(InvalidInput) as bad:
        parse_filters("7; drop", ["nope"], [5])
    assert set(bad.value.errors) == {"exploration_id", "stages", "sources"}
    for stages in ({"identified": 1}, ["identified"] * 20, 3):
        with pytest.raises(InvalidInput) as bad:
            parse_filters(None, stages, None)
        assert bad.value.field == "stages"
    assert (expand_target("more-student"), expand_target("more-12")) == (0, 12)
    for junk in ("c12", "more-", "more-x", "more--3", 12, None):
        with pytest.raises(InvalidInput):
            expand_target(junk)


def test_another_students_contacts_never_appear(session: Session) -> None:
    owner, mine = student_with_exploration(session, 1)
    other, theirs = student_with_exploration(session, 2)
    secret = contact_id(session, other, theirs, "Secret", stage=PipelineStage.INTERVIEWED)
    add_interview(session, session.get(Contact, secret), status=InterviewStatus.COMPLETED)
    # Bad data: my contact names the other student's contact as referrer.
    me = contact_id(session, owner, mine, "Mine", referred_by_id=secret)
    contact_id(session, other, theirs, "Their referral", referred_by_id=secret)
    network = building.network(session, owner)
    assert links(network) == {("student", f"c{me}", "direct", "Other")}
    figures = network["figures"]
    assert (figures["completed_interviews"], figures["referrals_obtained"]) == (0, 0)
    panel = contact_panel(session, owner, me)
    assert (panel["referred_by"], panel["chain"]) == ("", ["student", f"c{me}"])
    with pytest.raises(NotFound):
        contact_panel(session, owner, secret)
    with pytest.raises(InvalidInput):
        contact_panel(session, owner, "1 or 1=1")
    with pytest.raises(NotFound) as refused:
        building.network(session, owner, GraphFilters(exploration_id=theirs))
    assert refused.value.field == "exploration_id"  # beside the exploration filter
    assert filter_options(session, owner)["explorations"] == [
        {"id": mine, "title": "Physical therapy"}]


def test_a_referral_cycle_becomes_a_chain_from_its_first_member(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    zed = contact_id(session, owner, exploration, "Zed")
    amir = contact_id(session, owner, exploration, "Amir", referred_by_id=zed)
    cleo = contact_id(session, owner, exploration, "Cleo", referred_by_id=zed)
    selfish = contact_id(session, owner, exploration, "Self")
    for cid, referrer in ((zed, amir), (selfish, selfish)):
        contact = session.get(Contact, cid)
        contact.referred_by_id = referrer
        session.add(contact)
    session.commit()
    network = building.network(session, owner)
    assert links(network) == {("student", f"c{amir}", "direct", "Other"),
                              (f"c{amir}", f"c{zed}", "referral", "referred"),
                              (f"c{zed}", f"c{cleo}", "referral", "referred"),
                              ("student", f"c{selfish}", "direct", "Other")}
    assert_consistent(network)
    nodes = by_id(network)
    for cid in (zed, amir, cleo, selfish):
        panel = contact_panel(session, owner, cid)
        path, node = [], f"c{cid}"
        while node:
            path.append(node)
            node = nodes[node]["parent"]
        assert panel["chain"] == path[::-1]
    assert contact_panel(session, owner, cleo)["chain"] == [
        "student", f"c{amir}", f"c{zed}", f"c{cleo}"]
    assert contact_panel(session, owner, cleo)["chain_names"] == ["You", "Amir", "Zed", "Cleo"]
    assert contact_panel(session, owner, amir)["referred_by"] == "Zed"


def test_figures_match_an_independent_count(session: Session) -> None:
    rng = random.Random(4)
    owner, first = student_with_exploration(session, 1)
    second = explorations.start_exploration(session, owner, "Nursing")
    other, theirs = student_with_exploration(session, 2)
    parents: list[int | None] = [None if i < 6 or rng.random() < 0.3 else rng.randrange(i)
                                 for i in range(60)]
    where = [rng.choice([first, second]) for _ in parents]
    ids: list[int] = []
    for index, parent in enumerate(parents):
        ids.append(contact_id(session, owner, where[index], f"P{index:02d}",
                              referred_by_id=ids[parent] if parent is not None else None))
    stranger = add_tree(session, other, theirs, [None, 0, 0], "Stranger")
    interviews: list[tuple[int, int, InterviewStatus]] = []  # (contact index, exploration)
    referrers = {parent for parent in parents if parent is not None}
    for index in sorted(rng.sample(range(60), 20) + rng.sample(sorted(referrers), 8)):
        status = rng.choice(list(InterviewStatus))
        add_interview(session, session.get(Contact, ids[index]), status=status)
        interviews.append((index, where[index], status))
    add_interview(session, session.get(Contact, ids[parents.index(None)]),
                  status=InterviewStatus.COMPLETED)  # a second interview with one contact
    interviews.append((parents.index(None), where[parents.index(None)],
                       InterviewStatus.COMPLETED))
    add_interview(session, session.get(Contact, stranger[0]), status=InterviewStatus.COMPLETED)

    for exploration in (None, first, second):
        held = [index for index, eid, status in interviews
                if status is InterviewStatus.COMPLETED and exploration in (None, eid)]
        referred = Counter(parent for parent in parents if parent is not None)
        obtained = sum(1 for parent in parents if parent is not None and parent in set(held))
        figures = building.network(session, owner, GraphFilters(exploration))["figures"]
        assert figures == {
            "by_depth": figures["by_depth"],
            "completed_interviews": len(held), "referrals_obtained": obtained,
            "referrals_per_interview": round(obtained / len(held), 1),
            "goal": 2, "interviews_without_referrals": sum(1 for i in held if not referred[i])}
        if exploration is None:  # the data exercises every count
            assert figures["interviews_without_referrals"] > 0 and obtained > 0 and len(held) > 2
        # By depth, from the parents, with referrers outside the exploration cut off.
        inside = [i for i in range(60) if exploration in (None, where[i])]
        depth: dict[int, int] = {}
        for i in inside:  # parents come before their children
            parent = parents[i]
            depth[i] = depth[parent] + 1 if parent is not None and parent in depth else 1
        assert figures["by_depth"] == [
            {"depth": d, "label": building._ordinal(d) + " degree", "contacts": n}
            for d, n in sorted(Counter(depth.values()).items())]
    assert len(building.network(session, owner)["figures"]["by_depth"]) >= 3


def tree_of_three_levels(session: Session) -> tuple[int, list[int], list[int | None]]:
    """6 direct contacts, each with 4 referrals, each with 3: 102 contacts."""
    owner, exploration = student_with_exploration(session, 1)
    parents: list[int | None] = [None] * 6
    parents += [i for i in range(6) for _ in range(4)]
    parents += [i for i in range(6, 30) for _ in range(3)]
    return owner, add_tree(session, owner, exploration, parents), parents


def test_beyond_the_limit_far_branches_collapse_and_expand(session: Session) -> None:
    owner, ids, parents = tree_of_three_levels(session)
    index = {cid: i for i, cid in enumerate(ids)}
    descendants = Counter[int]()
    for i in range(len(ids) - 1, -1, -1):
        if parents[i] is not None:
            descendants[parents[i]] += descendants[i] + 1

    def check(network: dict[str, Any]) -> dict[str, dict[str, Any]]:
        assert_consistent(network)
        shown = contact_nodes(network)
        assert network["shown_contacts"] == len(shown) and network["total_contacts"] == 102
        more = [n for n in network["nodes"] if n["kind"] == "more"]
        assert sum(n["hidden"] for n in more) + len(shown) == 102
        for node in more:  # stands for the parent's hidden children and all below them
            children = [i for i, p in enumerate(parents) if
                        (p is None if node["contact_id"] == 0 else p == index.get(
                            node["contact_id"]))]
            hidden = [i for i in children if ids[i] not in shown]
            assert hidden and node["hidden"] == sum(1 + descendants[i] for i in hidden)
            assert node["label"] == f"+{node['hidden']} more"
            assert node["id"] == f"more-{node['contact_id'] or 'student'}"
            siblings = [n["x"] for n in network["nodes"] if n["parent"] == node["parent"]]
            assert node["x"] == max(siblings)  # after the shown children
        return by_id(network)

    full = building.network(session, owner)
    assert (full["collapsed"], full["shown_contacts"]) == (False, 102)
    # 6 + 24 + whole groups of 3 while they fit: 39 of 40.
    network = building.network(session, owner, full_limit=40)
    nodes = check(network)
    assert network["collapsed"] and network["shown_contacts"] == 39
    assert network["message"].startswith("Showing 39 of 102 contacts.")
    assert all(f"c{ids[i]}" in nodes for i in range(30))
    target = next(n for n in network["nodes"] if n["kind"] == "more")
    parent = expand_target(target["id"])
    opened = building.network(session, owner, full_limit=40, expanded=frozenset({parent}))
    nodes = check(opened)
    assert opened["shown_contacts"] == 42 and target["id"] not in nodes
    assert {f"c{ids[i]}" for i, p in enumerate(parents) if p == index[parent]} <= set(nodes)
    # Too many direct contacts for the limit: the student's own group is cut.
    cut = building.network(session, owner, full_limit=4)
    nodes = check(cut)
    assert cut["shown_contacts"] == 4 and nodes["more-student"]["hidden"] == 2 * 17
    assert [nodes[f"more-{ids[i]}"]["hidden"] for i in range(4)] == [16] * 4
    widened = building.network(session, owner, full_limit=4,
                            expanded=frozenset({0, ids[0], ids[6]}))
    nodes = check(widened)
    assert widened["shown_contacts"] == 6 + 4 + 3 and "more-student" not in nodes
    assert nodes[f"more-{ids[1]}"]["hidden"] == 16


def test_finding_a_name_opens_the_groups_it_is_folded_into(session: Session) -> None:
    owner, ids, _ = tree_of_three_levels(session)
    folded = building.network(session, owner, full_limit=4)
    assert node_id(ids[101]) not in by_id(folded)
    # "Person 101" is a referral of 29, itself a referral of 5: every group on the way opens.
    found, expand, group = building.find_contact(session, owner, GraphFilters(), "person 101")
    assert (found, expand, group) == (ids[101], frozenset({0, ids[5], ids[29]}), "")
    opened = building.network(session, owner, full_limit=4, expanded=expand)
    assert node_id(found) in by_id(opened)
    assert_consistent(opened)
    # Whatever the case; of several names containing it, the first by name.
    assert building.find_contact(session, owner, GraphFilters(), "PERSON 010")[0] == ids[10]
    assert building.find_contact(session, owner, GraphFilters(), "son 09")[0] == ids[90]
    for query, message in (("  ", "Type part of a name to find."),
                           ("Nobody", "No one called “Nobody” in the network shown."),
                           (7, "Name must be text.")):
        with pytest.raises(InvalidInput) as refused:
            building.find_contact(session, owner, GraphFilters(), query)
        assert (refused.value.field, refused.value.message) == ("name", message)


def test_finding_a_name_never_reaches_another_students_contacts(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    add_tree(session, owner, exploration, [None, 0], name="Hidden")
    other, _ = student_with_exploration(session, 2)
    with pytest.raises(InvalidInput):
        building.find_contact(session, other, GraphFilters(), "Hidden")
    with pytest.raises(NotFound):
        building.find_contact(session, other, GraphFilters(exploration_id=exploration),
                           "Hidden")


def test_statements_do_not_grow_with_the_network(session: Session) -> None:
    small_owner, small_exploration = student_with_exploration(session, 1)
    small = add_tree(session, small_owner, small_exploration, [None, 0, 1])
    big_owner, big_exploration = student_with_exploration(session, 2)
    big = add_tree(session, big_owner, big_exploration,
                   [None, *range(30), *(None for _ in range(100)), *range(40, 90)])
    for cid in big[::10]:
        add_interview(session, session.get(Contact, cid), status=InterviewStatus.COMPLETED)
    counts = []
    for owner, exploration, deepest in ((small_owner, small_exploration, small[2]),
                                        (big_owner, big_exploration, big[30])):
        with statements(session) as seen:
            building.network(session, owner)
            building.network(session, owner, GraphFilters(exploration, frozenset({"identified"})),
                          full_limit=20)
            panel = contact_panel(session, owner, deepest)
        counts.append(len(seen))
    assert len(panel["chain"]) == 32
    assert counts[0] == counts[1]


def test_contact_panel_details_and_next_action(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    rivera = contact_id(session, owner, exploration, "Rivera", source=FACULTY,
                        stage=PipelineStage.THANKED)
    okafor = contact_id(session, owner, exploration, "Okafor", source=REFERRAL,
                        referred_by_id=rivera, stage=PipelineStage.SCHEDULED)
    lin = contact_id(session, owner, exploration, "Lin", source=FAMILY)
    outreach.log_attempt(session, owner, lin, "email", "left_message", date(2026, 3, 2))
    outreach.log_attempt(session, owner, lin, "phone", "no_answer", date(2026, 3, 3))
    panel = contact_panel(session, owner, str(lin))
    assert panel == {
        "contact_id": lin, "name": "Lin", "title": "", "organization": "", "email": "",
        "phone": "", "source_label": "Family", "referred_by": "",
        "exploration_title": "Physical therapy", "stage": "contacted",
        "stage_label": "Contacted",
        "last_outreach": {"when": date_label(date(2026, 3, 3)), "channel_label": "Phone",
                          "outcome_label": "No answer"},
        "next_action": {"label": "Try reaching out again", "exploration_id": exploration,
                        "step": 4},
        "chain": ["student", f"c{lin}"], "chain_names": ["You", "Lin"]}
    scheduled = contact_panel(session, owner, okafor)
    assert scheduled["next_action"] == {
        "label": "Hold the interview: take notes and ask for two more names",
        "exploration_id": exploration, "step": 5}
    assert (scheduled["referred_by"], scheduled["last_outreach"]) == ("Rivera", None)
    assert scheduled["chain"] == ["student", f"c{rivera}", f"c{okafor}"]
    # With Rivera filtered out, the graph hangs Okafor from the student: so does the chain.
    only_booked = GraphFilters(stages=frozenset({"scheduled"}))
    assert contact_panel(session, owner, okafor, only_booked)["chain"] == [
        "student", f"c{okafor}"]
    assert contact_panel(session, owner, rivera)["next_action"] is None
    steps = {PipelineStage.IDENTIFIED: 4, PipelineStage.INTERVIEWED: 6}
    for stage, step in steps.items():
        cid = contact_id(session, owner, exploration, f"At {stage}", stage=stage)
        action = contact_panel(session, owner, cid)["next_action"]
        assert action is not None and (action["exploration_id"], action["step"]) == (
            exploration, step)
    declined = contact_id(session, owner, exploration, "No thanks")
    outreach.log_attempt(session, owner, declined, "email", "declined", date(2026, 3, 2))
    assert contact_panel(session, owner, declined)["next_action"] is None
    loose = contact_id(session, owner, exploration, "Loose", exploration_id=None)
    panel = contact_panel(session, owner, loose)
    assert (panel["exploration_title"], panel["next_action"]) == ("", None)


def test_many_people_known_the_same_way_are_grouped_and_open_as_an_outline(
        session: Session) -> None:
    """One LinkedIn import of 500 (one of whom introduced someone) beside a professor who
    introduced Sam and a relative: the 500 are one closed group node with their count;
    opened, they hang below it, drawn as an outline when the tree is wider than the screen."""
    owner, exploration = student_with_exploration(session, 1)
    rivera = contact_id(session, owner, exploration, "Rivera", source=FACULTY)
    sam = contact_id(session, owner, exploration, "Sam", source=REFERRAL,
                     referred_by_id=rivera)
    lin = contact_id(session, owner, exploration, "Lin", source=FAMILY)
    imported = [contact_id(session, owner, exploration, f"Alum {n:03d}",
                           source=ContactSource.LINKEDIN_ALUMNI) for n in range(500)]
    introduced = contact_id(session, owner, exploration, "Introduced", source=REFERRAL,
                            referred_by_id=imported[7])
    group = "group-linkedin_alumni"

    closed = building.network(session, owner)
    nodes = by_id(closed)
    assert contact_nodes(closed) == {rivera, sam, lin}
    assert {k: nodes[group][k] for k in ("kind", "label", "hidden", "open", "parent")} == {
        "kind": "group", "label": "LinkedIn or alumni: 500", "hidden": 500,
        "open": False, "parent": "student"}
    assert ("student", group, "direct", "") in links(closed)
    assert closed["total_contacts"] == 504 and closed["shown_contacts"] == 3
    assert closed["message"] == ("People you know the same way are grouped: select a group "
                                 "to show them.")
    assert not closed["outline"]
    assert_consistent(closed)

    opened = building.network(session, owner, open_groups=frozenset({"linkedin_alumni"}))
    nodes = by_id(opened)
    assert contact_nodes(opened) == {rivera, sam, lin, introduced, *imported}
    assert nodes[group]["open"] and opened["message"] == ""
    assert all(nodes[node_id(i)]["parent"] == group and nodes[node_id(i)]["depth"] == 2
               for i in imported)
    assert (group, node_id(imported[0]), "direct", "LinkedIn or alumni") in links(opened)
    assert nodes[node_id(introduced)]["parent"] == node_id(imported[7])
    assert_consistent(opened)
    xs = [n["x"] for n in opened["nodes"]]
    assert max(xs) - min(xs) > 100_000  # the tidy tree: one row of 500

    phone = 358 * 0.8 / 0.75  # layout.legible_width(358, 0.1): a 390 px phone's graph
    narrow = building.network(session, owner, open_groups=frozenset({"linkedin_alumni"}),
                              max_width=phone)
    assert narrow["outline"]
    xs = [n["x"] for n in narrow["nodes"]]
    assert max(xs) - min(xs) + 180 <= phone  # no row wider than the screen
    assert len({n["y"] for n in narrow["nodes"]}) == len(narrow["nodes"])  # a node a row
    assert building.tree_list(narrow) == building.tree_list(opened)  # the same order
    laptop = 740 * 0.8 / 0.75  # a laptop's graph: the 500 three to a row
    wide = building.network(session, owner, open_groups=frozenset({"linkedin_alumni"}),
                            max_width=laptop)
    xs = [n["x"] for n in wide["nodes"]]
    assert wide["outline"] and max(xs) - min(xs) + 180 <= laptop
    assert len({n["y"] for n in wide["nodes"]}) < len(wide["nodes"]) / 2
    assert building.tree_list(wide) == building.tree_list(opened)

    # Finding someone in a closed group says which group to open.
    assert building.find_contact(session, owner, GraphFilters(), "alum 123") == (
        imported[123], frozenset({0}), "linkedin_alumni")
    assert building.find_contact(session, owner, GraphFilters(), "introduced") == (
        introduced, frozenset({0, imported[7]}), "linkedin_alumni")
    assert building.find_contact(session, owner, GraphFilters(), "sam")[2] == ""

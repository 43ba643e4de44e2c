"""The student's contact network from the database: who they know directly, who referred
whom, where each contact stands in the pipeline, laid out by network/layout.py, with the
figures beside it and the same graph as an indented list.

Rules (written so the page can tell the student the same):
- Nodes are the student and their contacts. A contact whose ``referred_by_id`` names another
  contact in the graph hangs below that contact ("referral" edge); every other contact hangs
  below the student ("direct" edge, labelled with how the student knows them).
- Bad or partial data never loops: a contact referred by someone outside the contacts that
  match the filters (another exploration, a filtered-out stage or source, a deleted or
  another student's contact) is attached to the student. In a ``referred_by`` cycle, the
  member first by name (then id) is attached to the student and the others keep their
  referrer, so the cycle becomes a chain.
- Up to ``full_limit`` contacts (1,000) are shown in full. Beyond that the nearest ones are
  shown breadth first, a whole group of siblings at a time, and the rest are grouped into one
  "+N more" node per parent (after its shown children), which the student can expand
  (``expanded``).
- More than ``GROUP_FROM`` (8) people the student knows the same way (the contact's source:
  one LinkedIn import brings hundreds) are grouped under one node per source, with their
  count, closed until the student opens it (``open_groups``); their referrals go with them.
- Laid out as a tidy tree, or as an outline when the tree is wider than ``max_width``
  (layout.py): no row wider than the screen at a legible zoom.
- Figures: contacts by depth count every contact matching the filters, shown or not. The
  referral figures describe the interviews of the chosen exploration (or all), whatever the
  stage and source filters: a referral is a contact referred by someone the student has
  completed an interview with; the goal is two per completed interview.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple, TypedDict

from sqlalchemy import bindparam, exists
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import Select

from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    Interview,
    InterviewStatus,
    PipelineStage,
)
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.wording import SOURCE_LABELS, STAGE_LABELS
from infoview_app.services.develop.contacts import fold
from infoview_app.services.journey.explorations import owned_exploration
from infoview_app.services.network.filters import NO_FILTERS, STUDENT, GraphFilters, node_id
from infoview_app.services.network.layout import Forest, SortKey, build_forest, fitted

FULL_LIMIT = 1000
GROUP_FROM = 8  # more direct contacts than this from one source are grouped
SEARCH_MAX = 100  # characters of a name searched for
REFERRAL_GOAL = 2
STUDENT_LABEL = "You"

NodeKind = Literal["student", "contact", "more", "group"]
EdgeKind = Literal["direct", "referral"]


class GraphNode(TypedDict):
    """One node, its x, y the top-left corner; "parent" is the parent's node id ("" for the
    student); "contact_id" is 0 for the student and a group, and, for a "+N more" node, the
    parent's. A group's "source" is the source it groups, "hidden" its people, "open"
    whether they are drawn."""

    id: str
    kind: NodeKind
    contact_id: int
    label: str
    stage: str
    stage_label: str
    source: str
    source_label: str
    hidden: int  # contacts behind a "+N more" node; the people of a group
    open: bool
    x: float
    y: float
    depth: int
    parent: str


class GraphEdge(TypedDict):
    id: str  # "e-" + the target's node id
    source: str
    target: str
    kind: EdgeKind
    label: str


class DepthCount(TypedDict):
    depth: int
    label: str
    contacts: int


class GraphFigures(TypedDict):
    by_depth: list[DepthCount]
    completed_interviews: int
    referrals_obtained: int
    referrals_per_interview: float
    goal: int
    interviews_without_referrals: int


class Network(TypedDict):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    figures: GraphFigures
    total_contacts: int
    shown_contacts: int
    collapsed: bool
    outline: bool  # drawn as an outline (one node a row) rather than a tidy tree
    message: str


class TreeItem(TypedDict):
    """A row of the indented list (level 0 for the student)."""

    id: str
    kind: NodeKind
    contact_id: int
    level: int
    label: str
    stage_label: str
    source_label: str
    hidden: int
    open: bool


class ContactRow(NamedTuple):
    """What the graph reads of a contact."""

    id: int
    referred_by_id: int | None
    name: str
    stage: str
    source: str
    exploration_id: int | None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _contact_rows(session: Session, owner_id: int, filters: GraphFilters) -> list[ContactRow]:
    """Every contact matching the filters: the one query the layout works on."""
    query = select_columns(col(Contact.id), col(Contact.referred_by_id), col(Contact.name),
                           col(Contact.stage), col(Contact.source), col(Contact.exploration_id)
                           ).where(col(Contact.owner_id) == owner_id)
    if filters.exploration_id is not None:
        query = query.where(col(Contact.exploration_id) == filters.exploration_id)
    if filters.stages:
        query = query.where(col(Contact.stage).in_(sorted(filters.stages)))
    if filters.sources:
        query = query.where(col(Contact.source).in_(sorted(filters.sources)))
    return [ContactRow(id_, referred_by, name, stage, source, exploration)
            for id_, referred_by, name, stage, source, exploration
            in session.connection().execute(query)
            if id_ is not None]  # a stored contact always has its id


def _figures_statement(by_exploration: bool) -> Select[int, int, int]:
    """Completed interviews, the referrals they brought and those that brought none, as one
    statement of three counts (built once per variant, at import)."""
    completed: list[Any] = [Interview.owner_id == bindparam("owner_id"),
                            Interview.status == InterviewStatus.COMPLETED]
    if by_exploration:
        completed.append(Interview.exploration_id == bindparam("exploration_id"))
    referred = aliased(Contact)
    interviews = select(func.count()).select_from(Interview).where(*completed)
    referrals = (select(func.count()).select_from(referred).where(
        col(referred.owner_id) == bindparam("owner_id"),
        col(referred.referred_by_id).in_(select(Interview.contact_id).where(*completed))))
    barren = interviews.where(~exists().where(
        col(referred.owner_id) == bindparam("owner_id"),
        col(referred.referred_by_id) == Interview.contact_id))
    return select(interviews.scalar_subquery(), referrals.scalar_subquery(),
                  barren.scalar_subquery())


_FIGURES = {False: _figures_statement(False), True: _figures_statement(True)}


def _referral_figures(session: Session, owner_id: int,
                      exploration_id: int | None, by_depth: list[DepthCount]
                      ) -> GraphFigures:
    params = {"owner_id": owner_id, "exploration_id": exploration_id}
    held, obtained, without = session.exec(_FIGURES[exploration_id is not None],
                                           params=params).one()
    return {"by_depth": by_depth, "completed_interviews": held, "referrals_obtained": obtained,
            "referrals_per_interview": round(obtained / held, 1) if held else 0.0,
            "goal": REFERRAL_GOAL, "interviews_without_referrals": without}


def _shown_set(roots: list[int], children: Mapping[int, list[int]], limit: int,
               expanded: frozenset[int]) -> set[int]:
    """The contacts shown: breadth first from the student (0), a whole sibling group at a
    time while the total stays within ``limit`` (only the student's own group may be cut),
    then every child of an expanded node that is shown."""
    shown: set[int] = set()
    groups: list[list[int]] = [roots]
    for kids in groups:
        if len(shown) + len(kids) > limit:
            if kids is roots:
                shown.update(kids[:limit])
            break
        shown.update(kids)
        groups.extend(children[kid] for kid in kids if children[kid])
    opened = [0, *(node for node in shown if node in expanded)]
    for node in opened:
        if node not in expanded:
            continue
        for kid in roots if node == 0 else children[node]:
            if kid not in shown:
                shown.add(kid)
                opened.append(kid)
    return shown


def contact_forest(rows: Sequence[ContactRow]) -> tuple[dict[int, SortKey], Forest]:
    """The contacts' display order (by name) and their referral forest."""
    order: dict[int, SortKey] = {row.id: (0, fold(row.name), row.id) for row in rows}
    return order, build_forest({row.id: row.referred_by_id for row in rows}, order)


def lineage(forest: Forest, node: int) -> list[int]:
    """The node and those above it in the forest, nearest first."""
    line: list[int] = []
    current: int | None = node
    while current is not None:
        line.append(current)
        current = forest.parent[current]
    return line


def source_groups(rows: Sequence[ContactRow], roots: Sequence[int]) -> dict[str, list[int]]:
    """The sources of which the student knows more than GROUP_FROM people directly, each
    with those people (in ``roots``' order)."""
    by_source: dict[str, list[int]] = {}
    info = {row.id: row for row in rows}
    for root in roots:
        by_source.setdefault(info[root].source, []).append(root)
    return {source: members for source, members in by_source.items()
            if len(members) > GROUP_FROM}


class Found(NamedTuple):
    """A contact found by name, and what to open so that it is drawn: its ancestors' "+N
    more" (0 for the student's) and its group's source ("" if not in a group)."""

    contact_id: int
    parents: frozenset[int]
    group: str


def find_contact(session: Session, owner_id: int, filters: GraphFilters, query: Any
                 ) -> Found:
    """The student's contact (of those matching ``filters``) whose name is ``query``, or
    else the first, by name, whose name contains it; ignoring case. Returns its id and what
    to open so that it is drawn even in a network grouped in "+N more" and source groups
    (see Found). InvalidInput ("name") when no one matches."""
    typed = check.text(query, "name", max_length=SEARCH_MAX, required=False, label="Name")
    if not typed:
        raise InvalidInput("Type part of a name to find.", "name")
    if filters.exploration_id is not None:
        owned_exploration(session, owner_id, filters.exploration_id)
    rows = _contact_rows(session, owner_id, filters)
    needle = typed.casefold()
    order, contacts = contact_forest(rows)
    by_name = sorted(rows, key=lambda row: order[row.id])
    found = (next((row for row in by_name if row.name.casefold() == needle), None)
             or next((row for row in by_name if needle in row.name.casefold()), None))
    if found is None:
        raise InvalidInput(f"No one called “{typed}” in the network shown.", "name")
    line = lineage(contacts, found.id)
    root_source = next(row.source for row in rows if row.id == line[-1])
    grouped = root_source in source_groups(rows, contacts.roots)
    return Found(found.id, frozenset({0, *line[1:]}), root_source if grouped else "")


def _subtree_sizes(sequence: list[int], forest: Mapping[int, int | None]) -> dict[int, int]:
    size = dict.fromkeys(sequence, 1)
    for node in reversed(sequence):
        parent = forest[node]
        if parent is not None:
            size[parent] += size[node]
    return size


class _Place(NamedTuple):
    """Where a node is drawn: its top-left corner, its depth and its parent's node id."""

    x: float
    y: float
    depth: int
    parent: str


def _node(id_: str, kind: NodeKind, contact_id: int, label: str, at: _Place, *,
          stage: str = "", stage_label: str = "", source: str = "", source_label: str = "",
          hidden: int = 0, is_open: bool = False) -> GraphNode:
    return {"id": id_, "kind": kind, "contact_id": contact_id, "label": label,
            "stage": stage, "stage_label": stage_label, "source": source,
            "source_label": source_label, "hidden": hidden, "open": is_open, "x": at.x,
            "y": at.y, "depth": at.depth, "parent": at.parent}


# Layout ids: 0 the student, contact ids, -(parent + 1) for "+N more" nodes, and below
# GROUP_BASE one per source group (by the source's place in ContactSource).
GROUP_BASE = -(1 << 62)
SOURCES = list(ContactSource)


def _group_key(source: str) -> int:
    return GROUP_BASE - SOURCES.index(ContactSource(source))


def group_node_id(source: str) -> str:
    return f"group-{source}"


def _subtrees(forest: Forest, tops: Sequence[int]) -> set[int]:
    """The nodes of the subtrees below ``tops`` (included)."""
    nodes = list(tops)
    for node in nodes:  # grows while read
        nodes.extend(forest.children[node])
    return set(nodes)


def network(session: Session, owner_id: int, filters: GraphFilters = NO_FILTERS,
            expanded: frozenset[int] = frozenset(), full_limit: int = FULL_LIMIT, *,
            open_groups: frozenset[str] = frozenset(), max_width: float | None = None
            ) -> Network:
    """The graph of the student's contacts matching ``filters``, laid out, with the figures
    beside it. ``expanded`` holds the parents (contact ids, 0 for the student) whose
    "+N more" node the student opened, ``open_groups`` the sources whose group is open;
    ``max_width`` the widest tidy tree (layout units) drawn as a tree rather than an
    outline (None: always a tree). A constant number of statements: the exploration's
    owner check (if filtered), the contacts, the three referral counts."""
    if filters.exploration_id is not None:  # refused beside the exploration filter
        owned(session, Exploration, owner_id, filters.exploration_id, "exploration",
              field="exploration_id")
    rows = _contact_rows(session, owner_id, filters)
    info = {row.id: row for row in rows}
    order, contacts = contact_forest(rows)
    by_depth: dict[int, int] = {}  # the student is at depth 0, her contacts from 1
    for depth in contacts.depth.values():
        by_depth[depth + 1] = by_depth.get(depth + 1, 0) + 1

    groups = source_groups(rows, contacts.roots)
    group_of = {member: source for source, members in groups.items() for member in members}
    folded = _subtrees(contacts, [member for source, members in groups.items()
                                  if source not in open_groups for member in members])
    roots = [root for root in contacts.roots if root not in folded]
    collapsed = len(rows) - len(folded) > full_limit
    shown = (_shown_set(roots, contacts.children, full_limit, expanded) if collapsed
             else set(contacts.sequence) - folded)
    size = _subtree_sizes(contacts.sequence, contacts.parent)
    hidden_under: dict[int, int] = {}  # parent (0 = student) -> contacts behind its "more"
    for node in contacts.sequence:
        parent = contacts.parent[node] or 0
        if node not in shown and node not in folded and (parent == 0 or parent in shown):
            hidden_under[parent] = hidden_under.get(parent, 0) + size[node]

    layout_parents: dict[int, int | None] = {0: None}
    layout_order: dict[int, SortKey] = {0: (0, "", 0)}
    for source in groups:
        layout_parents[_group_key(source)] = 0
        layout_order[_group_key(source)] = (1, SOURCES.index(ContactSource(source)), 0)
    for node in contacts.sequence:
        if node in shown:
            up = contacts.parent[node]
            layout_parents[node] = (up if up is not None
                                    else _group_key(group_of[node]) if node in group_of
                                    else 0)
            layout_order[node] = order[node]
    for parent in hidden_under:
        layout_parents[-(parent + 1)] = parent
        layout_order[-(parent + 1)] = (2, "", 0)
    layout = build_forest(layout_parents, layout_order)
    position, as_outline = fitted(layout, max_width)

    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    stack = [0]
    while stack:  # depth first, children left to right
        node = stack.pop()
        stack.extend(reversed(layout.children[node]))
        parent = layout.parent[node]
        above = ("" if parent is None else group_node_id(SOURCES[GROUP_BASE - parent])
                 if parent <= GROUP_BASE else node_id(parent))
        at = _Place(*position[node], layout.depth[node], above)
        if node == 0:
            nodes.append(_node(STUDENT, "student", 0, STUDENT_LABEL, at))
            continue
        assert parent is not None
        if node <= GROUP_BASE:
            source = SOURCES[GROUP_BASE - node]
            people = len(groups[source])
            nodes.append(_node(group_node_id(source), "group", 0,
                               f"{SOURCE_LABELS[source]}: {people:,}", at,
                               source=source.value, source_label=SOURCE_LABELS[source],
                               hidden=people, is_open=source in open_groups))
            edges.append({"id": f"e-{group_node_id(source)}", "source": above,
                          "target": group_node_id(source), "kind": "direct", "label": ""})
            continue
        kind: EdgeKind = "direct" if parent in (0, *map(_group_key, groups)) else "referral"
        if node < 0:
            more_id = f"more-{parent or STUDENT}"
            count = hidden_under[parent]
            nodes.append(_node(more_id, "more", parent, f"+{count:,} more", at,
                               hidden=count))
            edges.append({"id": f"e-{more_id}", "source": above, "target": more_id,
                          "kind": kind, "label": ""})
            continue
        row = info[node]
        stage, source = PipelineStage(row.stage), ContactSource(row.source)
        nodes.append(_node(node_id(node), "contact", node, row.name, at,
                           stage=stage.value, stage_label=STAGE_LABELS[stage],
                           source=source.value, source_label=SOURCE_LABELS[source]))
        edges.append({"id": f"e-c{node}", "source": above, "target": node_id(node),
                      "kind": kind,
                      "label": SOURCE_LABELS[source] if kind == "direct" else "referred"})

    shown_count = len(shown)
    if collapsed:
        message = (f"Showing {shown_count:,} of {len(rows):,} contacts. The farther ones "
                   "are grouped in “+N more” nodes: select one to show them.")
    elif any(source not in open_groups for source in groups):
        message = ("People you know the same way are grouped: select a group to show "
                   "them.")
    elif not rows:
        message = ("No contacts match these filters." if filters != NO_FILTERS
                   else "No contacts yet: add the people you know in step 2, Develop.")
    else:
        message = ""
    return {
        "nodes": nodes,
        "edges": edges,
        "figures": _referral_figures(
            session, owner_id, filters.exploration_id,
            [{"depth": d, "label": f"{_ordinal(d)} degree", "contacts": n}
             for d, n in sorted(by_depth.items())]),
        "total_contacts": len(rows),
        "shown_contacts": shown_count,
        "collapsed": collapsed,
        "outline": as_outline,
        "message": message,
    }


def tree_list(network_dict: Network) -> list[TreeItem]:
    """The graph as an indented list for screen readers and keyboards: the same nodes,
    depth first, children in the graph's left-to-right order, with their level (0 for
    the student)."""
    nodes = network_dict["nodes"]
    kids: dict[str, list[GraphNode]] = {}
    for node in sorted(nodes, key=lambda n: (n["y"], n["x"])):  # siblings: by row, then across
        kids.setdefault(node["parent"], []).append(node)
    items: list[TreeItem] = []
    stack = [(node, 0) for node in reversed(kids.get("", []))]
    while stack:
        node, level = stack.pop()
        items.append({"id": node["id"], "kind": node["kind"], "contact_id": node["contact_id"],
                      "level": level, "label": node["label"],
                      "stage_label": node["stage_label"], "source_label": node["source_label"],
                      "hidden": node["hidden"], "open": node["open"]})
        stack.extend((kid, level + 1) for kid in reversed(kids.get(node["id"], [])))
    return items



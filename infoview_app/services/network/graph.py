"""The student's contact network as a graph: who they know directly, who referred whom, where
each contact stands in the pipeline, and a deterministic layered layout computed here.

Rules (written so the page can tell the student the same):
- Nodes are the student and their contacts. A contact whose ``referred_by_id`` names another
  contact in the graph hangs below that contact ("referral" edge); every other contact hangs
  below the student ("direct" edge, labelled with how the student knows them).
- Bad or partial data never loops: a contact referred by someone outside the contacts that
  match the filters (another exploration, a filtered-out stage or source, a deleted or
  another student's contact) is attached to the student. In a ``referred_by`` cycle, the
  member first by name (then id) is attached to the student and the others keep their
  referrer, so the cycle becomes a chain.
- The referral network is a forest, laid out as a tidy tree: layers by depth, children
  ordered by name then id, every parent centred over its first and last child, subtrees
  packed as close as NODE_GAP allows without overlapping.
- Up to ``full_limit`` contacts (1,000) are shown in full. Beyond that the nearest ones are
  shown breadth first, a whole group of siblings at a time, and the rest are grouped into one
  "+N more" node per parent (after its shown children), which the student can expand
  (``expanded``).
- Figures: contacts by depth count every contact matching the filters, shown or not. The
  referral figures describe the interviews of the chosen exploration (or all), whatever the
  stage and source filters: a referral is a contact referred by someone the student has
  completed an interview with; the goal is two per completed interview.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, desc, func, select

from infoview_app import routes
from infoview_app.models import (
    Contact,
    ContactSource,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewStatus,
    OutreachAttempt,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
)
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.wording import (
    CHANNEL_LABELS,
    FOLLOW_UP_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    STAGE_LABELS,
    STEP_NAMES,
)
from infoview_app.services.develop.contacts import fold
from infoview_app.services.journey.explorations import owned_exploration

# Node geometry shared with the page: x, y are a node's top-left corner (React Flow's
# position) for a node NODE_WIDTH x NODE_HEIGHT; neighbours in a layer are at least
# NODE_GAP apart, layers LAYER_GAP apart (top to top).
NODE_WIDTH = 180
NODE_HEIGHT = 64
NODE_GAP = 24
LAYER_GAP = 120
X_STEP = NODE_WIDTH + NODE_GAP

FULL_LIMIT = 1000
SEARCH_MAX = 100  # characters of a name searched for
REFERRAL_GOAL = 2
STUDENT = "student"
STUDENT_LABEL = "You"
STEP_CONNECT, STEP_INTERVIEW, STEP_FOLLOW_UP = (
    STEP_NAMES.index(name) + 1 for name in ("Connect", "Interview", "Follow-up"))
_OUTREACH_KINDS = (FollowUpKind.OUTREACH_NUDGE, FollowUpKind.MOVE_ON)


@dataclass(frozen=True)
class GraphFilters:
    exploration_id: int | None = None  # None = all of the student's contacts
    stages: frozenset[str] = frozenset()  # empty = all
    sources: frozenset[str] = frozenset()  # empty = all


def _choices(value: Any, enum: type[PipelineStage] | type[ContactSource],
             field: str) -> frozenset[str]:
    """A set of enum values from a list (or a comma-separated string) the browser sent."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple | set | frozenset) or len(value) > 2 * len(enum):
        raise InvalidInput("Choose from the listed options.", field)
    return frozenset(check.choice(item.strip() if isinstance(item, str) else item, enum,
                                  field).value for item in value)


def parse_filters(exploration_id: Any, stages: Any, sources: Any) -> GraphFilters:
    """The filters as the browser sent them, validated: an exploration id ("" or None for
    all), and lists of stage and source values (empty for all)."""
    clean = check.form(
        exploration_id=lambda: (
            None if exploration_id is None or exploration_id in ("", "all")
            else check.record_id(exploration_id, "exploration_id")),
        stages=lambda: _choices(stages, PipelineStage, "stages"),
        sources=lambda: _choices(sources, ContactSource, "sources"),
    )
    return GraphFilters(**clean)


def expand_target(node_id: Any) -> int:
    """The parent a "+N more" node stands under, from its node id: 0 for "more-student",
    the contact id for "more-<id>". What ``network(expanded=...)`` takes."""
    if isinstance(node_id, str) and node_id.startswith("more-"):
        rest = node_id.removeprefix("more-")
        if rest == STUDENT:
            return 0
        try:
            return check.record_id(rest, "node")
        except InvalidInput:
            pass
    raise InvalidInput("Unknown node.", "node")


def filter_options(session: Session, owner_id: int) -> dict[str, list[dict[str, Any]]]:
    """What the filters offer: the student's explorations (newest first), the stages in
    pipeline order and the sources."""
    rows = session.exec(select(Exploration.id, Exploration.field_name)
                        .where(Exploration.owner_id == owner_id)
                        .order_by(desc(Exploration.created_at), desc(Exploration.id))).all()
    return {
        "explorations": [{"id": row.id, "title": row.field_name} for row in rows],
        "stages": [{"value": s.value, "label": STAGE_LABELS[s]} for s in PipelineStage],
        "sources": [{"value": s.value, "label": SOURCE_LABELS[s]} for s in ContactSource],
    }


# ---------------------------------------------------------------------------------------
# The pure part: a forest from a parent mapping, and its layout.


def _key(order: Mapping[int, tuple], node: int) -> tuple:
    return (order[node], node)


def resolve_forest(parents: Mapping[int, int | None],
                   order: Mapping[int, tuple]) -> dict[int, int | None]:
    """``parents`` made a forest: a parent that is not a key (or the node itself) becomes
    None, and in each cycle the member first in ``order`` (then by id) becomes a root.
    The choice depends only on the cycle's members, so it is the same whatever the
    mapping's iteration order."""
    forest = {node: (parent if parent in parents and parent != node else None)
              for node, parent in parents.items()}
    settled: set[int] = set()
    for start in forest:
        path: dict[int, int] = {}  # node -> position on the walk up from start
        walk: list[int] = []
        node: int | None = start
        while node is not None and node not in settled:
            if node in path:
                cycle = walk[path[node]:]
                forest[min(cycle, key=lambda n: _key(order, n))] = None
                break
            path[node] = len(walk)
            walk.append(node)
            node = forest[node]
        settled.update(walk)
    return forest


@dataclass
class _Forest:
    """A resolved forest: each node's parent (None for a root), the roots and each node's
    children in order, every node breadth first, and each node's depth (roots at 0)."""

    parent: dict[int, int | None]
    roots: list[int]
    children: dict[int, list[int]]
    sequence: list[int]
    depth: dict[int, int]


def _forest(parents: Mapping[int, int | None], order: Mapping[int, tuple]) -> _Forest:
    parent = resolve_forest(parents, order)
    roots: list[int] = []
    children: dict[int, list[int]] = {node: [] for node in parent}
    for node, up in parent.items():
        (roots if up is None else children[up]).append(node)
    roots.sort(key=lambda n: _key(order, n))
    for kids in children.values():
        kids.sort(key=lambda n: _key(order, n))
    sequence = list(roots)
    depth = dict.fromkeys(roots, 0)
    for node in sequence:  # the list grows while it is read: a queue without popping
        sequence.extend(children[node])
        for kid in children[node]:
            depth[kid] = depth[node] + 1
    return _Forest(parent, roots, children, sequence, depth)


class _Contour:
    """One side of a subtree's outline: x (relative to the subtree's root) at each depth,
    stored as ``xs[depth] + shift`` so a subtree moves in O(1)."""

    __slots__ = ("shift", "xs")

    def __init__(self, depth: int) -> None:
        self.xs = {depth: 0.0}
        self.shift = 0.0

    def at(self, depth: int) -> float:
        return self.xs[depth] + self.shift

    def set(self, depth: int, x: float) -> None:
        self.xs[depth] = x - self.shift


def layered_layout(parents: Mapping[int, int | None],
                   order: Mapping[int, tuple]) -> dict[int, tuple[float, float]]:
    """Positions (top-left x, y) of every key of ``parents`` in a tidy layered tree.

    ``parents`` maps each node to its parent (None for a root; an unknown parent or a cycle
    is resolved by ``resolve_forest``); ``order`` gives each node's sort key among its
    siblings (ties broken by id). Depth d is at y = d * LAYER_GAP. Roots are laid side by
    side and centred on x = 0 (a single root sits at x = 0). Linear in the number of nodes
    plus the sum over merges of the shallower subtree's height; no recursion.
    """
    return _place(_forest(parents, order))


def _place(forest: _Forest) -> dict[int, tuple[float, float]]:
    """The tidy layout of a resolved forest (see layered_layout)."""
    children, depth = forest.children, forest.depth
    offset: dict[int, float] = {}  # x relative to the parent (roots: to the origin)
    outline: dict[int, tuple[_Contour, _Contour]] = {}

    def pack(kids: list[int], top: int) -> tuple[_Contour, _Contour] | None:
        """Place sibling subtrees left to right as close as they fit; set their offsets
        relative to their centre and return the outline around that centre (None if no
        kids). Each merge costs the height of the shallower side."""
        if not kids:
            return None
        left, right = outline.pop(kids[0])
        positions = [0.0]
        for kid in kids[1:]:
            kid_left, kid_right = outline.pop(kid)
            common = min(len(right.xs), len(kid_left.xs))
            at = max(right.at(d) - kid_left.at(d) for d in range(top, top + common)) + X_STEP
            positions.append(at)
            kid_left.shift += at
            kid_right.shift += at
            # Left outline: the earlier siblings' where they reach, the new one's below.
            if len(kid_left.xs) > len(left.xs):
                for d in range(top, top + len(left.xs)):
                    kid_left.set(d, left.at(d))
                left = kid_left
            # Right outline: the new sibling's where it reaches, the earlier ones' below.
            if len(kid_right.xs) >= len(right.xs):
                right = kid_right
            else:
                for d in range(top, top + len(kid_right.xs)):
                    right.set(d, kid_right.at(d))
        centre = (positions[0] + positions[-1]) / 2
        for kid, at in zip(kids, positions, strict=True):
            offset[kid] = at - centre
        left.shift -= centre
        right.shift -= centre
        return left, right

    for node in reversed(forest.sequence):  # children before their parent
        below = pack(children[node], depth[node] + 1)
        if below is None:
            outline[node] = (_Contour(depth[node]), _Contour(depth[node]))
            continue
        for side in below:
            side.set(depth[node], 0.0)
        outline[node] = below
    pack(forest.roots, 0)
    x: dict[int, float] = {}
    for node in forest.sequence:
        parent = forest.parent[node]
        x[node] = offset[node] + (x[parent] if parent is not None else 0.0)
    return {node: (x[node], float(depth[node] * LAYER_GAP)) for node in forest.sequence}


# ---------------------------------------------------------------------------------------
# The network of one student.


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _contact_rows(session: Session, owner_id: int, filters: GraphFilters) -> list[Any]:
    """(id, referred_by_id, name, stage, source) of every contact matching the filters:
    the one query the layout works on."""
    query = select(Contact.id, Contact.referred_by_id, Contact.name, Contact.stage,
                   Contact.source).where(Contact.owner_id == owner_id)
    if filters.exploration_id is not None:
        query = query.where(Contact.exploration_id == filters.exploration_id)
    if filters.stages:
        query = query.where(col(Contact.stage).in_(sorted(filters.stages)))
    if filters.sources:
        query = query.where(col(Contact.source).in_(sorted(filters.sources)))
    return list(session.exec(query).all())


def _figures_statement(by_exploration: bool) -> Any:
    """Completed interviews, the referrals they brought and those that brought none, as one
    statement of three counts (built once per variant, at import)."""
    completed: list[Any] = [Interview.owner_id == bindparam("owner_id"),
                            Interview.status == InterviewStatus.COMPLETED]
    if by_exploration:
        completed.append(Interview.exploration_id == bindparam("exploration_id"))
    referred = aliased(Contact)
    interviews = select(func.count()).select_from(Interview).where(*completed)
    referrals = (select(func.count()).select_from(referred).where(
        referred.owner_id == bindparam("owner_id"),
        col(referred.referred_by_id).in_(select(Interview.contact_id).where(*completed))))
    barren = interviews.where(~exists().where(
        referred.owner_id == bindparam("owner_id"),
        referred.referred_by_id == Interview.contact_id))
    return select(interviews.scalar_subquery(), referrals.scalar_subquery(),
                  barren.scalar_subquery())


_FIGURES = {False: _figures_statement(False), True: _figures_statement(True)}


def _referral_figures(session: Session, owner_id: int,
                      exploration_id: int | None) -> dict[str, Any]:
    params = {"owner_id": owner_id, "exploration_id": exploration_id}
    held, obtained, without = session.exec(_FIGURES[exploration_id is not None],
                                           params=params).one()
    return {"completed_interviews": held, "referrals_obtained": obtained,
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


def _contact_forest(rows: list[Any]) -> tuple[dict[int, tuple], _Forest]:
    """The contacts' display order (by name) and their referral forest."""
    order = {row.id: (0, fold(row.name), row.id) for row in rows}
    return order, _forest({row.id: row.referred_by_id for row in rows}, order)


def _lineage(forest: _Forest, node: int) -> list[int]:
    """The node and those above it in the forest, nearest first."""
    line: list[int] = []
    current: int | None = node
    while current is not None:
        line.append(current)
        current = forest.parent[current]
    return line


def find_contact(session: Session, owner_id: int, filters: GraphFilters, query: Any
                 ) -> tuple[int, frozenset[int]]:
    """The student's contact (of those matching ``filters``) whose name is ``query``, or
    else the first, by name, whose name contains it; ignoring case. Returns its id and the
    parents (0 for the student) to expand so that it is drawn even in a network grouped in
    "+N more" nodes: all its ancestors. InvalidInput ("name") when no one matches."""
    typed = check.text(query, "name", max_length=SEARCH_MAX, required=False, label="Name")
    if not typed:
        raise InvalidInput("Type part of a name to find.", "name")
    if filters.exploration_id is not None:
        owned_exploration(session, owner_id, filters.exploration_id)
    rows = _contact_rows(session, owner_id, filters)
    needle = typed.casefold()
    order, contacts = _contact_forest(rows)
    by_name = sorted(rows, key=lambda row: order[row.id])
    found = (next((row for row in by_name if row.name.casefold() == needle), None)
             or next((row for row in by_name if needle in row.name.casefold()), None))
    if found is None:
        raise InvalidInput(f"No one called “{typed}” in the network shown.", "name")
    return found.id, frozenset({0, *_lineage(contacts, found.id)[1:]})


def _subtree_sizes(sequence: list[int], forest: Mapping[int, int | None]) -> dict[int, int]:
    size = dict.fromkeys(sequence, 1)
    for node in reversed(sequence):
        parent = forest[node]
        if parent is not None:
            size[parent] += size[node]
    return size


def node_id(contact_id: int) -> str:
    return f"c{contact_id}" if contact_id else STUDENT


def network(session: Session, owner_id: int, filters: GraphFilters = GraphFilters(),
            expanded: frozenset[int] = frozenset(), full_limit: int = FULL_LIMIT
            ) -> dict[str, Any]:
    """The graph of the student's contacts matching ``filters``, laid out, with the figures
    beside it. ``expanded`` holds the parents (contact ids, 0 for the student) whose
    "+N more" node the student opened. A constant number of statements: the exploration's
    owner check (if filtered), the contacts, the three referral counts."""
    if filters.exploration_id is not None:
        owned_exploration(session, owner_id, filters.exploration_id)
    rows = _contact_rows(session, owner_id, filters)
    info = {row.id: row for row in rows}
    order, contacts = _contact_forest(rows)
    by_depth: dict[int, int] = {}  # the student is at depth 0, her contacts from 1
    for depth in contacts.depth.values():
        by_depth[depth + 1] = by_depth.get(depth + 1, 0) + 1

    collapsed = len(rows) > full_limit
    shown = (_shown_set(contacts.roots, contacts.children, full_limit, expanded)
             if collapsed else set(contacts.sequence))
    size = _subtree_sizes(contacts.sequence, contacts.parent)
    hidden_under: dict[int, int] = {}  # parent (0 = student) -> contacts behind its "more"
    for node in contacts.sequence:
        parent = contacts.parent[node] or 0
        if node not in shown and (parent == 0 or parent in shown):
            hidden_under[parent] = hidden_under.get(parent, 0) + size[node]

    # Layout ids: 0 the student, contact ids, and -(parent + 1) for "+N more" nodes.
    layout_parents: dict[int, int | None] = {0: None}
    layout_order: dict[int, tuple] = {0: (0, "", 0)}
    for node in contacts.sequence:
        if node in shown:
            layout_parents[node] = contacts.parent[node] or 0
            layout_order[node] = order[node]
    for parent in hidden_under:
        layout_parents[-(parent + 1)] = parent
        layout_order[-(parent + 1)] = (1, "", 0)
    layout = _forest(layout_parents, layout_order)
    position = _place(layout)

    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    stack = [0]
    while stack:  # depth first, children left to right
        node = stack.pop()
        stack.extend(reversed(layout.children[node]))
        parent = layout.parent[node]
        x, y = position[node]
        common = {"x": x, "y": y, "depth": layout.depth[node],
                  "parent": "" if parent is None else node_id(parent)}
        if node == 0:
            nodes.append({"id": STUDENT, "kind": "student", "contact_id": 0,
                          "label": STUDENT_LABEL, "stage": "", "stage_label": "",
                          "source": "", "source_label": "", "hidden": 0, **common})
            continue
        assert parent is not None
        kind = "direct" if parent == 0 else "referral"
        if node < 0:
            more_id = f"more-{parent or STUDENT}"
            count = hidden_under[parent]
            nodes.append({"id": more_id, "kind": "more", "contact_id": parent,
                          "label": f"+{count:,} more", "stage": "", "stage_label": "",
                          "source": "", "source_label": "", "hidden": count, **common})
            edges.append({"id": f"e-{more_id}", "source": common["parent"],
                          "target": more_id, "kind": kind, "label": ""})
            continue
        row = info[node]
        stage, source = PipelineStage(row.stage), ContactSource(row.source)
        nodes.append({"id": node_id(node), "kind": "contact", "contact_id": node,
                      "label": row.name, "stage": stage.value,
                      "stage_label": STAGE_LABELS[stage], "source": source.value,
                      "source_label": SOURCE_LABELS[source], "hidden": 0, **common})
        edges.append({"id": f"e-c{node}", "source": common["parent"],
                      "target": node_id(node), "kind": kind,
                      "label": SOURCE_LABELS[source] if kind == "direct" else "referred"})

    shown_count = len(shown)
    if collapsed:
        message = (f"Showing {shown_count:,} of {len(rows):,} contacts. The farther ones "
                   "are grouped in “+N more” nodes: select one to show them.")
    elif not rows:
        message = ("No contacts match these filters." if filters != GraphFilters()
                   else "No contacts yet: add the people you know in step 2, Develop.")
    else:
        message = ""
    return {
        "nodes": nodes,
        "edges": edges,
        "figures": {
            "by_depth": [{"depth": d, "label": f"{_ordinal(d)} degree", "contacts": n}
                         for d, n in sorted(by_depth.items())],
            **_referral_figures(session, owner_id, filters.exploration_id),
        },
        "total_contacts": len(rows),
        "shown_contacts": shown_count,
        "collapsed": collapsed,
        "message": message,
    }


def tree_list(network_dict: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The graph as an indented list for screen readers and keyboards: the same nodes,
    depth first, children in the graph's left-to-right order, with their level (0 for
    the student)."""
    nodes = network_dict["nodes"]
    kids: dict[str, list[dict[str, Any]]] = {}
    for node in sorted(nodes, key=lambda n: n["x"]):
        kids.setdefault(node["parent"], []).append(node)
    items: list[dict[str, Any]] = []
    stack = [(node, 0) for node in reversed(kids.get("", []))]
    while stack:
        node, level = stack.pop()
        items.append({"id": node["id"], "kind": node["kind"], "contact_id": node["contact_id"],
                      "level": level, "label": node["label"],
                      "stage_label": node["stage_label"], "source_label": node["source_label"],
                      "hidden": node["hidden"]})
        stack.extend((kid, level + 1) for kid in reversed(kids.get(node["id"], [])))
    return items


# ---------------------------------------------------------------------------------------
# The side panel of one contact.


def _matches(row: Any, filters: GraphFilters) -> bool:
    return ((filters.exploration_id is None or row.exploration_id == filters.exploration_id)
            and (not filters.stages or row.stage in filters.stages)
            and (not filters.sources or row.source in filters.sources))


def _chain(session: Session, owner_id: int, contact_id: int,
           filters: GraphFilters) -> tuple[list[str], str]:
    """The node ids from the student down to the contact, as the graph with these filters
    links them, and the referrer's name. The contact's referrers are read with one
    recursive query (UNION, not UNION ALL: a cycle ends when its rows repeat)."""
    columns = (Contact.id, Contact.referred_by_id, Contact.name, Contact.stage,
               Contact.source, Contact.exploration_id)
    ancestors = (select(*columns).where(Contact.id == contact_id, Contact.owner_id == owner_id)
                 .cte("ancestors", recursive=True))
    parent = aliased(Contact)
    ancestors = ancestors.union(
        select(*(getattr(parent, c.key) for c in columns))
        .join(ancestors, col(parent.id) == ancestors.c.referred_by_id)
        .where(parent.owner_id == owner_id))
    rows = {row.id: row for row in session.exec(select(*ancestors.c)).all()}
    referrer = rows.get(rows[contact_id].referred_by_id)
    kept = {cid: row for cid, row in rows.items() if cid == contact_id or _matches(row, filters)}
    _, forest = _contact_forest(list(kept.values()))
    chain = [STUDENT, *(node_id(node) for node in reversed(_lineage(forest, contact_id)))]
    return chain, referrer.name if referrer is not None else ""


def _next_action(stage: PipelineStage, open_task: FollowUpKind | None,
                 last_outcome: OutreachOutcome | None) -> tuple[str, int] | None:
    """What to do next with a contact and the step that does it: the earliest open
    follow-up if there is one, else what the stage calls for."""
    if open_task is not None:
        step = STEP_CONNECT if open_task in _OUTREACH_KINDS else STEP_FOLLOW_UP
        return FOLLOW_UP_LABELS[open_task], step
    match stage:
        case PipelineStage.IDENTIFIED:
            return "Reach out and ask for 20-30 minutes of their time", STEP_CONNECT
        case PipelineStage.CONTACTED if last_outcome is not OutreachOutcome.DECLINED:
            return "Follow up on your outreach and book the interview", STEP_CONNECT
        case PipelineStage.SCHEDULED:
            return "Hold the interview: take notes and ask for two more names", STEP_INTERVIEW
        case PipelineStage.INTERVIEWED:
            return FOLLOW_UP_LABELS[FollowUpKind.THANK_YOU_NOTE], STEP_FOLLOW_UP
    return None


def contact_panel(session: Session, owner_id: int, contact_id: Any,
                  filters: GraphFilters = GraphFilters()) -> dict[str, Any]:
    """The side panel of one of the student's contacts (NotFound for anyone else's). The
    chain follows the graph drawn with ``filters``."""
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    assert contact.id is not None
    chain, referrer = _chain(session, owner_id, contact.id, filters)
    attempt = session.exec(
        select(OutreachAttempt.attempted_on, OutreachAttempt.channel, OutreachAttempt.outcome)
        .where(OutreachAttempt.owner_id == owner_id, OutreachAttempt.contact_id == contact.id)
        .order_by(desc(OutreachAttempt.attempted_on), desc(OutreachAttempt.id)).limit(1)
    ).first()
    task = session.exec(
        select(FollowUpTask.kind)
        .where(FollowUpTask.owner_id == owner_id, FollowUpTask.contact_id == contact.id,
               FollowUpTask.status == FollowUpStatus.OPEN)
        .order_by(FollowUpTask.due_on, FollowUpTask.id).limit(1)).first()
    title = ""
    if contact.exploration_id is not None:
        title = session.exec(select(Exploration.field_name).where(
            Exploration.id == contact.exploration_id,
            Exploration.owner_id == owner_id)).first() or ""
    stage = PipelineStage(contact.stage)
    outcome = OutreachOutcome(attempt.outcome) if attempt is not None else None
    action = _next_action(stage, FollowUpKind(task) if task is not None else None, outcome)
    return {
        "contact_id": contact.id,
        "name": contact.name,
        "title": contact.title,
        "organization": contact.organization,
        "email": contact.email,
        "phone": contact.phone,
        "source_label": SOURCE_LABELS[ContactSource(contact.source)],
        "referred_by": referrer,
        "exploration_title": title,
        "stage": stage.value,
        "stage_label": STAGE_LABELS[stage],
        "last_outreach": None if attempt is None else {
            "when": attempt.attempted_on.isoformat(),
            "channel_label": CHANNEL_LABELS[OutreachChannel(attempt.channel)],
            "outcome_label": OUTCOME_LABELS[outcome] if outcome is not None else ""},
        "next_action": None if action is None or not title else {
            "label": action[0],
            "url": routes.exploration_url(contact.exploration_id, action[1])},
        "chain": chain,
        "chain_edges": [f"e-{node}" for node in chain[1:]],  # an edge's id is "e-" + target
    }

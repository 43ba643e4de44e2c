"""The contact network page: filters, the graph's nodes and edges, the selected contact's
panel and the list view. The network and its layout come from services/network/, which
scopes everything to the signed-in student; this state links the panel's next action to its
step."""

import json
import re
from typing import Any

import reflex as rx

from infoview_app import db, routes
from infoview_app.services.core.errors import ServiceError
from infoview_app.services.network import building, layout, panel
from infoview_app.services.network.filters import (
    GraphFilters,
    expand_target,
    filter_options,
    node_id,
    parse_filters,
)
from infoview_app.state.base import STUDENT, FormState, SessionState, guarded

FILTERS = ("exploration", "stage", "source")
# The filters' values that draw all the contacts.
EVERYONE: dict[str, str] = dict.fromkeys(FILTERS, "")
VIEWS = ("graph", "list")
# Above this many nodes React Flow puts only the nodes in view into the page (a phone draws
# a 1,000-contact network faster: see docs/benchmarks.md); Tab then reaches the nodes in view,
# and the list view has them all.
WINDOWED_FROM = 300
# Readable before complete: the graph opens at a zoom that draws labels at 12 px at least
# (layout.LEGIBLE_ZOOM); the layout is never wider than that (an outline otherwise), and a
# network taller than the screen opens on its first rows.
FIT_ALL = {"padding": 0.1, "maxZoom": 1.0, "minZoom": layout.LEGIBLE_ZOOM}
# What the page reports of its graph (set_screen): width and height in CSS px, and whether
# it is a phone's (the contact's details then open in a half-height sheet below the graph).
SCREEN_MIN, SCREEN_MAX = 100, 20_000
DEFAULT_HEIGHT = 500  # the graph's height (CSS px) assumed until the page reports it
# On a phone, a selected contact's chain is fitted into the graph above the sheet: the
# contact and its ancestors up to this far above it (layout units).
CHAIN_SPAN = 300
# Node and edge ids come from services/network/building.py; only these characters go into the
# page's CSS.
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _flow_node(node: building.GraphNode, outline: bool) -> dict[str, Any]:
    """A React Flow node from one of the service's nodes (its x, y are the top-left corner,
    as React Flow's position). In an outline, lines leave and enter nodes on their left."""
    kind = node["kind"]
    classes = ["iv-node", f"iv-node-{kind}"]
    if kind == "contact":
        classes += [f"iv-stage-{node['stage']}", f"iv-source-{node['source']}"]
        aria = f"{node['label']}: {node['stage_label']}, {node['source_label']}"
    elif kind == "more":
        aria = f"{node['label']} contacts: press Enter to show them"
    elif kind == "group":
        classes.append("iv-group-open" if node["open"] else "iv-group-closed")
        aria = (f"{node['label']} people you know this way: press Enter to "
                + ("hide them" if node["open"] else "show them"))
    else:
        aria = "You"
    return {
        "id": node["id"],
        "position": {"x": node["x"], "y": node["y"]},
        "data": {"label": node["label"], "kind": kind, "contact_id": node["contact_id"],
                 "source": node["source"]},
        **({"type": "input"} if kind == "student" else {}),
        **({"sourcePosition": "left", "targetPosition": "left"} if outline else {}),
        "className": " ".join(classes),
        "ariaLabel": aria,
        "width": layout.NODE_WIDTH,
        "height": layout.NODE_HEIGHT,
    }


def _flow_edge(edge: building.GraphEdge, outline: bool) -> dict[str, Any]:
    return {"id": edge["id"], "source": edge["source"], "target": edge["target"],
            "className": f"iv-edge iv-edge-{edge['kind']}",
            **({"type": "smoothstep", "pathOptions": {"offset": 14, "borderRadius": 6}}
               if outline else {})}


def _first_screen(nodes: list[dict[str, Any]], height: float) -> list[dict[str, str]]:
    """The nodes that fit, from the top, into a graph ``height`` CSS px tall at the legible
    zoom: what a network taller than the screen opens on."""
    room = layout.legible_width(height, FIT_ALL["padding"]) - layout.NODE_HEIGHT
    top = min(node["position"]["y"] for node in nodes)
    return [{"id": node["id"]} for node in nodes if node["position"]["y"] - top <= room]


def _panel_view(contact: panel.ContactPanel) -> dict[str, Any]:
    """The panel as the page shows it: the next action links to its step."""
    action = contact["next_action"]
    return {**contact, "next_action": None if action is None else {
        "label": action["label"],
        "url": routes.exploration_url(action["exploration_id"], action["step"])}}


def drawn_chain(chain: list[str], edges: list[dict[str, Any]]) -> list[str]:
    """The chain's node ids as the graph draws it: a person the student knows directly
    hangs under their source's group node (building.GROUP_FROM) when there are many, and
    that group is then part of the chain between "You" and them."""
    above = {edge["target"]: edge["source"] for edge in edges}
    path = chain[:1]
    for node in chain[1:]:
        group = above.get(node, "")
        if group.startswith("group-") and group != path[-1]:
            path.append(group)
        path.append(node)
    return path


def chain_css(chain: list[str]) -> str:
    """CSS that highlights the referral chain's nodes and edges, so that selecting a contact
    sends this short text rather than every node again."""
    ids = [i for i in chain if _SAFE_ID.match(i)]
    edge_ids = [f"e-{i}" for i in ids[1:]]  # an edge's id is "e-" + its target's
    if not ids:
        return ""
    rules = [", ".join(f'.iv-graph .react-flow__node[data-id="{i}"]' for i in ids)
             + " { box-shadow: 0 0 0 3px var(--iv-chain); }",
             f'.iv-graph .react-flow__node[data-id="{ids[-1]}"] {{ '
             "box-shadow: 0 0 0 4px var(--iv-chain), 0 0 0 8px var(--iv-chain-halo); }"]
    if edge_ids:
        rules.append(", ".join(f'.react-flow__edge[data-id="{i}"] .react-flow__edge-path'
                               for i in edge_ids)
                     + " { stroke: var(--iv-chain); stroke-width: 3; stroke-dasharray: none; }")
    return "\n".join(rules)


class NetworkState(FormState, SessionState):
    nodes: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    edges: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    rows: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    figures: rx.Field[dict[str, Any]] = rx.field(default_factory=dict)
    explorations: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    stages: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    sources: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    exploration: rx.Field[str] = rx.field("")
    stage: rx.Field[str] = rx.field("")
    source: rx.Field[str] = rx.field("")
    total: rx.Field[int] = rx.field(0)
    shown: rx.Field[int] = rx.field(0)
    message: rx.Field[str] = rx.field("")
    # Changes with every newly drawn network (or a search), so React Flow fits it (or the
    # node found) into view.
    drawing: rx.Field[int] = rx.field(0)
    fit: rx.Field[dict[str, Any]] = rx.field(default_factory=FIT_ALL.copy)
    windowed: rx.Field[bool] = rx.field(False)
    outline: rx.Field[bool] = rx.field(False)  # drawn as an outline, one node a row
    selected: rx.Field[dict[str, Any]] = rx.field(default_factory=dict)
    highlight: rx.Field[str] = rx.field("")
    view: rx.Field[str] = rx.field("graph")
    loaded: rx.Field[bool] = rx.field(False)

    _expanded: list[int] = []
    _open_groups: list[str] = []
    _tree: list[building.TreeItem] = []
    # The graph's size in CSS px and whether the screen is a phone's, as the page reported
    # (set_screen); until then the network is drawn as a tidy tree.
    _screen: tuple[int, int, bool] | None = None

    @rx.var
    def empty(self) -> bool:
        """The student has no contacts at all (not merely none that match the filters)."""
        return self.total == 0 and not (self.exploration or self.stage or self.source)

    def _filters(self, values: dict[str, str]) -> GraphFilters:
        return parse_filters(values["exploration"],
                                   [values["stage"]] if values["stage"] else [],
                                   [values["source"]] if values["source"] else [])

    def _current_filters(self) -> dict[str, str]:
        return {"exploration": self.exploration, "stage": self.stage, "source": self.source}

    def _draw(self, values: dict[str, str], expanded: list[int] | None = None) -> None:
        """Ask the service for the network with these filter values (and these "+N more"
        opened, else those open now) and copy it into the vars. A refused filter (or someone
        else's exploration) raises before anything changes: the network stays as it was and
        the guard says why beside the filter."""
        filters = self._filters(values)
        screen = self._screen
        with db.session() as session:
            data = building.network(
                session, self._user_id, filters,
                frozenset(self._expanded if expanded is None else expanded),
                open_groups=frozenset(self._open_groups if expanded is None else []),
                max_width=(None if screen is None
                           else layout.legible_width(screen[0], FIT_ALL["padding"])))
        if expanded is not None:
            self._expanded = expanded
            self._open_groups = []
        self._tree = building.tree_list(data)
        windowed = len(data["nodes"]) > WINDOWED_FROM
        nodes = [_flow_node(n, data["outline"]) for n in data["nodes"]]
        # A network taller than the graph opens on its first rows.
        fit = ({**FIT_ALL, "nodes": _first_screen(nodes, screen[1] if screen else
                                                  DEFAULT_HEIGHT)}
               if nodes else FIT_ALL)
        self._assign(nodes=nodes,
                     edges=[_flow_edge(e, data["outline"]) for e in data["edges"]],
                     rows=self._tree if self.view == "list" else [], figures=data["figures"],
                     total=data["total_contacts"], shown=data["shown_contacts"],
                     message=data["message"], selected={}, highlight="", loaded=True,
                     fit=fit, windowed=windowed, outline=data["outline"], **values)
        self.drawing += 1

    def _node(self, node_id: Any) -> dict[str, Any] | None:
        """A node of the network on screen; ids the page did not draw are ignored."""
        if not isinstance(node_id, str):
            return None
        return next((node for node in self.nodes if node["id"] == node_id), None)

    def _draw_everyone(self, error: ServiceError) -> None:
        """How load is refused (an exploration in the URL that is not the student's, or not
        an id): the message beside the exploration filter, and all the student's contacts
        drawn (no filter: nothing the service could refuse)."""
        self._refuse_input(error)
        self._draw(EVERYONE)

    @guarded(STUDENT, refused=_draw_everyone)
    def load(self) -> None:
        """/network draws all the student's contacts; ?exploration=N those of one field."""
        exploration = self.router.url.query_parameters.get("exploration", "")
        self._expanded, self._open_groups = [], []
        self._assign(errors={}, view="graph", loaded=False)
        with db.session() as session:
            options = filter_options(session, self._user_id)
        self._assign(explorations=[{"value": str(o["id"]), "label": o["title"]}
                                   for o in options["explorations"]],
                     stages=options["stages"], sources=options["sources"])
        self._draw({**EVERYONE, "exploration": exploration}
                   if exploration and isinstance(exploration, str) else EVERYONE)

    @guarded(STUDENT)
    def set_filter(self, field: str, value: str) -> None:
        if field not in FILTERS or not isinstance(value, str):
            return
        self.errors = {}
        self._draw({**self._current_filters(), field: value}, expanded=[])

    @guarded(STUDENT)
    def clear_filters(self) -> None:
        self._assign(errors={})
        self._draw(EVERYONE, expanded=[])

    @guarded(STUDENT)
    def select_node(self, node_id: str) -> None:
        """A node was clicked, tapped or chosen with the keyboard (or a row of the list)."""
        node = self._node(node_id)
        if node is None:
            return
        kind = node["data"]["kind"]
        if kind == "more":
            target = expand_target(node["id"])
            if target not in self._expanded:
                self._expanded = [*self._expanded, target]
            self._draw(self._current_filters())
        elif kind == "group":
            source = node["data"]["source"]
            opened = source not in self._open_groups
            self._open_groups = ([*self._open_groups, source] if opened
                                 else [s for s in self._open_groups if s != source])
            self._draw(self._current_filters())
            if opened:  # the graph opens on the group and its first people
                top = next(n["position"]["y"] for n in self.nodes if n["id"] == node["id"])
                self.fit = {**FIT_ALL, "nodes": _first_screen(
                    [n for n in self.nodes if n["position"]["y"] >= top],
                    self._screen[1] if self._screen else DEFAULT_HEIGHT)}
            # The group (its node, or its row in the list) keeps the keyboard focus.
            return focus_row(node["id"]) if self.view == "list" else focus_node(node["id"])
        elif kind == "contact":
            self._open(node["data"]["contact_id"])
            return self._reveal_on_phone(node["id"])
        return None

    def _open(self, contact_id: int) -> None:
        filters = self._filters(self._current_filters())
        with db.session() as session:
            contact = panel.contact_panel(session, self._user_id, contact_id, filters)
        chain = drawn_chain(contact["chain"], self.edges)
        self._assign(errors={}, selected={**_panel_view(contact), "chain": chain},
                     highlight=chain_css(chain))

    def _reveal_on_phone(self, found: str) -> Any:
        """On a phone the details open in a sheet over the lower half of the screen: draw the
        graph again in the upper half (a CSS rule shortens it), fitted around the contact and
        the chain above it, scroll it to the top and keep the focus on the contact."""
        if self._screen is None or not self._screen[2]:
            return None
        chain = [item for item in self.selected["chain"] if self._node(item) is not None]
        at = {node["id"]: node["position"]["y"] for node in self.nodes}
        shown = [item for item in chain if at[found] - at[item] <= CHAIN_SPAN] or [found]
        self._assign(fit={**FIT_ALL, "nodes": [{"id": item} for item in shown]})
        self.drawing += 1
        return [rx.call_script("document.querySelector('.iv-graph')?.scrollIntoView("
                               "{block: 'start'})"), focus_node(found, scroll=False)]

    @guarded(STUDENT)
    def close_panel(self) -> Any:
        """Close the details; on a phone the graph gets its full height back, refitted."""
        self._assign(selected={}, highlight="")
        if self._screen is not None and self._screen[2]:
            self._draw(self._current_filters())

    @guarded(STUDENT)
    def set_screen(self, screen: Any) -> None:
        """The page's graph reported its size (width and height, CSS px) and whether the
        screen is a phone's; the network is drawn again if the layout depends on it."""
        if (not isinstance(screen, list) or len(screen) != 3
                or not all(isinstance(v, int | float) and not isinstance(v, bool)
                           and SCREEN_MIN <= v <= SCREEN_MAX for v in screen[:2])
                or not isinstance(screen[2], bool)):
            return
        reported = (int(screen[0]), int(screen[1]), screen[2])
        if reported != self._screen:
            self._screen = reported
            if self.loaded and not self.empty:
                self._draw(self._current_filters())

    @guarded(STUDENT)
    def set_view(self, view: str | list[str]) -> None:
        """The graph or the list; the list's rows are sent only when it is shown."""
        if view in VIEWS:
            self._assign(view=view, rows=self._tree if view == "list" else [])

    @guarded(STUDENT)
    def search(self, form_data: dict[str, Any]) -> Any:
        """Find a name among the contacts the filters select, even one folded into a "+N
        more" node (which is then opened): open its panel and move focus to it."""
        self.errors = {}
        query = form_data.get("name") if isinstance(form_data, dict) else None
        with db.session() as session:  # a refusal goes beside its field, through the guard
            contact_id, parents, group = building.find_contact(
                session, self._user_id, self._filters(self._current_filters()), query)
        found = node_id(contact_id)
        if self._node(found) is None:
            self._expanded = sorted(set(self._expanded) | parents)
            if group and group not in self._open_groups:
                self._open_groups = [*self._open_groups, group]
            self._draw(self._current_filters())
        self._open(contact_id)
        if self.view == "list":
            return focus_row(found)
        if (revealed := self._reveal_on_phone(found)) is not None:
            return revealed
        # Draw the graph again fitted around the node found, then give it keyboard focus.
        self._assign(fit={**FIT_ALL, "nodes": [{"id": found}]})
        self.drawing += 1
        return focus_node(found)


def _focus_when_drawn(selector: str, options: str = "") -> Any:
    """Focus an element once React has put it in the page (within about a second)."""
    return rx.call_script(
        "(function focus(tries) { const element = document.querySelector("
        f"{json.dumps(selector)}); if (element) {{ element.focus({options}); }} "
        "else if (tries > 0) { requestAnimationFrame(() => focus(tries - 1)); } })(60)")


def focus_node(node_id: str, *, scroll: bool = True) -> Any:
    """Give a drawn node keyboard focus (and its focus ring); ``scroll=False`` leaves the
    page where it is."""
    return _focus_when_drawn(f'.react-flow__node[data-id="{node_id}"]',
                             "{focusVisible: true" + ("" if scroll else ", preventScroll: true")
                             + "}")


def focus_row(node_id: str) -> Any:
    return _focus_when_drawn(f'[data-node="{node_id}"]')

"""The contact network drawn by React Flow (@xyflow/react), wrapped as Reflex components.

The state hands React Flow its nodes and edges (positions from services/network/layout.py);
panning and zooming stay in the browser. React Flow's nodes are DOM elements: focusable, with an
``aria-label``, and Enter or Space on a focused node selects it just as a click or a tap does.
Each of those reaches the page through ``onNodesChange`` as a "select" change; the callback
built by ``node_selected`` forwards only the newly selected node's id to the state, so
measuring the nodes (also reported through onNodesChange) costs no server round trip.
React Flow's code is loaded after the page's first paint: as ``NoSSRComponent``s, its
components are imported with a dynamic ``import()`` (Reflex's ``ClientSide`` renders each once
loaded), so the bundler gives React Flow a chunk of its own instead of putting it in the page's
module (/network's first load 1,028 to 852 KiB of JavaScript); the graph's box has its height
from the first paint, so nothing moves when it is drawn.
"""

from typing import Any

import reflex as rx
from reflex_base.components.component import NoSSRComponent
from reflex_base.event import EventChain, EventHandler, EventSpec
from reflex_base.utils.imports import ImportDict
from reflex_base.vars.base import LiteralVar, Var
from reflex_base.vars.function import FunctionStringVar

XYFLOW = "@xyflow/react@12.12.1"
XYFLOW_CSS = "@xyflow/react/dist/style.css"

NODE_HELP = ("Press Enter or Space to open this contact's details; Tab moves to the next "
             "contact.")
# Screen-reader texts of React Flow, in the app's words (its defaults speak of dragging).
ARIA_LABELS = {
    # React Flow 12 reads the second key while keyboard access is on: both say the same.
    "node.a11yDescription.default": NODE_HELP,
    "node.a11yDescription.keyboardDisabled": NODE_HELP,
    "edge.a11yDescription.default": "A line from a person to someone they introduced you to.",
    "controls.ariaLabel": "Zoom the network",
    "controls.zoomIn.ariaLabel": "Zoom in",
    "controls.zoomOut.ariaLabel": "Zoom out",
    "controls.fitView.ariaLabel": "Fit the network to the screen",
}


def _changes_spec(changes: Var[list[dict[str, Any]]]) -> tuple[Var[list[dict[str, Any]]]]:
    return (changes,)


def _node_id_spec(node_id: Var[str]) -> tuple[Var[str]]:
    return (node_id,)


class _XYFlow(NoSSRComponent):
    library = XYFLOW


class ReactFlow(_XYFlow):
    """React Flow's canvas; its parent must have a height."""

    tag = "ReactFlow"

    nodes: rx.Var[list[dict[str, Any]]]
    edges: rx.Var[list[dict[str, Any]]]
    fit_view: rx.Var[bool]
    fit_view_options: rx.Var[dict[str, Any]]
    min_zoom: rx.Var[float]
    max_zoom: rx.Var[float]
    nodes_draggable: rx.Var[bool]
    nodes_connectable: rx.Var[bool]
    nodes_focusable: rx.Var[bool]
    edges_focusable: rx.Var[bool]
    elements_selectable: rx.Var[bool]
    delete_key_code: rx.Var[str | None]
    selection_key_code: rx.Var[str | None]
    multi_selection_key_code: rx.Var[str | None]
    only_render_visible_elements: rx.Var[bool]
    zoom_on_double_click: rx.Var[bool]
    prevent_scrolling: rx.Var[bool]
    aria_label_config: rx.Var[dict[str, str]]
    color_mode: rx.Var[str]
    attribution_position: rx.Var[str]

    on_nodes_change: rx.EventHandler[_changes_spec]

    def add_imports(self) -> ImportDict:
        return {"": XYFLOW_CSS}


class Controls(_XYFlow):
    """Zoom in, zoom out and fit buttons (labelled through ReactFlow's aria_label_config)."""

    tag = "Controls"

    show_interactive: rx.Var[bool]
    position: rx.Var[str]
    fit_view_options: rx.Var[dict[str, Any]]


class Background(_XYFlow):
    tag = "Background"

    gap: rx.Var[int]


def node_selected(handler: EventHandler | EventSpec) -> Var:
    """An onNodesChange callback that calls ``handler(node_id)`` when a node became selected
    (by click, tap, Enter or Space) and does nothing for other changes."""
    chain = LiteralVar.create(EventChain.create(handler, args_spec=_node_id_spec))
    return FunctionStringVar.create(
        "((changes) => { const picked = (changes || []).find((change) => "
        "change.type === 'select' && change.selected); "
        f"if (picked) {{ ({chain})(picked.id); }} }})",
        _var_data=chain._get_all_var_data(),
    )


def network_graph(nodes: Var, edges: Var, on_select: EventHandler, *, key: Var, fit: Var,
                  windowed: Var, shape: Var, label: str = "Contact network") -> rx.Component:
    """The interactive graph. ``key`` changes when a new network is drawn, so React Flow
    fits it into view (``fit``: fitView's options); selecting a node keeps the viewport as
    the student left it. The zoom buttons' fit button goes back to that same view (its
    minimum zoom keeps the labels legible), not to the whole of a network taller than the
    screen. ``windowed`` puts only the nodes in view into the page. ``shape``
    ("tree" or "outline") is marked on the graph as ``data-layout``."""
    return rx.box(
        ReactFlow.create(
            Background.create(gap=24),
            Controls.create(show_interactive=False, position="bottom-right",
                            fit_view_options=fit),
            nodes=nodes,
            edges=edges,
            fit_view=True,
            fit_view_options=fit,
            only_render_visible_elements=windowed,
            min_zoom=0.05,
            max_zoom=2.0,
            nodes_draggable=False,
            nodes_connectable=False,
            nodes_focusable=True,
            edges_focusable=False,
            elements_selectable=True,
            delete_key_code=None,
            selection_key_code=None,
            multi_selection_key_code=None,
            zoom_on_double_click=False,
            aria_label_config=ARIA_LABELS,
            color_mode=rx.color_mode_cond(light="light", dark="dark"),
            attribution_position="bottom-left",  # clear of the zoom buttons
            on_nodes_change=node_selected(on_select),
            key=key,
        ),
        class_name="iv-graph",
        custom_attrs={"data-layout": shape},
        role="region",
        aria_label=label,
    )

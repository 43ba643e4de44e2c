"""The contact network as the page shows it once its data has come: who the student knows
in the field and who introduced whom, as a graph or as an indented list, with the selected
contact's details and the figures.

``contact_network`` is an ``rx.memo`` in a module of its own (Reflex writes a module's memos
into one file mirroring it), which pages/network.py imports after the first paint
(``after_first_paint``).
"""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, figure, section
from infoview_app.components.forms import field_error, form_error, select_field
from infoview_app.components.network_graph import network_graph
from infoview_app.services.network.building import SEARCH_MAX
from infoview_app.state.network import NetworkState as State


def _filter(name: str, error_key: str, label: str, options: rx.Var) -> rx.Component:
    return select_field(label, name, State.errors, options, all_label="All",
                        field_id=f"field-network-{name}", error_key=error_key,
                        value=getattr(State, name), on_change=State.set_filter(name))


def _search() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.box(
                rx.el.label("Find a name", html_for="field-network-name",
                            class_name="iv-label"),
                rx.input(id="field-network-name", name="name", size="2", width="100%",
                         max_length=SEARCH_MAX, aria_describedby="name-error",
                         type="search"),
                field_error("name", State.errors),
                flex="1", min_width="10rem",
            ),
            rx.button(rx.icon("search", size=16, aria_hidden="true"), "Find", type="submit",
                      size="2"),
            align="end", width="100%",
        ),
        on_submit=State.search,
        aria_label="Find a contact",
    )


def _toolbar() -> rx.Component:
    return rx.box(
        rx.box(
            _filter("exploration", "exploration_id", "Field", State.explorations),
            _filter("stage", "stages", "Stage", State.stages),
            _filter("source", "sources", "Source", State.sources),
            class_name="iv-network-filters",
        ),
        rx.hstack(
            _search(),
            rx.segmented_control.root(
                rx.segmented_control.item("Graph", value="graph"),
                rx.segmented_control.item("List", value="list"),
                value=State.view, on_change=State.set_view, aria_label="Show the network as",
            ),
            align="end", wrap="wrap", width="100%", spacing="3",
        ),
        class_name="iv-network-toolbar",
    )


def _detail(label: str, value: rx.Var) -> rx.Component:
    return rx.cond(value.to(str) != "", rx.fragment(
        rx.el.dt(label), rx.el.dd(value.to(str))))


def _panel() -> rx.Component:
    contact = State.selected
    outreach = contact["last_outreach"]
    action = contact["next_action"]
    return rx.el.aside(
        rx.hstack(
            rx.heading(contact["name"].to(str), as_="h2", size="5", id="network-panel-title"),
            rx.spacer(),
            rx.icon_button(rx.icon("x", size=18, aria_hidden="true"), variant="ghost",
                           size="2", on_click=State.close_panel, aria_label="Close details"),
            align="center", width="100%",
        ),
        rx.text(rx.cond((contact["title"].to(str) != "") & (contact["organization"].to(str)
                                                               != ""),
                        contact["title"].to(str) + " · " + contact["organization"].to(str),
                        contact["title"].to(str) + contact["organization"].to(str)), size="2"),
        rx.hstack(
            rx.el.span(contact["stage_label"].to(str),
                       class_name="iv-stage-chip iv-stage-" + contact["stage"].to(str)),
            rx.badge(contact["source_label"].to(str), color_scheme="gray"),
            wrap="wrap", margin_y="0.5rem",
        ),
        rx.el.dl(
            # The referral chain in words, so that it stays readable when the sheet covers
            # part of the graph: You, then Prof. Lee, then Jane Doe.
            rx.el.dt("Referral chain"),
            rx.el.dd(rx.el.ol(rx.foreach(contact["chain_names"].to(list[str]), rx.el.li),
                              class_name="iv-chain-path")),
            _detail("Field", contact["exploration_title"]),
            _detail("Introduced by", contact["referred_by"]),
            _detail("Email", contact["email"]),
            _detail("Phone", contact["phone"]),
            class_name="iv-details",
        ),
        rx.heading("Last outreach", as_="h3", size="2", margin_top="0.5rem"),
        rx.cond(
            outreach,
            rx.text(outreach.to(dict)["when"].to(str) + " · "
                    + outreach.to(dict)["channel_label"].to(str) + " · "
                    + outreach.to(dict)["outcome_label"].to(str), size="2"),
            rx.text("None logged yet.", size="2", color_scheme="gray"),
        ),
        rx.cond(action, rx.link(
            rx.button(action.to(dict)["label"].to(str), rx.icon("arrow-right", size=16,
                                                                  aria_hidden="true"),
                      size="3", width="100%", class_name="iv-next-action"),
            href=action.to(dict)["url"].to(str), width="100%", margin_top="0.75rem")),
        rx.link("Interview notes", href=routes.notes_url(contact["contact_id"]), size="2",
                margin_top="0.5rem"),
        class_name="iv-network-panel",
        aria_labelledby="network-panel-title",
    )


def _figures() -> rx.Component:
    figures = State.figures
    return section(
        "Your network in numbers",
        rx.table.root(
            rx.table.header(rx.table.row(rx.table.column_header_cell("Who"),
                                         rx.table.column_header_cell("Contacts"))),
            rx.table.body(rx.foreach(figures["by_depth"].to(list[dict]), lambda row:
                                     rx.table.row(rx.table.cell(row["label"]),
                                                  rx.table.cell(row["contacts"])))),
            size="1", variant="surface", width="100%", aria_label="Contacts by distance",
        ),
        rx.box(
            figure("Interviews completed", figures["completed_interviews"].to_string()),
            figure("Referrals obtained", figures["referrals_obtained"].to_string()),
            figure("Referrals per interview", figures["referrals_per_interview"].to_string()),
            figure("Interviews without a referral",
                   figures["interviews_without_referrals"].to_string()),
            class_name="iv-figures iv-network-figures",
        ),
        rx.text("Aim for ", figures["goal"].to_string(), " names from every conversation: "
                "ask each person who else you should talk to.", size="2",
                color_scheme="gray"),
    )


def _legend_list(options: rx.Var, mark: str) -> rx.Component:
    return rx.el.ul(rx.foreach(options, lambda option: rx.el.li(
        rx.el.span(class_name=mark + option["value"].to(str), aria_hidden="true"),
        option["label"])), class_name="iv-legend")


def _legend() -> rx.Component:
    """The stages and sources as the filters name them, with their colour and mark."""
    return section(
        "Legend",
        rx.heading("Colour: stage", as_="h3", size="2"),
        _legend_list(State.stages, "iv-swatch iv-stage-"),
        rx.heading("Mark: how you know them", as_="h3", size="2", margin_top="0.5rem"),
        _legend_list(State.sources, "iv-mark iv-source-"),
        rx.text("A line joins a person to someone they introduced you to.", size="1",
                color_scheme="gray", margin_top="0.5rem"),
    )


def _row_button(row: ObjectVar[dict[str, Any]], *children: rx.Component) -> rx.Component:
    return rx.el.button(
        rx.el.span("Level " + row["level"].to_string() + ": ", class_name="iv-sr-only"),
        *children,
        type="button", class_name="iv-tree-button", custom_attrs={"data-node": row["id"]},
        on_click=State.select_node(row["id"].to(str)),
        aria_current=rx.cond(State.selected["contact_id"].to(int) == row["contact_id"].to(int),
                             "true", "false"),
    )


def _row(row: ObjectVar[dict[str, Any]]) -> rx.Component:
    """One line of the list view: the student, a contact, or a "+N more" group."""
    return rx.el.li(
        rx.match(
            row["kind"],
            ("student", rx.el.span("You", class_name="iv-tree-name iv-tree-root")),
            ("more", _row_button(row, rx.el.span(row["label"].to(str) + ": show them",
                                                 class_name="iv-tree-name iv-tree-more"))),
            ("group", _row_button(row, rx.el.span(
                row["label"].to(str) + rx.cond(row["open"], ": hide them", ": show them").to(str),
                class_name="iv-tree-name iv-tree-more"))),
            _row_button(row,
                        rx.el.span(row["label"], class_name="iv-tree-name"),
                        rx.el.span(row["stage_label"].to(str) + " · "
                                   + row["source_label"].to(str), class_name="iv-tree-meta")),
        ),
        class_name="iv-tree-item",
        style={"--iv-level": row["level"].to_string()},
    )


def _list_view() -> rx.Component:
    return rx.el.ul(rx.foreach(State.rows, _row), class_name="iv-tree",
                    aria_label="Contact network as a list")


@rx.memo
def contact_network() -> rx.Component:
    return rx.box(
        _toolbar(),
        form_error(State.errors),
        rx.cond(
            State.total > 0,
            rx.box(
                rx.cond(State.message != "", rx.callout(State.message, icon="info", size="1",
                                                        margin_bottom="0.75rem")),
                rx.text(State.shown.to_string() + " of " + State.total.to_string()
                        + " contacts shown", size="1", color_scheme="gray",
                        margin_bottom="0.25rem"),
                rx.box(
                    rx.box(
                        rx.cond(State.view == "list", _list_view(),
                                rx.box(network_graph(State.nodes, State.edges,
                                                     State.select_node,
                                                     key=State.drawing.to_string(),
                                                     fit=State.fit, windowed=State.windowed,
                                                     shape=rx.cond(State.outline, "outline",
                                                                   "tree")),
                                       # Measured when shown, and again when the
                                                       # window's width changes (a rotation).
                                       rx.el.button(on_click=rx.call_script(
                                           SCREEN_SCRIPT, callback=State.set_screen),
                                           id=REMEASURE_ID, type="button", hidden=True),
                                       on_mount=[rx.call_script(SCREEN_SCRIPT,
                                                                callback=State.set_screen),
                                                 rx.call_script(REMEASURE_ON_RESIZE)])),
                        class_name="iv-network-main",
                    ),
                    rx.box(
                        rx.cond(State.selected.contains("name"), _panel()),
                        _figures(),
                        _legend(),
                        class_name="iv-network-side",
                    ),
                    class_name="iv-network",
                ),
            ),
            empty_state("filter-x", "No contacts match these filters.",
                        rx.button("Show everyone", size="2", variant="soft",
                                  on_click=State.clear_filters)),
        ),
        rx.el.style(State.highlight),
        # Selecting a node keeps the focus on it: say where its details appeared.
        rx.el.p(rx.cond(State.selected.contains("name"),
                        "Details of " + State.selected["name"].to(str) + " shown.", ""),
                aria_live="polite", class_name="iv-sr-only"),
    )


# The graph's size and whether the screen is a phone's (the width the phone rules of
# assets/styles.css start below), for NetworkState.set_screen.
SCREEN_SCRIPT = ("(() => { const box = document.querySelector('.iv-graph')"
                 "?.getBoundingClientRect(); return box ? [Math.round(box.width), "
                 "Math.round(box.height), matchMedia('(max-width: 767.98px)').matches] "
                 ": null; })()")


REMEASURE_ID = "iv-graph-remeasure"
# Once a page: when the window's width changes (a phone turned, a window resized; not a
# phone's toolbar sliding, which changes only the height), measure the graph again.
REMEASURE_ON_RESIZE = (
    "if (!window.ivRemeasure) { let width = innerWidth, timer = 0; window.ivRemeasure = () => "
    "{ if (innerWidth === width) return; width = innerWidth; clearTimeout(timer); "
    f"timer = setTimeout(() => document.getElementById('{REMEASURE_ID}')?.click(), 200); }}; "
    "addEventListener('resize', window.ivRemeasure); }")

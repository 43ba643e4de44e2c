"""Step 1 · Research: choose the field's occupation, read about it, keep notes."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app.components.cards import empty_state, section
from infoview_app.components.forms import field_error, form_error, kept_text_area
from infoview_app.services.research.field_research import RESEARCH_NOTES_MAX
from infoview_app.services.research.occupations import ONET_CREDIT, ONET_MODIFIED_NOTE, QUERY_MAX
from infoview_app.state.exploration import unsent_key
from infoview_app.state.research import ResearchState as State


def _tasks(tasks: rx.Var) -> rx.Component:
    return rx.el.ul(rx.foreach(tasks, lambda task: rx.el.li(rx.text(task, size="2"))),
                    class_name="iv-guidance-list")


def _credit() -> rx.Component:
    return rx.text(ONET_CREDIT, size="1", color_scheme="gray", class_name="iv-credit")


def _result(result: ObjectVar) -> rx.Component:
    title = result["title"].to(str)
    return rx.box(
        rx.hstack(
            rx.vstack(rx.heading(title, as_="h4", size="3"),
                      rx.text(result["code"], size="1", color_scheme="gray"), spacing="0"),
            rx.spacer(),
            rx.button("Choose", size="2", on_click=State.choose(result["code"]),
                      aria_label="Choose " + title),
            align="start", width="100%",
        ),
        rx.text(result["description"], size="2", margin_y="0.4rem"),
        _tasks(result["tasks"].to(list[str])),
        class_name="iv-list-item",
    )


def _chosen() -> rx.Component:
    occupation = State.occupation
    return rx.box(
        rx.hstack(
            rx.vstack(rx.text("Your occupation", size="1", color_scheme="gray"),
                      rx.heading(occupation["title"].to(str), as_="h3", size="5"),
                      rx.text(occupation["code"].to(str), size="1", color_scheme="gray"),
                      spacing="0"),
            rx.spacer(),
            rx.button("Change", variant="soft", size="2", on_click=State.choose("")),
            align="start", width="100%",
        ),
        rx.text(occupation["description"].to(str), size="2", margin_y="0.5rem"),
        rx.text("Typical tasks", weight="medium", size="2"),
        rx.el.ul(rx.foreach(occupation["tasks"].to(list[dict]),
                            lambda task: rx.el.li(rx.text(task["statement"], size="2"))),
                 class_name="iv-guidance-list"),
        rx.cond(occupation["source"].to(str) == "onet", _credit()),
        class_name="iv-list-item",
    )


def _search() -> rx.Component:
    return rx.box(
        rx.form(
            rx.hstack(
                rx.box(
                    rx.el.label("Search occupations", html_for="field-query",
                                class_name="iv-label"),
                    rx.input(id="field-query", name="query", placeholder="e.g. physical therapist",
                             size="3", width="100%", max_length=QUERY_MAX,
                             aria_describedby="query-error"),
                    field_error("query", State.errors),
                    flex="1", min_width="12rem",
                ),
                rx.button("Search", type="submit", size="3"),
                align="end", wrap="wrap", width="100%",
            ),
            on_submit=State.search,
            aria_label="Occupation search",
        ),
        rx.cond(
            State.searched,
            rx.cond(
                State.results.length() > 0,
                rx.vstack(rx.foreach(State.results, _result),
                          rx.text(ONET_MODIFIED_NOTE, size="1", color_scheme="gray"),
                          _credit(), width="100%", margin_top="0.75rem"),
                empty_state("search-x", "No occupation matches those words. Try a shorter or "
                            "more general word, such as \"therapist\" or \"design\"."),
            ),
        ),
        width="100%",
    )


def _links() -> rx.Component:
    return rx.el.ul(
        rx.foreach(State.links, lambda link: rx.el.li(
            rx.link(link["label"], href=link["href"], is_external=True))),
        class_name="iv-guidance-list",
    )


def _notes() -> rx.Component:
    return rx.vstack(
        rx.el.label("Research notes (Markdown)", html_for="field-research-notes",
                    class_name="iv-label"),
        kept_text_area(State, unsent_key("exploration", State.exploration_id, "research"),
                       id="field-research-notes", default_value=State.notes,
                       on_change=State.save_notes.debounce(700), rows="8", width="100%",
                       max_length=RESEARCH_NOTES_MAX, key=State.exploration_id.to_string(),
                       aria_describedby="research_notes-error notes-status"),
        field_error("research_notes", State.errors),
        rx.text(State.notes_status, id="notes-status", size="1", color_scheme="gray",
                aria_live="polite"),
        rx.cond(State.notes_html != "",
                rx.box(rx.html(State.notes_html), class_name="iv-markdown",
                       aria_label="Notes preview")),
        width="100%",
        spacing="2",
    )


def research_panel() -> rx.Component:
    return rx.vstack(
        section("The occupation",
                rx.cond(State.occupation.contains("code"), _chosen(), _search()),
                form_error(State.errors, "occupation")),
        section("Read more", _links()),
        section("Your notes", _notes()),
        width="100%",
        spacing="4",
    )

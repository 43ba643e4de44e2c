"""Interview notes: search them all; read, print or download one contact's interviews."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, page_heading, section
from infoview_app.components.forms import field_error
from infoview_app.components.shell import app_shell
from infoview_app.services.notes.notes_view import QUERY_MAX
from infoview_app.state.notes import NotesState as State


def _result(result: ObjectVar) -> rx.Component:
    research = result["interview_id"].to(int) == 0
    return rx.box(
        rx.cond(research,
                rx.link(result["field_name"], href=routes.exploration_url(
                    result["exploration_id"], 1), weight="bold"),
                rx.link(result["contact_name"], href=routes.notes_url(result["contact_id"]),
                        weight="bold")),
        rx.text(rx.cond(research, "", result["field_name"].to(str) + " · "),
                result["date"], " · ", result["where"], size="1", color_scheme="gray"),
        rx.text(result["before"], rx.el.mark(result["match"]), result["after"], size="2"),
        class_name="iv-list-item", role="listitem",
    )


def _search() -> rx.Component:
    return section(
        "Search your notes",
        rx.text("Finds words in your interview notes and answers, and in your research "
                "notes.", size="2", color_scheme="gray", margin_bottom="0.5rem"),
        rx.form(
            rx.hstack(
                rx.box(
                    rx.el.label("Words to find", html_for="field-notes-query",
                                class_name="iv-label"),
                    rx.input(id="field-notes-query", name="query", size="3", width="100%",
                             max_length=QUERY_MAX, aria_describedby="query-error"),
                    field_error("query", State.errors),
                    flex="1", min_width="12rem",
                ),
                rx.button("Search notes", type="submit", size="3"),
                align="end", wrap="wrap", width="100%",
            ),
            on_submit=State.search,
            aria_label="Notes search",
        ),
        rx.cond(State.searched, rx.cond(
            State.results.length() > 0,
            rx.vstack(rx.foreach(State.results, _result), width="100%", role="list",
                      aria_label="Notes found", margin_top="0.75rem"),
            empty_state("search-x", "Nothing in your notes matches those words."),
        )),
    )


def _answer(answer: ObjectVar) -> rx.Component:
    return rx.box(rx.text(answer["question"], weight="medium", size="2"),
                  rx.text(answer["answer"], size="2", white_space="pre-wrap"))


def _interview(interview: ObjectVar) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(interview["date"], as_="h3", size="4"),
            rx.badge(interview["status_label"]),
            rx.spacer(),
            rx.button(rx.icon("download", size=16, aria_hidden="true"), "Markdown", size="1",
                      variant="soft", class_name="iv-no-print",
                      on_click=State.download_markdown(interview["id"]),
                      aria_label="Download as Markdown: " + interview["date"].to(str)),
            align="center", width="100%", wrap="wrap",
        ),
        rx.vstack(rx.foreach(interview["answers"].to(list[dict]), _answer), spacing="2",
                  margin_y="0.5rem"),
        rx.cond(interview["notes"].to(str) != "", rx.box(
            rx.text("Notes", weight="medium", size="2"),
            rx.text(interview["notes"], size="2", white_space="pre-wrap"))),
        class_name="iv-list-item",
    )


def _no_interview_yet(contact: ObjectVar) -> rx.Component:
    """A contact never interviewed: what to do next, and the step that does it."""
    exploration_id = contact["exploration_id"]
    return empty_state(
        "notebook-pen",
        "No interviews with this person yet. Reach out and book one in step 4 (Connect); "
        "the notes you take in step 5 appear here.",
        rx.cond(exploration_id,
                rx.link("Go to step 4 · Connect", href=routes.exploration_url(
                    exploration_id, 4), size="2"),
                rx.link("Go to your explorations", href=routes.HOME, size="2")),
    )


def _interview_entry(entry: ObjectVar) -> rx.Component:
    return rx.el.li(
        rx.link(entry["contact_name"], href=routes.notes_url(entry["contact_id"]),
                weight="bold"),
        rx.text(entry["date"], " · ", entry["field_name"], " · ", entry["status_label"],
                size="1", color_scheme="gray"),
        class_name="iv-list-item",
    )


def _all_interviews() -> rx.Component:
    return section(
        "Your interviews",
        rx.cond(
            State.all_interviews.length() > 0,
            rx.el.ol(rx.foreach(State.all_interviews, _interview_entry),
                     class_name="iv-plain-list", aria_label="Your interviews, newest first"),
            empty_state("notebook-pen", "No interviews yet. Reach out to a contact and book "
                        "one in step 4 of an exploration; your notes from step 5 appear here.",
                        rx.link("Go to your explorations", href=routes.HOME, size="2")),
        ),
    )


def _contact() -> rx.Component:
    contact = State.contact
    return rx.box(
        rx.hstack(
            rx.link("All notes", href=routes.NOTES, size="2", class_name="iv-no-print"),
            rx.spacer(),
            rx.button(rx.icon("printer", size=16, aria_hidden="true"), "Print", size="2",
                      variant="soft", class_name="iv-no-print",
                      on_click=rx.call_script("window.print()")),
            width="100%", align="center",
        ),
        page_heading(contact["name"].to(str),
                     contact["title"].to(str) + " " + contact["organization"].to(str)),
        rx.cond(State.interviews.length() > 0,
                rx.vstack(rx.foreach(State.interviews, _interview), width="100%"),
                _no_interview_yet(contact)),
    )


def notes_page() -> rx.Component:
    return app_shell(
        rx.cond(
            State.missing,
            rx.box(page_heading("Contact not found"),
                   rx.link("Search your notes", href=routes.NOTES)),
            rx.cond(State.contact.contains("name"), _contact(),
                    rx.box(page_heading("Interview notes",
                                        "Everything you wrote in your conversations."),
                           rx.vstack(_all_interviews(), _search(), width="100%",
                                     spacing="4"))),
        ),
    )

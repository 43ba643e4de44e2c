"""Step 6 · Follow-up: what to do after each conversation, with done, snooze and skip; the
thank-you note's mailing address and draft; and reconnecting when the job search starts."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, loading, section
from infoview_app.components.confirm import confirm_dialog
from infoview_app.components.forms import form_error
from infoview_app.state.follow_up import SNOOZE_CHOICES, snooze_label
from infoview_app.state.follow_up import FollowUpState as State


def _snooze_menu(task: ObjectVar) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("alarm-clock", size=16, aria_hidden="true"),
                                  "Snooze", size="2", variant="soft", color_scheme="gray",
                                  aria_label="Snooze: " + task["label"].to(str))),
        rx.menu.content(*[rx.menu.item(snooze_label(days),
                                       on_click=State.snooze(task["id"], days))
                          for days in SNOOZE_CHOICES]),
        modal=False,  # a modal menu hides the page from screen readers, not from the keyboard
    )


def _thank_you(task: ObjectVar) -> rx.Component:
    address = task["mailing_address"].to(str)
    draft = task["draft"].to(str)
    return rx.vstack(
        rx.text("Mail it to", size="1", color_scheme="gray"),
        rx.cond(address != "",
                rx.text(address, size="2", white_space="pre-line",
                        aria_label="Mailing address"),
                rx.text("No mailing address yet: add it from their business card in step 5.",
                        size="2")),
        rx.text("A draft to write by hand", size="1", color_scheme="gray",
                margin_top="0.25rem"),
        rx.box(rx.text(draft, size="2", white_space="pre-wrap"), class_name="iv-draft",
               aria_label="Thank-you note draft"),
        rx.button(rx.icon("copy", size=16, aria_hidden="true"), "Copy draft", size="2",
                  variant="soft", on_click=[rx.set_clipboard(draft),
                                            rx.toast.info("Draft copied.")]),
        spacing="1", width="100%", align="start", margin_top="0.5rem",
    )


def _task(task: ObjectVar) -> rx.Component:
    label = task["label"].to(str)
    thank_you = task["kind"] == "thank_you_note"
    return rx.box(
        rx.hstack(rx.text(label, weight="medium"), rx.spacer(),
                  rx.badge(task["due"], color_scheme=rx.cond(task["overdue"], "red", "gray")),
                  wrap="wrap", width="100%"),
        rx.text(task["contact_name"], size="2", color_scheme="gray"),
        rx.cond(thank_you, _thank_you(task)),
        rx.hstack(
            rx.button(rx.icon("check", size=16, aria_hidden="true"),
                      rx.cond(thank_you, "Mark mailed", "Done"), size="2",
                      on_click=State.done(task["id"]),
                      aria_label=rx.cond(thank_you, "Mark mailed: ",
                                         "Mark done: ").to(str) + label),
            _snooze_menu(task),
            rx.button("Skip", size="2", variant="outline", color_scheme="gray",
                      on_click=State.skip(task["id"]), aria_label="Skip: " + label),
            wrap="wrap", spacing="2", margin_top="0.5rem",
        ),
        class_name="iv-list-item", role="listitem",
    )


def _tasks() -> rx.Component:
    return rx.cond(
        State.tasks.length() > 0,
        rx.vstack(rx.foreach(State.tasks, _task), width="100%", role="list",
                  aria_label="Follow-ups in this field"),
        empty_state("list-checks", "Nothing to follow up right now. When you finish an "
                    "interview in step 5, the thank-you note, LinkedIn invitation and progress "
                    "updates appear here (snoozed ones come back on their date).",
                    rx.link("Go to step 5", href=routes.exploration_url(State.exploration_id, 5))),
    )


def _job_search() -> rx.Component:
    return rx.cond(
        State.job_search_started,
        rx.text("You told InfoView you're job hunting in this field: reconnect with everyone "
                "you talked to (the tasks are above).", size="2"),
        rx.vstack(
            rx.text("When you start looking for a job in this field, tell the people you "
                    "talked to: they asked you to let them know.", size="2"),
            confirm_dialog(
                rx.button(rx.icon("briefcase", size=18, aria_hidden="true"),
                          "I'm starting my job search", size="3"),
                "Starting your job search?",
                "InfoView adds a task to reconnect with each person you interviewed in this "
                "field.",
                "Add reconnect tasks", State.start_job_search, color_scheme=None,
            ),
            spacing="3", align="start",
        ),
    )


def follow_up_panel() -> rx.Component:
    return rx.vstack(
        section("Your follow-ups", rx.cond(State.loaded, _tasks(), loading()),
                form_error(State.errors, "task_id", "follow-up_id", "until")),
        section("Job search", _job_search()),
        width="100%", spacing="4",
    )

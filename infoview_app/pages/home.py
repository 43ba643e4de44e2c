"""The student's home."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, loading, page_heading, section
from infoview_app.components.confirm import confirm_dialog
from infoview_app.components.forms import text_field
from infoview_app.components.shell import app_shell
from infoview_app.services.connect.calendar_files import DURATION_RANGE
from infoview_app.services.core.wording import STEP_NAMES
from infoview_app.services.journey.explorations import FIELD_NAME_MAX
from infoview_app.state.base import SessionState
from infoview_app.state.home import HOME_SNOOZE_DAYS
from infoview_app.state.home import StudentHomeState as State


def _exploration_card(exploration: ObjectVar) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.link(rx.heading(exploration["field_name"], as_="h3", size="4"),
                    href=routes.exploration_url(exploration["id"]),
                    underline="hover"),
            rx.spacer(),
            rx.badge(exploration["step_label"], size="2"),
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.progress(value=(exploration["steps_done"].to(int) * 100 // len(STEP_NAMES)).to(int),
                    max=100,
                    aria_label="Progress through the six steps",
                    aria_valuetext=exploration["steps_done_label"].to(str), margin_y="0.5rem"),
        rx.text(rx.text.strong("Next: "), exploration["next_action"], size="2"),
        rx.hstack(
            rx.text(exploration["steps_done_label"].to(str) + " · "
                    + exploration["contacts_label"].to(str), size="1",
                    color_scheme="gray"),
            rx.spacer(),
            _delete_exploration_button(exploration),
            align="center",
            width="100%",
        ),
        class_name="iv-list-item",
    )


def _delete_exploration_button(exploration: ObjectVar) -> rx.Component:
    name = exploration["field_name"].to(str)
    return confirm_dialog(
        rx.button(rx.icon("trash-2", size=16, aria_hidden="true"), "Delete", size="1",
                  variant="ghost", color_scheme="red", aria_label="Delete " + name),
        "Delete “" + name + "”?",
        "Its contacts, outreach log, interview notes and follow-ups are deleted too. "
        "This cannot be undone.",
        "Delete exploration", State.delete_exploration(exploration["id"]),
    )


def _start_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.box(text_field("Career field to explore", "field_name", State.errors,
                              placeholder="e.g. Physical therapy",
                              max_length=FIELD_NAME_MAX),
                   flex="1", min_width="14rem"),
            rx.button("Start exploring", type="submit", size="3"),
            align="end",
            wrap="wrap",
            width="100%",
        ),
        on_submit=State.start_exploration,
        reset_on_submit=True,
        aria_label="Start an exploration",
    )


def _explorations() -> rx.Component:
    return section(
        "Your explorations",
        rx.cond(
            State.explorations.length() > 0,
            rx.vstack(rx.foreach(State.explorations, _exploration_card), width="100%"),
            empty_state("compass", "You haven't started exploring a career field yet. Name a "
                        "field you're curious about below: InfoView walks you through the "
                        "six steps, from research to follow-up."),
        ),
        rx.divider(margin_y="1rem"),
        _start_form(),
    )


def _interviews() -> rx.Component:
    return section(
        "Upcoming interviews",
        rx.cond(
            State.upcoming_interviews.length() > 0,
            rx.vstack(rx.foreach(State.upcoming_interviews, lambda i: rx.box(
                rx.text(i["contact_name"], weight="bold"),
                rx.text(i["when"], " · ", i["mode"], size="2"),
                rx.text(i["field_name"], size="1", color_scheme="gray"),
                class_name="iv-list-item")), width="100%"),
            empty_state("calendar", "No interviews booked. Once a contact agrees to "
                        "{}-{} minutes, book it in step 4 (Connect) and it appears here."
                        .format(*DURATION_RANGE)),
        ),
    )


def _follow_ups() -> rx.Component:
    return section(
        "Follow-ups due",
        rx.cond(
            State.follow_ups.length() > 0,
            rx.vstack(rx.foreach(State.follow_ups, lambda t: rx.box(
                rx.hstack(rx.text(t["label"], weight="medium"), rx.spacer(),
                          rx.badge(t["due"], color_scheme=rx.cond(t["overdue"], "red", "gray")),
                          wrap="wrap", width="100%"),
                rx.text(t["contact_name"],
                        rx.cond(t["field_name"] != "", " · " + t["field_name"].to(str), ""),
                        size="2", color_scheme="gray"),
                rx.hstack(
                    rx.button("Done", size="1", variant="soft",
                              on_click=State.complete_follow_up(t["id"]),
                              aria_label="Mark done: " + t["label"].to(str)),
                    rx.button(f"Snooze {HOME_SNOOZE_DAYS} days", size="1", variant="soft",
                              color_scheme="gray", on_click=State.snooze_follow_up(t["id"]),
                              aria_label=f"Snooze {HOME_SNOOZE_DAYS} days: "
                              + t["label"].to(str)),
                    rx.button("Skip", size="1", variant="ghost", color_scheme="gray",
                              on_click=State.skip_follow_up(t["id"]),
                              aria_label="Skip: " + t["label"].to(str)),
                    align="center", justify="end", wrap="wrap",
                    width="100%", margin_top="0.4rem",
                ),
                class_name="iv-list-item")), width="100%"),
            empty_state("list-checks", "Nothing to follow up yet. After each conversation, "
                        "InfoView lists your thank-you note, LinkedIn invitation and progress "
                        "updates here, overdue first."),
        ),
    )


def home_page() -> rx.Component:
    return app_shell(
        page_heading("Welcome, " + SessionState.user_name,
                     "Learn about a field by talking to the people in it."),
        rx.cond(
            State.loaded,
            rx.box(_explorations(), _interviews(), _follow_ups(), class_name="iv-grid"),
            loading(),
        ),
    )

"""Admin: create, list, deactivate and reactivate staff accounts."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app.components.cards import empty_state, page_heading, section
from infoview_app.components.forms import field_error, form_error, text_field
from infoview_app.components.shell import app_shell
from infoview_app.services.core.validation import PASSWORD_MIN
from infoview_app.state.admin import StaffAccountsState as State


def _staff_member(member: ObjectVar) -> rx.Component:
    name = member["name"].to(str)
    return rx.hstack(
        rx.vstack(
            rx.hstack(rx.text(member["name"], weight="bold"),
                      rx.cond(member["active"], rx.badge("Active", color_scheme="green"),
                              rx.badge("Deactivated", color_scheme="gray")),
                      align="center", wrap="wrap"),
            rx.text(member["email"], size="2", color_scheme="gray", class_name="iv-break"),
            spacing="1",
            min_width="0",
        ),
        rx.spacer(),
        rx.cond(
            member["active"],
            rx.hstack(
                rx.button("Send password reset", size="2", variant="soft",
                          on_click=State.send_reset(member["id"]),
                          aria_label="Send password reset link to " + name),
                rx.button("Deactivate", size="2", variant="soft", color_scheme="red",
                          on_click=State.set_active(member["id"], False),
                          aria_label="Deactivate " + name),
                wrap="wrap", justify="end"),
            rx.button("Reactivate", size="2", variant="soft",
                      on_click=State.set_active(member["id"], True),
                      aria_label="Reactivate " + name),
        ),
        align="center",
        class_name="iv-list-item",
        role="listitem",
    )


def staff_accounts_page() -> rx.Component:
    errors = State.errors
    return app_shell(
        page_heading("Staff accounts", "Career-office staff see aggregate figures, never "
                     "students' notes or contacts."),
        section(
            "Create a staff account",
            rx.form(
                rx.vstack(
                    text_field("Full name", "name", errors),
                    text_field("Email", "email", errors, type="email"),
                    text_field("Initial password", "password", errors, type="password",
                               autocomplete="new-password",
                               hint=f"At least {PASSWORD_MIN} characters. Give it to them "
                                    "privately; they can change it under Account."),
                    form_error(errors),
                    rx.button("Create staff account", type="submit", size="3"),
                    spacing="4",
                    width="100%",
                ),
                id="staff-form",
                on_submit=State.create_staff,
                aria_label="Create a staff account",
            ),
        ),
        section(
            "Staff",
            field_error("staff", errors),
            rx.cond(
                State.staff.length() > 0,
                rx.vstack(rx.foreach(State.staff, _staff_member), width="100%",
                          role="list", aria_label="Staff accounts"),
                empty_state("users", "No staff accounts yet. Create one above for each "
                            "career-office colleague."),
            ),
            margin_top="1rem",
        ),
    )

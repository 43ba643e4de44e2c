"""Admin: create, list, deactivate and reactivate staff accounts."""

import reflex as rx

from infoview_app.components.cards import empty_state, page_heading, section
from infoview_app.components.forms import form_error, text_field
from infoview_app.components.shell import app_shell
from infoview_app.services.validation import PASSWORD_MIN
from infoview_app.state.admin import StaffAccountsState as State


def _staff_row(member: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(member["name"]),
        rx.table.cell(member["email"]),
        rx.table.cell(rx.cond(member["active"], rx.badge("Active", color_scheme="green"),
                              rx.badge("Deactivated", color_scheme="gray"))),
        rx.table.cell(
            rx.cond(
                member["active"],
                rx.button("Deactivate", size="2", variant="soft", color_scheme="red",
                          on_click=State.set_active(member["id"], False),
                          aria_label="Deactivate " + member["name"].to(str)),
                rx.button("Reactivate", size="2", variant="soft",
                          on_click=State.set_active(member["id"], True),
                          aria_label="Reactivate " + member["name"].to(str)),
            )
        ),
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
            rx.cond(
                State.staff.length() > 0,
                rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell("Name"),
                        rx.table.column_header_cell("Email"),
                        rx.table.column_header_cell("Status"),
                        rx.table.column_header_cell(rx.el.span("Actions",
                                                               class_name="iv-sr-only")),
                    )),
                    rx.table.body(rx.foreach(State.staff, _staff_row)),
                    width="100%",
                ),
                empty_state("users", "No staff accounts yet. Create one above for each "
                            "career-office colleague."),
            ),
            margin_top="1rem",
        ),
    )

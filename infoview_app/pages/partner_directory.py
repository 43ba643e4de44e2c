"""Staff: the community-partner directory, with the requests students made of each."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app.components.forms import checkbox_field, text_field
from infoview_app.components.programme import record_dialog, record_item, record_list_page
from infoview_app.services.staff.partner_directory import CAP_RANGE, LIMITS
from infoview_app.state.partner_directory import PartnerDirectoryState as State

RETIRE_CONSEQUENCE = ("Students will no longer see them in step 2. The introductions "
                      "already requested and the contacts students made stay. You can "
                      "restore them later.")


def _partner(partner: ObjectVar) -> rx.Component:
    name = partner["name"].to(str)
    return record_item(
        State, partner, name, RETIRE_CONSEQUENCE,
        rx.hstack(
            rx.text(partner["name"], weight="bold"),
            rx.cond(~partner["active"].to(bool), rx.badge("Retired", color_scheme="gray")),
            rx.cond(partner["active"].to(bool) & ~partner["listed"].to(bool),
                    rx.badge("Not listed: no consent", color_scheme="amber")),
            rx.cond(partner["active"].to(bool) & partner["at_cap"].to(bool),
                    rx.badge("Full this month", color_scheme="orange")),
            align="center", wrap="wrap",
        ),
        rx.text(partner["organization"], " · ", partner["field"], size="2"),
        rx.text(partner["email"], rx.cond((partner["email"] != "") & (partner["phone"] != ""),
                                          " · ", ""), partner["phone"],
                size="2", color_scheme="gray", class_name="iv-break"),
        rx.text(rx.text.strong(partner["this_month"].to_string()), " of ",
                partner["cap"].to_string(), " requests this month · ",
                rx.text.strong(partner["total"].to_string()), " in total", size="2"),
    )


def _partner_form() -> rx.Component:
    errors, values = State.errors, State.form_values
    return record_dialog(
        State, add_title="Add a community partner", edit_title="Edit community partner",
        submit_label="Save partner",
        fields=[
            text_field("Name", "name", errors, default_value=values["name"],
                       max_length=LIMITS["name"]),
            text_field("Organization", "organization", errors,
                       default_value=values["organization"], max_length=LIMITS["organization"]),
            text_field("Field", "field", errors, default_value=values["field"],
                       max_length=LIMITS["field"],
                       hint="The career field students see beside their name, e.g. Nursing."),
            text_field("Email", "email", errors, type="email", default_value=values["email"],
                       max_length=LIMITS["email"]),
            text_field("Phone", "phone", errors, type="tel", default_value=values["phone"],
                       max_length=LIMITS["phone"], hint="An email, a phone number or both."),
            checkbox_field("They agreed to be listed for students", "consent_to_list", errors,
                           default_checked=values["consent_to_list"] == "on"),
            text_field("Requests per month", "monthly_request_cap", errors, type="number",
                       default_value=values["monthly_request_cap"], min=CAP_RANGE[0],
                       max=CAP_RANGE[1], input_mode="numeric",
                       hint=f"How many introductions students may ask of them each calendar "
                            f"month ({CAP_RANGE[0]} to {CAP_RANGE[1]}). Past it, students are "
                            "pointed to other partners."),
        ],
    )


def partner_directory_page() -> rx.Component:
    return record_list_page(
        State, title="Community partners",
        intro="People the career office can introduce students to. Students see the active "
              "partners who agreed to be listed, in step 2 (“Need connections?”).",
        section_title="Partners", add=("user-plus", "Add a partner"), row=_partner,
        list_label="Community partners",
        empty=("handshake", "No community partners yet. Add the people who have agreed to "
               "talk with students; students then ask for introductions in step 2."),
        form=_partner_form(),
    )

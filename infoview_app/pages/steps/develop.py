"""Step 2 · Develop: everyone the student knows in the field, imports, and the office's
community partners."""

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, section
from infoview_app.components.confirm import confirm_dialog
from infoview_app.components.dialog import dialog_content
from infoview_app.components.forms import field_error, form_error, select_field, text_field
from infoview_app.services.core.wording import SOURCE_LABELS
from infoview_app.services.develop.contact_import import MAX_FILE_BYTES
from infoview_app.state.base import SessionState
from infoview_app.state.develop import DevelopState as State
from infoview_app.state.institution import InstitutionState

UPLOAD_ID = "contact-file"


def _contact(contact: ObjectVar) -> rx.Component:
    name = contact["name"].to(str)
    return rx.hstack(
        rx.vstack(
            rx.text(contact["name"], weight="bold"),
            rx.text(rx.cond((contact["title"] != "") & (contact["organization"] != ""),
                            contact["title"].to(str) + " · " + contact["organization"].to(str),
                            contact["title"].to(str) + contact["organization"].to(str)),
                    size="2"),
            rx.hstack(rx.badge(contact["source_label"]),
                      rx.badge(contact["stage_label"], color_scheme="gray"), wrap="wrap"),
            spacing="1", min_width="0",
        ),
        rx.spacer(),
        rx.link("Notes", href=routes.notes_url(contact["id"]), size="2",
                aria_label="Notes about " + name),
        rx.button("Edit", size="1", variant="soft", on_click=State.open_form(contact["id"]),
                  aria_label="Edit " + name),
        confirm_dialog(
            rx.button("Remove", size="1", variant="soft", color_scheme="red",
                      aria_label="Remove " + name),
            "Remove " + name + "?",
            "Their outreach log, interview notes and follow-ups are removed too.",
            "Remove contact", State.remove(contact["id"]),
        ),
        align="center", class_name="iv-list-item", role="listitem",
    )


def _contact_form() -> rx.Component:
    errors, values = State.errors, State.form_values
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(rx.cond(State.editing_id > 0, "Edit contact", "Add a contact")),
            rx.form(
                rx.vstack(
                    text_field("Name", "name", errors, default_value=values["name"]),
                    text_field("Title", "title", errors, default_value=values["title"]),
                    text_field("Organization", "organization", errors,
                               default_value=values["organization"]),
                    select_field("How you know them", "source", errors, SOURCE_LABELS,
                                 default_value=values["source"]),
                    text_field("Email", "email", errors, type="email",
                               default_value=values["email"]),
                    text_field("Phone", "phone", errors, type="tel",
                               default_value=values["phone"]),
                    text_field("LinkedIn profile", "linkedin_url", errors,
                               default_value=values["linkedin_url"]),
                    text_field("Mailing address", "mailing_address", errors,
                               default_value=values["mailing_address"]),
                    form_error(errors),
                    rx.cond(State.duplicate != "", rx.callout(
                        rx.vstack(rx.text(State.duplicate),
                                  rx.button("Save anyway", size="2", type="button",
                                            on_click=State.save_anyway), spacing="2"),
                        icon="triangle-alert", color_scheme="amber", role="alert")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray",
                                                  type="button")),
                        rx.button("Save contact", type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=State.save,
                key=State.editing_id.to_string(),
                aria_label="Contact",
            ),
            max_width="32rem",
        ),
        open=State.form_open,
        on_open_change=State.set_form_open,
    )


def _rejection_codes(rejected: rx.Var) -> rx.Var:
    """Why the browser refused each chosen file (react-dropzone's error codes), without the
    files themselves: a File would travel over the socket whole."""
    return rejected.to(ArrayVar).map(
        lambda item: item.to(ObjectVar)["errors"].to(ArrayVar).map(
            lambda error: error.to(ObjectVar)["code"]))


def _import() -> rx.Component:
    return rx.vstack(
        rx.text("Import LinkedIn's connections export (Connections.csv) or contacts saved as "
                "a vCard (.vcf). You will see what would be added before anything is saved.",
                size="2"),
        rx.upload.root(
            rx.button(rx.icon("upload", size=16, aria_hidden="true"), "Choose a file",
                      variant="soft", type="button"),
            id=UPLOAD_ID, accept={"text/csv": [".csv"], "text/vcard": [".vcf"]},
            max_files=1, multiple=False, max_size=MAX_FILE_BYTES,
            # The tab's session token goes with the file: the guard admits an upload only
            # with it (state/base.py, guarded(upload=True)).
            on_drop=State.preview_file(rx.upload_files(upload_id=UPLOAD_ID),
                                       SessionState.auth_token),
            on_drop_rejected=lambda rejected: State.refuse_file(_rejection_codes(rejected)),
            border="none", padding="0",
        ),
        field_error("file", State.errors),
        rx.cond(
            State.import_name != "",
            rx.box(
                rx.text(State.import_name, weight="bold"),
                rx.text(State.import_new_label, " to import.", size="2"),
                rx.el.ul(rx.foreach(State.import_rows, lambda row: rx.el.li(rx.text(
                    "Line ", row["line"].to_string(), ": ", row["name"],
                    rx.cond(row["organization"] != "", ", " + row["organization"].to(str), ""),
                    rx.cond(row["duplicate"] != "",
                            " (not imported: " + row["duplicate"].to(str) + ")", ""),
                    size="2"))), class_name="iv-guidance-list", aria_label="Contacts found"),
                rx.cond(State.import_skipped.length() > 0, rx.box(
                    rx.text("Rows skipped or changed", weight="medium", size="2",
                            margin_top="0.5rem"),
                    rx.el.ul(rx.foreach(State.import_skipped, lambda row: rx.el.li(rx.text(
                        "Line ", row["line"].to_string(), ": ", row["reason"], size="2"))),
                        class_name="iv-guidance-list", aria_label="Rows skipped"))),
                rx.hstack(
                    rx.button("Cancel", variant="soft", color_scheme="gray",
                              on_click=State.cancel_import),
                    rx.button("Import ", State.import_new_label,
                              on_click=State.confirm_import, disabled=State.import_new == 0),
                    margin_top="0.75rem",
                ),
                class_name="iv-list-item",
            ),
        ),
        width="100%", align="start",
    )


def _partners() -> rx.Component:
    return rx.vstack(
        rx.text("The career office knows people in many fields. Ask for an introduction, or "
                "contact the office: ", InstitutionState.office_name, ", ",
                InstitutionState.office_phone, ", ", InstitutionState.office_email, ".",
                size="2"),
        rx.cond(
            State.partners.length() > 0,
            rx.vstack(rx.foreach(State.partners, lambda partner: rx.hstack(
                rx.vstack(rx.text(partner["name"], weight="bold"),
                          rx.text(partner["organization"], " · ", partner["field"], size="2"),
                          spacing="0"),
                rx.spacer(),
                rx.cond(partner["available"],
                        rx.button("Add to my list", size="1", variant="soft",
                                  on_click=State.request_partner(partner["id"]),
                                  aria_label="Add to my list: " + partner["name"].to(str)),
                        rx.badge("No more requests this month", color_scheme="gray")),
                align="center", class_name="iv-list-item")), width="100%"),
            empty_state("handshake", "The career office has not listed any community partners "
                        "yet. Call or email the office and ask who they know in this field."),
        ),
        field_error("partner", State.errors),
        form_error(State.errors),
        width="100%",
    )


def develop_panel() -> rx.Component:
    return rx.vstack(
        section(
            "Everyone you know in this field",
            rx.cond(
                State.contacts.length() > 0,
                rx.vstack(rx.foreach(State.contacts, _contact), width="100%", role="list",
                          aria_label="Your contacts"),
                empty_state("users", "No one on your list yet. Add the people you already "
                            "know: a professor, a relative, a friend's parent, an alumnus."),
            ),
            rx.button(rx.icon("user-plus", size=16, aria_hidden="true"), "Add a contact",
                      on_click=State.open_form(0), margin_top="0.75rem"),
            rx.cond(State.contacts.length() > 0, rx.link(
                rx.icon("waypoints", size=16, aria_hidden="true"),
                "See who introduced you to whom: your contact network",
                href=routes.network_url(State.exploration_id),
                size="2", display="flex", align_items="center", gap="0.4rem",
                margin_top="0.75rem")),
        ),
        section("Import contacts", _import()),
        section("Need connections?", _partners()),
        _contact_form(),
        width="100%", spacing="4",
    )

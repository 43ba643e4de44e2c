"""The user's account: profile, password, delete everything."""

import reflex as rx

from infoview_app.components.cards import loading, page_heading, section
from infoview_app.components.confirm import confirm_dialog
from infoview_app.components.forms import checkbox_field, select_field, text_field
from infoview_app.components.shell import app_shell
from infoview_app.services.accounts import user_zones
from infoview_app.services.core.time_zones import zone_names
from infoview_app.services.core.validation import PASSWORD_MIN
from infoview_app.state.account import AccountState as State
from infoview_app.state.account import ExportState


def _profile_form() -> rx.Component:
    errors = State.errors
    return section(
        "Profile",
        rx.text("Email: ", rx.text.strong(State.email), size="2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                text_field("Full name", "name", errors, default_value=State.name,
                           autocomplete="name"),
                rx.cond(
                    State.is_student,
                    rx.vstack(
                        text_field("Major", "major", errors, default_value=State.major),
                        text_field("Graduation year", "graduation_year", errors,
                                   default_value=State.graduation_year, input_mode="numeric"),
                        checkbox_field("Share my progress (step reached and counts, never "
                                       "notes or contacts) with career advisors",
                                       "share_progress", errors,
                                       default_checked=State.share_progress),
                        width="100%",
                        spacing="4",
                    ),
                ),
                rx.button("Save profile", type="submit", size="3"),
                spacing="4",
                width="100%",
            ),
            on_submit=State.save_profile,
            key=State.email,
            aria_label="Profile",
        ),
    )


# Every zone by its IANA name, read with spaces ("America/New York").
ZONE_CHOICES = {name: name.replace("_", " ") for name in zone_names()}


def _time_zone_form() -> rx.Component:
    """The user's own zone; the first choice (None) follows the institution's."""
    return section(
        "Time zone",
        rx.text("Your interview times and due dates are shown in it, and every \"today\" "
                "counts from it.", size="2", margin_bottom="0.75rem"),
        rx.form(
            rx.vstack(
                select_field("Your time zone", user_zones.FIELD, State.errors, ZONE_CHOICES,
                             all_label="Institution's zone (" + State.institution_zone + ")",
                             default_value=State.time_zone),
                rx.button("Save time zone", type="submit", size="3"),
                spacing="4",
                width="100%",
            ),
            on_submit=State.save_time_zone,
            key=State.time_zone + "|" + State.institution_zone,
            aria_label="Time zone",
        ),
    )


def _password_form() -> rx.Component:
    errors = State.errors
    return section(
        "Change password",
        rx.form(
            rx.vstack(
                text_field("Current password", "current_password", errors, type="password",
                           autocomplete="current-password"),
                text_field("New password", "new_password", errors, type="password",
                           autocomplete="new-password",
                           hint=f"At least {PASSWORD_MIN} characters."),
                text_field("Repeat the new password", "confirm_password", errors,
                           type="password", autocomplete="new-password"),
                rx.button("Change password", type="submit", size="3"),
                spacing="4",
                width="100%",
            ),
            id="password-form",
            on_submit=State.change_password,
            aria_label="Change password",
        ),
    )


def _export_section() -> rx.Component:
    return section(
        "Export my data",
        rx.text("Your data is yours: download everything you keep in InfoView, or your "
                "contacts for your address book.", size="2"),
        rx.hstack(
            rx.button(rx.icon("download", size=16, aria_hidden="true"), "All my data (JSON)",
                      variant="soft", on_click=ExportState.download("json")),
            rx.button(rx.icon("download", size=16, aria_hidden="true"), "Contacts (CSV)",
                      variant="soft", on_click=ExportState.download("csv")),
            rx.button(rx.icon("download", size=16, aria_hidden="true"), "Contacts (vCard)",
                      variant="soft", on_click=ExportState.download("vcard")),
            wrap="wrap", margin_top="0.75rem",
        ),
    )


def _delete_section() -> rx.Component:
    errors = State.errors
    return section(
        "Delete my account",
        rx.text("This erases your account and everything in it: explorations, contacts, "
                "interview notes and follow-ups. It cannot be undone. The security log "
                "keeps the times of your sign-ins and of this deletion, with your email "
                "address, until they expire from it.", size="2"),
        confirm_dialog(
            rx.button("Delete my account…", color_scheme="red", variant="soft", size="3",
                      margin_top="0.75rem"),
            "Delete your account and all its data?",
            "Type your password to confirm. This cannot be undone.",
            "Delete everything", State.delete_account,
            fields=(text_field("Password", "delete_password", errors, type="password",
                               autocomplete="current-password"),),
            form_label="Confirm account deletion",
            open=State.delete_dialog_open, on_open_change=State.set_delete_dialog,
        ),
    )


def account_page() -> rx.Component:
    return app_shell(
        page_heading("Your account"),
        rx.cond(
            State.email != "",
            rx.vstack(_profile_form(), _time_zone_form(), _password_form(),
                      rx.cond(State.is_student, _export_section()), _delete_section(),
                      spacing="4",
                      width="100%", max_width="40rem"),
            loading(),
        ),
    )



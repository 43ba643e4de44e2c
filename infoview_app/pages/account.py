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
from infoview_app.state.calendar_feed import CalendarFeedState as Feed
from infoview_app.state.reminders import FREQUENCY_OPTIONS, ReminderState


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


# How to subscribe, per calendar app: (app, what to do).
FEED_HOW_TO = (
    ("Google Calendar", "on a computer, beside \u201cOther calendars\u201d choose + then "
     "\u201cFrom URL\u201d, and paste the link. Google refreshes it only every few hours."),
    ("Apple Calendar", "choose \u201cSubscribe\u201d above, or File \u203a New Calendar "
     "Subscription and paste the link (on iPhone: Settings \u203a Calendar \u203a Accounts "
     "\u203a Add Account \u203a Other \u203a Add Subscribed Calendar)."),
    ("Outlook", "choose Add calendar \u203a Subscribe from web, and paste the link."),
)


def _feed_link() -> rx.Component:
    """The link, shown to the tab that made it: Subscribe, and the URL to copy."""
    return rx.vstack(
        rx.button(rx.el.a(rx.icon("calendar-plus", size=16, aria_hidden="true"), "Subscribe",
                          href=Feed.webcal, id="calendar-feed-subscribe"),
                  as_child=True, size="3"),
        rx.box(
            rx.el.label("Your feed\u2019s address", html_for="calendar-feed-url",
                        class_name="iv-label"),
            rx.hstack(
                rx.input(id="calendar-feed-url", value=Feed.url, read_only=True, size="3",
                         width="100%", aria_describedby="calendar-feed-url-hint",
                         on_focus=rx.call_script(
                             "document.getElementById('calendar-feed-url').select()")),
                rx.button(rx.icon("copy", size=16, aria_hidden="true"), "Copy", size="3",
                          variant="soft", id="calendar-feed-copy",
                          on_click=[rx.set_clipboard(Feed.url),
                                    rx.toast.success("Link copied.")]),
                width="100%", align="center",
            ),
            rx.text("Copy it now: InfoView keeps no copy of it, so once you sign out it "
                    "can't be shown again (make a new link instead).",
                    id="calendar-feed-url-hint", size="1", color_scheme="gray"),
            class_name="iv-field", width="100%",
        ),
        spacing="3", width="100%",
    )


def _feed_buttons() -> rx.Component:
    return rx.cond(
        Feed.feed_on,
        rx.hstack(
            confirm_dialog(
                rx.button(rx.icon("refresh-cw", size=16, aria_hidden="true"), "New link\u2026",
                          variant="soft", size="3"),
                "Make a new link?",
                "The old link stops working at once: calendars subscribed to it stop "
                "updating. Subscribe again with the new one.",
                "Make a new link", Feed.new_link, color_scheme=None),
            confirm_dialog(
                rx.button("Turn off\u2026", variant="soft", color_scheme="red", size="3"),
                "Turn the calendar feed off?",
                "Its link stops working at once, and calendars subscribed to it stop "
                "updating.",
                "Turn off", Feed.turn_off),
            wrap="wrap",
        ),
        rx.button(rx.icon("calendar-plus", size=16, aria_hidden="true"), "Make my feed link",
                  size="3", on_click=Feed.new_link),
    )


def _feed_section() -> rx.Component:
    return section(
        "Calendar feed",
        rx.text("See your interviews and follow-ups in your own calendar app, updated "
                "about every hour. The link is private: anyone who has it can read them.",
                size="2"),
        rx.cond(
            Feed.loaded,
            rx.vstack(
                rx.cond(
                    Feed.url != "",
                    _feed_link(),
                    rx.text(rx.cond(
                        Feed.feed_on,
                        "Your feed is on (link made " + Feed.made_on + "). For your "
                        "privacy the link is shown only when it is made: to add the feed "
                        "to another calendar, make a new link.",
                        "Your feed is off."), size="2"),
                ),
                _feed_buttons(),
                rx.text("To add it to your calendar app:", size="2", weight="medium"),
                rx.el.ul(*(rx.el.li(rx.text.strong(app), ": ", how)
                           for app, how in FEED_HOW_TO),
                         class_name="iv-feed-how-to"),
                spacing="4", width="100%", margin_top="0.75rem",
            ),
            loading(),
        ),
        id="calendar-feed",
        on_mount=Feed.load,
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


def _reminders_section() -> rx.Component:
    """Daily, weekly or no reminder emails: saved as soon as one is chosen."""
    choices = [rx.el.label(
        rx.radio_group.item(value=value, id=f"reminders-{value}"),
        rx.text(text, size="2"),
        html_for=f"reminders-{value}", class_name="iv-reminder-choice")
        for value, text in FREQUENCY_OPTIONS]
    return section(
        "Reminder emails",
        rx.text("An email on the days a follow-up is due or an interview is tomorrow, with "
                "the interview's calendar file. Every email has a link to stop them.",
                size="2", margin_bottom="0.75rem", id="reminders-help"),
        rx.radio_group.root(
            rx.vstack(*choices, spacing="1"),
            value=ReminderState.frequency,
            on_change=ReminderState.set_frequency,
            aria_label="Reminder emails",
            aria_describedby="reminders-help",
        ),
    )


def account_page() -> rx.Component:
    return app_shell(
        page_heading("Your account"),
        rx.cond(
            State.email != "",
            rx.vstack(_profile_form(), _time_zone_form(),
                      rx.cond(ReminderState.frequency != "", _reminders_section()),
                      _password_form(),
                      rx.cond(State.is_student, _export_section()),
                      rx.cond(State.is_student, _feed_section()), _delete_section(),
                      spacing="4",
                      width="100%", max_width="40rem"),
            loading(),
        ),
    )



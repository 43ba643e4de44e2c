"""Step 4 · Connect: what to say to each contact, the outreach log with its 3B7 reminders,
and booking the interview."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, section
from infoview_app.components.confirm import confirm_dialog
from infoview_app.components.forms import field_error, form_error, select_field, text_field
from infoview_app.components.job_words import job_word_check
from infoview_app.services.connect.calendar_files import DEFAULT_DURATION_MINUTES, DURATION_RANGE
from infoview_app.services.connect.outreach import NOTE_MAX
from infoview_app.services.connect.scripts import DRAFT_MAX, LINKEDIN_MAX
from infoview_app.services.core.wording import CHANNEL_LABELS, MODE_LABELS, OUTCOME_LABELS
from infoview_app.services.follow_up.due_dates import NUDGE_AFTER_BUSINESS_DAYS
from infoview_app.state.connect import ATTEMPT_FORM_ID
from infoview_app.state.connect import ConnectState as State

SCRIPT_POINTS = ("Introduce yourself", "Say how you got their name", "Ask if it is a good time",
                 "Information, not a job", "Ask for {}-{} minutes".format(*DURATION_RANGE))
DEBOUNCE_MS = 400


# --- picker ----------------------------------------------------------------------------

def _contact(contact: ObjectVar) -> rx.Component:
    chosen = contact["id"] == State.contact_id
    return rx.hstack(
        rx.vstack(
            rx.text(contact["name"], weight="bold", class_name="iv-break"),
            rx.hstack(rx.badge(contact["stage_label"]),
                      rx.text(contact["last_attempt"], size="1", color_scheme="gray"),
                      wrap="wrap", align="center", spacing="2"),
            spacing="1", min_width="0",
        ),
        rx.spacer(),
        rx.button(rx.cond(chosen, "Chosen", "Choose"), size="2",
                  variant=rx.cond(chosen, "solid", "soft"),
                  aria_pressed=rx.cond(chosen, "true", "false"),
                  on_click=State.choose(contact["id"]),
                  aria_label=rx.cond(chosen, "Chosen", "Choose").to(str) + " to reach out to "
                  + contact["name"].to(str)),
        align="center", class_name="iv-list-item", role="listitem",
    )


def _picker() -> rx.Component:
    return rx.cond(
        State.contacts.length() > 0,
        rx.vstack(rx.foreach(State.contacts, _contact), width="100%", role="list",
                  aria_label="Contacts to reach", spacing="2"),
        empty_state("users", "No contacts yet. Add the people you know in this field in "
                    "Step 2 · Develop, then come back to reach out.",
                    rx.link("Go to Step 2 · Develop",
                            href=routes.exploration_url(State.exploration_id, 2))),
    )


# --- drafts ----------------------------------------------------------------------------

def _copy(label: str, text: rx.Var | str) -> rx.Component:
    return rx.button(rx.icon("copy", size=14, aria_hidden="true"), label, size="2",
                     variant="soft", type="button",
                     on_click=[rx.set_clipboard(text), rx.toast.info("Copied.")])


def _phone_script() -> rx.Component:
    return rx.vstack(
        rx.el.ol(
            rx.foreach(State.script_lines, lambda line, index: rx.el.li(
                rx.text(rx.match(index, *[(i, point) for i, point in enumerate(SCRIPT_POINTS)],
                                 ""), size="1", color_scheme="gray", weight="medium"),
                rx.text(line, size="3"),
                class_name="iv-script-line")),
            class_name="iv-script", aria_label="Phone script",
        ),
        job_word_check(State.script_words, "Job-word check: phone script"),
        _copy("Copy script", State.script_lines.join("\n")),
        spacing="3", width="100%", align="start",
    )


def _draft_area(label: str, part: str, default: rx.Var, rows: str, **props: Any
                ) -> rx.Component:
    field_id = f"field-draft-{part}"
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="iv-label"),
        rx.text_area(id=field_id, default_value=default, rows=rows, width="100%",
                     on_change=lambda value: State.check_draft(part, value).debounce(
                         DEBOUNCE_MS),
                     key=State.drafts_version.to_string() + "-" + part,
                     aria_describedby=f"draft_{part}-error", **props),
        field_error(f"draft_{part}", State.errors),
        class_name="iv-field",
    )


def _email() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.el.label("Subject", html_for="field-draft-email_subject", class_name="iv-label"),
            rx.input(id="field-draft-email_subject", default_value=State.email_subject,
                     size="3", width="100%", max_length=300,
                     key=State.drafts_version.to_string() + "-subject",
                     on_change=lambda value: State.check_draft("email_subject", value)
                     .debounce(DEBOUNCE_MS)),
            field_error("draft_email_subject", State.errors),
            class_name="iv-field",
        ),
        job_word_check(State.draft_words["email_subject"], "Job-word check: email subject"),
        _draft_area("Email", "email_body", State.email_body, "12", max_length=DRAFT_MAX),
        job_word_check(State.draft_words["email_body"], "Job-word check: email"),
        _copy("Copy email", "Subject: " + State.email_subject + "\n\n" + State.email_body),
        spacing="3", width="100%", align="start",
    )


def _linkedin() -> rx.Component:
    too_long = State.linkedin_count > LINKEDIN_MAX
    return rx.vstack(
        _draft_area("LinkedIn message", "linkedin", State.linkedin, "6", max_length=2000),
        rx.text(State.linkedin_count.to_string(), f" / {LINKEDIN_MAX} characters",
                rx.cond(too_long, ": too long for a LinkedIn invitation note", ""),
                size="2", color_scheme=rx.cond(too_long, "red", "gray"), aria_live="polite"),
        job_word_check(State.draft_words["linkedin"], "Job-word check: LinkedIn message"),
        _copy("Copy message", State.linkedin),
        spacing="3", width="100%", align="start",
    )


def _drafts() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("Phone script", value="phone"),
            rx.tabs.trigger("Email", value="email"),
            rx.tabs.trigger("LinkedIn", value="linkedin"),
        ),
        rx.tabs.content(_phone_script(), value="phone", padding_top="0.75rem"),
        rx.tabs.content(_email(), value="email", padding_top="0.75rem"),
        rx.tabs.content(_linkedin(), value="linkedin", padding_top="0.75rem"),
        default_value="phone", width="100%",
    )


# --- outreach log ----------------------------------------------------------------------

def _attempt(attempt: ObjectVar) -> rx.Component:
    return rx.box(
        rx.hstack(rx.text(attempt["day_label"], weight="bold", size="2"),
                  rx.badge(attempt["channel_label"], color_scheme="gray"),
                  rx.badge(attempt["outcome_label"]), wrap="wrap", align="center"),
        rx.cond(attempt["note"] != "", rx.text(attempt["note"], size="2",
                                               class_name="iv-break")),
        class_name="iv-list-item", role="listitem",
    )


def _log() -> rx.Component:
    errors = State.errors
    return rx.vstack(
        rx.form(
            rx.box(
                select_field("Channel", "channel", errors, CHANNEL_LABELS,
                             default_value="phone"),
                text_field("Date", "attempted_on", errors, type="date",
                           default_value=State.today, key=State.today),
                select_field("Outcome", "outcome", errors, OUTCOME_LABELS,
                             default_value="no_answer"),
                text_field("Note (optional)", "note", errors, max_length=NOTE_MAX),
                class_name="iv-form-grid",
            ),
            rx.button("Log attempt", type="submit", margin_top="0.75rem"),
            on_submit=State.log_attempt, id=ATTEMPT_FORM_ID, aria_label="Log an attempt",
            key=State.contact_id.to_string(), width="100%",
        ),
        rx.cond(State.reminders.length() > 0, rx.callout.root(
            rx.callout.icon(rx.icon("bell", size=16)),
            rx.vstack(rx.text("Reminders set", weight="bold", size="2"),
                      rx.el.ul(rx.foreach(State.reminders, lambda r: rx.el.li(rx.text(r,
                                                                                     size="2"))),
                               class_name="iv-guidance-list"), spacing="1"),
            role="status", aria_label="Reminders set", width="100%")),
        rx.cond(
            State.attempts.length() > 0,
            rx.vstack(rx.heading("Attempts", as_="h4", size="3"),
                      rx.vstack(rx.foreach(State.attempts, _attempt), role="list",
                                aria_label="Attempts", width="100%", spacing="2"),
                      width="100%"),
            rx.text("No attempts yet. If nobody answers, log it: you will be reminded to "
                    f"follow up after {NUDGE_AFTER_BUSINESS_DAYS} business days.", size="2",
                    color_scheme="gray"),
        ),
        width="100%", spacing="3",
    )


# --- booking ---------------------------------------------------------------------------

def _booking_form() -> rx.Component:
    errors, booked = State.errors, State.interview
    low, high = DURATION_RANGE
    return rx.form(
        rx.box(
            text_field("Date", "date", errors, type="date",
                       default_value=booked["date"].to(str)),
            text_field("Time", "time", errors, type="time",
                       default_value=booked["time"].to(str)),
            text_field(f"Length in minutes ({low}-{high})", "duration_minutes", errors,
                       type="number", min=low, max=high, step=5,
                       default_value=rx.cond(booked.contains("duration_minutes"),
                                             booked["duration_minutes"].to_string(),
                                             str(DEFAULT_DURATION_MINUTES))),
            select_field("How", "mode", errors, MODE_LABELS,
                         default_value=rx.cond(booked.contains("mode"), booked["mode"].to(str),
                                               "in_person")),
            class_name="iv-form-grid",
        ),
        rx.box(text_field("Place or video link", "location", errors,
                          hint="An address for in person, an https:// link for video; "
                          "optional for a phone call.",
                          default_value=booked["location"].to(str)),
               margin_top="0.75rem"),
        rx.hstack(
            rx.text("Times are in your time zone: ",
                    rx.cond(State.timezone != "", State.timezone, "loading…"), ".",
                    size="1", color_scheme="gray"),
            rx.link("Change your time zone", href=routes.ACCOUNT, size="1"),
            spacing="2", wrap="wrap", margin_top="0.5rem",
        ),
        field_error("timezone", errors),
        field_error("interview_id", errors),
        rx.hstack(
            rx.cond(State.rescheduling,
                    rx.button("Keep as it was", type="button", variant="soft",
                              color_scheme="gray", on_click=State.set_rescheduling(False))),
            rx.button(rx.cond(State.rescheduling, "Save new time", "Book interview"),
                      type="submit"),
            margin_top="0.75rem", wrap="wrap",
        ),
        on_submit=State.book, aria_label="Book the interview", width="100%",
        key=State.contact_id.to_string() + rx.cond(State.rescheduling, "-r", "-b").to(str),
    )


def _booked() -> rx.Component:
    booked = State.interview
    return rx.vstack(
        rx.box(
            rx.text(booked["when"], weight="bold", size="4"),
            rx.text(booked["duration_label"], " · ", booked["mode_label"], " · ",
                    booked["zone"], size="2"),
            rx.text(booked["location"], size="2", class_name="iv-break",
                    white_space="pre-line"),
            class_name="iv-list-item", aria_label="Booked interview", role="group",
        ),
        rx.hstack(
            rx.button(rx.icon("calendar-plus", size=16, aria_hidden="true"),
                      "Add to calendar (.ics)", on_click=State.download_ics),
            rx.button("Reschedule", variant="soft", on_click=State.set_rescheduling(True)),
            confirm_dialog(
                rx.button("Cancel interview", variant="soft", color_scheme="red"),
                "Cancel the interview with " + State.contact_name + "?",
                "Let them know too, and thank them for their time.",
                "Cancel interview", State.cancel_interview, cancel_label="Keep it",
            ),
            wrap="wrap",
        ),
        form_error(State.errors),
        field_error("interview_id", State.errors),
        width="100%", spacing="3",
    )


def _booking() -> rx.Component:
    return rx.cond(State.interview.contains("id") & ~State.rescheduling, _booked(),
                   _booking_form())


def connect_panel() -> rx.Component:
    return rx.vstack(
        # A refused contact (removed meanwhile, or not the student's) shows once, up here.
        section("Who to contact", _picker(), field_error("contact_id", State.errors)),
        rx.cond(
            State.contact_id > 0,
            rx.vstack(
                section("What to say", rx.text("To ", State.contact_name, size="2",
                                                color_scheme="gray", margin_bottom="0.5rem"),
                        _drafts()),
                section("Log an attempt", _log()),
                section("Book the interview", _booking()),
                width="100%", spacing="4",
            ),
        ),
        width="100%", spacing="4",
    )

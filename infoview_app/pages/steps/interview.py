"""Step 5 · Interview: interview mode, made for a phone held in one hand. One column; the
question in view with its notes, and large Previous / Next buttons at the bottom of it."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, section
from infoview_app.components.forms import (
    checkbox_field,
    field_error,
    form_error,
    kept_text_area,
    select_field,
    text_field,
)
from infoview_app.services.connect.calendar_files import DURATION_RANGE
from infoview_app.services.core.wording import CHECKLIST_LABELS
from infoview_app.services.develop.contacts import LIMITS
from infoview_app.services.interview.interview_mode import NOTES_MAX
from infoview_app.state.exploration import unsent_key
from infoview_app.state.interview import REFERRAL_FORM_ID
from infoview_app.state.interview import InterviewState as State

AUTOSAVE_MS = 600


def _picker() -> rx.Component:
    return rx.cond(
        State.interviews.length() > 1,
        rx.box(
            # Its errors ("interview") are among the interview card's form errors.
            select_field("Interview", "interview", None, State.interviews,
                         option=lambda i: (i["label"].to(str), i["id"].to_string()),
                         value=State.interview_id.to_string(),
                         on_change=State.choose_interview),
            margin_bottom="0.75rem",
        ),
    )


def _who() -> rx.Component:
    contact = State.contact
    return rx.hstack(
        rx.vstack(
            rx.text("Talking with", size="1", color_scheme="gray"),
            rx.heading(contact["name"], as_="h3", size="5"),
            rx.text(rx.cond((contact["title"] != "") & (contact["organization"] != ""),
                            contact["title"] + " · " + contact["organization"],
                            contact["title"] + contact["organization"]), size="2"),
            spacing="0", min_width="0",
        ),
        rx.spacer(),
        rx.cond(State.interview_status == "completed",
                rx.badge(State.interview_status_label, color_scheme="green", size="2"),
                rx.badge(State.interview_status_label, size="2")),
        align="start", width="100%", margin_bottom="0.75rem",
    )


def _question_notes(question: ObjectVar) -> rx.Component:
    qid = question["question_id"].to(int)
    return kept_text_area(
        State, unsent_key("interview", State.interview_id, "answer", qid),
        id="field-answer", default_value=question["answer"].to(str),
        on_change=lambda text: State.save_answer(State.interview_id, qid, text).debounce(
            AUTOSAVE_MS),
        # Leaving the field (tapping Next) saves at once: a keystroke in the next question
        # within the debounce delay would otherwise cancel this one's pending save.
        on_blur=lambda text: State.save_answer(State.interview_id, qid, text),
        placeholder="Their answer, in your words", rows="7", width="100%", size="3",
        max_length=NOTES_MAX, key=State.interview_id.to_string() + "-" + qid.to_string(),
        aria_describedby="answer-error save-status",
    )


def _question() -> rx.Component:
    question = State.questions[State.index]
    total = State.questions.length()
    return rx.box(
        rx.text("Question ", (State.index + 1).to_string(), " of ", total.to_string(),
                size="2", color_scheme="gray", aria_live="polite", id="question-count"),
        rx.progress(value=((State.index + 1) * 100 // total).to(int), max=100, size="1",
                    aria_hidden="true", margin_y="0.4rem"),
        rx.heading(question["question"].to(str), as_="h3", size="5", id="question-text",
                   class_name="iv-question"),
        rx.el.label("Notes for this question", html_for="field-answer",
                    class_name="iv-label"),
        _question_notes(question),
        field_error("answer", State.errors),
        rx.text(State.save_status, id="save-status", size="1", color_scheme="gray",
                aria_live="polite", min_height="1.2em"),
        # At either end the button is marked unavailable (aria-disabled), not disabled: a
        # disabled button lets go of focus, which would drop a keyboard user to the page's
        # top after the last "Next". go_to ignores a question outside the list.
        rx.hstack(
            rx.button(rx.icon("chevron-left", size=22, aria_hidden="true"), "Previous",
                      size="4", variant="soft", on_click=State.go_to(State.index - 1),
                      aria_disabled=rx.cond(State.index == 0, "true", "false"),
                      class_name="iv-big-button"),
            rx.button("Next", rx.icon("chevron-right", size=22, aria_hidden="true"),
                      size="4", on_click=State.go_to(State.index + 1),
                      aria_disabled=rx.cond(State.index >= total - 1, "true", "false"),
                      class_name="iv-big-button"),
            spacing="3", width="100%", class_name="iv-question-nav",
        ),
        class_name="iv-interview-question",
        role="group", aria_labelledby="question-count question-text",
    )


def _questions() -> rx.Component:
    return rx.cond(
        State.questions.length() > 0,
        _question(),
        empty_state("list-plus", "No questions chosen for this exploration. Choose the "
                    "questions you will ask in step 3 (Prepare); meanwhile, write everything "
                    "in the free notes below.",
                    rx.link("Go to step 3", href=routes.exploration_url(State.exploration_id, 3))),
    )


def _free_notes() -> rx.Component:
    return rx.vstack(
        rx.el.label("Free notes", html_for="field-notes", class_name="iv-label"),
        kept_text_area(State, unsent_key("interview", State.interview_id, "notes"),
                       id="field-notes", default_value=State.notes,
                       on_change=lambda text: State.save_notes(State.interview_id,
                                                               text).debounce(AUTOSAVE_MS),
                       on_blur=lambda text: State.save_notes(State.interview_id, text),
                       placeholder="Anything else: advice, names of organizations, books",
                       rows="5", width="100%", size="3", max_length=NOTES_MAX,
                       key=State.interview_id.to_string(), aria_describedby="notes-error"),
        field_error("notes", State.errors),
        width="100%", spacing="2",
    )


def _checklist() -> rx.Component:
    return rx.vstack(
        *[rx.checkbox(label, size="3", checked=State.checklist[item].to(bool),
                      on_change=lambda ticked, item=item: State.set_check(item, ticked),
                      class_name="iv-check-row")
          for item, label in CHECKLIST_LABELS.items()],
        *[field_error(name, State.errors) for name in ("item", *CHECKLIST_LABELS)],
        width="100%", spacing="1",
    )


def _card_summary() -> rx.Component:
    card = State.card
    return rx.cond(
        State.card_captured,
        rx.box(
            rx.text(card["name"], weight="bold"),
            rx.text(card["title"], size="2"),
            rx.text(card["organization"], size="2"),
            rx.text(card["email"], size="2", class_name="iv-break"),
            rx.text(card["phone"], size="2"),
            rx.text(card["mailing_address"], size="2", white_space="pre-line"),
            class_name="iv-list-item", aria_label="Business card",
        ),
        rx.text("Ask for their card: its mailing address is where your thank-you note goes.",
                size="2"),
    )


def _card_dialog() -> rx.Component:
    errors, card = State.errors, State.card
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("contact", size=18, aria_hidden="true"),
                                    "Business card", size="3", variant="soft",
                                    width="100%", margin_top="0.75rem")),
        rx.dialog.content(
            rx.dialog.title("Business card"),
            rx.dialog.description("Copy the card here: it updates the contact.", size="2"),
            rx.form(
                rx.vstack(
                    text_field("Name", "name", errors, default_value=card["name"],
                               max_length=LIMITS["name"]),
                    text_field("Title", "title", errors, default_value=card["title"],
                               max_length=LIMITS["title"]),
                    text_field("Organization", "organization", errors,
                               default_value=card["organization"],
                               max_length=LIMITS["organization"]),
                    text_field("Email", "email", errors, type="email",
                               default_value=card["email"], max_length=LIMITS["email"]),
                    text_field("Phone", "phone", errors, type="tel",
                               default_value=card["phone"], max_length=LIMITS["phone"]),
                    rx.box(
                        rx.el.label("Mailing address", html_for="field-mailing_address",
                                    class_name="iv-label"),
                        rx.text_area(id="field-mailing_address", name="mailing_address",
                                     default_value=card["mailing_address"], rows="3",
                                     size="3", width="100%",
                                     max_length=LIMITS["mailing_address"],
                                     aria_describedby="mailing_address-error"),
                        field_error("mailing_address", errors),
                        class_name="iv-field",
                    ),
                    form_error(errors),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray",
                                                  type="button", size="3")),
                        rx.button("Save card", type="submit", size="3"),
                        justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=State.save_card,
                aria_label="Business card",
            ),
            max_width="32rem",
        ),
        open=State.card_open,
        on_open_change=State.set_card_open,
    )


def _referral(referral: ObjectVar) -> rx.Component:
    return rx.hstack(
        rx.text(referral["name"], weight="medium"),
        rx.spacer(),
        rx.cond(referral["may_use_referrer_name"],
                rx.badge("May use their name", color_scheme="green"),
                rx.badge("Don't mention their name", color_scheme="gray")),
        align="center", wrap="wrap", class_name="iv-list-item", role="listitem",
    )


def _two_more_names() -> rx.Component:
    errors = State.errors
    return rx.vstack(
        rx.text("Ask: \"Could you suggest two more people I could talk to?\" Add them here; "
                "they join your contact list, referred by ", State.contact["name"], ".",
                size="2"),
        rx.cond(State.referrals.length() > 0,
                rx.vstack(rx.foreach(State.referrals, _referral), width="100%", role="list",
                          aria_label="People they referred you to")),
        rx.form(
            rx.vstack(
                text_field("Their name", "referral_name", errors, max_length=LIMITS["name"]),
                text_field("Organization", "referral_organization", errors,
                           max_length=LIMITS["organization"]),
                text_field("Email", "referral_email", errors, type="email",
                           max_length=LIMITS["email"]),
                text_field("Phone", "referral_phone", errors, type="tel",
                           max_length=LIMITS["phone"]),
                checkbox_field("May I use your name? (They said yes)", "may_use_name", errors),
                rx.button(rx.icon("user-plus", size=18, aria_hidden="true"), "Add this person",
                          type="submit", size="3", width="100%"),
                spacing="3", width="100%",
            ),
            id=REFERRAL_FORM_ID,
            on_submit=State.add_referral,
            aria_label="Add a person they referred you to",
            width="100%",
        ),
        width="100%", spacing="3",
    )


def _finish() -> rx.Component:
    return rx.vstack(
        rx.checkbox("I'll let you know how it goes", size="3",
                    checked=State.will_report_back, on_change=State.set_will_report_back,
                    class_name="iv-check-row"),
        rx.text("Said it? InfoView reminds you to send a progress update 4-6 weeks after "
                "you were last in touch: logging a call, a message or a note restarts it.",
                size="1", color_scheme="gray"),
        rx.button(rx.icon("circle-check", size=20, aria_hidden="true"),
                  rx.cond(State.interview_status == "completed", "Save and update follow-ups",
                          "Finish interview"),
                  size="4", width="100%", on_click=State.finish, class_name="iv-big-button"),
        field_error("status", State.errors),
        field_error("will_report_back", State.errors),
        rx.cond(
            State.finished_tasks >= 0,
            rx.callout(
                rx.text("Interview recorded. ", State.finished_tasks.to_string(),
                        " follow-ups are waiting: ",
                        rx.link("open step 6",
                                href=routes.exploration_url(State.exploration_id, 6)), "."),
                icon="circle-check", color_scheme="green", role="status", width="100%"),
        ),
        width="100%", spacing="2",
    )


def _interview_mode() -> rx.Component:
    return rx.vstack(
        section("Interview mode", _picker(), _who(), _questions(),
                form_error(State.errors, "interview", "interview_id", "question_id"),
                class_name="iv-interview-card"),
        section("Free notes", _free_notes()),
        section("Professional presence", _checklist()),
        section("Business card", _card_summary(), _card_dialog()),
        section("Two more names", _two_more_names()),
        section("Finish", _finish()),
        width="100%", spacing="4",
    )


def interview_panel() -> rx.Component:
    return rx.box(
        rx.cond(
            State.interview_id > 0,
            _interview_mode(),
            empty_state("calendar-plus", "No interview booked in this exploration yet. Once "
                        "a contact agrees to {}-{} minutes, book it in step 4 (Connect); "
                        "interview mode opens here.".format(*DURATION_RANGE),
                        rx.link("Go to step 4",
                                href=routes.exploration_url(State.exploration_id, 4))),
        ),
        width="100%",
    )

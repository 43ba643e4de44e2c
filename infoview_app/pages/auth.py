"""Sign-in, registration, the pages of the links InfoView emails, and the page the
institution's OpenID provider sends the browser back to."""

from typing import Any

import reflex as rx

from infoview_app import routes
from infoview_app.components.forms import (
    checkbox_field,
    form_error,
    submit_button,
    text_field,
)
from infoview_app.components.shell import public_shell
from infoview_app.services.core.validation import PASSWORD_MIN
from infoview_app.state.auth import (
    ForgotPasswordState,
    LoginState,
    OidcState,
    RegisterState,
    ResetPasswordState,
    VerifyEmailState,
)


def _oidc_button(state: Any) -> rx.Component:
    """"Sign in with <institution>": only when a provider is set up; "or" above the password
    form when there is one."""
    return rx.cond(
        state.oidc_button != "",
        rx.vstack(
            rx.button(state.oidc_button, on_click=OidcState.start, type="button", size="3",
                      width="100%", variant="outline"),
            rx.cond(state.password_forms,
                    rx.text("or, with your InfoView password", size="2", color_scheme="gray",
                            align="center", width="100%")),
            spacing="3",
            width="100%",
        ),
    )


def _auth_card(title: str, intro: str, fields: list[rx.Component], submit_label: str,
               on_submit: Any, state: Any, footer: rx.Component) -> rx.Component:
    errors = state.errors
    return public_shell(
        rx.card(
            rx.vstack(
                rx.heading(title, as_="h1", size="7"),
                *([rx.text(intro, color_scheme="gray", size="2")] if intro else []),
                _oidc_button(state),
                rx.cond(
                    state.password_forms,
                    rx.form(
                        rx.vstack(*fields, form_error(errors), submit_button(submit_label),
                                  spacing="4", width="100%"),
                        on_submit=on_submit,
                        width="100%",
                        aria_label=submit_label,
                    ),
                    form_error(errors),
                ),
                rx.cond(state.password_forms, footer),
                spacing="4",
                width="100%",
            ),
            class_name="iv-auth-card",
        )
    )


def login_page() -> rx.Component:
    errors = LoginState.errors
    return _auth_card(
        "Sign in",
        "Learn about a career by talking to people in it, one conversation at a time.",
        [text_field("Email", "email", errors, type="email", autocomplete="username"),
         text_field("Password", "password", errors, type="password",
                    autocomplete="current-password")],
        "Sign in", LoginState.submit, LoginState,
        rx.vstack(
            rx.link("Forgot your password?", href=routes.FORGOT_PASSWORD, size="2"),
            rx.text("New here? ", rx.link("Create a student account", href=routes.REGISTER),
                    size="2"),
            spacing="2",
        ),
    )


def _back_to_sign_in() -> rx.Component:
    return rx.text(rx.link("Back to sign in", href=routes.LOGIN), size="2")


def _notice_card(title: str, *children: rx.Component) -> rx.Component:
    """A card that says what happened or what to do, with the way back to sign in."""
    return public_shell(rx.card(
        rx.vstack(rx.heading(title, as_="h1", size="7"), *children, _back_to_sign_in(),
                  spacing="4", width="100%"),
        class_name="iv-auth-card"))


def _emailing_page(state: Any, title: str, form: rx.Component, *sent: Any,
                   no_mail: str) -> rx.Component:
    """A form answered by email (state: an EmailingPage): "check your email", with ``sent``
    (the address typed in bold between), once it has gone; ``no_mail`` when this InfoView
    can't send email."""
    return rx.cond(
        state.sent_to != "",
        _notice_card("Check your email",
                     rx.text(sent[0], rx.text.strong(state.sent_to), *sent[1:], role="status")),
        rx.cond(state.mail_ready, form, _notice_card(title, rx.text(no_mail))),
    )


def forgot_password_page() -> rx.Component:
    errors = ForgotPasswordState.errors
    title = "Forgot your password?"
    return _emailing_page(
        ForgotPasswordState, title,
        _auth_card(title, "Enter the email you sign in with. We'll send you a link to choose a "
                   "new password.",
                   [text_field("Email", "email", errors, type="email",
                               autocomplete="username")],
                   "Email me a link", ForgotPasswordState.submit, ForgotPasswordState,
                   _back_to_sign_in()),
        "If an InfoView account uses ", ", we have sent it a link to choose a new password. "
        "The link works once, for one hour. Nothing there? Look in your spam folder, or ask "
        "again in a few minutes.",
        no_mail="This InfoView can't send email yet. Ask the career office to reset your "
                "password.")


def _emailed_link_page(state: Any, page: rx.Component, spent: str, again: str,
                       again_href: str) -> rx.Component:
    """The page of an emailed link (state: an EmailedLinkPage), or, once the link is spent,
    why (``spent``) and where to get a new one."""
    return rx.cond(
        state.link_works,
        page,
        _notice_card("This link no longer works", rx.text(spent),
                     rx.link(again, href=again_href, size="3")),
    )


def reset_password_page() -> rx.Component:
    errors = ResetPasswordState.errors
    return _emailed_link_page(
        ResetPasswordState,
        _auth_card(
            "Choose a new password", "Setting it signs your account out on every device; then "
            "sign in with it.",
            [text_field("New password", "password", errors, type="password",
                        autocomplete="new-password",
                        hint=f"At least {PASSWORD_MIN} characters."),
             text_field("New password again", "confirm_password", errors, type="password",
                        autocomplete="new-password")],
            "Set new password", ResetPasswordState.submit, ResetPasswordState,
            _back_to_sign_in()),
        "A link to choose a new password works once, for one hour, and only the newest one "
        "you asked for.", "Ask for a new link", routes.FORGOT_PASSWORD)


def _registration_form() -> rx.Component:
    errors = RegisterState.errors
    return _auth_card(
        "Create your student account",
        "",
        [text_field("Full name", "name", errors, autocomplete="name"),
         text_field("Email", "email", errors, type="email", autocomplete="email",
                    hint=RegisterState.email_hint),
         text_field("Password", "password", errors, type="password",
                    autocomplete="new-password", hint=f"At least {PASSWORD_MIN} characters."),
         text_field("Major (optional)", "major", errors),
         text_field("Graduation year (optional)", "graduation_year", errors,
                    input_mode="numeric"),
         checkbox_field("Share my progress (step reached and counts, never notes or contacts) "
                        "with career advisors", "share_progress", errors)],
        "Create account", RegisterState.submit, RegisterState,
        rx.text("Already have an account? ", rx.link("Sign in", href=routes.LOGIN), size="2"),
    )


def register_page() -> rx.Component:
    return _emailing_page(
        RegisterState, "Create your student account", _registration_form(),
        "We have sent a link to ", ". Open it within 24 hours to confirm your address and "
        "start using InfoView. Nothing there? Look in your spam folder.",
        no_mail="This InfoView can't send email yet, so it can't confirm a new address. Ask "
                "the career office for an account.")


def verify_email_page() -> rx.Component:
    errors = VerifyEmailState.errors
    return _emailed_link_page(
        VerifyEmailState,
        _notice_card(
            "Confirm your email address",
            rx.text("One click and your InfoView account is ready."),
            form_error(errors),
            rx.button("Confirm my address", size="3", width="100%",
                      on_click=VerifyEmailState.confirm)),
        "A link to confirm your address works once, for 24 hours, and only the newest one "
        "we sent. Create your account again with the same address to get a new one.",
        "Create your account again", routes.REGISTER)


def oidc_callback_page() -> rx.Component:
    """Shown for the moment the callback's on-load handler (OidcState.callback) takes."""
    return public_shell(
        rx.card(
            rx.vstack(
                rx.heading("Signing you in", as_="h1", size="7"),
                rx.text("Checking your institution's sign-in…", color_scheme="gray", size="2",
                        role="status"),
                spacing="4",
                width="100%",
            ),
            class_name="iv-auth-card",
        )
    )

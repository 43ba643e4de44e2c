"""Sign-in and registration, and the page the institution's OpenID provider sends the
browser back to."""

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
from infoview_app.state.auth import LoginState, OidcState, RegisterState


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
        rx.text("New here? ", rx.link("Create a student account", href=routes.REGISTER),
                size="2"),
    )


def register_page() -> rx.Component:
    errors = RegisterState.errors
    return _auth_card(
        "Create your student account",
        "",
        [text_field("Full name", "name", errors, autocomplete="name"),
         text_field("Email", "email", errors, type="email", autocomplete="email"),
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

"""Sign-in and registration."""

import reflex as rx

from infoview_app import routes
from infoview_app.components.forms import (
    checkbox_field,
    form_error,
    submit_button,
    text_field,
)
from infoview_app.components.shell import public_shell
from infoview_app.services.validation import PASSWORD_MIN
from infoview_app.state.auth import LoginState, RegisterState


def login_page() -> rx.Component:
    errors = LoginState.errors
    return public_shell(
        rx.card(
            rx.vstack(
                rx.heading("Sign in", as_="h1", size="7"),
                rx.text("Learn about a career by talking to people in it, one conversation "
                        "at a time.", color_scheme="gray", size="2"),
                rx.form(
                    rx.vstack(
                        text_field("Email", "email", errors, type="email",
                                   autocomplete="username"),
                        text_field("Password", "password", errors, type="password",
                                   autocomplete="current-password"),
                        form_error(errors),
                        submit_button("Sign in"),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=LoginState.submit,
                    width="100%",
                    aria_label="Sign in",
                ),
                rx.text("New here? ", rx.link("Create a student account", href=routes.REGISTER),
                        size="2"),
                spacing="4",
                width="100%",
            ),
            class_name="iv-auth-card",
        )
    )


def register_page() -> rx.Component:
    errors = RegisterState.errors
    return public_shell(
        rx.card(
            rx.vstack(
                rx.heading("Create your student account", as_="h1", size="7"),
                rx.form(
                    rx.vstack(
                        text_field("Full name", "name", errors, autocomplete="name"),
                        text_field("Email", "email", errors, type="email",
                                   autocomplete="email"),
                        text_field("Password", "password", errors, type="password",
                                   autocomplete="new-password",
                                   hint=f"At least {PASSWORD_MIN} characters."),
                        text_field("Major (optional)", "major", errors),
                        text_field("Graduation year (optional)", "graduation_year", errors,
                                   input_mode="numeric"),
                        checkbox_field("Share my progress (step reached and counts, never "
                                       "notes or contacts) with career advisors",
                                       "share_progress", errors),
                        form_error(errors),
                        submit_button("Create account"),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=RegisterState.submit,
                    width="100%",
                    aria_label="Create account",
                ),
                rx.text("Already have an account? ", rx.link("Sign in", href=routes.LOGIN),
                        size="2"),
                spacing="4",
                width="100%",
            ),
            class_name="iv-auth-card",
        )
    )

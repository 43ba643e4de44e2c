"""The one confirmation dialog: an action that cannot be undone (or that adds work) asks
first, in a Radix alert dialog. Radix traps the focus inside, moves it to the Cancel button
when the dialog opens (so Enter never confirms by accident), closes on Escape and gives the
focus back to the trigger."""

from typing import Any, Literal

import reflex as rx


def confirm_dialog(trigger: rx.Component, title: str | rx.Var, description: str,
                   confirm_label: str, on_confirm: Any, *, cancel_label: str = "Cancel",
                   color_scheme: Literal["red"] | None = "red",
                   fields: tuple[rx.Component, ...] = (), form_label: str = "",
                   **root_props: Any) -> rx.Component:
    """``trigger`` opens a dialog with ``title``, ``description`` and two buttons: Cancel
    (``cancel_label``) and ``confirm_label``, which runs ``on_confirm`` (red by default:
    ``color_scheme=None`` takes the accent colour).

    With ``fields`` (e.g. a password to retype) the dialog holds a form named ``form_label``:
    the confirm button submits it to ``on_confirm`` and the dialog stays open, so the errors
    appear beside the fields; the caller then controls ``open`` / ``on_open_change`` through
    ``root_props``."""
    cancel = rx.alert_dialog.cancel(rx.button(cancel_label, variant="soft", color_scheme="gray",
                                              type="button"))
    if fields:
        body = rx.form(
            rx.vstack(
                *fields,
                _buttons(cancel, rx.button(confirm_label, color_scheme=color_scheme,
                                           type="submit")),
                spacing="4", width="100%", margin_top="1rem",
            ),
            on_submit=on_confirm,
            aria_label=form_label,
        )
    else:
        body = _buttons(cancel, rx.alert_dialog.action(rx.button(
            confirm_label, color_scheme=color_scheme, on_click=on_confirm)), margin_top="1rem")
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description, size="2"),
            body,
        ),
        **root_props,
    )


def _buttons(cancel: rx.Component, confirm: rx.Component, **props: Any) -> rx.Component:
    return rx.hstack(cancel, confirm, justify="end", wrap="wrap", width="100%", **props)

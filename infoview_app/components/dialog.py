"""A dialog that the app's state opens (``open=`` a state var), not a Radix trigger.

Radix gives focus back on close only to its Dialog.Trigger; without one it focuses nothing,
the closing content is removed with focus inside it, and focus falls to the page's body.
``dialog_content`` hands Radix's open and close focus events to ``assets/focus_keeper.js``,
which remembers the control focused as the dialog opens and focuses it again (or the control
that replaced it) as the dialog closes, by Save, Cancel or Escape alike (WCAG 2.4.3)."""

from typing import Any

import reflex as rx

# JavaScript props, not Reflex events: Radix passes a cancellable event that must be handled
# in the browser, synchronously (preventDefault stops Radix's own "focus the trigger").
_RETURN_FOCUS = {
    "onOpenAutoFocus": rx.Var("((event) => window.ivDialogFocus?.opened(event))"),
    "onCloseAutoFocus": rx.Var("((event) => window.ivDialogFocus?.closed(event))"),
}


def dialog_content(*children: rx.Component, **props: Any) -> rx.Component:
    """``rx.dialog.content`` for a dialog opened by state: focus returns to its opener."""
    return rx.dialog.content(*children, custom_attrs=_RETURN_FOCUS, **props)

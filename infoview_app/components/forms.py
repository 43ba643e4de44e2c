"""Form fields whose error message sits beside the field (and is tied to it for screen
readers), and the submit button."""

from typing import Any, Literal

import reflex as rx
from reflex.vars import ObjectVar, Var

# The input types the forms use (rx.input checks the type against its own list).
InputType = Literal["text", "email", "password", "number", "date", "time", "tel", "url", "search"]


def field_error(name: str, errors: ObjectVar) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", class_name="iv-field-error", size="2",
                role="alert"),
    )


def text_field(label: str, name: str, errors: ObjectVar, *, type: InputType = "text",
               autocomplete: str = "off", hint: str = "", **props: Any) -> rx.Component:
    """A labelled input; ``errors[name]`` is shown right under it when present."""
    field_id = f"field-{name}"
    described_by = f"{name}-error {field_id}-hint" if hint else f"{name}-error"
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="iv-label"),
        rx.input(id=field_id, name=name, type=type, auto_complete=autocomplete,
                 aria_invalid=rx.cond(errors.contains(name), "true", "false"),
                 aria_describedby=described_by, size="3", width="100%", **props),
        *([rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")] if hint else []),
        field_error(name, errors),
        class_name="iv-field",
    )


def text_area_field(label: str, name: str, errors: ObjectVar, *, hint: str | rx.Var = "",
                    **props: Any) -> rx.Component:
    """A labelled multi-line input; ``errors[name]`` is shown right under it when present."""
    field_id = f"field-{name}"
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="iv-label"),
        rx.text_area(id=field_id, name=name,
                     aria_invalid=rx.cond(errors.contains(name), "true", "false"),
                     aria_describedby=f"{name}-error {field_id}-hint", size="3", width="100%",
                     **props),
        rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray"),
        field_error(name, errors),
        class_name="iv-field",
    )


def checkbox_field(label: str, name: str, errors: ObjectVar, **props: Any) -> rx.Component:
    return rx.box(
        rx.el.label(
            rx.el.input(type="checkbox", name=name, class_name="iv-checkbox", **props),
            rx.text(label, as_="span", size="2"),
            class_name="iv-checkbox-label",
        ),
        field_error(name, errors),
        class_name="iv-field",
    )


def kept_text_area(state: Any, unsent_key: Var, **props: Any) -> rx.Component:
    """An autosaved text area whose unsent text the browser keeps (assets/unsent.js) until
    the page shows the server's acknowledgement of it, ``state.acks[unsent_key]``. It appears
    once ``state`` (an ExplorationState) loaded its text on the current connection: never
    with what the server held before a reload, which kept text must not be matched against."""
    return rx.cond(
        state.texts_loaded_on == rx.State.router.session.session_id,
        rx.text_area(custom_attrs={"data-unsent-key": unsent_key,
                                   "data-ack": state.acks[unsent_key]}, **props),
        rx.text_area(disabled=True, placeholder="Loading…", rows=props.get("rows"),
                     width="100%", tab_index=-1),
    )


def submit_button(label: str, **props: Any) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", **props)


def form_error(errors: ObjectVar, *records: str) -> rx.Component:
    """Messages that belong to no single field, and those about the records a panel's buttons
    act on (``records``: error keys such as "occupation", the name services give them)."""
    return rx.fragment(*[field_error(name, errors) for name in ("form", *records)])

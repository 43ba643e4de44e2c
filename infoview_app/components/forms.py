"""Form fields whose error message sits beside the field (and is tied to it for screen
readers), and the submit button."""

from collections.abc import Callable, Mapping
from typing import Any, Literal

import reflex as rx
from reflex.vars import ObjectVar, Var, VarData

# The input types the forms use (rx.input checks the type against its own list).
InputType = Literal["text", "email", "password", "number", "date", "time", "tel", "url", "search"]


def field_error(name: str, errors: ObjectVar) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", class_name="iv-field-error", size="2",
                role="alert"),
    )


def text_field(label: str, name: str, errors: ObjectVar, *, type: InputType = "text",
               autocomplete: str = "off", hint: str | Var[str] = "",
               **props: Any) -> rx.Component:
    """A labelled input; ``errors[name]`` is shown right under it when present. ``hint`` (a
    text, or a state var that is never empty) is shown under the label's input."""
    field_id = f"field-{name}"
    has_hint = isinstance(hint, Var) or bool(hint)
    described_by = f"{name}-error {field_id}-hint" if has_hint else f"{name}-error"
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="iv-label"),
        rx.input(id=field_id, name=name, type=type, auto_complete=autocomplete,
                 aria_invalid=rx.cond(errors.contains(name), "true", "false"),
                 aria_describedby=described_by, size="3", width="100%", **props),
        *([rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")]
          if has_hint else []),
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


def _record_option(record: ObjectVar) -> tuple[Var, Var]:
    return record["label"], record["value"]


def _option(label: Any, value: Any) -> rx.Component:
    return rx.el.option(label, value=value)


def select_field(label: str, name: str, errors: ObjectVar | None,
                 options: Mapping[Any, str] | Var, *,
                 option: Callable[[ObjectVar], tuple[Any, Any]] = _record_option,
                 all_label: str | Var[str] = "", field_id: str = "", error_key: str = "",
                 **props: Any) -> rx.Component:
    """A labelled native select (it opens the phone's own picker); ``errors[error_key]``
    (``name`` unless given) is shown right under it when present, ``errors`` None shows none.

    ``options`` maps values (plain strings or StrEnum members) to labels, or is a list var
    whose items ``option`` turns into (label, value): by default records with "label" and
    "value" keys. ``all_label`` adds a first option with the value "" (e.g. "All majors").
    ``props`` go to the select: ``default_value`` inside a form, or ``value`` and
    ``on_change``."""
    field_id = field_id or f"field-{name}"
    error_key = error_key or name
    if isinstance(options, Var):
        choices = [rx.foreach(options, lambda record: _option(*option(record)))]
    else:
        choices = [_option(text, str(value)) for value, text in options.items()]
    if errors is not None:
        props |= {"aria_invalid": rx.cond(errors.contains(error_key), "true", "false"),
                  "aria_describedby": f"{error_key}-error"}
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="iv-label"),
        rx.el.select(*([_option(all_label, "")]
                       if isinstance(all_label, Var) or all_label else []), *choices,
                     id=field_id, name=name, class_name="iv-select", **props),
        *([field_error(error_key, errors)] if errors is not None else []),
        class_name="iv-field",
    )


def filter_form(*fields: rx.Component, errors: ObjectVar, on_submit: Any, on_reset: Any,
                form_id: str, version: Var, **props: Any) -> rx.Component:
    """Filters in a row on laptops (stacked on phones) with Apply and Reset. The form is
    rebuilt whenever the server bumps ``version``, so its fields show the filters in force."""
    return rx.form(
        rx.box(*fields, class_name="iv-filter-grid"),
        field_error("form", errors),
        rx.hstack(
            rx.button("Apply", type="submit", size="3"),
            rx.button("Reset", type="button", size="3", variant="soft", color_scheme="gray",
                      on_click=on_reset),
            spacing="3", margin_top="1rem",
        ),
        id=form_id,
        on_submit=on_submit,
        key=version.to_string(),
        **props,
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


def _loaded_on_this_page(loaded_on: Var, socket_id: Var) -> Var:
    """Whether ``loaded_on`` is a socket this page instance has had. The browser notes each
    socket id the page renders with (a global that a reload clears): after a reconnect the
    field that already holds what was typed stays mounted, while a reloaded page waits for
    the step to load its texts on its own socket."""
    seen = "(globalThis.__infoviewSockets ??= new Set())"
    return Var(
        _js_expr=f"((sid, loaded) => (sid !== '' && {seen}.add(sid), loaded !== '' && "
                 f"{seen}.has(loaded)))({socket_id}, {loaded_on})",
        _var_type=bool,
        _var_data=VarData.merge(loaded_on._get_all_var_data(),
                                socket_id._get_all_var_data()),
    )


def kept_text_area(state: Any, unsent_key: Var, **props: Any) -> rx.Component:
    """An autosaved text area whose unsent text the browser keeps (assets/unsent.js) until
    the page shows the server's acknowledgement of it, ``state.acks[unsent_key]``. It appears
    once ``state`` (an ExplorationState) loaded its text on the current connection: never
    with what the server held before a reload, which kept text must not be matched against.

    ``max_length`` is not the browser's maxlength, which cuts a long paste silently: the
    server refuses text over it beside the field, with the count, and the keeper holds the
    whole text meanwhile (it does not resend it until it is short enough)."""
    limit = props.pop("max_length", None)
    return rx.cond(
        _loaded_on_this_page(state.texts_loaded_on, rx.State.router.session.session_id),
        rx.text_area(custom_attrs={"data-unsent-key": unsent_key,
                                   "data-ack": state.acks[unsent_key],
                                   **({"data-max-length": limit} if limit else {})},
                     **props),
        rx.text_area(disabled=True, placeholder="Loading…", rows=props.get("rows"),
                     width="100%", tab_index=-1),
    )


def submit_button(label: str, **props: Any) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", **props)


def form_error(errors: ObjectVar, *records: str) -> rx.Component:
    """Messages that belong to no single field, and those about the records a panel's buttons
    act on (``records``: error keys such as "occupation", the name services give them)."""
    return rx.fragment(*[field_error(name, errors) for name in ("form", *records)])

"""What the staff's programme pages share: the tabs between them, the dialog that adds or
edits a record, and the retire / restore buttons (retiring asks first)."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar, StringVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, loading, page_heading, section
from infoview_app.components.confirm import confirm_dialog
from infoview_app.components.dialog import dialog_content
from infoview_app.components.forms import form_error
from infoview_app.components.shell import app_shell, current_path_in

PROGRAMME_PAGES = (("Partners", "handshake", routes.STAFF_PARTNERS),
                   ("Questions", "message-circle-question", routes.STAFF_QUESTIONS),
                   ("Settings", "settings", routes.STAFF_SETTINGS))


def programme_tabs() -> rx.Component:
    """Links between the three programme pages; the current one is marked."""
    return rx.el.nav(
        *[rx.link(rx.icon(icon, size=16, aria_hidden="true"), rx.el.span(label), href=route,
                  underline="none", class_name="iv-programme-tab",
                  aria_current=rx.cond(current_path_in(route), "page", "false"))
          for label, icon, route in PROGRAMME_PAGES],
        class_name="iv-programme-tabs",
        aria_label="Programme tools",
    )


def record_dialog(state: Any, *, add_title: str, edit_title: str, submit_label: str,
                  fields: list[rx.Component]) -> rx.Component:
    """The add / edit dialog of a staff list (``state`` is a RecordEditorState). The form is
    re-created for each record, so its fields start from that record's values."""
    return rx.dialog.root(
        dialog_content(
            rx.dialog.title(rx.cond(state.editing_id > 0, edit_title, add_title)),
            rx.form(
                rx.vstack(
                    *fields,
                    form_error(state.errors),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray",
                                                  type="button")),
                        rx.button(submit_label, type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=state.save,
                key=state.editing_id.to_string(),
                aria_label=rx.cond(state.editing_id > 0, edit_title, add_title),
            ),
            max_width="34rem",
        ),
        open=state.form_open,
        on_open_change=state.set_form_open,
    )


def _retire_or_restore(state: Any, record_id: rx.Var, active: rx.Var, name: StringVar,
                      consequence: str) -> rx.Component:
    """"Retire" behind a confirmation that says what retiring does, or "Restore"."""
    return rx.cond(
        active,
        confirm_dialog(
            rx.button("Retire", size="1", variant="soft", color_scheme="red",
                      aria_label="Retire " + name),
            "Retire " + name + "?", consequence, "Retire", state.set_active(record_id, False),
        ),
        rx.button("Restore", size="1", variant="soft", aria_label="Restore " + name,
                  on_click=state.set_active(record_id, True)),
    )


def record_list_page(state: Any, *, title: str, intro: str, section_title: str,
                     add: tuple[str, str], row: Any, list_label: str,
                     empty: tuple[str, str], form: rx.Component) -> rx.Component:
    """A programme page listing the office's records (partners, questions): the heading, the
    tabs, an add button (icon, label), the list of ``row(record)`` or the empty state (icon,
    text), and the add / edit dialog."""
    return app_shell(
        page_heading(title, intro),
        programme_tabs(),
        rx.cond(
            state.loaded,
            section(
                section_title,
                rx.button(rx.icon(add[0], size=16, aria_hidden="true"), add[1],
                          on_click=state.open_form(0), margin_bottom="0.75rem"),
                form_error(state.errors),
                rx.cond(
                    state.rows.length() > 0,
                    rx.vstack(rx.foreach(state.rows, row), width="100%", role="list",
                              aria_label=list_label),
                    empty_state(*empty),
                ),
            ),
            loading(),
        ),
        form,
    )


def record_item(state: Any, record: ObjectVar, name: StringVar, retire_consequence: str,
                *details: rx.Component) -> rx.Component:
    """One record in a programme list: its ``details``, then Edit and Retire / Restore
    (``record`` has the "id" and "active" keys; ``name`` labels the buttons)."""
    return rx.box(
        *details,
        rx.hstack(
            rx.button("Edit", size="1", variant="soft", on_click=state.open_form(record["id"]),
                      aria_label="Edit " + name),
            _retire_or_restore(state, record["id"], record["active"], name,
                               retire_consequence),
            margin_top="0.5rem",
        ),
        class_name="iv-list-item",
        role="listitem",
    )

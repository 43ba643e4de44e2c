"""Admin: the audit log, filtered by event, email and dates, and downloaded as CSV. A table on
laptops; on phones each event is a card of labelled lines (assets/styles.css)."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app.components.cards import empty_state, loading, page_heading, section
from infoview_app.components.forms import filter_form, select_field, text_field
from infoview_app.components.shell import app_shell
from infoview_app.services.accounts.audit import SHOWN
from infoview_app.services.core.wording import AUDIT_KIND_LABELS
from infoview_app.state.audit import AuditLogState as State

FILTER_FORM_ID = "audit-filters"
WHAT_IS_RECORDED = ("The audit log records sign-ins and failed sign-in attempts, sign-outs, "
                    "registrations, password changes, staff accounts created, deactivated or "
                    "reactivated, changes to the institution settings, data exports and "
                    "account deletions: who, when and from which address. Never a password "
                    "or a student's notes.")
# (row key, column heading): the first column heads each row.
COLUMNS = (("when", "When (UTC)"), ("event", "Event"), ("actor", "By"),
           ("target", "Account"), ("detail", "Detail"), ("client", "Address"))


def _filters() -> rx.Component:
    return section(
        "Filters",
        filter_form(
            select_field("Event", "kind", State.errors, AUDIT_KIND_LABELS,
                         all_label="All events", default_value=State.kind),
            text_field("Email contains", "email", State.errors, type="search",
                       default_value=State.email,
                       hint="Of the person acting or of the account concerned."),
            text_field("From (UTC)", "start", State.errors, type="date",
                       default_value=State.start),
            text_field("To (UTC)", "end", State.errors, type="date", default_value=State.end),
            errors=State.errors, on_submit=State.apply_filters, on_reset=State.reset_filters,
            form_id=FILTER_FORM_ID, version=State.form_version,
            aria_label="Filter the audit log",
        ),
    )


def _event(row: ObjectVar) -> rx.Component:
    key, label = COLUMNS[0]
    return rx.el.tr(
        rx.el.th(row[key], scope="row", custom_attrs={"data-label": label}),
        *[rx.el.td(row[key], custom_attrs={"data-label": label}) for key, label in COLUMNS[1:]],
    )


def _table() -> rx.Component:
    """A plain table (the layout is assets/styles.css's: cards on phones)."""
    return rx.el.table(
        rx.el.caption("Audit log events, newest first", class_name="iv-sr-only"),
        rx.el.thead(rx.el.tr(*[rx.el.th(label, scope="col") for _, label in COLUMNS])),
        rx.el.tbody(rx.foreach(State.rows, _event)),
        class_name="iv-audit-table",
    )


def _events() -> rx.Component:
    filtered = (State.kind != "") | (State.email != "") | (State.start != "") | (
        State.end != "")
    return section(
        "Events",
        rx.cond(
            State.rows.length() > 0,
            rx.vstack(
                rx.flex(
                    rx.text(rx.cond(State.more,
                                    f"The newest {SHOWN} matching events. Narrow the filters "
                                    "to see older ones; the CSV holds more.",
                                    rx.cond(State.rows.length() == 1, "1 event.",
                                            State.rows.length().to_string()
                                            + " events, newest first.")),
                            size="2", color_scheme="gray"),
                    rx.button(rx.icon("download", size=16, aria_hidden="true"),
                              "Download CSV", variant="soft", size="2",
                              on_click=State.download_csv),
                    justify="between", align="center", gap="2", wrap="wrap", width="100%",
                ),
                _table(),
                spacing="3", width="100%",
            ),
            rx.cond(
                filtered,
                empty_state("search-x", "No events match these filters.",
                            rx.button("Show all events", variant="soft", size="2",
                                      on_click=State.reset_filters)),
                empty_state("shield-check", "Nothing recorded yet. " + WHAT_IS_RECORDED),
            ),
        ),
        margin_top="1rem",
    )


def audit_log_page() -> rx.Component:
    return app_shell(
        page_heading("Audit log", rx.cond(
            State.retention_days > 0,
            "Security events, kept " + State.retention_days.to_string() + " days.",
            "Security events.")),
        rx.cond(State.loaded, rx.fragment(_filters(), _events()), loading()),
    )

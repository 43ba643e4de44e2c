"""Staff home (the programme dashboard) and the page a user reaches when a page is not for
their role."""

import reflex as rx

from infoview_app import routes
from infoview_app.components.cards import empty_state, loading, page_heading, section
from infoview_app.components.charts import chart_card, data_table
from infoview_app.components.forms import field_error, filter_form, select_field, text_field
from infoview_app.components.shell import app_shell
from infoview_app.services.staff.dashboard.filters import DEFAULT_WEEKS
from infoview_app.state.staff import PROGRESS_FIRST, PROGRESS_LIMIT
from infoview_app.state.staff import StaffHomeState as State

FILTER_FORM_ID = "dashboard-filters"
PROGRESS_COLUMNS = [
    {"key": "name", "label": "Student"},
    {"key": "major", "label": "Major"},
    {"key": "graduation_year", "label": "Graduation year"},
    {"key": "explorations", "label": "Explorations"},
    {"key": "furthest_step", "label": "Furthest step"},
    {"key": "contacts", "label": "Contacts"},
    {"key": "interviews", "label": "Interviews held"},
]


def _choice_field(label: str, name: str, everyone: str, options: rx.Var,
                  value: rx.Var) -> rx.Component:
    """A filter among the values found (each its own label), or everyone."""
    return select_field(label, name, State.errors, options, option=lambda o: (o, o),
                        all_label=everyone, default_value=value)


def _filters() -> rx.Component:
    return section(
        "Filters",
        filter_form(
            text_field("From", "start", State.errors, type="date", default_value=State.start),
            text_field("To", "end", State.errors, type="date", default_value=State.end),
            _choice_field("Major", "major", "All majors", State.majors, State.major),
            _choice_field("Graduation year", "graduation_year", "All years",
                          State.graduation_years, State.graduation_year),
            errors=State.errors, on_submit=State.apply_filters, on_reset=State.reset_filters,
            form_id=FILTER_FORM_ID, version=State.form_version,
        ),
    )


def _figure(label: str | rx.Var, value: rx.Var, hint: str | rx.Var) -> rx.Component:
    return rx.box(
        rx.text(label, size="2", color_scheme="gray"),
        rx.text(value, size="7", weight="bold"),
        rx.text(hint, size="1", color_scheme="gray"),
        class_name="iv-figure",
    )


def _headline() -> rx.Component:
    return rx.box(
        _figure("Registered students", State.students,
                "Student accounts of this major and year, whatever the dates."),
        rx.foreach(State.headline,
                   lambda item: _figure(item["label"], item["value"], item["hint"])),
        class_name="iv-figures",
        width="100%",
    )


def _no_activity() -> rx.Component:
    """Nothing to chart: say why, and what to do next."""
    return rx.cond(
        ~State.has_students & (State.major == "") & (State.graduation_year == ""),
        empty_state("user-plus", "No students have registered yet. Point students to the "
                    "sign-up page: they create their own accounts, and their explorations, "
                    "contacts and interviews appear here.",
                    rx.link("Open the sign-up page", href=routes.REGISTER)),
        empty_state("calendar-x", "Too little student activity to show for these filters in "
                    "this period. Try a longer period or other filters.",
                    rx.cond(~State.is_default,
                            rx.button(f"Back to the last {DEFAULT_WEEKS} weeks for everyone",
                                      variant="soft", size="2",
                                      on_click=State.reset_filters))),
    )


def _progress() -> rx.Component:
    return section(
        "Students sharing their progress",
        rx.text("Only students who chose to share their progress with advisors are listed: "
                "the step they reached and their counts, never their notes or contacts.",
                size="2", color_scheme="gray", margin_bottom="0.75rem"),
        rx.form(
            rx.hstack(
                rx.box(
                    rx.el.label("Search students by name", html_for="field-search",
                                class_name="iv-sr-only"),
                    rx.input(id="field-search", name="search", type="search",
                             placeholder="Search by name", default_value=State.search,
                             aria_describedby="search-error", size="3", width="100%"),
                    field_error("search", State.errors),
                    class_name="iv-field",
                ),
                rx.button(rx.icon("search", size=16, aria_hidden="true"), "Search",
                          type="submit", size="3", variant="soft"),
                align="start", width="100%", spacing="2",
            ),
            on_submit=State.search_students,
            margin_bottom="0.75rem",
        ),
        rx.cond(
            State.progress.length() > 0,
            rx.fragment(
                data_table(rx.Var.create(PROGRESS_COLUMNS),
                           rx.cond(State.progress_all, State.progress,
                                   State.progress[:PROGRESS_FIRST]).to(list[dict[str, str]]),
                           "Students sharing their progress"),
                rx.cond(State.progress.length() > PROGRESS_FIRST,
                        rx.button(rx.cond(State.progress_all, f"Show the first {PROGRESS_FIRST}",
                                          State.progress_all_label),
                                  variant="soft", size="2", margin_top="0.5rem",
                                  aria_expanded=rx.cond(State.progress_all, "true", "false"),
                                  on_click=State.show_all_progress(~State.progress_all))),
                rx.cond(State.progress_more,
                        rx.text(f"The first {PROGRESS_LIMIT} by name: search to find someone "
                                "else.", size="2", color_scheme="gray", margin_top="0.5rem")),
            ),
            rx.cond(
                State.search != "",
                empty_state("search-x", "No student sharing their progress matches that "
                            "name."),
                empty_state("eye-off", "No student in this group shares their progress yet. "
                            "Students can turn sharing on in their account settings."),
            ),
        ),
    )


def _dashboard() -> rx.Component:
    return rx.vstack(
        _filters(),
        _headline(),
        rx.callout(State.note, icon="info", size="1", width="100%"),
        rx.cond(
            State.active,
            rx.box(rx.foreach(State.charts, lambda chart: chart_card(
                       chart, State.download_csv, State.open_tables, State.show_table)),
                   class_name="iv-chart-grid"),
            _no_activity(),
        ),
        _progress(),
        width="100%",
        spacing="4",
    )


def staff_home_page() -> rx.Component:
    return app_shell(
        page_heading("Programme overview",
                     "How students move through the six steps, week by week. Every count is "
                     "rounded, and small ones are hidden, so that no figure points to a "
                     "student."),
        rx.cond(State.loaded, _dashboard(), loading()),
    )


def not_allowed_page() -> rx.Component:
    return app_shell(
        page_heading("This page isn't available to you"),
        rx.callout("The page you tried to open is for another role (for example, career-office "
                   "staff). Nothing was changed.", icon="shield-alert", color_scheme="amber"),
        rx.link("Go to your home page", href=routes.HOME, margin_top="1rem"),
    )

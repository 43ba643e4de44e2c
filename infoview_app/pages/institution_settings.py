"""Staff: the institution's settings, shown to every student."""

from typing import Any

import reflex as rx

from infoview_app.components.cards import loading, page_heading, section
from infoview_app.components.forms import InputType, form_error, text_field
from infoview_app.components.programme import programme_tabs
from infoview_app.components.shell import app_shell
from infoview_app.services.core.time_zones import zone_names
from infoview_app.services.staff.institution import CODE_PLACEHOLDER, LABELS, LIMITS
from infoview_app.services.staff.suppression import BASE, MIN_GROUP_RANGE
from infoview_app.state.institution_settings import InstitutionSettingsState as State

FORM_ID = "settings-form"


ZONE_LIST_ID = "time-zone-names"


def _field(key: str, *, type: InputType = "text", hint: str = "", **props: Any) -> rx.Component:
    return text_field(LABELS[key], key, State.errors, type=type, hint=hint,
                      default_value=State.values[key], max_length=LIMITS[key], **props)


def _time_zone() -> rx.Component:
    """A text field that suggests the zone names as the user types (any browser's list)."""
    return rx.box(
        _field("time_zone", hint="The staff dashboard counts days and weeks in it. Type a "
                                 "city, e.g. America/Chicago or Europe/London.",
               custom_attrs={"list": ZONE_LIST_ID}, spell_check=False),
        rx.el.datalist(*(rx.el.option(value=name) for name in zone_names()), id=ZONE_LIST_ID),
        max_width="28rem",
    )


def _min_group_size() -> rx.Component:
    low, high = MIN_GROUP_RANGE
    return rx.box(
        text_field(LABELS["min_group_size"], "min_group_size", State.errors, type="number",
                   hint=f"Dashboard counts under it show as \"<N\" (every count is also "
                        f"rounded to a multiple of {BASE}). From {low} to {high}; 10 is common "
                        "in education reporting.",
                   # No min/max: the browser would stop the form with its own bubble; the server's
                   # message shows beside the field instead.
                   default_value=State.values["min_group_size"], input_mode="numeric"),
        max_width="28rem",
    )


def _settings_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            section("Institution", _field("name", hint="Shown at the top of every page.")),
            section(
                "Career office",
                rx.text("Shown on every page, so students know whom to call.", size="2",
                        margin_bottom="0.5rem"),
                rx.box(
                    _field("office_name"),
                    _field("office_phone", type="tel"),
                    _field("office_email", type="email"),
                    _field("office_url", type="url"),
                    class_name="iv-form-grid", grid_template_columns=(
                        "repeat(auto-fit, minmax(min(100%, 20rem), 1fr))"),
                ),
                rx.box(_field("office_address"), margin_top="0.75rem"),
            ),
            section(
                "Research links (step 1)",
                rx.vstack(
                    _field("onet_url_template", type="url",
                           hint=f"{CODE_PLACEHOLDER} is replaced by the occupation the student "
                                "chose, e.g. 29-1123.00."),
                    _field("ooh_url", type="url"),
                    _field("major_to_career_url", type="url"),
                    spacing="3", width="100%",
                ),
            ),
            section("Staff dashboard", rx.vstack(_time_zone(), _min_group_size(), spacing="3",
                                                 width="100%")),
            form_error(State.errors),
            rx.button("Save settings", type="submit", size="3"),
            spacing="4", width="100%",
        ),
        id=FORM_ID,
        on_submit=State.save,
        aria_label="Institution settings",
    )


def institution_settings_page() -> rx.Component:
    return app_shell(
        page_heading("Institution settings", "The career office's contact details, the "
                     "research links students follow and the staff dashboard's time zone and "
                     "minimum group size. Students see changes on their next page."),
        programme_tabs(),
        rx.cond(State.loaded, _settings_form(), loading()),
    )

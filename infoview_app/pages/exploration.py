"""One exploration, walked through the six steps.

Each step's tools are an ``rx.memo`` loaded after the first paint (``after_first_paint``):
the page's own module holds the shell, the stepper and each step's heading and advice, and
the browser fetches only the chunk of the step it shows, once the step's heading and advice
are on screen.
"""

import reflex as rx

from infoview_app import routes
from infoview_app.components.cards import loading, page_heading
from infoview_app.components.lazy import after_first_paint
from infoview_app.components.shell import app_shell
from infoview_app.components.stepper import stepper
from infoview_app.pages.steps.connect import connect_panel
from infoview_app.pages.steps.develop import develop_panel
from infoview_app.pages.steps.follow_up import follow_up_panel
from infoview_app.pages.steps.guidance import guidance
from infoview_app.pages.steps.interview import interview_panel
from infoview_app.pages.steps.prepare import prepare_panel
from infoview_app.pages.steps.research import research_panel
from infoview_app.services.core.wording import STEP_NAMES
from infoview_app.state.exploration import ExplorationState as State

# Each panel compiles into the module mirroring its step's (.web/app_components/.../steps/).
PANELS = {number: rx.memo(panel) for number, panel in enumerate(
    (research_panel, develop_panel, prepare_panel, connect_panel, interview_panel,
     follow_up_panel), start=1)}


def _step_body(number: int) -> rx.Component:
    panel = PANELS.get(number)
    return rx.box(
        rx.heading(f"Step {number} · {STEP_NAMES[number - 1]}", as_="h2", size="5",
                   margin_bottom="0.75rem"),
        guidance(number),
        *([after_first_paint(panel)] if panel else []),
    )


def exploration_page() -> rx.Component:
    return app_shell(
        rx.cond(
            State.missing,
            rx.box(
                page_heading("Exploration not found"),
                rx.text("This exploration does not exist or is not yours. ",
                        rx.link("Go to your home page", href=routes.HOME), size="3"),
            ),
            rx.cond(
                State.exploration_id > 0,
                rx.box(
                    rx.link(rx.hstack(rx.icon("arrow-left", size=16, aria_hidden="true"),
                                      rx.text("All explorations"), spacing="1",
                                      align="center"), href=routes.HOME, size="2"),
                    page_heading(State.field_name),
                    stepper(State.steps, State.step, State.exploration_id),
                    rx.match(State.step, *[(n, _step_body(n)) for n in range(1, 7)],
                             _step_body(1)),
                ),
                loading(),
            ),
        ),
    )

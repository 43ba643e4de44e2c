"""The six-step stepper: a horizontal row of steps on laptops; on phones a compact header
("Step 3 of 6 · Prepare") with previous / next and a menu to jump to any step."""

from collections.abc import Sequence
from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, NumberVar, ObjectVar

from infoview_app import routes
from infoview_app.services.core.wording import STEP_NAMES

# The steps as the exploration state holds them: number, name and status of each.
StepRows = ArrayVar[Sequence[dict[str, Any]]]

STATUS_ICONS = {"done": "circle-check", "in progress": "circle-dot", "not started": "circle"}


def _status_icon(status: rx.Var) -> rx.Component | rx.Var:
    return rx.match(
        status,
        ("done", rx.icon(STATUS_ICONS["done"], size=18, aria_hidden="true",
                         class_name="iv-step-icon iv-step-done")),
        ("in progress", rx.icon(STATUS_ICONS["in progress"], size=18, aria_hidden="true",
                                class_name="iv-step-icon iv-step-busy")),
        rx.icon(STATUS_ICONS["not started"], size=18, aria_hidden="true",
                class_name="iv-step-icon"),
    )


def _step_link(step: ObjectVar, current: NumberVar, exploration_id: NumberVar) -> rx.Component:
    number = step["number"].to(int)
    return rx.el.li(
        rx.link(
            rx.el.span(number.to_string(), class_name="iv-step-number"),
            rx.el.span(step["name"].to(str), class_name="iv-step-name"),
            _status_icon(step["status"]),
            rx.el.span(" (" + step["status_label"].to(str) + ")", class_name="iv-sr-only"),
            href=routes.exploration_url(exploration_id, number),
            aria_current=rx.cond(number == current, "step", "false"),
            class_name="iv-step-link",
            underline="none",
        ),
        class_name="iv-step",
    )


def _compact_header(steps: StepRows, current: NumberVar, exploration_id: NumberVar) -> rx.Component:
    name = rx.Var.create(list(STEP_NAMES))[current - 1]
    status = steps[current - 1]["status_label"].to(str)
    return rx.hstack(
        rx.cond(current > 1,
                rx.link(rx.icon("chevron-left", size=22),
                        href=routes.exploration_url(exploration_id, current - 1),
                        aria_label="Previous step", class_name="iv-step-arrow"),
                rx.el.span(class_name="iv-step-arrow")),
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.vstack(
                        rx.text("Step ", current.to_string(), " of 6 · ", name, weight="bold",
                                size="3"),
                        rx.text(status, size="1", color_scheme="gray"),
                        spacing="0", align="center",
                    ),
                    rx.icon("chevrons-up-down", size=16, aria_hidden="true"),
                    rx.el.span("Jump to a step", class_name="iv-sr-only"),
                    variant="ghost", size="3",
                ),
            ),
            rx.menu.content(
                rx.foreach(steps, lambda step: rx.menu.item(
                    step["number"].to_string() + ". " + step["name"].to(str) + " · "
                    + step["status_label"].to(str),
                    on_select=rx.redirect(routes.exploration_url(exploration_id, step["number"])),
                )),
            ),
            # Not modal: a modal menu hides the page with aria-hidden while its links stay
            # focusable (axe's aria-hidden-focus).
            modal=False,
        ),
        rx.cond(current < 6,
                rx.link(rx.icon("chevron-right", size=22),
                        href=routes.exploration_url(exploration_id, current + 1),
                        aria_label="Next step", class_name="iv-step-arrow"),
                rx.el.span(class_name="iv-step-arrow")),
        justify="between",
        align="center",
        width="100%",
        class_name="iv-stepper-compact",
    )


def stepper(steps: StepRows, current: NumberVar, exploration_id: NumberVar) -> rx.Component:
    return rx.el.nav(
        rx.el.ol(rx.foreach(steps, lambda step: _step_link(step, current, exploration_id)),
                 class_name="iv-stepper-row"),
        _compact_header(steps, current, exploration_id),
        aria_label="The six steps",
        class_name="iv-stepper",
    )

"""Small layout pieces used across pages."""

from typing import Any

import reflex as rx


def page_heading(title: str | rx.Var, subtitle: str | rx.Var = "") -> rx.Component:
    return rx.box(
        rx.heading(title, as_="h1", size="7"),
        *([rx.text(subtitle, color_scheme="gray", size="3")]
          if isinstance(subtitle, rx.Var) or subtitle else []),
        class_name="iv-page-heading",
    )


def section(title: str, *children: rx.Component, **props: Any) -> rx.Component:
    return rx.card(
        rx.heading(title, as_="h2", size="4", margin_bottom="0.75rem"),
        *children,
        width="100%",
        **props,
    )


def empty_state(icon: str, text: str, *children: rx.Component) -> rx.Component:
    """What to show where there is nothing yet: says what to do next."""
    return rx.hstack(
        rx.icon(icon, size=22, aria_hidden="true", class_name="iv-empty-icon"),
        rx.vstack(rx.text(text, size="2"), *children, spacing="2", align="start"),
        class_name="iv-empty",
        spacing="3",
        align="start",
    )


def figure(label: str, value: rx.Var | str | int) -> rx.Component:
    return rx.box(
        rx.text(label, size="2", color_scheme="gray"),
        rx.text(value, size="7", weight="bold"),
        class_name="iv-figure",
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), padding="3rem", aria_label="Loading")

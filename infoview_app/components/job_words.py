"""The job-word check display (services/job_words.py finds the words): wherever the student
writes something for a contact (the introduction, a question, an outreach draft), the words
that ask for a job rather than information, each with what to write instead."""

import reflex as rx
from reflex.vars import ArrayVar


def job_word_check(words: ArrayVar, label: str | rx.Var, *, quiet: bool = False
                   ) -> rx.Component:
    """``words`` is a list of {"term", "suggestion"}: shown in an amber callout, or, when
    empty, "No job-seeking words." (nothing with ``quiet``, for a list of short texts). A
    polite live region named ``label``, so a screen reader hears the check as the text
    changes."""
    all_clear = rx.hstack(
        rx.icon("circle-check", size=16, color=rx.color("green", 9), aria_hidden="true"),
        rx.text("No job-seeking words.", size="2", color_scheme="green"),
        spacing="1", align="center")
    return rx.box(
        rx.cond(
            words.length() > 0,
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle-alert", size=16)),
                rx.vstack(
                    rx.text("This sounds like job-seeking:", weight="bold", size="2"),
                    rx.el.ul(rx.foreach(words, lambda word: rx.el.li(rx.text(
                        "\u201c", word["term"], "\u201d: ", word["suggestion"], size="2"))),
                        class_name="iv-guidance-list"),
                    spacing="1",
                ),
                color_scheme="amber", size="1",
            ),
            *([] if quiet else [all_clear]),
        ),
        aria_live="polite", role="status", aria_label=label, width="100%",
    )

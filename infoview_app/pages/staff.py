"""Staff home and the page a user reaches when a page is not for their role."""

import reflex as rx

from infoview_app import routes
from infoview_app.components.cards import empty_state, figure, loading, page_heading, section
from infoview_app.components.shell import app_shell
from infoview_app.state.staff import StaffHomeState as State


def staff_home_page() -> rx.Component:
    return app_shell(
        page_heading("Programme overview",
                     "Counts across all students. Groups of fewer than 5 students show as <5."),
        rx.cond(
            State.loaded,
            rx.vstack(
                section(
                    "Students",
                    rx.box(
                        figure("Registered students", State.students),
                        figure("Joined this month", State.students_this_month),
                        figure("Sharing progress with advisors", State.sharing_progress),
                        class_name="iv-figures",
                    ),
                    rx.cond(
                        State.students == "0",
                        empty_state("user-plus", "No students have registered yet. Point "
                                    "students to the sign-up page: they create their own "
                                    "accounts.", rx.link("Open the sign-up page",
                                                         href=routes.REGISTER)),
                    ),
                ),
                section(
                    "Activity",
                    rx.box(
                        figure("Explorations started", State.explorations),
                        figure("Outreach attempts logged", State.outreach_attempts),
                        figure("Interviews held", State.interviews_completed),
                        class_name="iv-figures",
                    ),
                    rx.cond(
                        State.explorations == 0,
                        empty_state("compass", "No explorations yet. They appear here as "
                                    "students start exploring career fields."),
                    ),
                ),
                width="100%",
                spacing="4",
            ),
            loading(),
        ),
    )


def not_allowed_page() -> rx.Component:
    return app_shell(
        page_heading("This page isn't available to you"),
        rx.callout("The page you tried to open is for another role (for example, career-office "
                   "staff). Nothing was changed.", icon="shield-alert", color_scheme="amber"),
        rx.link("Go to your home page", href=routes.HOME, margin_top="1rem"),
    )

"""The contact network page: who the student knows in the field and who introduced whom.

What is drawn from the network's data (pages/network_view.py) is loaded after the first paint
(``after_first_paint``): the page's own module holds only the shell, the heading and the
spinner, and React Flow's stylesheet comes with the graph instead of blocking the first paint.
"""

import reflex as rx

from infoview_app import routes
from infoview_app.components.cards import empty_state, loading, page_heading
from infoview_app.components.lazy import after_first_paint
from infoview_app.components.shell import app_shell
from infoview_app.pages.network_view import contact_network
from infoview_app.state.network import NetworkState as State


def _no_contacts() -> rx.Component:
    return empty_state(
        "users", "Your network is empty. Add the people you already know in the field (a "
        "professor, a relative, a friend's parent, an alumnus) in step 2 (Develop) of an "
        "exploration; each introduction they give you then appears here.",
        rx.cond(State.explorations.length() > 0,
                rx.link("Add contacts in step 2 · Develop",
                        href=routes.exploration_url(State.explorations[0]["value"], 2)),
                rx.link("Start an exploration on your home page", href=routes.HOME)),
    )


def network_page() -> rx.Component:
    return app_shell(
        page_heading("Your contact network",
                     "Who you know in the field, and who introduced you to whom."),
        rx.cond(State.loaded,
                rx.cond(State.empty, _no_contacts(), after_first_paint(contact_network)),
                loading()),
    )

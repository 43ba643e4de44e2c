"""The app shell: a side navigation on laptops, a bottom tab bar on phones (< 768 px), the
skip link, the colour-mode switch and the career office's contact block."""

import reflex as rx

from infoview_app import routes
from infoview_app.state.admission import AdmissionState
from infoview_app.state.auth import LogoutState
from infoview_app.state.base import SessionState
from infoview_app.state.institution import InstitutionState

MAIN_ID = "main-content"

# (label, icon, route, roles that see it)
NAV_ITEMS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Home", "house", routes.HOME, ("student",)),
    ("Notes", "notebook-pen", routes.NOTES, ("student",)),
    ("Network", "waypoints", routes.NETWORK, ("student",)),
    ("Staff home", "layout-dashboard", routes.STAFF_HOME, ("staff", "admin")),
    ("Programme", "clipboard-list", routes.STAFF_PARTNERS, ("staff", "admin")),
    ("Staff accounts", "users", routes.ADMIN_STAFF, ("admin",)),
    ("Audit log", "shield-check", routes.ADMIN_AUDIT, ("admin",)),
    ("Account", "circle-user", routes.ACCOUNT, ("student", "staff", "admin")),
)

# A nav entry that stands for several pages is marked current on each of them.
NAV_SECTIONS: dict[str, tuple[str, ...]] = {
    routes.STAFF_PARTNERS: (routes.STAFF_QUESTIONS, routes.STAFF_SETTINGS),
}


def skip_link() -> rx.Component:
    # Following a fragment link does not move keyboard focus in every browser: focus it too.
    return rx.el.a("Skip to content", href=f"#{MAIN_ID}", class_name="iv-skip-link",
                   on_click=rx.call_script(f"document.getElementById('{MAIN_ID}').focus()"))


def color_mode_switch() -> rx.Component:
    return rx.icon_button(
        rx.color_mode_cond(light=rx.icon("moon", size=18), dark=rx.icon("sun", size=18)),
        on_click=rx.toggle_color_mode,
        variant="ghost",
        size="3",
        aria_label=rx.color_mode_cond(light="Switch to dark mode", dark="Switch to light mode"),
    )


def contact_block() -> rx.Component:
    """The career office's name, phone, email, address and web address, from settings."""
    return rx.el.address(
        rx.text(InstitutionState.office_name, weight="bold", size="2"),
        rx.text(InstitutionState.name, size="1", color_scheme="gray"),
        rx.link(InstitutionState.office_phone, href=InstitutionState.office_phone_href,
                size="2"),
        rx.link(InstitutionState.office_email, href="mailto:" + InstitutionState.office_email,
                size="2"),
        rx.text(InstitutionState.office_address, size="1"),
        rx.link(InstitutionState.office_url, href=InstitutionState.office_url, size="1",
                is_external=True),
        class_name="iv-contact",
        aria_label="Career office contact",
    )


def current_path_in(*routes_: str) -> rx.Var:
    """Whether the page's path is one of ``routes_``. A page opened by its address is
    served at the path with a trailing slash ("/account/"); followed links have none."""
    paths = {path for route in routes_ for path in (route, route.rstrip("/") + "/")}
    return rx.Var.create(sorted(paths)).contains(rx.State.router.url.path)


def _nav_link(label: str, icon: str, route: str, roles: tuple[str, ...],
              class_name: str) -> rx.Component:
    visible = rx.Var.create(list(roles)).contains(SessionState.user_role)
    return rx.cond(
        visible,
        rx.link(rx.icon(icon, size=20, aria_hidden="true"), rx.el.span(label), href=route,
                class_name=class_name, underline="none",
                aria_current=rx.cond(current_path_in(route, *NAV_SECTIONS.get(route, ())),
                                     "page", "false")),
    )


def _nav_items(class_name: str) -> list[rx.Component]:
    return [_nav_link(*item, class_name=class_name) for item in NAV_ITEMS]


def sign_out_button(class_name: str) -> rx.Component:
    return rx.el.button(rx.icon("log-out", size=20, aria_hidden="true"),
                        rx.el.span("Sign out"), on_click=LogoutState.logout,
                        class_name=class_name, type="button")


def _nav_class(class_name: str) -> rx.Var:
    """Until the socket tells whose page this is, the navigation holds its place unseen: its
    links depend on the role, and drawing "Sign out" alone first moved it when they came
    (a layout shift of 0.19 on every signed-in page on a phone)."""
    return rx.cond(SessionState.user_role == "", f"{class_name} iv-nav-pending", class_name)


def side_nav() -> rx.Component:
    return rx.el.nav(
        rx.vstack(
            # The app's name, not a heading: the page's own title is its one level-1 heading.
            rx.link(rx.text("InfoView", size="5", weight="bold"), href=routes.HOME,
                    underline="none"),
            rx.text(SessionState.user_name, size="2", color_scheme="gray"),
            *_nav_items("iv-nav-link"),
            sign_out_button("iv-nav-link"),
            rx.spacer(),
            contact_block(),
            spacing="2",
            height="100%",
            align="stretch",
        ),
        class_name=_nav_class("iv-sidenav"),
        aria_label="Main",
    )


def tab_bar() -> rx.Component:
    return rx.el.nav(*_nav_items("iv-tab"), sign_out_button("iv-tab"),
                     class_name=_nav_class("iv-tabbar"), aria_label="Main")


def top_bar() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.text(InstitutionState.name, size="2", weight="medium", class_name="iv-inst"),
            rx.spacer(),
            color_mode_switch(),
            align="center",
            width="100%",
        ),
        class_name="iv-topbar",
    )


def busy_status() -> rx.Component:
    """Where the admission control says "Busy, trying again..." while the server is past
    capacity (infoview_app/admission.py): a live region, empty and invisible otherwise."""
    return rx.el.div(AdmissionState.busy, role="status", class_name="iv-busy-status")


def app_shell(*children: rx.Component) -> rx.Component:
    """The layout of every signed-in page."""
    return rx.box(
        skip_link(),
        side_nav(),
        rx.box(
            top_bar(),
            rx.el.main(*children, id=MAIN_ID, tab_index=-1, class_name="iv-main"),
            rx.el.footer(contact_block(), class_name="iv-footer-contact"),
            class_name="iv-content",
        ),
        tab_bar(),
        busy_status(),
        class_name="iv-shell",
    )


def public_shell(*children: rx.Component) -> rx.Component:
    """The layout of the sign-in and registration pages."""
    return rx.box(
        skip_link(),
        rx.el.header(
            rx.hstack(
                rx.text("InfoView", size="5", weight="bold"),
                rx.text(InstitutionState.name, size="2", color_scheme="gray"),
                rx.spacer(),
                color_mode_switch(),
                align="center",
                width="100%",
            ),
            class_name="iv-public-header",
        ),
        rx.el.main(*children, id=MAIN_ID, tab_index=-1, class_name="iv-public-main"),
        rx.el.footer(contact_block(), class_name="iv-public-footer"),
        busy_status(),
        class_name="iv-public",
    )


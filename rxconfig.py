"""Reflex configuration. Every field can be overridden by an environment variable
prefixed with REFLEX_ (for example REFLEX_DB_URL for the database)."""

import reflex as rx

config = rx.Config(
    app_name="infoview_app",
    db_url="sqlite:///infoview.db",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)

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
    # Every page imported all of Radix Themes (window.__reflex, for components compiled in
    # the browser, which InfoView has none of): it now loads only if one is ever evaluated.
    # Each page keeps its own imports; docs/benchmarks.md (k) has the measurements.
    frontend_lazy_bundled_libraries=True,
    # The build writes a brotli copy of each text file beside the gzip one; the server sends
    # brotli to a browser that accepts it (Chromium does, even on http://localhost): the
    # first load's JavaScript and CSS are some 15% smaller than gzipped.
    frontend_compression_formats=["brotli", "gzip"],
)

"""Reflex configuration. Every field can be overridden by an environment variable
prefixed with REFLEX_ (for example REFLEX_DB_URL for the database)."""

from typing import Any

import reflex as rx

# The Radix colour scales the app names (the accent and its gray, color_scheme= and
# var(--x-n) in the code and assets/styles.css); tests/unit/test_radix_css.py fails if one
# is missing.
RADIX_COLOURS = ("teal", "sage", "red", "green", "amber", "crimson", "grass", "iris",
                 "orange", "blue", "purple")


class RadixThemesUsedColours(rx.plugins.RadixThemesPlugin):
    """Radix Themes with only the colour scales the app uses: its styles.css carries all 31,
    parsed by every page before its first paint. The files are Radix's own split of
    styles.css (tokens/base.css holds gray and the accent mappings)."""

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        if not self.enabled:
            return ()
        return ("@radix-ui/themes/tokens/base.css",
                *(f"@radix-ui/themes/tokens/colors/{name}.css" for name in RADIX_COLOURS),
                "@radix-ui/themes/components.css", "@radix-ui/themes/utilities.css")


config = rx.Config(
    app_name="infoview_app",
    db_url="sqlite:///infoview.db",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[RadixThemesUsedColours(theme=rx.theme(accent_color="teal", radius="medium"))],
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

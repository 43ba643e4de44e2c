"""One module per route: layout only. ``register_pages`` adds them all to the app."""

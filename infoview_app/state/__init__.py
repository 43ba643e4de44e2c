"""Reflex State classes: thin. Resolve the user, check access, call services, copy results
into vars. Every public handler is wrapped by ``guarded`` (state/base.py)."""

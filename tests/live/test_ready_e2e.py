"""The readiness route on the running production build (one worker on SQLite, no Redis, as
the live harness serves it): 200 with the database checked and Redis "not configured", next
to Reflex's own /ping, and nothing else in the answer."""

from typing import Any

import httpx


def test_ready_and_ping_on_the_production_build(app_harness: Any, backend_url: str) -> None:
    ready = httpx.get(f"{backend_url}/ready", timeout=30)
    assert ready.status_code == 200
    assert ready.json() == {"database": "ok", "redis": "not configured"}
    assert ready.headers["cache-control"] == "no-store"
    assert httpx.head(f"{backend_url}/ready", timeout=30).status_code == 200
    assert httpx.get(f"{backend_url}/ping", timeout=30).status_code == 200

"""A real OpenID Connect provider for the tests: oidc-provider-mock (a Flask app built on
Authlib's server side) serving discovery, JWKS, authorize, token, userinfo and end_session on
127.0.0.1, on a free port, in a background thread of the test process.

Tests choose who signs in: ``set_user`` stores a subject's claims at the provider, and the
provider's authorize page (or ``authorize``, its form posted without a browser) signs that
subject in. It insists on a nonce, as InfoView always sends one.
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

CLIENT_ID = "infoview-tests"
CLIENT_SECRET = "infoview-tests-secret"


@dataclass(frozen=True)
class Provider:
    issuer: str

    def set_user(self, subject: str, claims: dict[str, Any]) -> None:
        """The claims the provider puts in the ID token of ``subject`` (``sub`` is added)."""
        response = httpx.put(f"{self.issuer}/users/{subject}", json=claims, timeout=10)
        response.raise_for_status()

    def authorize(self, authorize_url: str, subject: str | None, *, deny: bool = False
                  ) -> dict[str, str]:
        """What a person does on the provider's authorize page, without a browser: sign in as
        ``subject`` (or deny); returns the query the provider redirects back with."""
        form = {"action": "deny"} if deny else {"sub": subject or ""}
        response = httpx.post(authorize_url, data=form, timeout=10)
        assert response.status_code == 302, response.text
        query = parse_qs(urlsplit(response.headers["location"]).query)
        return {key: values[0] for key, values in query.items()}

    def settings_environment(self, **extra: str) -> dict[str, str]:
        """InfoView's INFOVIEW_OIDC_* settings for this provider."""
        return {"INFOVIEW_OIDC_ISSUER": self.issuer, "INFOVIEW_OIDC_CLIENT_ID": CLIENT_ID,
                "INFOVIEW_OIDC_CLIENT_SECRET": CLIENT_SECRET, **extra}


@contextmanager
def running_provider() -> Iterator[Provider]:
    """Start the provider on a free port of 127.0.0.1; stop it on leaving."""
    import werkzeug.serving
    from oidc_provider_mock import app

    # The provider serves plain HTTP on the loopback address: Authlib's server side refuses
    # that unless told it is a test.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    server = werkzeug.serving.make_server("127.0.0.1", 0, app(require_nonce=True),
                                          threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True, name="oidc-provider")
    thread.start()
    try:
        yield Provider(issuer=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

"""Sign-in with the institution's OpenID Connect provider: the protocol (no database).

The authorization code flow with PKCE (S256), ``state`` and ``nonce``, done on the server:
``authorization_request`` makes the secrets the tab keeps and the provider's URL to send the
browser to; ``exchange_code`` trades the code the provider sends back for tokens (with the
code verifier and the client secret); ``verified_identity`` checks the ID token (signature
against the provider's JWKS, ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``, with joserfc,
Authlib's JOSE library) and reads who signed in. The provider's discovery document and keys
are fetched with httpx's async client, never blocking the event loop, and cached.

Every refusal is an ``OidcRefused`` with a ``code``: the state layer sends the browser to
/login with the code, and the sign-in page shows ``REFUSALS[code]``.

Accounts (which InfoView user an identity is) are ``oidc_accounts``'.
"""

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from infoview_app.config import OidcSettings
from infoview_app.models import Role
from infoview_app.services.core.errors import AuthError

logger = logging.getLogger("infoview")

# What the sign-in page says for each refusal (its code travels in the URL: only these).
REFUSALS: Mapping[str, str] = {
    "denied": "Sign-in with your institution was cancelled.",
    "state": "That sign-in link was not started here or has expired. Try again.",
    "provider": "Your institution's sign-in service did not answer as expected. Try again "
                "later, or contact the career office.",
    "token": "Your institution's sign-in could not be verified. Try again.",
    "unverified": "An InfoView account already uses this email, and your institution has not "
                  "verified that the address is yours, so they were not linked. Contact the "
                  "career office.",
    "email": "Your institution did not share a usable email address, which InfoView needs.",
    "deactivated": "This account has been deactivated. Contact the career office.",
    "off": "Sign-in with your institution is not set up here.",
    "busy": "Too many attempts from your network. Wait a minute and try again.",
    "failed": "Sign-in with your institution failed. Try again.",
}

# How long a started sign-in may take at the provider before its callback is refused.
REQUEST_LIFETIME_SECONDS = 600
# Clock differences between the provider and this server that the ID token's times allow.
LEEWAY_SECONDS = 60
CACHE_SECONDS = 3600
TIMEOUT_SECONDS = 10
# Public-key signatures only: a provider never signs ID tokens for a code flow client with
# the client secret here, and "none" is never accepted.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
              "ES512", "EdDSA")


class OidcRefused(AuthError):
    """A sign-in with the provider refused; ``code`` names the message (``REFUSALS``)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(REFUSALS[code], "form")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ProviderMetadata:
    """What InfoView uses of the provider's discovery document."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str  # "" when the provider has none


@dataclass(frozen=True)
class AuthorizationRequest:
    """A started sign-in: the secrets the tab keeps (never sent to the browser but in the
    provider's URL, where state and nonce belong and the verifier is only hashed) and the
    provider's URL."""

    state: str
    nonce: str
    code_verifier: str
    url: str


@dataclass(frozen=True)
class Identity:
    """Who signed in, from a verified ID token."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    # From the role claim (INFOVIEW_OIDC_ROLE_CLAIM) when the token carries it; None: the
    # provider does not decide the role.
    role: Role | None


_discovered: dict[str, tuple[float, ProviderMetadata]] = {}
_keys: dict[str, tuple[float, KeySet]] = {}


async def _get_json(client: httpx.AsyncClient, url: str) -> Mapping[str, object]:
    try:
        response = await client.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OidcRefused("provider", f"GET {url}: {error}") from None
    if not isinstance(body, dict):
        raise OidcRefused("provider", f"GET {url}: not a JSON object")
    return body


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False)


def _same_issuer(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


async def discover(issuer: str) -> ProviderMetadata:
    """The provider's endpoints from ``<issuer>/.well-known/openid-configuration``, cached for
    an hour. The document must name the configured issuer (OpenID Connect Discovery 4.3)."""
    cached = _discovered.get(issuer)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    async with _client() as client:
        document = await _get_json(
            client, f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    fields = {name: document.get(name) for name in (
        "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")}
    if not all(isinstance(value, str) and value for value in fields.values()):
        raise OidcRefused("provider", f"discovery of {issuer} lacks an endpoint")
    if not _same_issuer(str(fields["issuer"]), issuer):
        raise OidcRefused("provider", f"discovery names issuer {fields['issuer']!r}")
    end_session = document.get("end_session_endpoint")
    metadata = ProviderMetadata(
        **{name: str(value) for name, value in fields.items()},
        end_session_endpoint=end_session if isinstance(end_session, str) else "")
    _discovered[issuer] = (time.monotonic(), metadata)
    return metadata


async def _key_set(jwks_uri: str, refresh: bool = False) -> KeySet:
    cached = _keys.get(jwks_uri)
    if not refresh and cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    async with _client() as client:
        document = await _get_json(client, jwks_uri)
    try:
        keys = KeySet.import_key_set(document)  # pyright: ignore[reportArgumentType]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcRefused("provider", f"JWKS {jwks_uri}: {error}") from None
    _keys[jwks_uri] = (time.monotonic(), keys)
    return keys


def forget_cached() -> None:
    """Forget the discovery documents and keys fetched (tests; a provider's new keys are
    fetched anyway when a token names an unknown key)."""
    _discovered.clear()
    _keys.clear()


def authorization_request(metadata: ProviderMetadata, settings: OidcSettings,
                          redirect_uri: str) -> AuthorizationRequest:
    """A new sign-in: fresh state, nonce and PKCE code verifier, and the authorize URL."""
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url = add_params_to_uri(metadata.authorization_endpoint, [
        ("response_type", "code"),
        ("client_id", settings.client_id),
        ("redirect_uri", redirect_uri),
        ("scope", settings.scopes),
        ("state", state),
        ("nonce", nonce),
        ("code_challenge", create_s256_code_challenge(verifier)),
        ("code_challenge_method", "S256"),
    ])
    return AuthorizationRequest(state=state, nonce=nonce, code_verifier=verifier, url=url)


async def exchange_code(metadata: ProviderMetadata, settings: OidcSettings, code: Any,
                        code_verifier: str, redirect_uri: str) -> str:
    """Trade the authorization code for tokens at the token endpoint (client_secret_basic,
    with the PKCE verifier); return the ID token, still to be verified."""
    if not isinstance(code, str) or not code or len(code) > 2048:
        raise OidcRefused("provider", "no authorization code")
    # RFC 6749 2.3.1: the client id and secret are form-encoded before Basic authentication.
    auth = (quote(settings.client_id, safe=""), quote(settings.client_secret, safe=""))
    async with _client() as client:
        try:
            response = await client.post(metadata.token_endpoint, auth=auth, data={
                "grant_type": "authorization_code", "code": code,
                "redirect_uri": redirect_uri, "code_verifier": code_verifier},
                headers={"Accept": "application/json"})
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise OidcRefused("provider", f"token endpoint: {error}") from None
    if response.status_code != 200 or not isinstance(body, dict):
        error = body.get("error") if isinstance(body, dict) else None
        raise OidcRefused("provider", f"token endpoint answered {response.status_code} "
                                      f"{error!r}")
    id_token = body.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise OidcRefused("provider", "the token response has no ID token")
    return id_token


def validate_id_token(id_token: str, keys: KeySet, *, issuer: str, client_id: str,
                      nonce: str, now: int | None = None) -> Mapping[str, object]:
    """The claims of an ID token whose signature verifies against ``keys`` and whose
    ``iss``, ``aud`` (and ``azp`` when there are several audiences), ``exp``, ``iat`` and
    ``nonce`` are those expected (OpenID Connect Core 3.1.3.7). Refused otherwise."""
    try:
        token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
        jwt.JWTClaimsRegistry(
            now=now, leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer},
            sub={"essential": True},
            aud={"essential": True, "value": client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError) as error:
        raise OidcRefused("token", f"ID token refused: {error}") from None
    claims = dict(token.claims)
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcRefused("token", "ID token for several audiences without our azp")
    return claims


def _role_from(claims: Mapping[str, Any], settings: OidcSettings) -> Role | None:
    """The role the role claim grants: admin, staff or student; None without the claim."""
    if not settings.role_claim or settings.role_claim not in claims:
        return None
    raw = claims[settings.role_claim]
    values = {raw} if isinstance(raw, str) else {v for v in raw if isinstance(v, str)} \
        if isinstance(raw, list) else set()
    if values & settings.admin_values:
        return Role.ADMIN
    if values & settings.staff_values:
        return Role.STAFF
    return Role.STUDENT


def _text_claim(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def identity_from(claims: Mapping[str, Any], settings: OidcSettings) -> Identity:
    """Who signed in, from the claims of a verified ID token (never from userinfo: only what
    the provider signed counts)."""
    name = _text_claim(claims, "name") or " ".join(
        part for part in (_text_claim(claims, "given_name"),
                          _text_claim(claims, "family_name")) if part)
    email = _text_claim(claims, "email")
    return Identity(issuer=str(claims["iss"]), subject=str(claims["sub"]), email=email,
                    email_verified=claims.get("email_verified") is True,
                    name=name, role=_role_from(claims, settings))


async def verified_identity(metadata: ProviderMetadata, settings: OidcSettings,
                            id_token: str, nonce: str,
                            now: Callable[[], int] | None = None) -> Identity:
    """Verify the ID token against the provider's keys and read who it is. When the check
    fails with the cached keys, they are fetched again and it is checked once more: the
    provider may have rotated its keys since."""
    instant = now() if now else None
    keys = await _key_set(metadata.jwks_uri)
    try:
        claims = validate_id_token(id_token, keys, issuer=metadata.issuer,
                                   client_id=settings.client_id, nonce=nonce, now=instant)
    except OidcRefused:
        keys = await _key_set(metadata.jwks_uri, refresh=True)
        claims = validate_id_token(id_token, keys, issuer=metadata.issuer,
                                   client_id=settings.client_id, nonce=nonce, now=instant)
    return identity_from(claims, settings)


def end_session_url(metadata: ProviderMetadata, id_token: str,
                    post_logout_redirect_uri: str) -> str:
    """Where to send the browser to sign out at the provider too ("" if it has no
    end_session_endpoint): RP-Initiated Logout with the ID token as hint."""
    if not metadata.end_session_endpoint:
        return ""
    return add_params_to_uri(metadata.end_session_endpoint, [
        ("id_token_hint", id_token),
        ("post_logout_redirect_uri", post_logout_redirect_uri)])


async def provider_sign_out_url(issuer: str, id_token: str,
                                post_logout_redirect_uri: str) -> str:
    """``end_session_url`` of the provider, or "" when it can't be had: signing out of
    InfoView never fails because the provider does not answer."""
    try:
        metadata = await discover(issuer)
    except OidcRefused as refused:
        logger.warning("Provider sign-out skipped: %s", refused.detail)
        return ""
    return end_session_url(metadata, id_token, post_logout_redirect_uri)

"""Sign-in with an OpenID provider: the ID token's checks (on tokens signed here with a test
key), which account an identity signs in to (SQLite and PostgreSQL), and the whole protocol
against a real provider (tests/oidc_provider.py)."""

import base64
import hashlib
import time
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlmodel import Session, select

from infoview_app.config import OidcSettings
from infoview_app.models import AuditEvent, AuditKind, AuthSession, OidcIdentity, Role, User
from infoview_app.services.accounts import oidc, oidc_accounts, user_accounts
from infoview_app.services.core.errors import AuthError
from tests import factories
from tests.factories import BY
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

ISSUER = "https://login.northfield.example"
NONCE = "the-nonce-of-this-sign-in"
LIFETIME = timedelta(days=1)
KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
KEYS = KeySet([KEY])


def settings(**overrides: Any) -> OidcSettings:
    values: dict[str, Any] = {
        "issuer": ISSUER, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "scopes": "openid email profile", "button_label": "Sign in with Northfield",
        "redirect_base": "http://localhost:3000", "role_claim": "groups",
        "staff_values": frozenset({"career-office"}),
        "admin_values": frozenset({"career-office-admins"})}
    return OidcSettings(**{**values, **overrides})


def id_token(key: RSAKey = KEY, alg: str = "RS256", **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "sub": "s-100", "aud": CLIENT_ID, "iat": now,
               "exp": now + 300, "nonce": NONCE, **claims}
    return jwt.encode({"alg": alg, "kid": "key-1"}, payload, key)


def validate(token: str) -> dict[str, Any]:
    return oidc.validate_id_token(token, KEYS, issuer=ISSUER, client_id=CLIENT_ID, nonce=NONCE)


# The ID token's checks ------------------------------------------------------------------


def test_a_valid_id_token_is_accepted() -> None:
    claims = validate(id_token(email="ana@northfield.edu"))
    assert claims["sub"] == "s-100" and claims["email"] == "ana@northfield.edu"


def tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    forged = claims.replace(b'"s-100"', b'"s-666"')
    assert forged != claims
    return ".".join([header, b64(forged), signature])


@pytest.mark.parametrize(("case", "token"), [
    ("tampered payload", lambda: tamper(id_token())),
    ("signed by another key", lambda: id_token(key=OTHER_KEY)),
    ("expired", lambda: id_token(exp=int(time.time()) - 120, iat=int(time.time()) - 900)),
    ("issued in the future", lambda: id_token(iat=int(time.time()) + 600)),
    ("wrong audience", lambda: id_token(aud="someone-else")),
    ("several audiences, not authorized for us", lambda: id_token(aud=[CLIENT_ID, "other"])),
    ("wrong issuer", lambda: id_token(iss="https://evil.example")),
    ("wrong nonce", lambda: id_token(nonce="a-replayed-nonce")),
    ("no nonce", lambda: id_token(nonce=None)),
    ("no expiry", lambda: id_token(exp=None)),
    ("not a token", lambda: "not.a.token"),
])
def test_a_bad_id_token_is_refused(case: str, token: Any) -> None:
    with pytest.raises(oidc.OidcRefused) as refused:
        validate(token())
    assert refused.value.code == "token", case


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_token_signed_with_a_shared_secret_is_refused() -> None:
    """Only public-key algorithms: an HMAC token "signed" with the public key's bytes (the
    classic algorithm confusion) is refused."""
    import hmac
    import json

    now = int(time.time())
    signing_input = ".".join([
        b64(json.dumps({"alg": "HS256", "kid": "key-1"}).encode()),
        b64(json.dumps({"iss": ISSUER, "sub": "s-1", "aud": CLIENT_ID, "nonce": NONCE,
                        "iat": now, "exp": now + 300}).encode())])
    mac = hmac.new(KEY.as_pem(private=False), signing_input.encode(), hashlib.sha256)
    with pytest.raises(oidc.OidcRefused):
        validate(f"{signing_input}.{b64(mac.digest())}")


def test_several_audiences_are_accepted_when_authorized_for_us() -> None:
    assert validate(id_token(aud=[CLIENT_ID, "other"], azp=CLIENT_ID))["azp"] == CLIENT_ID


@pytest.mark.parametrize(("groups", "role"), [
    (["career-office"], Role.STAFF),
    (["students", "career-office-admins"], Role.ADMIN),
    ("career-office", Role.STAFF),
    (["students"], Role.STUDENT),
    (None, None),
])
def test_the_role_claim_sets_the_role(groups: Any, role: Role | None) -> None:
    claims = validate(id_token(groups=groups) if groups is not None else id_token())
    assert oidc.identity_from(claims, settings()).role == role


def test_without_a_role_claim_set_up_the_provider_decides_no_role() -> None:
    claims = validate(id_token(groups=["career-office-admins"]))
    assert oidc.identity_from(claims, settings(role_claim="")).role is None


def test_email_verified_must_be_exactly_true() -> None:
    for value, verified in ((True, True), (False, False), ("true", False), (None, False)):
        claims = validate(id_token(email="a@b.edu", email_verified=value))
        assert oidc.identity_from(claims, settings()).email_verified is verified


def test_the_authorize_url_carries_state_nonce_and_the_s256_challenge() -> None:
    metadata = oidc.ProviderMetadata(issuer=ISSUER, authorization_endpoint=f"{ISSUER}/auth",
                                     token_endpoint=f"{ISSUER}/token",
                                     jwks_uri=f"{ISSUER}/jwks", end_session_endpoint="")
    request = oidc.authorization_request(metadata, settings(), "http://localhost:3000/cb")
    query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(request.code_verifier.encode()).digest()).rstrip(b"=").decode()
    assert query == {"response_type": "code", "client_id": CLIENT_ID,
                     "redirect_uri": "http://localhost:3000/cb",
                     "scope": "openid email profile", "state": request.state,
                     "nonce": request.nonce, "code_challenge": challenge,
                     "code_challenge_method": "S256"}
    assert request.code_verifier not in request.url
    other = oidc.authorization_request(metadata, settings(), "http://localhost:3000/cb")
    assert len({request.state, request.nonce, other.state, other.nonce}) == 4


# Which account an identity signs in to ------------------------------------------------------


def identity(subject: str = "s-100", email: str = "ana@northfield.edu", *,
             verified: bool = True, role: Role | None = None,
             name: str = "Ana Ortiz") -> oidc.Identity:
    return oidc.Identity(issuer=ISSUER, subject=subject, email=email, email_verified=verified,
                         name=name, role=role)


def links(session: Session) -> list[tuple[str, str, int]]:
    return [(row.issuer, row.subject, row.user_id)
            for row in session.exec(select(OidcIdentity)).all()]


def test_a_new_person_gets_a_student_account_that_no_password_opens(session: Session) -> None:
    user, token = oidc_accounts.sign_in_with_identity(session, identity(), LIFETIME, by=BY)
    assert (user.role, user.name, user.email) == (Role.STUDENT, "Ana Ortiz",
                                                   "ana@northfield.edu")
    assert user_accounts.resolve_session(session, token) == user
    assert links(session) == [(ISSUER, "s-100", user.id)]
    stored = session.get(User, user.id)
    assert stored is not None and stored.password_hash.startswith("$argon2")
    for guess in ("password", factories.PASSWORD, "x" * 12):
        with pytest.raises(AuthError):
            user_accounts.authenticate(session, "ana@northfield.edu", guess)


def test_a_second_sign_in_with_the_same_subject_reuses_the_account(session: Session) -> None:
    first, _ = oidc_accounts.sign_in_with_identity(session, identity(), LIFETIME, by=BY)
    # The provider may change the email; the subject is who it is.
    again, token = oidc_accounts.sign_in_with_identity(
        session, identity(email="ana.ortiz@northfield.edu"), LIFETIME, by=BY)
    assert again.id == first.id and user_accounts.resolve_session(session, token) == first
    assert len(session.exec(select(User)).all()) == 1
    assert len(links(session)) == 1


def test_an_unverified_email_never_links_an_existing_account(session: Session) -> None:
    existing = factories.student(session, email="Ana@Northfield.edu")
    with pytest.raises(oidc.OidcRefused) as refused:
        oidc_accounts.sign_in_with_identity(session, identity(verified=False), LIFETIME, by=BY)
    assert refused.value.code == "unverified"
    assert links(session) == []
    assert [u.id for u in session.exec(select(User)).all()] == [existing]
    assert session.exec(select(AuthSession)).all() == []


def test_a_verified_email_links_the_existing_account(session: Session) -> None:
    """Found by its email key (case and Unicode form don't matter), and linked."""
    existing = factories.student(session, email="ANA@northfield.edu")
    user, _ = oidc_accounts.sign_in_with_identity(session, identity(), LIFETIME, by=BY)
    assert user.id == existing and links(session) == [(ISSUER, "s-100", existing)]
    # The account's own password still works: linking changes nothing else.
    assert user_accounts.authenticate(session, "ANA@northfield.edu", factories.PASSWORD)


def test_the_role_claim_makes_staff_and_admins(session: Session) -> None:
    staff, _ = oidc_accounts.sign_in_with_identity(
        session, identity("s-1", "lee@northfield.edu", role=Role.STAFF), LIFETIME, by=BY)
    assert staff.role == Role.STAFF
    promoted, _ = oidc_accounts.sign_in_with_identity(
        session, identity("s-1", "lee@northfield.edu", role=Role.ADMIN), LIFETIME, by=BY)
    assert (promoted.id, promoted.role) == (staff.id, Role.ADMIN)
    changes = session.exec(select(AuditEvent).where(
        AuditEvent.kind == AuditKind.ROLE_CHANGED)).all()
    assert [(e.target_id, e.detail) for e in changes] == [
        (staff.id, "Career-office staff to Administrator, by the institution's role claim")]


def test_without_the_role_claim_the_role_an_admin_granted_stays(session: Session) -> None:
    staff_id = factories.staff(session, email="kim@northfield.edu")
    user, _ = oidc_accounts.sign_in_with_identity(
        session, identity("s-2", "kim@northfield.edu", role=None), LIFETIME, by=BY)
    assert (user.id, user.role) == (staff_id, Role.STAFF)


def test_a_deactivated_account_is_refused(session: Session) -> None:
    user, _ = oidc_accounts.sign_in_with_identity(session, identity(), LIFETIME, by=BY)
    user_accounts.set_active(session, user.id, Role.STUDENT, False, by=BY)
    with pytest.raises(oidc.OidcRefused) as refused:
        oidc_accounts.sign_in_with_identity(session, identity(), LIFETIME, by=BY)
    assert refused.value.code == "deactivated"
    other = factories.student(session, 2, email="bo@northfield.edu")
    user_accounts.set_active(session, other, Role.STUDENT, False, by=BY)
    with pytest.raises(oidc.OidcRefused):
        oidc_accounts.sign_in_with_identity(session, identity("s-3", "bo@northfield.edu"),
                                            LIFETIME, by=BY)
    assert len(links(session)) == 1


def test_an_identity_without_a_usable_email_creates_nothing(session: Session) -> None:
    with pytest.raises(oidc.OidcRefused) as refused:
        oidc_accounts.sign_in_with_identity(session, identity(email=""), LIFETIME, by=BY)
    assert refused.value.code == "email"
    assert session.exec(select(User)).all() == [] and links(session) == []


def test_deleting_the_account_deletes_its_link(session: Session) -> None:
    existing = factories.student(session, email="ana@northfield.edu")
    oidc_accounts.sign_in_with_identity(session, identity(), LIFETIME, by=BY)
    user_accounts.delete_account(session, existing, factories.PASSWORD, by=BY)
    assert links(session) == []


# The whole protocol, against a real provider ------------------------------------------------


async def test_the_code_flow_against_a_real_provider(oidc_provider: Provider) -> None:
    oidc.forget_cached()
    oidc_provider.set_user("p-7", {"email": "pat@northfield.edu", "email_verified": True,
                                   "name": "Pat Lee", "groups": ["career-office"]})
    config = settings(issuer=oidc_provider.issuer)
    metadata = await oidc.discover(oidc_provider.issuer)
    assert metadata.end_session_endpoint.startswith(oidc_provider.issuer)
    request = oidc.authorization_request(metadata, config, "http://localhost:3000/cb")
    back = oidc_provider.authorize(request.url, "p-7")
    assert back["state"] == request.state
    token = await oidc.exchange_code(metadata, config, back["code"], request.code_verifier,
                                     "http://localhost:3000/cb")
    person = await oidc.verified_identity(metadata, config, token, request.nonce)
    assert person == oidc.Identity(issuer=oidc_provider.issuer, subject="p-7",
                                   email="pat@northfield.edu", email_verified=True,
                                   name="Pat Lee", role=Role.STAFF)
    # A code is good once.
    with pytest.raises(oidc.OidcRefused) as refused:
        await oidc.exchange_code(metadata, config, back["code"], request.code_verifier,
                                 "http://localhost:3000/cb")
    assert refused.value.code == "provider"


async def test_the_real_providers_token_is_refused_with_another_nonce(
        oidc_provider: Provider) -> None:
    oidc.forget_cached()
    config = settings(issuer=oidc_provider.issuer)
    metadata = await oidc.discover(oidc_provider.issuer)
    request = oidc.authorization_request(metadata, config, "http://localhost:3000/cb")
    back = oidc_provider.authorize(request.url, "p-8")
    token = await oidc.exchange_code(metadata, config, back["code"], request.code_verifier,
                                     "http://localhost:3000/cb")
    with pytest.raises(oidc.OidcRefused) as refused:
        await oidc.verified_identity(metadata, config, token, "another-nonce")
    assert refused.value.code == "token"


def serve(monkeypatch: pytest.MonkeyPatch, documents: dict[str, Any]) -> None:
    """The provider's answers, without a server: JSON by URL path (404 for others)."""
    def answer(request: httpx.Request) -> httpx.Response:
        body = documents.get(request.url.path)
        return httpx.Response(404) if body is None else httpx.Response(200, json=body)

    monkeypatch.setattr(oidc, "_client", lambda: httpx.AsyncClient(
        transport=httpx.MockTransport(answer)))


async def test_a_discovery_document_naming_another_issuer_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    oidc.forget_cached()
    serve(monkeypatch, {"/.well-known/openid-configuration": {
        "issuer": "https://evil.example", "authorization_endpoint": f"{ISSUER}/a",
        "token_endpoint": f"{ISSUER}/t", "jwks_uri": f"{ISSUER}/j"}})
    with pytest.raises(oidc.OidcRefused) as refused:
        await oidc.discover(ISSUER)
    assert refused.value.code == "provider"


async def test_new_provider_keys_are_fetched_when_a_token_names_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys are cached; a token signed with a key the provider has since rotated in is
    verified after fetching the keys once more."""
    oidc.forget_cached()
    metadata = oidc.ProviderMetadata(ISSUER, f"{ISSUER}/a", f"{ISSUER}/t", f"{ISSUER}/j", "")
    serve(monkeypatch, {"/j": KeySet([KEY]).as_dict(private=False)})
    await oidc.verified_identity(metadata, settings(), id_token(), NONCE)
    new_key = RSAKey.generate_key(2048, parameters={"kid": "key-2"})
    serve(monkeypatch, {"/j": KeySet([KEY, new_key]).as_dict(private=False)})
    token = jwt.encode({"alg": "RS256", "kid": "key-2"},
                       {"iss": ISSUER, "sub": "s-9", "aud": CLIENT_ID, "nonce": NONCE,
                        "iat": int(time.time()), "exp": int(time.time()) + 300}, new_key)
    assert (await oidc.verified_identity(metadata, settings(), token, NONCE)).subject == "s-9"


async def test_the_code_is_exchanged_with_the_verifier_and_the_client_secret(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The provider used in the other tests does not check PKCE: what InfoView sends is
    checked here (RFC 6749 4.1.3 with client_secret_basic, RFC 7636 4.5)."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"access_token": "a", "token_type": "Bearer",
                                         "id_token": "the.id.token"})

    monkeypatch.setattr(oidc, "_client", lambda: httpx.AsyncClient(
        transport=httpx.MockTransport(answer)))
    metadata = oidc.ProviderMetadata(ISSUER, f"{ISSUER}/a", f"{ISSUER}/token", f"{ISSUER}/j", "")
    config = settings(client_id="info view", client_secret="s:cret")
    assert await oidc.exchange_code(metadata, config, "the-code", "the-verifier",
                                    "http://localhost:3000/cb") == "the.id.token"
    (request,) = sent
    assert (request.method, str(request.url)) == ("POST", f"{ISSUER}/token")
    assert parse_qs(request.content.decode()) == {
        "grant_type": ["authorization_code"], "code": ["the-code"],
        "redirect_uri": ["http://localhost:3000/cb"], "code_verifier": ["the-verifier"]}
    assert request.headers["authorization"] == "Basic " + base64.b64encode(
        b"info%20view:s%3Acret").decode()


def test_the_provider_sign_out_url_carries_the_hint() -> None:
    metadata = oidc.ProviderMetadata(issuer=ISSUER, authorization_endpoint="a",
                                     token_endpoint="t", jwks_uri="j",
                                     end_session_endpoint=f"{ISSUER}/logout")
    url = oidc.end_session_url(metadata, "the.id.token", "http://localhost:3000/login")
    assert parse_qs(urlsplit(url).query) == {
        "id_token_hint": ["the.id.token"],
        "post_logout_redirect_uri": ["http://localhost:3000/login"]}
    assert oidc.end_session_url(
        oidc.ProviderMetadata(ISSUER, "a", "t", "j", ""), "x", "y") == ""

"""Throttling of sign-in, registration and every other request from visitors who are not
signed in, per client address, with the ``limits`` library.

Why no account lock: locking an account after a few wrong passwords lets anyone who knows an
email keep its owner out for as long as they like. Nothing here is counted per account alone,
so an attacker's failures slow down only the attacker's own address; the owner, signing in
from theirs, is never refused because of them.

The scheme (moving windows: a tier refuses while it holds its maximum, until the oldest
entry is older than its window, so the wait grows with each full tier):

* Sign-in. Each failed attempt (wrong email or password) counts against the client address
  (``ADDRESS_FAILURES``: 20 a minute, 50 an hour, 200 a day) and against that account from
  that address (``ACCOUNT_FAILURES``: 3 a minute, 10 an hour, 30 a day). A password sprayer
  on one address gets 20 quick guesses across all accounts, then one every two minutes or
  so, then 200 a day at most; guessing at one account from one address, 30 a day.
  A throttled attempt is refused before any password is checked: no Argon2 work, and the
  answer is the same whether the password was right or not, even the right password of
  another account, or the refusal would tell a sprayer which guess was right. A successful
  sign-in clears that account's failures from that address (the owner's own typos), never
  the address's: otherwise an attacker could reset their budget by signing in to an account
  of their own. Successes are not counted, so a computer lab behind one address signs in
  freely; its mistakes share the address's tiers, the price of counting per address.
  Attempts from one address are checked one at a time (per worker): with many sockets in
  parallel, every attempt would otherwise pass the check before Argon2 had failed the first.
  With several workers, each can let one attempt past a full tier at the moment it fills.
* Registration. Every attempt counts against the address (``REGISTRATIONS``), successful or
  not: it creates an account (one Argon2 hash) or tells whether an email has one.
* Requests that email someone (a password reset, a registration). Each counts against the
  client address (``EMAIL_REQUESTS``) and against the email address it names, from anywhere
  (``EMAILS_TO_ONE_ADDRESS``: 3 an hour), so that no one can fill a person's inbox. Both
  count whether or not the address has an account, so a refusal tells nothing about who is
  registered.
* The calendar feed's secret URLs (``FEED_MISSES``): each request naming no live feed counts
  against the client address; an address over the limit is refused before any lookup. The
  tokens have 256 bits, so this is against floods, not luck; the limits are generous, as
  calendar services fetch many people's feeds (and stale links) from few addresses.
* Every other handler a visitor may call (``guarded(PUBLIC)``, when the caller is not
  signed in): ``VISITOR_EVENTS`` per address (20 a second on average: each page a visitor
  opens sends two or three), so a flood of them is refused cheaply.

The counts live in this process's memory (one worker), or in Redis when Reflex runs several
workers with ``REFLEX_REDIS_URL``, so that every worker counts the same attempts. The client
address (an IPv6 one by its /64 network, ``address_key``) is the socket's peer, or behind
reverse proxies the one Reflex reads from X-Forwarded-For with ``REFLEX_TRUSTED_PROXY_HOPS``
(set it, or every user shares the proxy's address).
"""

import asyncio
import hashlib
import ipaddress
import math
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from limits import RateLimitItem, parse_many
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from infoview_app.services.core.errors import AuthError, Throttled
from infoview_app.services.core.validation import email_key
from infoview_app.services.core.wording import plural

ADDRESS_FAILURES = parse_many("20/minute;50/hour;200/day")
ACCOUNT_FAILURES = parse_many("3/minute;10/hour;30/day")
REGISTRATIONS = parse_many("10/minute;50/hour;200/day")
VISITOR_EVENTS = parse_many("1200/minute")
EMAIL_REQUESTS = parse_many("10/minute;30/hour;100/day")
EMAILS_TO_ONE_ADDRESS = parse_many("3/hour;10/day")
FEED_MISSES = parse_many("60/minute;600/hour")


@dataclass
class _Turn:
    """The lock that makes one address's sign-in attempts take turns, and who waits on it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0


def _account_key(email: Any) -> str:
    """The account a sign-in names, as a limiter key: a digest, so no email is stored."""
    normalized = email_key(email) if isinstance(email, str) else ""
    return hashlib.sha256(normalized.encode()).hexdigest()[:32]


def address_key(client_ip: str) -> str:
    """The client address a count is kept against: an IPv4 address as it is, an IPv6 one by
    its /64 network, which one subscriber typically holds whole (counting its addresses one
    by one would give a single attacker billions of budgets)."""
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def storage_uri(redis_url: str | None) -> str:
    """limits' storage URI: Reflex's Redis when it has one, else this process's memory."""
    if not redis_url:
        return "async+memory://"
    scheme = urlsplit(redis_url).scheme
    if scheme in ("redis", "rediss"):
        return f"async+{redis_url}"
    if scheme == "unix":
        return f"async+redis+{redis_url}"
    raise ValueError(f"Unsupported Redis URL scheme for throttling: {scheme!r}")


class Throttle:
    """Counts and refusals for one app (one storage); see the module's docstring."""

    def __init__(self, redis_url: str | None = None, *,
                 address_failures: list[RateLimitItem] = ADDRESS_FAILURES,
                 account_failures: list[RateLimitItem] = ACCOUNT_FAILURES,
                 registrations: list[RateLimitItem] = REGISTRATIONS,
                 visitor_events: list[RateLimitItem] = VISITOR_EVENTS) -> None:
        uri = storage_uri(redis_url)
        options = {"implementation": "redispy"} if redis_url else {}
        self._limiter = MovingWindowRateLimiter(storage_from_string(uri, **options))
        self._address_failures = address_failures
        self._account_failures = account_failures
        self._registrations = registrations
        self._visitor_events = visitor_events
        self._turns: dict[str, _Turn] = {}

    async def _refuse_if_full(self, tiers: list[RateLimitItem], message: str,
                              *key: str) -> None:
        """Raise Throttled, saying how long to wait, if any tier has no room left."""
        free_at = 0.0
        for tier in tiers:
            if not await self._limiter.test(tier, *key):
                stats = await self._limiter.get_window_stats(tier, *key)
                free_at = max(free_at, stats.reset_time)
        if free_at:
            minutes = max(1, math.ceil((free_at - time.time()) / 60))
            raise Throttled(f"{message} Try again in {plural(minutes, 'minute')}.")

    async def _count(self, tiers: list[RateLimitItem], message: str, *key: str) -> None:
        """Count one attempt in every tier; refuse it if a tier was already full."""
        admitted = [await self._limiter.hit(tier, *key) for tier in tiers]
        if not all(admitted):
            await self._refuse_if_full(tiers, message, *key)

    @asynccontextmanager
    async def _turn(self, address: str) -> AsyncIterator[None]:
        turn = self._turns.setdefault(address, _Turn())
        turn.holders += 1
        try:
            async with turn.lock:
                yield
        finally:
            turn.holders -= 1
            if not turn.holders:
                del self._turns[address]

    @asynccontextmanager
    async def sign_in(self, address: str, email: Any) -> AsyncIterator[None]:
        """Around one sign-in attempt: refuse it (Throttled) before any work if the address,
        or this account from this address, has failed too often; count an AuthError raised
        inside as a failure; on success, forget this account's failures from this address."""
        account = _account_key(email)
        async with self._turn(address):
            await self._refuse_if_full(self._address_failures,
                                       "Too many attempts from this address.",
                                       "sign-in", address)
            await self._refuse_if_full(self._account_failures,
                                       "Too many attempts for this account from this address.",
                                       "sign-in", address, account)
            try:
                yield
            except AuthError:
                for tier in self._address_failures:
                    await self._limiter.hit(tier, "sign-in", address)
                for tier in self._account_failures:
                    await self._limiter.hit(tier, "sign-in", address, account)
                raise
            for tier in self._account_failures:
                await self._limiter.clear(tier, "sign-in", address, account)

    async def registration(self, address: str) -> None:
        """Count a registration attempt; Throttled if the address has made too many."""
        await self._count(self._registrations, "Too many attempts from this address.",
                          "register", address)

    async def emailing(self, address: str, email: Any) -> None:
        """Count a request from ``address`` that emails ``email``; Throttled past either
        limit."""
        await self._count(EMAIL_REQUESTS, "Too many attempts from this address.",
                          "emailing", address)
        await self._count(EMAILS_TO_ONE_ADDRESS, "Several emails were sent to this address "
                          "already: check your inbox and spam folder.",
                          "emails-to", _account_key(email))

    async def feed_request(self, address: str) -> None:
        """Throttled if ``address`` has asked for too many feeds that don't exist."""
        await self._refuse_if_full(FEED_MISSES, "Too many requests from this address.",
                                   "feed-miss", address)

    async def feed_miss(self, address: str) -> None:
        """Count a request from ``address`` for a feed that doesn't exist."""
        for tier in FEED_MISSES:
            await self._limiter.hit(tier, "feed-miss", address)

    async def visitor_event(self, address: str) -> None:
        """Count an event from a visitor who is not signed in; Throttled past the limit."""
        await self._count(self._visitor_events, "Too many requests from this address.",
                          "visitor", address)


_shared: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str | None, Throttle]]" = (
    weakref.WeakKeyDictionary())


def shared(redis_url: str | None) -> Throttle:
    """The app's one Throttle for a storage in the running event loop (its counts and turns
    live as long as it does). One per loop: limits' async storages hold asyncio locks bound to
    the loop that first used them, and a backend restarted in the same process runs a new
    loop."""
    per_loop = _shared.setdefault(asyncio.get_running_loop(), {})
    if redis_url not in per_loop:
        per_loop[redis_url] = Throttle(redis_url)
    return per_loop[redis_url]

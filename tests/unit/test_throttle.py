"""Sign-in, registration and visitor throttling (services/core/throttle.py), in memory."""

import asyncio

import pytest
from limits import parse_many

from infoview_app.services.core import throttle
from infoview_app.services.core.errors import AuthError, Throttled

ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"
ADDRESS_LIMIT = throttle.ADDRESS_FAILURES[0].amount
ACCOUNT_LIMIT = throttle.ACCOUNT_FAILURES[0].amount


async def _attempt(limiter: throttle.Throttle, address: str, email: str, *,
                   right: bool = False) -> str:
    """One sign-in attempt: 'checked' if the password was checked (then right or wrong),
    'refused: <message>' if the throttle refused it first."""
    try:
        async with limiter.sign_in(address, email):
            if not right:
                raise AuthError("Wrong email or password.", "password")
    except AuthError:
        return "checked"
    except Throttled as refusal:
        return f"refused: {refusal.message}"
    return "checked"


async def test_spraying_from_one_address_is_refused_before_any_check() -> None:
    limiter = throttle.Throttle()
    results = [await _attempt(limiter, ATTACKER, f"user{n}@uni.edu")
               for n in range(ADDRESS_LIMIT)]
    assert results == ["checked"] * ADDRESS_LIMIT
    # Past the tier nothing is checked, not even the right password of another account.
    refused = await _attempt(limiter, ATTACKER, "owner@uni.edu", right=True)
    assert refused == ("refused: Too many attempts from this address. "
                       "Try again in 1 minute.")
    # The owner, from their own address, is not affected.
    assert await _attempt(limiter, OWNER, "owner@uni.edu", right=True) == "checked"


async def test_guessing_one_account_is_limited_per_account_and_address_only() -> None:
    limiter = throttle.Throttle()
    for _ in range(ACCOUNT_LIMIT):
        assert await _attempt(limiter, ATTACKER, "owner@uni.edu") == "checked"
    assert await _attempt(limiter, ATTACKER, " OWNER@uni.edu ", right=True) == (
        "refused: Too many attempts for this account from this address. "
        "Try again in 1 minute.")
    # The attacker's failures lock nobody out: the owner signs in from their address...
    assert await _attempt(limiter, OWNER, "owner@uni.edu", right=True) == "checked"
    # ...and the attacker's address is still allowed other accounts until its own tier.
    assert await _attempt(limiter, ATTACKER, "someone-else@uni.edu") == "checked"


async def test_a_success_forgets_the_accounts_failures_but_not_the_addresses() -> None:
    limiter = throttle.Throttle()
    for _ in range(ACCOUNT_LIMIT - 1):
        await _attempt(limiter, OWNER, "owner@uni.edu")
    assert await _attempt(limiter, OWNER, "owner@uni.edu", right=True) == "checked"
    # The owner's earlier typos no longer count against the account from this address...
    for _ in range(ACCOUNT_LIMIT):
        assert await _attempt(limiter, OWNER, "owner@uni.edu") == "checked"
    # ...but every failure still counts against the address: a success (say, to an account
    # of the attacker's own) cannot reset a sprayer's budget.
    sprayed = [await _attempt(limiter, OWNER, f"user{n}@uni.edu") for n in range(ADDRESS_LIMIT)]
    failures_so_far = 2 * ACCOUNT_LIMIT - 1
    assert sprayed.count("checked") == ADDRESS_LIMIT - failures_so_far


async def test_parallel_attempts_from_one_address_cannot_overshoot_a_tier() -> None:
    limiter = throttle.Throttle()
    checked = 0

    async def slow_wrong_guess(n: int) -> None:
        nonlocal checked
        try:
            async with limiter.sign_in(ATTACKER, f"user{n}@uni.edu"):
                checked += 1
                await asyncio.sleep(0.01)  # the Argon2 check, in the pool
                raise AuthError("Wrong email or password.", "password")
        except (AuthError, Throttled):
            pass

    await asyncio.gather(*(slow_wrong_guess(n) for n in range(4 * ADDRESS_LIMIT)))
    assert checked == ADDRESS_LIMIT
    assert not limiter._turns  # the per-address turns are dropped once nobody waits


async def test_the_wait_grows_with_each_full_tier() -> None:
    limiter = throttle.Throttle(address_failures=parse_many("2/second;3/hour"))
    assert [await _attempt(limiter, ATTACKER, f"u{n}@uni.edu") for n in range(2)] == [
        "checked", "checked"]
    assert await _attempt(limiter, ATTACKER, "u2@uni.edu") == (
        "refused: Too many attempts from this address. Try again in 1 minute.")
    await asyncio.sleep(1.1)
    assert await _attempt(limiter, ATTACKER, "u2@uni.edu") == "checked"
    assert await _attempt(limiter, ATTACKER, "u3@uni.edu") == (
        "refused: Too many attempts from this address. Try again in 60 minutes.")


async def test_registrations_and_visitor_events_are_counted_per_address() -> None:
    limiter = throttle.Throttle(visitor_events=parse_many("5/minute"))
    for _ in range(throttle.REGISTRATIONS[0].amount):
        await limiter.registration(ATTACKER)
    with pytest.raises(Throttled, match="Too many attempts from this address"):
        await limiter.registration(ATTACKER)
    await limiter.registration(OWNER)
    for _ in range(5):
        await limiter.visitor_event(ATTACKER)
    with pytest.raises(Throttled, match="Too many requests from this address"):
        await limiter.visitor_event(ATTACKER)
    await limiter.visitor_event(OWNER)


@pytest.mark.parametrize(("redis_url", "uri"), [
    (None, "async+memory://"),
    ("redis://cache:6379/0", "async+redis://cache:6379/0"),
    ("rediss://:pw@cache:6380", "async+rediss://:pw@cache:6380"),
    ("unix:///run/redis.sock", "async+redis+unix:///run/redis.sock"),
])
def test_counts_live_in_reflexs_redis_when_it_has_one(redis_url: str | None, uri: str) -> None:
    assert throttle.storage_uri(redis_url) == uri


@pytest.mark.parametrize(("client_ip", "key"), [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),  # the same subscriber's network
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("", "unknown"),
    ("not-an-address", "not-an-address"),
])
def test_an_ipv6_client_is_counted_by_its_64_network(client_ip: str, key: str) -> None:
    assert throttle.address_key(client_ip) == key

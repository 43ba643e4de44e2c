"""Throttling with its counts in Redis, as when Reflex runs several workers
(REFLEX_REDIS_URL): every worker sees the attempts made through the others.

Needs the Redis server tests/setup_services.sh starts (INFOVIEW_TEST_REDIS_URL names
another). Each test uses addresses of its own, so nothing needs emptying.
"""

import os
import uuid

import pytest
import redis

from infoview_app.services.core import throttle
from infoview_app.services.core.errors import AuthError, Throttled

REDIS_URL = os.environ.get("INFOVIEW_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def _wrong_guess(worker: throttle.Throttle, address: str, email: str) -> None:
    with pytest.raises(AuthError):
        async with worker.sign_in(address, email):
            raise AuthError("Wrong email or password.", "password")


async def test_workers_share_the_counts_of_one_address() -> None:
    first, second = throttle.Throttle(REDIS_URL), throttle.Throttle(REDIS_URL)
    attacker, owner = f"attacker-{uuid.uuid4()}", f"owner-{uuid.uuid4()}"
    limit = throttle.ADDRESS_FAILURES[0].amount
    for n in range(limit):
        await _wrong_guess(first if n % 2 else second, attacker, f"user{n}@uni.edu")
    for worker in (first, second):
        with pytest.raises(Throttled, match="Too many attempts from this address"):
            async with worker.sign_in(attacker, "owner@uni.edu"):
                pytest.fail("a throttled attempt reached the password check")
    async with second.sign_in(owner, "owner@uni.edu"):
        pass  # the owner's own address is admitted


async def test_redis_keys_name_no_email() -> None:
    address = f"spray-{uuid.uuid4()}"
    await _wrong_guess(throttle.Throttle(REDIS_URL), address, "private.person@uni.edu")
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{address}*")
    assert keys and not any(b"private.person" in key for key in keys)

"""Password hashing with Argon2 (pwdlib), kept off the event loop.

Argon2 is slow and memory-hungry by design (here about 0.13 s and 64 MiB per hash or check).
Run on the server's event loop, every sign-in would stall every other user's events for that
long; a flood of sign-ins would stall them for minutes. So the app calls every service that
hashes or checks a password through ``in_pool``: a small, bounded pool of worker threads
(argon2-cffi releases the GIL while it hashes, so the event loop keeps running beside
them). The bound caps the CPU and memory that sign-ins can take, whatever their number:
extra work waits in the pool's queue, not on the event loop. Command-line tools and tests
call the services directly.
"""

import asyncio
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from infoview_app.config import argon2_parameters

# Half the cores (at least one): the other half keeps the event loop and the database going.
WORKERS = max(1, (os.cpu_count() or 1) // 2)

_hasher = PasswordHash((Argon2Hasher(**argon2_parameters()),))
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="argon2")
# Checked against when the email is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")

P = ParamSpec("P")
R = TypeVar("R")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_and_update(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """Whether ``password`` matches ``password_hash``, and a new hash of it when the stored
    one was made with other Argon2 parameters than today's (config.argon2_parameters), else
    None. With no hash (an unknown account): False after the same work as a real check, so
    the two cannot be told apart by time."""
    valid, updated = _hasher.verify_and_update(password, password_hash or _DUMMY_HASH)
    if password_hash is None:
        return False, None
    return valid, updated if valid else None


def verify_password(password: str, password_hash: str | None) -> bool:
    return verify_and_update(password, password_hash)[0]


async def in_pool(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` (work that hashes or checks a password) in the bounded Argon2 pool and
    return its result, or raise its exception, without blocking the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(fn, *args, **kwargs))

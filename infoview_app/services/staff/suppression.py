"""How staff figures keep small groups hidden (docs/privacy.md has the reasoning and its
proof).

The staff dashboard builds every count from *cells*: one per measure, major, graduation year
and week (registered students: per major and graduation year). Each cell is rounded on its
own to a multiple of ``BASE``, up or down with the odds that keep it unbiased (a cell holding
7 reads 5 three times in five, 10 twice), the odds drawn once per cell from a keyed hash of
what the cell *is* (measure, major, year, week), never of what it holds: asking again, or
asking for a total it is part of, meets the same rounding. Totals are sums of rounded cells
and shares are ratios of those sums, so no figure says anything the rounded cells don't, and
a rounded cell never pins its count: whatever the count and the draw, another count (one
more or fewer, or the multiple of ``BASE`` it rounded to) reads the same.

The key is a per-installation secret (``rounding_key``) that nobody sees: without it the draws
are unknown, so a cell shown as 0 may hold anything from 0 to 4, and one shown as 5 anything
from 1 to 9.
"""

import hashlib
import secrets
from collections.abc import Sequence
from contextlib import suppress
from functools import lru_cache
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from infoview_app.models import RoundingKey
from infoview_app.services.core.transactions import save

BASE = 5
DEFAULT_MIN_GROUP_SIZE = 5
# At least the rounding base: a smaller minimum would promise less than the rounding gives.
MIN_GROUP_RANGE = (BASE, 50)
_DRAWS_PER_HASH = 16  # 64 bytes of hash, 4 per draw
_KEY_ROW = 1


def rounding_key(session: Session) -> bytes:
    """The installation's secret rounding key, created (32 random bytes) on first use. Two
    workers creating it at once both end up with the one that was stored first."""
    row = session.get(RoundingKey, _KEY_ROW)
    if row is None:
        with suppress(IntegrityError):  # the other worker's key was stored first
            save(session, RoundingKey(id=_KEY_ROW, key=secrets.token_hex(32)))
        row = session.get(RoundingKey, _KEY_ROW)
        assert row is not None
    return bytes.fromhex(row.key)


def rounded(count: int, draw: int) -> int:
    """``count`` rounded to a multiple of BASE: up when the 32-bit ``draw`` falls below the
    remainder's share of BASE (so the expected result is ``count`` itself), else down."""
    whole, remainder = divmod(count, BASE)
    return BASE * (whole + (BASE * draw < remainder << 32))


@lru_cache(maxsize=65536)
def _draws(key: bytes, identity: tuple[Any, ...], start: int) -> tuple[int, ...]:
    """The 16 draws of a row's cells from ``start`` on (kept: a dashboard asks for the same
    cells again and again)."""
    name = "\x1f".join(map(repr, identity))
    digest = hashlib.blake2b((f"{name}\x1f{start}" if start else name).encode(), key=key,
                             digest_size=4 * _DRAWS_PER_HASH).digest()
    return tuple(int.from_bytes(digest[i:i + 4]) for i in range(0, len(digest), 4))


class CellRounder:
    """Rounds the cells of one installation (see the module docstring)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def row(self, identity: tuple[Any, ...], counts: Sequence[int]) -> list[int]:
        """Round a row of cells that share an identity (a family of measures, a major, a
        graduation year, a week), the n-th being the n-th measure of the family: one hash
        gives 16 cells their own draws."""
        if not any(counts):
            return [0] * len(counts)
        shown = []
        for start in range(0, len(counts), _DRAWS_PER_HASH):
            draws = _draws(self._key, identity, start)
            shown += [rounded(count, draw) if count else 0
                      for count, draw in zip(counts[start:start + _DRAWS_PER_HASH], draws,
                                             strict=False)]
        return shown


def small(k: int) -> str:
    """How a count under the minimum group size ``k`` reads."""
    return f"<{k}"


def shown(count: int, k: int) -> str:
    """A rounded count as staff read it: "<k" under the minimum group size."""
    return small(k) if count < k else str(count)

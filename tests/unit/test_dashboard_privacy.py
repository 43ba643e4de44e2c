"""The rounding every staff dashboard count is made of (services/staff/suppression.py):
unbiased, fixed per cell, and never pinning a count down."""

import hashlib
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.staff import suppression
from infoview_app.services.staff.suppression import BASE, CellRounder, rounded

DRAWS = st.integers(min_value=0, max_value=2**32 - 1)


@given(st.integers(min_value=0, max_value=10**6), DRAWS)
def test_a_count_rounds_to_one_of_its_two_nearest_multiples(count: int, draw: int) -> None:
    result = rounded(count, draw)
    assert result % BASE == 0 and abs(result - count) < BASE
    assert (result == 0) <= (count < BASE)  # only a count under BASE can read 0


@given(st.integers(min_value=1, max_value=10**6), DRAWS)
def test_every_count_has_a_twin_that_reads_the_same(count: int, draw: int) -> None:
    """The heart of the proof in docs/privacy.md: whatever the count and the draw (even a
    known draw), another count reads the same, so a rounded cell never pins its count, and
    neither does any sum of cells that includes it."""
    twins = [other for other in range(max(0, count - BASE + 1), count + BASE)
             if other != count and rounded(other, draw) == rounded(count, draw)]
    assert twins


@given(st.integers(min_value=0, max_value=10**4))
def test_the_rounding_is_unbiased_over_the_draws(count: int) -> None:
    """Averaged over the draws (one in the middle of each of BASE equal slices of them), a
    cell reads its own count."""
    middles = [(2 * slice_ + 1) * 2**32 // (2 * BASE) for slice_ in range(BASE)]
    assert Fraction(sum(rounded(count, draw) for draw in middles), BASE) == count


def test_cells_keep_their_draw_whatever_they_hold_and_differ_from_each_other() -> None:
    rounder = CellRounder(b"k" * 32)
    cell = ("interviews", "Biology", 2027, "2026-06-15")
    readings = [rounder.row(cell, [count])[0] for count in range(1, 200)]
    # Fixed draw: the reading never goes down as the count grows, and asking again agrees.
    assert readings == sorted(readings)
    assert rounder.row(cell, [7, 0]) == rounder.row(cell, [7, 0])
    assert rounder.row(cell, [0, 0, 0]) == [0, 0, 0]
    # Other cells, other keys: other draws (1 of 5 draws round a 1 up, so 200 cells of 1
    # all rounding alike would be a broken hash).
    ones = [rounder.row(("interviews", f"Major {n}", 2027, "2026-06-15"), [1])[0]
            for n in range(200)]
    assert 0 < ones.count(BASE) < 200
    other_key = CellRounder(b"x" * 32)
    assert [other_key.row(("interviews", f"Major {n}", 2027, "2026-06-15"), [1])[0]
            for n in range(200)] != ones


def test_the_row_draws_come_from_the_keyed_hash_of_the_cell() -> None:
    key = b"k" * 32
    cell = ("contacts", None, 2028, "2026-06-22")
    digest = hashlib.blake2b("\x1f".join(map(repr, cell)).encode(), key=key,
                             digest_size=64).digest()
    counts = list(range(3, 19))
    assert CellRounder(key).row(cell, counts) == [
        rounded(count, int.from_bytes(digest[4 * i:4 * i + 4])) for i, count in enumerate(counts)]


def test_small_counts_read_under_the_minimum() -> None:
    assert [suppression.shown(value, 5) for value in (0, 5, 10)] == ["<5", "5", "10"]
    assert [suppression.shown(value, 10) for value in (0, 5, 10, 15)] == ["<10", "<10", "10", "15"]

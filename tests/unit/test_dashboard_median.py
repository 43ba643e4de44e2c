"""The medians of the staff dashboard, taken from rounded counts of explorations per bucket of
days, as statistical agencies take a median from grouped data."""

import statistics
from bisect import bisect_left

from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.staff.dashboard.cells import DAY_BUCKETS
from infoview_app.services.staff.dashboard.figures import grouped_median


def _buckets(values: list[int]) -> list[int]:
    counts = [0] * (len(DAY_BUCKETS) + 1)
    for value in values:
        counts[bisect_left(DAY_BUCKETS, value)] += 1
    return counts


@given(st.lists(st.integers(min_value=0, max_value=DAY_BUCKETS[-1]), min_size=1,
                max_size=200))
def test_the_grouped_median_lies_in_the_bucket_of_the_true_median(values: list[int]) -> None:
    """Within the true median's bucket, or between the two buckets the middle values fall
    in: never further off than the buckets are wide."""
    median = grouped_median(_buckets(values))
    assert median is not None
    ordered = sorted(values)
    low, high = ordered[(len(values) - 1) // 2], ordered[len(values) // 2]
    first = DAY_BUCKETS[bisect_left(DAY_BUCKETS, low) - 1] + 1 if low else 0
    last = DAY_BUCKETS[bisect_left(DAY_BUCKETS, high)]
    assert first - 0.5 <= median <= last + 0.5
    if first == last:  # a bucket of one day: the ordinary median, give or take half a day
        assert abs(median - statistics.median(values)) <= 0.5


def test_single_days_give_the_ordinary_median() -> None:
    assert grouped_median(_buckets([0, 0, 0])) == 0
    assert grouped_median(_buckets([1, 1, 1, 3])) == 0.5 + 2 / 3  # 1s over [0.5, 1.5]
    assert grouped_median(_buckets([2] * 10 + [3] * 10)) == 2.5


def test_the_open_bucket_gives_its_first_day() -> None:
    assert grouped_median(_buckets([400, 500, 600])) == DAY_BUCKETS[-1] + 1


def test_no_values_have_no_median() -> None:
    assert grouped_median([0] * (len(DAY_BUCKETS) + 1)) is None

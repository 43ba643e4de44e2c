"""The medians of the staff dashboard, taken from a distribution of (days, explorations)."""

import statistics
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.dashboard import median_of_counts


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=200))
def test_the_median_of_the_counts_is_the_median_of_the_values(values: list[int]) -> None:
    counts = list(Counter(values).items())
    assert median_of_counts(counts) == statistics.median(values)


def test_an_even_number_of_values_gives_the_mean_of_the_middle_two() -> None:
    assert median_of_counts([(10, 1), (2, 1), (4, 2)]) == 4
    assert median_of_counts([(3, 1), (8, 1)]) == 5.5


def test_no_values_have_no_median() -> None:
    assert median_of_counts([]) is None

"""The validators the staff's programme tools add: whole numbers in a range (a partner's
monthly cap) and web addresses students will follow (http and https only)."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput

ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                     st.lists(st.integers(), max_size=3),
                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (100, 100), ("7", 7), (" 42 ", 42)])
def test_whole_number_accepts_integers_and_their_text_in_range(value: Any,
                                                               expected: int) -> None:
    assert check.whole_number(value, "cap", low=1, high=100) == expected


@pytest.mark.parametrize("value", [0, 101, -1, "0", "101", "-5", "2.5", 2.5, True, False, "",
                                   None, "1e2", "\u00b2", "9" * 5000, [5], {"v": 5}])
def test_whole_number_refuses_the_rest_naming_the_field(value: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        check.whole_number(value, "cap", low=1, high=100)
    assert refused.value.errors == {"cap": "Enter a whole number from 1 to 100."}


@given(ANYTHING)
def test_whole_number_returns_in_range_or_refuses(value: Any) -> None:
    try:
        number = check.whole_number(value, "cap", low=1, high=100)
    except InvalidInput:
        return
    assert isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= 100


@pytest.mark.parametrize("url", ["https://careers.example.edu", "http://x.example/a?b=c#d",
                                 "HTTPS://EXAMPLE.EDU/path", "https://[::1]:8443/"])
def test_web_url_accepts_absolute_http_and_https(url: str) -> None:
    assert check.web_url(f"  {url} ", "url", max_length=300) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript://example.edu/%0aalert(1)",
                                 "data:text/html,hi", "ftp://example.edu", "//example.edu",
                                 "/majors", "example.edu", "https://", "https://exa mple.edu",
                                 "https://[::1", "mailto:careers@example.edu", ""])
def test_web_url_refuses_other_schemes_relative_and_broken_addresses(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check.web_url(url, "url", max_length=300)
    assert refused.value.field == "url"


@given(ANYTHING)
def test_web_url_only_ever_returns_http_or_https(value: Any) -> None:
    try:
        url = check.web_url(value, "url", max_length=300)
    except InvalidInput:
        return
    assert url.lower().startswith(("http://", "https://"))

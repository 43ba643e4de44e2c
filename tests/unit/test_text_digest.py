"""The acknowledgement digest must equal assets/unsent.js's: FNV-1a (32 bits) over UTF-16
code units. ASCII text gives the published FNV-1a test vectors; the browser's side is compared
with this one in tests/live/test_autosave_recovery_e2e.py."""

from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.core.text_digest import digest


def test_published_fnv1a_vectors_for_ascii_text() -> None:
    assert digest("") == "811c9dc5"
    assert digest("a") == "e40c292c"
    assert digest("foobar") == "bf9cf968"


def test_text_is_folded_as_utf16_code_units_not_utf8_bytes() -> None:
    # "é" is one UTF-16 unit (0x00e9); its UTF-8 bytes (c3 a9) read as two units differ.
    assert digest("é") != digest("\u00c3\u00a9")


@given(st.text(max_size=200))
def test_eight_hex_digits_and_deterministic(text: str) -> None:
    value = digest(text)
    assert len(value) == 8 and int(value, 16) >= 0
    assert digest(text) == value

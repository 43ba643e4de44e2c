"""Validators: every argument from a browser passes through these."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def test_text_trims_and_enforces_length_and_presence() -> None:
    assert check.text("  Ana  ", "name", max_length=10) == "Ana"
    with pytest.raises(InvalidInput) as missing:
        check.text("   ", "name", max_length=10)
    assert missing.value.field == "name"
    assert missing.value.message == "Name is required."
    with pytest.raises(InvalidInput, match="Name: 3 characters at most; this is 4"):
        check.text("abcd", "name", max_length=3)
    assert check.text(None, "major", max_length=5, required=False) == ""


@pytest.mark.parametrize("value", [12, ["a"], {"a": 1}, 3.5, True])
def test_text_refuses_non_strings(value: object) -> None:
    with pytest.raises(InvalidInput, match="must be text"):
        check.text(value, "name", max_length=10)


def test_email_normalises_domain_and_refuses_bad_addresses() -> None:
    assert check.email("Ana@Example.EDU") == "Ana@example.edu"
    for bad in ["ana", "ana@", "ana@localhost", "a b@x.edu", "x" * 250 + "@x.edu"]:
        with pytest.raises(InvalidInput) as error:
            check.email(bad)
        assert error.value.field == "email"
        # Our message, never the library's ("The part after the @-sign ...").
        assert error.value.message == (check.EMAIL_REFUSED if len(bad) < 250 else
                                       "Email: 254 characters at most; this is 256.")
        assert "@-sign" not in error.value.message


def test_new_password_needs_ten_characters_and_not_only_spaces() -> None:
    assert check.new_password("0123456789") == "0123456789"
    with pytest.raises(InvalidInput, match="at least 10"):
        check.new_password("012345678")
    with pytest.raises(InvalidInput, match="only spaces"):
        check.new_password(" " * 12)
    with pytest.raises(InvalidInput, match="at most 128"):
        check.new_password("x" * 129)
    with pytest.raises(InvalidInput):
        check.new_password(1234567890)


@given(st.integers(min_value=1950, max_value=2100))
def test_optional_year_accepts_years_in_range(year: int) -> None:
    assert check.optional_year(str(year)) == year
    assert check.optional_year(year) == year


@given(st.one_of(st.integers(max_value=1949), st.integers(min_value=2101)))
def test_optional_year_refuses_years_out_of_range(year: int) -> None:
    with pytest.raises(InvalidInput, match="between 1950 and 2100"):
        check.optional_year(year)


@pytest.mark.parametrize("value", ["20x7", "2027.5", True, [2027]])
def test_optional_year_refuses_non_years(value: object) -> None:
    with pytest.raises(InvalidInput, match="year"):
        check.optional_year(value)


def test_optional_year_blank_is_none() -> None:
    assert check.optional_year("") is None
    assert check.optional_year("  ") is None
    assert check.optional_year(None) is None


def test_flag_and_choice() -> None:
    assert check.flag("on", "x") is True
    assert check.flag(None, "x") is False
    assert check.flag(False, "x") is False
    with pytest.raises(InvalidInput):
        check.flag("maybe", "x")
    assert check.choice("red", Colour, "colour") is Colour.RED
    with pytest.raises(InvalidInput, match="listed options"):
        check.choice("green", Colour, "colour")


@given(st.integers(min_value=1, max_value=2**62))
def test_record_id_accepts_positive_ints_and_their_strings(value: int) -> None:
    assert check.record_id(value) == value
    assert check.record_id(str(value)) == value


@given(st.one_of(st.integers(max_value=0), st.text().filter(lambda s: not s.strip().isdigit()),
                 st.floats(), st.booleans(), st.none(), st.lists(st.integers()),
                 st.dictionaries(st.text(), st.integers())))
def test_record_id_refuses_everything_else(value: object) -> None:
    with pytest.raises(InvalidInput):
        check.record_id(value)


@pytest.mark.parametrize("value", ["\u00b2", "\u0661\u0662", "9" * 5000, 2**63, str(2**63),
                                   " 12 3 "])
def test_record_id_refuses_ids_the_database_cannot_hold_or_int_cannot_parse(
        value: object) -> None:
    with pytest.raises(InvalidInput, match="Unknown record"):
        check.record_id(value)
    assert check.record_id(str(check.MAX_RECORD_ID)) == check.MAX_RECORD_ID


class _Sign(TypedDict):
    name: str
    email: str
    major: str


@dataclass(frozen=True)
class _Period:
    start: date
    end: date | None = None


def test_form_reports_every_failing_field() -> None:
    with pytest.raises(InvalidInput) as error:
        check.form(_Sign, name=lambda: check.text("", "name", max_length=5),
                   email=lambda: check.email("nope"),
                   major=lambda: check.text("ok", "major", max_length=5))
    assert set(error.value.errors) == {"name", "email"}


def test_form_returns_the_clean_values_as_its_shape() -> None:
    assert check.form(_Sign, name=lambda: check.text(" Ana ", "name", max_length=5),
                      email=lambda: check.email("ana@example.edu"),
                      major=lambda: check.text(" ok ", "major", max_length=5)) == {
        "name": "Ana", "email": "ana@example.edu", "major": "ok"}
    assert check.form(_Period, start=lambda: check.iso_date("2026-12-07", "start")) == _Period(
        date(2026, 12, 7))


def test_form_refuses_checks_that_do_not_match_its_shape() -> None:
    """A field the shape lacks, or one it has without a check, is a programming error."""
    with pytest.raises(TypeError):
        check.form(_Sign, name=lambda: "Ana", email=lambda: "a@b.edu")
    with pytest.raises(TypeError):
        check.form(_Sign, name=lambda: "Ana", email=lambda: "a@b.edu", major=lambda: "",
                   minor=lambda: "")
    with pytest.raises(TypeError):
        check.form(_Period, begin=lambda: date(2026, 12, 7))


@pytest.mark.parametrize("value", ["a\x00b", "\ud800", "ok \udfff"])
def test_text_refuses_characters_the_database_cannot_store(value: str) -> None:
    with pytest.raises(InvalidInput, match="can't be saved"):
        check.text(value, "name", max_length=50)


BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_text_strips_bidirectional_formatting_characters() -> None:
    # "Invoice", RIGHT-TO-LEFT OVERRIDE, "gnp.exe" would display as "Invoiceexe.png".
    assert check.text("Invoice\u202egnp.exe", "name", max_length=50) == "Invoicegnp.exe"
    assert check.text("\u2067 Dana \u2069", "name", max_length=50) == "Dana"
    assert check.email("\u202edana@lakeside.example") == "dana@lakeside.example"
    with pytest.raises(InvalidInput):
        check.text("\u202e\u202c", "name", max_length=50)  # nothing left: required


@given(st.text(alphabet=st.sampled_from([*BIDI_CONTROLS, "a", "ب", " ", "."]), max_size=40))
def test_text_never_keeps_a_bidirectional_formatting_character(value: str) -> None:
    try:
        clean = check.text(value, "name", max_length=50)
    except InvalidInput:
        return
    assert not set(clean) & set(BIDI_CONTROLS)
    assert clean == "".join(ch for ch in value if ch not in BIDI_CONTROLS).strip()


# --- the rest of the vocabulary: dates, free text, plain text, phone, optional email ----------

def test_iso_date_takes_a_date_or_its_iso_text_and_names_the_field() -> None:
    assert check.iso_date(" 2026-03-10 ", "start") == date(2026, 3, 10)
    assert check.iso_date(date(2026, 3, 10), "start") == date(2026, 3, 10)
    for bad in ("2026-02-30", "yesterday", "", None, 20260310, "2026-03-10T09:00"):
        with pytest.raises(InvalidInput, match="start date as a real date") as error:
            check.iso_date(bad, "start", "start date")
        assert error.value.field == "start"
    with pytest.raises(InvalidInput, match="without a time"):
        check.iso_date(datetime(2026, 3, 10, 9), "start")


def test_free_text_is_kept_as_typed_within_its_limit() -> None:
    assert check.free_text("  mid-sentence ", "notes", max_length=15) == "  mid-sentence "
    with pytest.raises(InvalidInput, match="Notes: 1,000 characters at most; this is 1,001"):
        check.free_text("x" * 1001, "notes", max_length=1000)
    for bad in (None, 3, "nul \x00", "lone \ud800"):
        with pytest.raises(InvalidInput) as error:
            check.free_text(bad, "notes", max_length=50)
        assert error.value.field == "notes"


def test_plain_text_holds_no_control_characters_but_line_breaks_where_allowed() -> None:
    assert check.plain("two\nlines", "address", line_breaks=True) == "two\nlines"
    for bad in ("two\nlines", "tab\there", "bell\x07", "c1\x85", "lone \udfff"):
        with pytest.raises(InvalidInput, match="Address contains characters"):
            check.plain(bad, "address", "Address")
    with pytest.raises(InvalidInput):
        check.plain("return\r", "address", line_breaks=True)


def test_optional_email_is_empty_or_valid() -> None:
    assert check.email("  ", required=False) == check.email(None, required=False) == ""
    assert check.email("Ana@Example.ORG", required=False) == "Ana@example.org"
    with pytest.raises(InvalidInput):
        check.email("nope", required=False)
    with pytest.raises(InvalidInput):
        check.email("")


def test_whole_number_says_what_to_enter() -> None:
    assert check.whole_number(" 25 ", "minutes", low=20, high=30) == 25
    with pytest.raises(InvalidInput, match=r"^Choose 20 to 30$"):
        check.whole_number("31", "minutes", low=20, high=30, message="Choose 20 to 30")
    with pytest.raises(InvalidInput):
        check.whole_number("25", "minutes", low=20, high=30, text=False)

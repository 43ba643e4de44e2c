"""The O*NET importer's pure parts: row validators, the table splitter, LIKE escaping."""

import re
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.research import occupations as onet
from infoview_app.services.research.occupations import (
    CODE_COLUMN,
    DESCRIPTION_COLUMN,
    TASK_COLUMN,
    TASK_ID_COLUMN,
    TASK_TYPE_COLUMN,
    TITLE_COLUMN,
    RowError,
    SkippedRow,
)

ASCII_DIGIT = st.sampled_from("0123456789")
CODES = st.builds(lambda a, b, c: f"{a}-{b}.{c}",
                  st.text(ASCII_DIGIT, min_size=2, max_size=2),
                  st.text(ASCII_DIGIT, min_size=4, max_size=4),
                  st.text(ASCII_DIGIT, min_size=2, max_size=2))
PADDING = st.text(" \t", max_size=2)
# Field values as they may appear in a tab-separated line: anything but tabs and line breaks.
# Text as a UTF-8 file decodes to: no lone surrogates (those can't be in such a file).
FIELD_TEXT = st.text(st.characters(exclude_characters="\t\n\r", exclude_categories=["Cs"]),
                     max_size=30)


@given(CODES, PADDING, PADDING)
def test_valid_codes_are_kept_trimmed(code: str, before: str, after: str) -> None:
    assert onet.parse_code(before + code + after) == code


@given(st.text(max_size=14))
def test_a_code_is_accepted_only_in_the_nn_nnnn_nn_form(value: str) -> None:
    valid = re.fullmatch(r"[0-9]{2}-[0-9]{4}\.[0-9]{2}", value.strip(), flags=re.ASCII)
    if valid:
        assert onet.parse_code(value) == value.strip()
    else:
        with pytest.raises(RowError, match=r"NN-NNNN\.NN"):
            onet.parse_code(value)


ARABIC_INDIC_CODE = "\u0661\u0661-\u0661\u0660\u0661\u0661.\u0660\u0660"  # "11-1011.00"


@pytest.mark.parametrize("value", [ARABIC_INDIC_CODE, "11-1011.0", "11-1011.000", "111011.00",
                                   "11-1011-00", "", "11 -1011.00"])
def test_codes_in_other_shapes_or_scripts_are_refused(value: str) -> None:
    with pytest.raises(RowError):
        onet.parse_code(value)


@given(st.integers(min_value=1, max_value=onet.TASK_ID_MAX), PADDING)
def test_task_ids_in_range_are_parsed(task_id: int, padding: str) -> None:
    assert onet.parse_task_id(f"{padding}{task_id}{padding}") == task_id


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=onet.TASK_ID_MAX + 1)))
def test_task_ids_out_of_range_are_refused(task_id: int) -> None:
    with pytest.raises(RowError, match="Task ID"):
        onet.parse_task_id(str(task_id))


@given(st.text(max_size=12).filter(lambda v: not v.strip().isascii()
                                   or not v.strip().isdigit()))
def test_task_ids_that_are_not_ascii_digits_are_refused(value: str) -> None:
    with pytest.raises(RowError, match="Task ID"):
        onet.parse_task_id(value)


@given(CODES, FIELD_TEXT, FIELD_TEXT)
def test_an_occupation_row_needs_a_title_and_a_description(code: str, title: str,
                                                           description: str) -> None:
    fields = {CODE_COLUMN: code, TITLE_COLUMN: title, DESCRIPTION_COLUMN: description}
    clean_title, clean_description = title.strip(), description.strip()
    valid = (clean_title and clean_description and len(clean_title) <= onet.TITLE_MAX
             and "\x00" not in clean_title + clean_description)
    if not valid:
        with pytest.raises(RowError):
            onet.parse_occupation(fields)
        return
    record = onet.parse_occupation(fields)
    assert (record.code, record.title, record.description) == (
        code, clean_title, clean_description)
    assert record.values() == {"code": code, "title": clean_title,
                               "description": clean_description, "major_group": code[:2],
                               "source": "onet"}


def test_a_title_may_have_150_characters_not_151() -> None:
    fields = {CODE_COLUMN: "11-1011.00", DESCRIPTION_COLUMN: "d"}
    assert onet.parse_occupation({**fields, TITLE_COLUMN: "t" * 150}).title == "t" * 150
    with pytest.raises(RowError, match="longer than 150"):
        onet.parse_occupation({**fields, TITLE_COLUMN: "t" * 151})


@given(CODES, st.integers(min_value=1, max_value=onet.TASK_ID_MAX), FIELD_TEXT,
       st.sampled_from(["Core", "Supplemental", "n/a", "", " Core "]))
def test_a_task_row_needs_a_statement(code: str, task_id: int, statement: str,
                                      task_type: str) -> None:
    fields = {CODE_COLUMN: code, TASK_ID_COLUMN: str(task_id), TASK_COLUMN: statement,
              TASK_TYPE_COLUMN: task_type}
    if not statement.strip() or "\x00" in statement:
        with pytest.raises(RowError, match="Task"):
            onet.parse_task(fields)
        return
    record = onet.parse_task(fields)
    assert (record.code, record.task_id, record.statement) == (code, task_id, statement.strip())
    assert record.task_type == (task_type.strip() if task_type.strip() not in ("", "n/a")
                                else None)


def test_task_type_is_optional_and_bounded() -> None:
    fields = {CODE_COLUMN: "11-1011.00", TASK_ID_COLUMN: "1", TASK_COLUMN: "Plan."}
    assert onet.parse_task(fields).task_type is None
    with pytest.raises(RowError, match="Task Type is longer than 20"):
        onet.parse_task({**fields, TASK_TYPE_COLUMN: "x" * 21})


COLUMN_NAMES = st.lists(st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8),
                        min_size=1, max_size=5, unique_by=str.casefold)


@given(COLUMN_NAMES, st.data(), st.sampled_from(["\n", "\r\n", "\r"]))
def test_split_table_maps_each_row_by_column_name(names: list[str], data: st.DataObject,
                                                  newline: str) -> None:
    rows = data.draw(st.lists(st.lists(FIELD_TEXT, min_size=len(names), max_size=len(names))
                              .filter(lambda row: any(v.strip() for v in row)), max_size=5))
    text = newline.join(["\t".join(names), *("\t".join(row) for row in rows)]) + newline

    parsed, skipped = onet.split_table(text, "f.txt", required=[names[-1]])

    assert skipped == []
    assert [number for number, _fields in parsed] == list(range(2, len(rows) + 2))
    assert [fields for _number, fields in parsed] == [dict(zip(names, row, strict=True))
                                                      for row in rows]


def test_split_table_finds_columns_whatever_their_case_and_spacing() -> None:
    parsed, _skipped = onet.split_table(
        " task id \tO*NET-SOC CODE\tTASK TYPE\tExtra\n1\t11-1011.00\tCore\tx\n", "f.txt",
        required=[CODE_COLUMN, TASK_ID_COLUMN], optional=[TASK_TYPE_COLUMN])
    assert parsed == [(2, {TASK_ID_COLUMN: "1", CODE_COLUMN: "11-1011.00",
                           TASK_TYPE_COLUMN: "Core", "Extra": "x"})]


@given(st.integers(min_value=1, max_value=6).filter(lambda n: n != 3))
def test_split_table_skips_rows_with_the_wrong_column_count(count: int) -> None:
    text = "a\tb\tc\n1\t2\t3\n" + "\t".join("x" * count) + "\n\n4\t5\t6\n"
    parsed, skipped = onet.split_table(text, "f.txt", required=["a"])
    assert [number for number, _fields in parsed] == [2, 5]  # the blank line 4 is ignored
    assert skipped == [SkippedRow("f.txt", 3, f"expected 3 tab-separated columns, "
                                  f"found {count}")]


@pytest.mark.parametrize(("text", "message"), [
    ("", "f.txt is empty"),
    ("  \n1\t2\n", "f.txt has no header row"),
    ("a\tc\n1\t2\n", "f.txt has no column 'b'"),
])
def test_split_table_refuses_a_missing_header_or_column(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        onet.split_table(text, "f.txt", required=["a", "b"])


def test_parse_rows_reports_invalid_rows_and_duplicates_with_their_lines() -> None:
    skipped: list[SkippedRow] = []
    rows = [(2, {CODE_COLUMN: "11-1011.00"}), (3, {CODE_COLUMN: "bad"}),
            (4, {CODE_COLUMN: "11-1011.00"})]
    records = onet.parse_rows(rows, "f.txt", lambda fields: onet.parse_code(fields[CODE_COLUMN]),
                              lambda code: code, CODE_COLUMN, skipped)
    assert records == {"11-1011.00": (2, "11-1011.00")}
    assert [(row.line, row.reason.split(" ")[0]) for row in skipped] == [
        (3, "O*NET-SOC"), (4, "duplicate")]
    assert skipped[1].reason == "duplicate O*NET-SOC Code 11-1011.00 (first on line 2)"


PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)


@given(PRINTABLE, PRINTABLE)
def test_an_escaped_pattern_matches_exactly_the_texts_that_contain_it(needle: str,
                                                                      haystack: str) -> None:
    """LIKE '%' || escape_like(needle) || '%' behaves as a plain substring test (SQLite's LIKE
    ignores ASCII case, hence the lower-casing on the Python side)."""
    with sqlite3.connect(":memory:") as conn:
        (matched,) = conn.execute(
            "SELECT ? LIKE ? ESCAPE ?",
            (haystack, f"%{onet.escape_like(needle)}%", onet.LIKE_ESCAPE)).fetchone()
    assert bool(matched) == (needle.lower() in haystack.lower())

"""Pure helpers of interview notes, follow-ups and export: the thank-you draft, note text
limits, search matching and snippets, Markdown escaping, the CSV formula guard and vCard
names."""

import html
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from infoview_app.services.accounts.data_export import name_parts
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.spreadsheets import csv_cell
from infoview_app.services.follow_up.to_do import HIGHLIGHT_MAX, thank_you_draft
from infoview_app.services.interview.interview_mode import NOTES_MAX, notes_text
from infoview_app.services.notes.notes_view import (
    ELLIPSIS,
    find_match,
    markdown_block,
    markdown_inline,
    snippet,
)
from infoview_app.services.prepare.job_words import find_job_seeking_words

# --- the thank-you draft ---------------------------------------------------------------------

FIELDS = ["Physical therapy", "UX research", "Nursing", "Civil engineering", "Accounting"]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("highlight", ["", "how varied a clinic day is"])
def test_thank_you_draft_asks_for_no_job(field: str, highlight: str) -> None:
    draft = thank_you_draft("Maya Chen", "Dr. Elena Rivera", field, highlight)
    assert find_job_seeking_words(draft) == []
    assert len(draft.split()) <= 70  # fits a card written by hand
    assert draft.startswith("Dear Dr. Elena Rivera,\n")
    assert draft.endswith("\nMaya Chen")
    assert f"about {field}." in draft


def test_thank_you_draft_mentions_what_was_learned_when_given() -> None:
    plain = thank_you_draft("Maya", "Sam", "Nursing")
    learned = thank_you_draft("Maya", "Sam", "Nursing", "  night  shifts\nand teamwork. ")
    assert "what you shared about night shifts and teamwork." in learned
    assert "shared about" not in plain and "clearer picture" in plain


def test_thank_you_highlight_is_limited() -> None:
    thank_you_draft("Maya", "Sam", "Nursing", "x" * HIGHLIGHT_MAX)
    for bad in ("x" * (HIGHLIGHT_MAX + 1), 42):
        with pytest.raises(InvalidInput) as refused:
            thank_you_draft("Maya", "Sam", "Nursing", bad)
        assert refused.value.field == "highlight"


# --- note text -------------------------------------------------------------------------------

def test_notes_text_keeps_what_was_typed_within_the_limit() -> None:
    assert notes_text("  half a sentence ", "notes") == "  half a sentence "
    assert NOTES_MAX == 20_000
    assert notes_text("ü" * 20_000, "notes") == "ü" * 20_000
    for bad in (None, "x" * 20_001, ["x"], "nul\x00", "lone \ud800 surrogate"):
        with pytest.raises(InvalidInput) as refused:
            notes_text(bad, "answer")
        assert refused.value.field == "answer"


# --- search: matching and snippets -----------------------------------------------------------

def test_find_match_ignores_case_including_beyond_ascii() -> None:
    assert find_match("Talked about ÄRZTE and the Straße", "ärzte") == (13, 18)
    assert find_match("Talked about ÄRZTE and the Straße", "STRASSE") == (27, 33)
    assert find_match("Mostly ACL rehab", "acl REHAB") == (7, 16)
    assert find_match("Mostly ACL rehab", "knee") is None
    assert find_match("anything", "") is None


def test_find_match_takes_percent_and_underscore_literally() -> None:
    assert find_match("grew 40% a year", "40%") == (5, 8)
    assert find_match("grew 40 percent", "40%") is None
    assert find_match("file_name here", "file_name") == (0, 9)
    assert find_match("filename here", "file_name") is None
    assert find_match("filename here", "f%e") is None


@given(st.text(alphabet="abcdeABCDE éÉ%_\n", min_size=1), st.data())
def test_find_match_finds_any_part_of_the_text_in_any_case(text: str, data: st.DataObject
                                                           ) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = text[start:end].swapcase()
    found = find_match(text, query)
    assert found is not None
    assert text[found[0]:found[1]].casefold() == query.casefold()
    assert found[0] <= start


def test_snippet_cuts_at_words_and_marks_the_cut() -> None:
    text = ("The first part of the notes is long enough to be cut. Then the clinic sees ACL "
            "rehab most days,\n\nand shoulders. After that comes a long tail of other notes.")
    start, end = find_match(text, "acl rehab") or (0, 0)
    before, match, after = snippet(text, start, end, radius=25)
    assert match == "ACL rehab"
    assert before == ELLIPSIS + "Then the clinic sees "  # not "ut. Then…"
    assert after == " most days, and" + ELLIPSIS  # not "and shoulde…"
    assert snippet("Short ACL note", 6, 9) == ("Short ", "ACL", " note")


@given(st.text(alphabet="ab \n.", min_size=1), st.data(), st.integers(0, 30))
def test_snippet_is_the_match_in_its_context(text: str, data: st.DataObject,
                                             radius: int) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(not text[start].isspace() and not text[end - 1].isspace())  # queries are trimmed
    before, match, after = snippet(text, start, end, radius)
    squashed = re.sub(r"\s+", " ", text)
    shown = (before + match + after).removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    assert shown in squashed
    assert match == re.sub(r"\s+", " ", text[start:end])
    assert len(before) <= radius + 1 and len(after) <= radius + 1
    assert before.startswith(ELLIPSIS) == (start > radius)


# --- Markdown escaping -----------------------------------------------------------------------

_RENDER = MarkdownIt("commonmark")


def _rendered_text(markdown: str) -> str:
    """The text a CommonMark renderer shows for ``markdown``: fails on any markup other than
    paragraphs and line breaks."""
    rendered = _RENDER.render(markdown)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p", "br"}, (markdown, rendered)
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered))


@pytest.mark.parametrize("text", [
    "# not a heading", "- not a list", "+ nor this", "1. not numbered", "12) nor this",
    "> not a quote", "---", "===", "*not emphasis*", "__nor this__", "[a link](http://x)",
    "![image](x.png)", "<script>alert(1)</script>", "`code`", "```", "~~~", "    indented",
    "a | b", "&amp; stays &amp;", "ends with a backslash \\", "<http://autolink.example>",
])
def test_markdown_block_shows_user_text_literally(text: str) -> None:
    assert " ".join(_rendered_text(markdown_block(text)).split()) == " ".join(text.split())


def test_markdown_block_keeps_line_breaks_and_paragraphs() -> None:
    assert markdown_block("first\nsecond\n\n\nthird") == "first\\\nsecond\n\nthird"
    assert _RENDER.render(markdown_block("first\nsecond")) == "<p>first<br />\nsecond</p>\n"
    assert markdown_block("") == markdown_block(" \n \n") == ""


@given(st.text(alphabet=st.sampled_from(list("ab1 .\n#-+=>*_[]()!<&;`~|\\:")), max_size=40))
def test_markdown_block_never_makes_markup(text: str) -> None:
    assert _rendered_text(markdown_block(text)).split() == text.split()


def test_markdown_inline_is_one_literal_line() -> None:
    assert markdown_inline("Dr. *Rivera*\n# [PT]") == r"Dr. \*Rivera\* \# \[PT\]"
    heading = _RENDER.render("### " + markdown_inline("<b>x</b> _y_"))
    assert heading == "<h3>&lt;b&gt;x&lt;/b&gt; _y_</h3>\n"


# --- CSV and vCard ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "safe"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1 555 0100", "'+1 555 0100"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Dr. Rivera", "Dr. Rivera"), ("", ""),
    (None, ""), ("a=b", "a=b"), (" =1", " =1"),
])
def test_csv_cell_defuses_formulas(value: str | None, safe: str) -> None:
    assert csv_cell(value) == safe


@given(st.text())
def test_csv_cell_never_starts_a_formula(value: str) -> None:
    safe = csv_cell(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe.removeprefix("'") == value or safe == value


@pytest.mark.parametrize(("full", "parts"), [
    ("Dr. Elena Rivera", ("Dr.", "Elena", "Rivera", "")),
    ("Sam Okafor, DPT", ("", "Sam", "Okafor", "DPT")),
    ("Madonna", ("", "", "Madonna", "")),
    ("Dr.", ("", "", "Dr.", "")),
    ("Ana María de la Cruz", ("", "Ana María de la", "Cruz", "")),
])
def test_name_parts(full: str, parts: tuple[str, str, str, str]) -> None:
    name = name_parts(full)
    assert (name.prefix, name.given, name.family, name.suffix) == parts

"""Step 3's pure helpers: research notes rendered safely, questions written from tasks, and
the check that text can be stored."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.wording import SUGGESTION_LABEL
from infoview_app.services.prepare.questions import (
    BANK_QUERY_MAX,
    QUESTION_MAX,
    SUGGESTION_CATEGORY,
    BankQuestion,
    bank_groups,
    bank_search,
    filter_bank,
    question_from_task,
)
from infoview_app.services.research.field_research import (
    RESEARCH_NOTES_MAX,
    clean_research_notes,
    research_notes_html,
)

# --- research_notes_html: what may appear in the output --------------------------------

ALLOWED_TAGS = {"p", "br", "em", "strong", "s", "code", "pre", "blockquote", "hr", "ul", "ol",
                "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr",
                "th", "td"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser would read them (entities
    decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_inert(html: str) -> None:
    """Only formatting tags; the only attributes are safe links, the link's target and rel,
    a code block's language class, a list's start number and a table cell's alignment."""
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            value = value or ""
            if tag == "a" and name == "href":
                # Browsers drop tabs and newlines and trim spaces before reading a scheme.
                url = re.sub(r"[\t\n\r]", "", value).strip().lower()
                assert url.startswith(SAFE_SCHEMES), (value, html)
            elif tag == "a" and name in ("target", "rel", "title"):
                assert name != "target" or value == "_blank"
            elif tag == "code" and name == "class":
                assert value.startswith("language-")
            elif tag == "ol" and name == "start":
                assert value.isdigit()
            elif tag in ("th", "td") and name == "style":
                assert value in ("text-align:left", "text-align:right", "text-align:center")
            else:
                pytest.fail(f"unexpected attribute {name}={value!r} on <{tag}> in {html!r}")


ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(document.cookie)"/>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<div onmouseover="alert(1)">hover</div>',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<!-- <script>alert(1)</script> -->",
    "<style>body{display:none}</style>",
    "[click](javascript:alert(1))",
    "[click](JavaScript:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&colon;alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "[click](//evil.example/phish)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/pixel.png "title")',
    '![x" onerror="alert(1)](https://evil.example/x.png)',
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "```html\"><script>alert(1)</script>\nbody\n```",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_notes_with_an_attack_render_inert(attack: str) -> None:
    html = research_notes_html(f"Notes\n\n{attack}\n\nafter")
    assert_inert(html)
    assert "<script" not in html.lower()


def test_raw_html_shows_as_text() -> None:
    assert research_notes_html("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")
    assert research_notes_html("Hi <img src=x onerror=alert(1)> there") == (
        "<p>Hi &lt;img src=x onerror=alert(1)&gt; there</p>\n")


def test_a_javascript_link_stays_text_not_a_link() -> None:
    assert research_notes_html("[click](javascript:alert(1))") == (
        "<p>[click](javascript:alert(1))</p>\n")
    assert research_notes_html("[a][r]\n\n[r]: JAVASCRIPT:alert(1)") == (
        "<p>[a][r]</p>\n<p>[r]: JAVASCRIPT:alert(1)</p>\n")


def test_a_link_with_an_empty_address_has_none() -> None:
    assert research_notes_html("[x]()") == "<p><a>x</a></p>\n"


def test_images_are_not_loaded() -> None:
    html = research_notes_html("![chart](https://example.org/chart.png)")
    assert "<img" not in html
    assert tags_of(html) == [("p", {}), ("a", {"href": "https://example.org/chart.png",
                                               "target": "_blank",
                                               "rel": "nofollow noopener noreferrer"})]


@pytest.mark.parametrize("url", ["https://www.bls.gov/ooh/", "http://example.org/a?b=1&c=2",
                                 "mailto:career.office@uni.edu"])
def test_web_and_mail_links_work_and_open_apart(url: str) -> None:
    (_, _), (tag, attrs) = tags_of(research_notes_html(f"[link]({url})"))
    assert tag == "a"
    assert attrs == {"href": url, "target": "_blank", "rel": "nofollow noopener noreferrer"}


@pytest.mark.parametrize("url", ["/home", "#top", "relative/page", "ftp://example.org/x"])
def test_other_links_are_not_linked(url: str) -> None:
    assert "<a" not in research_notes_html(f"[link]({url})")


def test_markdown_formatting_renders() -> None:
    html = research_notes_html(
        "# Physical therapy\n\n**Pay:** *good*\nline two\n\n- one\n- two\n\n3. three\n\n"
        "> quoted\n\n`code`\n\n| a | b |\n|--:|---|\n| 1 | 2 |\n\n~~old~~")
    assert "<h1>Physical therapy</h1>" in html
    assert "<p><strong>Pay:</strong> <em>good</em><br>\nline two</p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">' in html
    assert "<blockquote>" in html and "<code>code</code>" in html
    assert '<td style="text-align:right">1</td>' in html and "<s>old</s>" in html
    assert_inert(html)


def test_empty_notes_render_nothing() -> None:
    assert research_notes_html("") == ""


_MARKUP = st.sampled_from(["<", ">", "&", '"', "'", "`", "[", "]", "(", ")", "!", "#", ":",
                           "javascript:", "JaVaScRiPt:", "data:", "&#106;", "&#x3A;", "%0a",
                           "\t", "\n", " ", "<script>", "<img src=x onerror=alert(1)>",
                           "onerror=", "](", "[x](", "](javascript:alert(1))", "<a href=",
                           "https://a.b", "mailto:x@y.z", "```", "|", "---", "*", "_", "\\"])


@given(st.lists(st.one_of(_MARKUP, st.text(max_size=5)), max_size=40).map("".join))
@example("[a](java\nscript:alert(1))")
@example("<java\tscript:alert(1)>")
def test_any_notes_render_inert(text: str) -> None:
    assert_inert(research_notes_html(text))


# --- clean_research_notes -----------------------------------------------------------------

def test_notes_are_kept_as_typed() -> None:
    typed = "    indented code\n\n# Title  \n\n"
    assert clean_research_notes(typed) == typed
    assert clean_research_notes("x" * RESEARCH_NOTES_MAX) == "x" * RESEARCH_NOTES_MAX


@pytest.mark.parametrize("value", [None, "x" * (RESEARCH_NOTES_MAX + 1), 42, ["notes"], b"notes",
                                   "a\x00b", "a\ud800b"])
def test_bad_notes_are_refused(value: object) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_research_notes(value)
    assert error.value.field == "research_notes"


# --- storable -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["\x00", "before\x00after", "\udc80", "lone \ud83d here"])
def test_text_a_database_cannot_hold_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check.storable(value, "pitch")
    assert error.value.field == "pitch"


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
@example("Café 👋 \u2019s\ttab\r\n")
def test_text_that_encodes_is_kept_unchanged(value: str) -> None:
    assert check.storable(value, "pitch") == value


# --- question_from_task -------------------------------------------------------------------

@pytest.mark.parametrize(("task", "question"), [
    ("Direct or coordinate an organization's financial activities.",
     "What is it like to direct or coordinate an organization's financial activities?"),
    ("Take medical histories and examine patients",
     "What is it like to take medical histories and examine patients?"),
    ("  Check accounts\nand records  for errors.  ",
     "What is it like to check accounts and records for errors?"),
    ("Plan lessons; grade work;", "What is it like to plan lessons; grade work?"),
    ("CAD-draft floor plans.", "What is it like to CAD-draft floor plans?"),
    ("3D-model parts.", "What is it like to 3D-model parts?"),
    ("Élaborer des plans.", "What is it like to élaborer des plans?"),
    ("A", "What is it like to a?"),
])
def test_a_task_becomes_a_question(task: str, question: str) -> None:
    assert question_from_task(task) == question


@pytest.mark.parametrize("task", ["", "   ", ".", " . \n"])
def test_an_empty_task_gives_no_question(task: str) -> None:
    assert question_from_task(task) == ""


def test_a_question_that_would_be_too_long_is_left_out() -> None:
    fits = "x" * (QUESTION_MAX - len("What is it like to ?"))
    assert len(question_from_task(fits)) == QUESTION_MAX
    assert question_from_task(fits + "x") == ""


@given(st.text(max_size=600))
def test_every_question_is_one_tidy_line(task: str) -> None:
    question = question_from_task(task)
    if not question:
        return
    assert question.startswith("What is it like to ") and question.endswith("?")
    assert len(question) <= QUESTION_MAX
    assert question == " ".join(question.split())
    assert question[-2] not in ".;:!?, "
    assert question_from_task(question[len("What is it like to "):-1]) == question


# --- bank_groups: the bank as the page lists it -----------------------------------------

def test_the_bank_is_grouped_by_origin_and_category_in_its_order() -> None:
    bank = [BankQuestion(id=1, text="A", category="About the work", origin="sample"),
            BankQuestion(id=2, text="B", category="About the work", origin="sample"),
            BankQuestion(id=3, text="C", category="Advice", origin="staff"),
            BankQuestion(id=4, text="D", category="", origin="student"),
            BankQuestion(id=5, text="E", category="Mine", origin="student"),
            BankQuestion(id=6, text="F", category=SUGGESTION_CATEGORY, origin="student")]
    groups = bank_groups(bank, chosen_ids={2, 5})
    assert [(g["title"], [(q["id"], q["chosen"]) for q in g["questions"]]) for g in groups] == [
        ("Sample questions · About the work", [(1, False), (2, True)]),
        ("From the career office · Advice", [(3, False)]),
        ("Your own questions", [(4, False), (5, True)]),
        (SUGGESTION_LABEL, [(6, False)]),
    ]


BANK = bank_groups([
    BankQuestion(id=1, text="What is a typical DAY like?", category="About the work",
                 origin="sample"),
    BankQuestion(id=2, text="What do you earn?", category="About the work", origin="sample"),
    BankQuestion(id=3, text="What advice would you give me?", category="Advice",
                 origin="staff"),
    BankQuestion(id=4, text="Who else should I meet?", category="Advice", origin="staff")],
    chosen_ids=set())


def _shown(groups: list) -> list[tuple[str, list[int]]]:
    return [(g["title"], [q["id"] for q in g["questions"]]) for g in groups]


def test_a_search_keeps_the_questions_holding_every_word_and_drops_empty_groups() -> None:
    assert filter_bank(BANK, "") == BANK and filter_bank(BANK, "   ") == BANK
    assert _shown(filter_bank(BANK, "typical  day")) == [
        ("Sample questions · About the work", [1])]
    assert _shown(filter_bank(BANK, "WHAT you")) == [
        ("Sample questions · About the work", [2]),
        ("From the career office · Advice", [3])]
    # A category's name finds its questions.
    assert _shown(filter_bank(BANK, "advice")) == [("From the career office · Advice", [3, 4])]
    assert filter_bank(BANK, "salary") == []


def test_the_bank_search_is_checked() -> None:
    assert bank_search("  day ") == "day"
    assert bank_search(None) == ""
    for bad in ("x" * (BANK_QUERY_MAX + 1), 12, ["day"]):
        with pytest.raises(InvalidInput) as refused:
            bank_search(bad)
        assert refused.value.field == "bank_query"

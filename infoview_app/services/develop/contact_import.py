"""Importing contacts from LinkedIn's connections export (Connections.csv) and vCard files.

The flow is parse -> preview -> import. Parsing never touches the database; it turns an
uploaded file into drafts (each with the line it started on) and a list of rows it skipped or
changed, each with its reason. The preview flags duplicates; the import writes every new draft
in one transaction or nothing.

How a row's fields are cleaned, the same for both formats:
- No name, or a name over the column's limit: the row is skipped (a cut name would be a
  different person).
- An invalid or over-long email, phone or LinkedIn URL: the contact is kept without that value
  and the row is reported (``kept=True``). The person is still worth having: LinkedIn leaves
  most emails blank anyway.
- An over-long title, organization or address: cut to the limit, ending in "…", and reported
  (``kept=True``). A shortened job title is still useful.
"""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, NamedTuple, TypedDict

import vobject
from sqlmodel import Session, insert, select

from infoview_app.models import Contact, ContactSource
from infoview_app.services.core import isolation
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.transactions import transaction
from infoview_app.services.develop.contacts import (
    LIMITS,
    Duplicate,
    find_duplicates,
    linkedin_profile_url,
)
from infoview_app.services.journey.explorations import owned_exploration

MAX_FILE_BYTES = 5 * 1024 * 1024
TOO_LARGE = (f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: split it into "
             "smaller files.")
# A 4.5 MB file of 10,000 ordinary cards parses in about 6 s on a busy two-core machine, and
# holds a few dozen MB (docs/benchmarks.md, (i)): the budget leaves room for slower days.
PARSE_BUDGET = isolation.Budget(seconds=30.0, memory_bytes=128 * 1024 * 1024)
TOO_SLOW = "This file took too long to read: split it into smaller files."
TOO_COMPLEX = "This file needs too much memory to read: split it into smaller files."
MAX_ROWS = 10_000
# A LinkedIn row is a few hundred characters; one longer than this is not a connection.
MAX_ROW_CHARS = 64 * 1024
RAW_EXCERPT_MAX = 120
FILE_FIELD = "file"


@dataclass(frozen=True)
class ContactDraft:
    """A contact read from a file, not yet saved."""

    name: str
    title: str = ""
    organization: str = ""
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""
    mailing_address: str = ""


DRAFT_FIELDS = tuple(f.name for f in fields(ContactDraft))
Drafts = list[tuple[int, ContactDraft]]
_TRUNCATED_FIELDS = ("title", "organization", "mailing_address")
_LABELS = {"name": "Name", "title": "Title", "organization": "Organization", "email": "Email",
           "phone": "Phone", "linkedin_url": "LinkedIn URL",
           "mailing_address": "Mailing address"}


@dataclass(frozen=True)
class SkippedRow:
    """A row left out of the import, or (``kept=True``) imported with a value dropped or cut.
    ``raw`` is the row's text, shortened to 120 characters."""

    line: int
    reason: str
    raw: str
    kept: bool = False


class ParseResult(NamedTuple):
    drafts: Drafts
    skipped: list[SkippedRow]


@dataclass
class ImportPreview:
    drafts: Drafts
    skipped: list[SkippedRow] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def new_drafts(self) -> Drafts:
        """The drafts an import would write: every one not flagged as a duplicate."""
        duplicate_lines = {d.line for d in self.duplicates}
        return [(line, draft) for line, draft in self.drafts if line not in duplicate_lines]


# --- shared cleaning --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(value: str) -> str:
    """One line of text as a single-line field keeps it (``check.text``): bidirectional
    formatting characters dropped; control characters (PostgreSQL refuses NUL) and runs of
    whitespace become one space."""
    return " ".join(_CONTROL.sub(" ", check.without_bidi_controls(value)).split())


def _excerpt(text: str) -> str:
    """The start of a row's text, cleaned and cut to RAW_EXCERPT_MAX characters. Only as much
    of a long text is cleaned as that needs (the cleaned start of a text is the start of the
    cleaned text), so a card of a million words costs no list of a million words."""
    window = 4 * RAW_EXCERPT_MAX
    while True:
        cleaned = _clean(text[:window])
        if len(cleaned) > RAW_EXCERPT_MAX or window >= len(text):
            break
        window *= 8
    return cleaned if len(cleaned) <= RAW_EXCERPT_MAX else cleaned[:RAW_EXCERPT_MAX - 1] + "…"


def _cut(value: str, limit: int) -> str:
    return value[:limit - 1].rstrip() + "…"


def _draft_from_fields(line: int, raw: str, values: Mapping[str, str]
                       ) -> tuple[ContactDraft | None, SkippedRow | None]:
    """Apply the module's cleaning rules to one row's raw values."""
    excerpt = _excerpt(raw)
    cleaned = {name: _clean(values.get(name, "")) for name in DRAFT_FIELDS}
    if not cleaned["name"]:
        return None, SkippedRow(line, "No name.", excerpt)
    if len(cleaned["name"]) > LIMITS["name"]:
        return None, SkippedRow(line, f"Name longer than {LIMITS['name']} characters.",
                                excerpt)
    notes: list[str] = []
    for name in _TRUNCATED_FIELDS:
        if len(cleaned[name]) > LIMITS[name]:
            cleaned[name] = _cut(cleaned[name], LIMITS[name])
            notes.append(f"{_LABELS[name].lower()} shortened to {LIMITS[name]} characters")
    if cleaned["email"]:
        try:
            cleaned["email"] = check.email(cleaned["email"])
        except InvalidInput:
            notes.append(f"email left out: “{_excerpt(cleaned['email'])}” isn't a valid address")
            cleaned["email"] = ""
    try:  # the contact form's rule, so an imported contact can be edited as it is
        cleaned["phone"] = check.phone(cleaned["phone"], max_length=LIMITS["phone"])
    except InvalidInput as error:
        notes.append(f"phone left out: {error.message.lower().removesuffix('.')}")
        cleaned["phone"] = ""
    try:
        cleaned["linkedin_url"] = linkedin_profile_url(cleaned["linkedin_url"])
    except InvalidInput:
        notes.append("LinkedIn URL left out: not a linkedin.com/in/ profile address")
        cleaned["linkedin_url"] = ""
    warning = None
    if notes:
        reason = "Imported, but " + "; ".join(notes) + "."
        warning = SkippedRow(line, reason, excerpt, kept=True)
    return ContactDraft(**cleaned), warning


def _limit_rows(count: int, noun: str) -> None:
    if count > MAX_ROWS:
        raise InvalidInput(f"The file has more than {MAX_ROWS:,} {noun}: split it into "
                           "smaller files.", FILE_FIELD)


class _Collector:
    """Gathers drafts and skipped rows while a parser walks a file."""

    def __init__(self) -> None:
        self.result = ParseResult([], [])

    def skip(self, line: int, reason: str, raw: str) -> None:
        self.result.skipped.append(SkippedRow(line, reason, _excerpt(raw)))

    def add(self, line: int, raw: str, values: Mapping[str, str]) -> None:
        draft, note = _draft_from_fields(line, raw, values)
        if draft is not None:
            self.result.drafts.append((line, draft))
        if note is not None:
            self.result.skipped.append(note)


def _check_upload(data: Any) -> bytes:
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput("Choose a file to import.", FILE_FIELD)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(TOO_LARGE, FILE_FIELD)
    return bytes(data)


def _decode(data: Any) -> str:
    """The uploaded bytes as text: UTF-8 (with or without a BOM), UTF-16 with a BOM, then
    Windows-1252 (Excel's "CSV" on Windows), then Latin-1, which accepts any byte."""
    data = _check_upload(data)
    encodings = ["utf-8-sig", "cp1252", "latin-1"]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings.insert(0, "utf-16")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _physical_lines(text: str) -> Iterator[str]:
    """Lines split at \\r\\n, \\r or \\n, ends kept (the same boundaries the csv module uses),
    one at a time: a file of a million short lines is never held as a list of them."""
    return iter(io.StringIO(text, newline=""))


# --- LinkedIn Connections.csv -----------------------------------------------------------------

# LinkedIn's column -> the draft field it fills ("Connected On" is not kept).
_LINKEDIN_COLUMNS = {"first name": "first", "last name": "last", "url": "linkedin_url",
                     "email address": "email", "company": "organization",
                     "position": "title"}
_NO_HEADER = ("This doesn't look like LinkedIn's Connections.csv: no header with First Name, "
              "Last Name, URL, Email Address, Company and Position was found.")


def _header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def _find_header(lines: Iterator[str]) -> tuple[int, list[str]] | None:
    """The number of the header line and its normalised cells, reading ``lines`` up to it.
    Looked for line by line, so a "Notes:" preamble with odd quoting can't swallow it."""
    for number, line in enumerate(lines, start=1):
        if "," not in line or len(line) > MAX_ROW_CHARS:
            continue
        try:
            cells = [_header_key(c) for c in next(csv.reader([line]), [])]
        except csv.Error:
            continue
        if "first name" in cells and "last name" in cells:
            return number, cells
    return None


class _Rows:
    """The CSV rows after the header: (first line number, the row's text, its cells).

    The csv module reads exactly the lines a row needs, so the lines fed to it since the last
    row are that row's own. A row longer than MAX_ROW_CHARS is refused before the csv module
    splits it: a 5 MB line of commas would be millions of cells."""

    def __init__(self, lines: Iterator[str], first_line: int) -> None:
        self._lines = lines
        self._next_line = first_line
        self._start = first_line
        self._row: list[str] = []
        self._size = 0
        self._reader = csv.reader(self._feed())

    def _feed(self) -> Iterator[str]:
        for line in self._lines:
            self._size += len(line)
            if self._size > MAX_ROW_CHARS:
                raise InvalidInput(f"Line {self._start} can't be read as CSV (longer than "
                                   f"{MAX_ROW_CHARS:,} characters).", FILE_FIELD)
            self._row.append(line)
            self._next_line += 1
            yield line

    def __iter__(self) -> "_Rows":
        return self

    def __next__(self) -> tuple[int, str, list[str]]:
        self._start, self._row, self._size = self._next_line, [], 0
        try:
            cells = next(self._reader)
        except csv.Error as error:
            raise InvalidInput(f"Line {self._start} can't be read as CSV ({error}).",
                               FILE_FIELD) from None
        return self._start, "".join(self._row), cells


def parse_linkedin_csv(data: bytes) -> ParseResult:
    """Drafts (with the line each row starts on) and skipped rows from a Connections.csv."""
    lines = _physical_lines(_decode(data))
    found = _find_header(lines)
    if found is None:
        raise InvalidInput(_NO_HEADER, FILE_FIELD)
    header_line, header = found
    columns = {i: _LINKEDIN_COLUMNS[cell] for i, cell in enumerate(header)
               if cell in _LINKEDIN_COLUMNS}
    collector = _Collector()
    rows = 0
    for line, raw, cells in _Rows(lines, header_line + 1):
        if not any(c.strip() for c in cells):
            continue  # a blank line is not a row
        rows += 1
        _limit_rows(rows, "rows")
        if [_header_key(c) for c in cells] == header:
            collector.skip(line, "The header row again.", raw)
            continue
        values = {columns[i]: cell for i, cell in enumerate(cells) if i in columns}
        values["name"] = f"{values.pop('first', '')} {values.pop('last', '')}"
        collector.add(line, raw, values)
    return collector.result


# --- vCard ------------------------------------------------------------------------------------

_SUPPORTED_VERSIONS = ("2.1", "3.0", "4.0")
_VOBJECT_LINE = re.compile(r"^At line \d+: ")
_STRAY = "Text outside any vCard."
# The properties _card_values reads, and the card's frame: vobject is given only these.
_READ_PROPERTIES = frozenset({"BEGIN", "END", "VERSION", "FN", "N", "ORG", "TITLE", "EMAIL",
                              "TEL", "ADR", "URL", "X-SOCIALPROFILE"})
_NAME = re.compile(r"[A-Z0-9-]+")  # a property name (upper-cased, "_" read as "-")
MAX_PROPERTY_CHARS = 4096
MAX_CARD_PROPERTIES = 100
_NO_END = "This card has no END:VCARD."


def _card_blocks(text: str, collector: _Collector) -> Iterator[tuple[int, str]]:
    """(first line number, text) for each BEGIN:VCARD ... END:VCARD block, a slice of ``text``
    found in one pass over its lines. Text outside any card, and cards that never end, are
    reported as skipped."""
    offset = 0
    card: tuple[int, int] | None = None  # the open card's first line number and offset
    stray: tuple[int, int, int] | None = None  # text outside cards: line number, start, end
    for number, line in enumerate(_physical_lines(text), start=1):
        line_start, offset = offset, offset + len(line)
        # A folded continuation starts with a space, so no lstrip: it can't be a delimiter.
        marker = line.rstrip().upper()
        if marker == "BEGIN:VCARD":
            if stray is not None:
                collector.skip(stray[0], _STRAY, text[stray[1]:stray[2]])
                stray = None
            if card is not None:
                collector.skip(card[0], _NO_END, text[card[1]:line_start])
            card = (number, line_start)
        elif card is not None:
            if marker == "END:VCARD":
                yield card[0], text[card[1]:offset]
                card = None
        elif marker:
            stray = (number, line_start, offset) if stray is None else (stray[0], stray[1], offset)
    if stray is not None:
        collector.skip(stray[0], _STRAY, text[stray[1]:stray[2]])
    if card is not None:
        collector.skip(card[0], _NO_END, text[card[1]:])


class _CardTooLarge(ValueError):
    """A card with a longer property, or more properties, than any real contact has."""


def _readable_card(card: str) -> str:
    """The card as vobject is to read it: only the properties InfoView reads (and any line
    that isn't a property, for vobject to refuse), with vCard 2.1's quoted-printable soft line
    breaks (a value wrapped with a trailing "=", which vobject does not follow) undone.

    Linear: each line is looked at and written once. (Rebuilding the joined value for every
    wrapped line was quadratic: a 5 MB file of soft line breaks took minutes.) What vobject
    then reads is bounded: a photo or a note of any size is left out, and a card with a
    property over MAX_PROPERTY_CHARS or more than MAX_CARD_PROPERTIES of them raises
    _CardTooLarge. Whether a property is quoted-printable is read from its first line, before
    the first colon."""
    readable = io.StringIO()
    keep = continues = quoted_printable = False
    size = count = 0
    for line in _physical_lines(card):
        text = line.rstrip("\r\n")
        if not continues:
            if text[:1] not in (" ", "\t"):  # not a folded continuation: a new property
                head = text.partition(":")[0]
                name = head.partition(";")[0].rpartition(".")[2].upper().replace("_", "-")
                keep = name in _READ_PROPERTIES or ":" not in text or not _NAME.fullmatch(name)
                quoted_printable = "QUOTED-PRINTABLE" in head.upper()
                size = 0
                count += keep
                if count > MAX_CARD_PROPERTIES:
                    raise _CardTooLarge(f"more than {MAX_CARD_PROPERTIES} properties")
            if keep and readable.tell():
                readable.write("\r\n")
        continues = quoted_printable and text.endswith("=")
        if keep:
            size += len(text)
            if size > MAX_PROPERTY_CHARS:
                raise _CardTooLarge(f"a property longer than {MAX_PROPERTY_CHARS:,} characters")
            readable.write(text[:-1] if continues else text)
    readable.write("\r\n")
    return readable.getvalue()


def _as_text(value: Any) -> str:
    """A vobject value as one string: lists (structured parts) joined by spaces, bytes (a
    base64 value) decoded."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list | tuple):
        return " ".join(_as_text(v) for v in value)
    return "" if value is None else str(value)


def _first(card: Any, name: str) -> Any:
    lines = card.contents.get(name, [])
    return lines[0].value if lines else None


def _card_name(card: Any) -> str:
    for line in card.contents.get("fn", []):
        if _clean(_as_text(line.value)):
            return _as_text(line.value)
    n = _first(card, "n")
    if n is None or isinstance(n, str | bytes):
        return _as_text(n)
    return " ".join(_as_text(getattr(n, part, ""))
                    for part in ("prefix", "given", "additional", "family", "suffix"))


def _tel_types(line: Any) -> set[str]:
    kinds = {str(p).upper() for p in line.singletonparams}  # 2.1: TEL;CELL:...
    for value in line.params.get("TYPE", []):  # 3.0/4.0: TYPE=cell,voice or TYPE="cell,voice"
        kinds.update(part.strip(' "').upper() for part in str(value).split(","))
    return kinds


def _card_phone(card: Any) -> str:
    tels = card.contents.get("tel", [])
    for preferred in ("CELL", "WORK"):
        chosen = next((t for t in tels if preferred in _tel_types(t)), None)
        if chosen is not None:
            break
    else:
        chosen = tels[0] if tels else None
    phone = _as_text(chosen.value).strip() if chosen is not None else ""
    return phone[4:] if phone.lower().startswith("tel:") else phone  # 4.0: VALUE=uri


def _card_address(card: Any) -> str:
    adr = _first(card, "adr")
    if adr is None or isinstance(adr, str | bytes):
        return _as_text(adr)
    region_code = f"{_as_text(adr.region)} {_as_text(adr.code)}"
    parts = (adr.box, adr.extended, adr.street, adr.city, region_code, adr.country)
    return ", ".join(p for p in (_clean(_as_text(part)) for part in parts) if p)


def _card_linkedin(card: Any) -> str:
    """The first URL (or Apple's X-SOCIALPROFILE) that is a LinkedIn profile; others are a
    person's website, not an error."""
    for name in ("url", "x-socialprofile"):
        for line in card.contents.get(name, []):
            try:
                return linkedin_profile_url(_clean(_as_text(line.value)))
            except InvalidInput:
                continue
    return ""


def _card_values(card: Any) -> dict[str, str]:
    org = _first(card, "org")
    return {
        "name": _card_name(card),
        "title": _as_text(_first(card, "title")),
        "organization": _as_text(org[0] if isinstance(org, list) and org else org),
        "email": _as_text(_first(card, "email")),
        "phone": _card_phone(card),
        "linkedin_url": _card_linkedin(card),
        "mailing_address": _card_address(card),
    }


def parse_vcards(data: bytes) -> ParseResult:
    """Drafts (with the line each card begins on) and skipped cards from a .vcf file of one or
    more vCards (2.1, 3.0 or 4.0). A broken card is skipped; the others still import."""
    text = _decode(data)
    cards = sum(1 for line in _physical_lines(text) if line.rstrip().upper() == "BEGIN:VCARD")
    if not cards:
        raise InvalidInput("This doesn't look like a vCard (.vcf) file: it has no "
                           "BEGIN:VCARD line.", FILE_FIELD)
    _limit_rows(cards, "cards")
    collector = _Collector()
    for start, raw in _card_blocks(text, collector):
        try:
            card = vobject.readOne(_readable_card(raw))
            version = _clean(_as_text(_first(card, "version")))
            values = _card_values(card)
        # vobject raises many types on malformed input (ParseError, binascii.Error,
        # UnicodeError, AttributeError...): any of them means only this card is unreadable.
        except Exception as error:
            detail = _excerpt(_VOBJECT_LINE.sub("", str(error)))  # its line numbers are off
            collector.skip(start, f"This card can't be read ({detail}).", raw)
            continue
        if version and version not in _SUPPORTED_VERSIONS:
            collector.skip(start, f"vCard version {_excerpt(version)} isn't supported "
                           f"({', '.join(_SUPPORTED_VERSIONS)} are).", raw)
            continue
        collector.add(start, raw, values)
    return collector.result


# --- the formats a student can upload, and what the preview shows ---------------------------

class ImportFormat(NamedTuple):
    label: str
    parse: Callable[[bytes], ParseResult]
    source: ContactSource


IMPORT_FORMATS = {
    ".csv": ImportFormat("LinkedIn connections", parse_linkedin_csv,
                         ContactSource.LINKEDIN_ALUMNI),
    ".vcf": ImportFormat("vCard", parse_vcards, ContactSource.OTHER),
}
CHOOSE_FORMAT = "Choose LinkedIn's Connections.csv or a vCard (.vcf) file."
PREVIEW_ROWS_MAX = 200  # rows and skipped lines the preview lists; the import takes them all


def import_format(filename: Any) -> ImportFormat:
    """The format an uploaded file's name says it holds (its extension, in any case)."""
    name = filename.lower() if isinstance(filename, str) else ""
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix not in IMPORT_FORMATS:
        raise InvalidInput(CHOOSE_FORMAT, FILE_FIELD)
    return IMPORT_FORMATS[suffix]


def refusal_message(codes: Any) -> str:
    """Why the browser refused the chosen file before uploading it, from the error codes
    react-dropzone gives each refused file (its ``max_size``, ``accept`` and ``max_files``)."""
    found = {code for per_file in codes if isinstance(per_file, list)
             for code in per_file if isinstance(code, str)} if isinstance(codes, list) else set()
    if "file-too-large" in found:
        return TOO_LARGE
    if "too-many-files" in found:
        return "Choose one file."
    return CHOOSE_FORMAT


class PreviewRow(TypedDict):
    line: int
    name: str
    organization: str
    duplicate: str  # why it looks like a contact the student has, or ""


class SkippedView(TypedDict):
    line: int
    reason: str
    kept: bool  # imported with a value dropped or cut, rather than left out


def preview_rows(preview: ImportPreview) -> tuple[list[PreviewRow], list[SkippedView]]:
    """The first PREVIEW_ROWS_MAX rows (each with why it is a duplicate, or "") and skipped
    lines, as the preview lists them."""
    duplicates = {d.line: d.why for d in preview.duplicates}
    rows = [PreviewRow(line=line, name=draft.name, organization=draft.organization,
                       duplicate=duplicates.get(line, ""))
            for line, draft in preview.drafts[:PREVIEW_ROWS_MAX]]
    skipped = [SkippedView(line=s.line, reason=s.reason, kept=s.kept)
               for s in preview.skipped[:PREVIEW_ROWS_MAX]]
    return rows, skipped


async def read_upload(parse: Callable[[bytes], ParseResult], data: Any) -> ParseResult:
    """``parse(data)`` for an uploaded file, in a child process within PARSE_BUDGET
    (services/core/isolation.py): no file stalls the server or fills its memory."""
    data = _check_upload(data)
    try:
        return await isolation.run(parse, data, budget=PARSE_BUDGET)
    except isolation.OutOfTime:
        raise InvalidInput(TOO_SLOW, FILE_FIELD) from None
    except isolation.OutOfMemory:
        raise InvalidInput(TOO_COMPLEX, FILE_FIELD) from None


# --- preview and import -----------------------------------------------------------------------

def validate_draft(line: Any, draft: Any) -> ContactDraft:
    """The check every draft passes before it is written, whatever produced it (the parsers'
    output always passes; anything else arriving from the browser may not)."""
    if (isinstance(line, bool) or not isinstance(line, int)
            or not isinstance(draft, ContactDraft)):
        raise InvalidInput("Preview the file again before importing.", FILE_FIELD)
    try:
        values = {name: check.text(getattr(draft, name), name, max_length=LIMITS[name],
                                   required=name == "name", label=_LABELS[name])
                  for name in DRAFT_FIELDS}
        for name, value in values.items():
            check.plain(value, name, _LABELS[name])
        if values["email"]:
            values["email"] = check.email(values["email"])
        values["phone"] = check.phone(values["phone"], max_length=LIMITS["phone"])
        values["linkedin_url"] = linkedin_profile_url(values["linkedin_url"])
    except InvalidInput as error:
        raise InvalidInput(f"Line {line}: {error.message}", FILE_FIELD) from None
    return ContactDraft(**values)


def _validate_all(drafts: Any) -> Drafts:
    if not isinstance(drafts, Sequence) or isinstance(drafts, str | bytes):
        raise InvalidInput("Preview the file again before importing.", FILE_FIELD)
    if len(drafts) > MAX_ROWS:
        raise InvalidInput(f"At most {MAX_ROWS:,} contacts can be imported at once.",
                           FILE_FIELD)
    checked: Drafts = []
    for item in drafts:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise InvalidInput("Preview the file again before importing.", FILE_FIELD)
        checked.append((item[0], validate_draft(item[0], item[1])))
    return checked


def _preview(session: Session, owner_id: int, drafts: Any,
             skipped: Sequence[SkippedRow]) -> ImportPreview:
    checked = _validate_all(drafts)
    # One query, three columns, whatever the file's size.
    existing = session.exec(select(Contact.name, Contact.organization, Contact.email)
                            .where(Contact.owner_id == owner_id)).all()
    return ImportPreview(drafts=checked, skipped=list(skipped),
                         duplicates=find_duplicates(existing, checked))


def preview_import(session: Session, owner_id: int, exploration_id: Any, drafts: Drafts,
                   skipped: Sequence[SkippedRow] = ()) -> ImportPreview:
    """What an import would do: the validated drafts, the parser's skipped rows (passed
    through) and the duplicates. Reads only; a foreign exploration id raises NotFound."""
    owned_exploration(session, owner_id, exploration_id)
    return _preview(session, owner_id, drafts, skipped)


def _contact_rows(owner_id: int, exploration_id: int | None, source: ContactSource,
                  drafts: Drafts) -> list[dict[str, object]]:
    """Column values for one executemany INSERT: building 10,000 model objects takes seconds,
    so one template supplies the model's defaults (stage, created_at...) for every row."""
    template = Contact(owner_id=owner_id, exploration_id=exploration_id, source=source,
                       name="").model_dump(exclude={"id"})
    return [{**template, **asdict(draft)} for _, draft in drafts]


def import_contacts(session: Session, owner_id: int, exploration_id: Any, drafts: Drafts,
                    source: ContactSource) -> int:
    """Save every draft that isn't a duplicate into the exploration, all in one transaction:
    on any error nothing is saved and the error is raised. Returns how many were saved."""
    with transaction(session):
        exploration = owned_exploration(session, owner_id, exploration_id)
        kind = check.choice(source, ContactSource, "source")
        preview = _preview(session, owner_id, drafts, ())
        rows = _contact_rows(owner_id, exploration.id, kind, preview.new_drafts)
        if rows:
            session.exec(insert(Contact), params=rows)
    return len(rows)

"""The one validation vocabulary, for forms, importers and services alike: free text with a
limit (``text`` trimmed, ``free_text`` as typed), ``whole_number`` in a range, ``iso_date``,
``email``, ``web_url``, ``phone``, and what text may hold (``storable``, ``plain``). Each
returns the clean value or raises InvalidInput naming the field, so nothing reaches the
database unchecked."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from infoview_app.services.core.errors import InvalidInput

NAME_MAX = 120
EMAIL_MAX = 254
PHONE_MAX = 40  # every phone column's length
PASSWORD_MIN = 10
PASSWORD_MAX = 128
GRADUATION_YEAR_RANGE = (1950, 2100)
EMAIL_REFUSED = "Enter a valid email address, such as name@example.edu."

E = TypeVar("E", bound=StrEnum)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates
# Control characters (C0, DEL, C1) and lone surrogates: what plain text may not hold.
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PHONE = re.compile(r"^[0-9+()\-. /x#*]*$", re.IGNORECASE)
# Bidirectional formatting characters (embeddings, overrides, isolates and the invisible
# marks): in a name they can make "Invoice\u202egnp.exe" display as "Invoiceexe.png".
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _label(field: str, label: str | None) -> str:
    return label or field.replace("_", " ").capitalize()


def storable(value: str, field: str, label: str = "This text") -> str:
    """``value`` if the database can hold it. PostgreSQL refuses NUL characters and no
    driver encodes lone surrogates (JSON from a browser may carry either): refused here as
    InvalidInput rather than failing at commit."""
    if _UNSTORABLE.search(value):
        raise InvalidInput(f"{label} contains characters that can't be saved.", field)
    return value


def plain(value: str, field: str, label: str = "This text", *,
          line_breaks: bool = False) -> str:
    """``value`` if it is storable and holds no control characters (line breaks allowed
    with ``line_breaks``): what imported fields and calendar text may hold."""
    if any(char != "\n" or not line_breaks for char in _NOT_PLAIN.findall(value)):
        raise InvalidInput(f"{label} contains characters that can't be saved.", field)
    return value


def without_bidi_controls(value: str) -> str:
    """``value`` without bidirectional formatting characters, which could make a name read
    as something else (single-line fields drop them, from forms and imports alike)."""
    return _BIDI_CONTROLS.sub("", value)


def text(value: Any, field: str, *, max_length: int, required: bool = True,
         label: str | None = None, none_is_empty: bool = True) -> str:
    """A trimmed string of at most ``max_length`` characters, without bidirectional
    formatting characters (names and single-line fields). A missing form field (None)
    counts as empty unless ``none_is_empty`` is False (fields the page always sends)."""
    label = _label(field, label)
    if value is None and none_is_empty:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{label} must be text.", field)
    value = without_bidi_controls(value).strip()
    if required and not value:
        raise InvalidInput(f"{label} is required.", field)
    return _within(value, field, label, max_length)


def free_text(value: Any, field: str, *, max_length: int, label: str | None = None) -> str:
    """Text kept exactly as typed (notes: autosave stores a field mid-sentence, so it is
    never trimmed), of at most ``max_length`` characters."""
    label = _label(field, label)
    if not isinstance(value, str):
        raise InvalidInput(f"{label} must be text.", field)
    return _within(value, field, label, max_length)


def _within(value: str, field: str, label: str, max_length: int) -> str:
    if len(value) > max_length:
        # The count, so that a long paste is refused with what to cut, never cut silently.
        raise InvalidInput(f"{label}: {max_length:,} characters at most; this is "
                           f"{len(value):,}.", field)
    return storable(value, field, label)


def email(value: Any, field: str = "email", *, required: bool = True) -> str:
    """A syntactically valid address, normalised by email-validator (domain lower-cased);
    "" for an empty value unless ``required``."""
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return ""
    raw = text(value, field, max_length=EMAIL_MAX, label="Email")
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        # Ours, not the library's wording ("The part after the @-sign is not valid. It
        # should have a period."), which speaks of parts a student never thinks about.
        raise InvalidInput(EMAIL_REFUSED, field) from None


def email_key(address: str) -> str:
    """What makes two addresses one account (User.email_key): NFKC and Unicode case folding,
    the same on SQLite and PostgreSQL. SQL's lower() folds only ASCII on SQLite, so
    "Ådne@uni.no" could register and never sign in."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", address.strip())
                                 .casefold())


def new_password(value: Any, field: str = "password") -> str:
    if not isinstance(value, str):
        raise InvalidInput("Password must be text.", field)
    if len(value) < PASSWORD_MIN:
        raise InvalidInput(f"Use at least {PASSWORD_MIN} characters.", field)
    if len(value) > PASSWORD_MAX:
        raise InvalidInput(f"Use at most {PASSWORD_MAX} characters.", field)
    if not value.strip():
        raise InvalidInput("A password can't be only spaces.", field)
    return value


def password_attempt(value: Any, field: str = "password") -> str:
    """A password typed to sign in or confirm: only shape-checked, never trimmed."""
    if not isinstance(value, str) or not value:
        raise InvalidInput("Enter your password.", field)
    if len(value) > PASSWORD_MAX:
        raise InvalidInput("That password is too long.", field)
    return value


def optional_year(value: Any, field: str = "graduation_year") -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidInput("Enter a year such as 2027.", field)
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InvalidInput("Enter a year such as 2027.", field) from None
    low, high = GRADUATION_YEAR_RANGE
    if not low <= year <= high:
        raise InvalidInput(f"Enter a year between {low} and {high}.", field)
    return year


def flag(value: Any, field: str) -> bool:
    """A checkbox: real booleans, or the strings a form sends for one."""
    if isinstance(value, bool):
        return value
    if value in (None, "", "off", "false"):
        return False
    if value in ("on", "true"):
        return True
    raise InvalidInput("Choose yes or no.", field)


def choice(value: Any, enum: type[E], field: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput("Choose one of the listed options.", field) from None


def whole_number(value: Any, field: str, *, low: int, high: int,
                 message: str | None = None, text: bool = True) -> int:
    """An integer from ``low`` to ``high``, as an int or (unless ``text`` is False) the text
    of a form field; ``message`` says what to enter instead when it is not."""
    message = message or f"Enter a whole number from {low} to {high}."
    if isinstance(value, str) and text:
        digits = value.strip()
        if not (digits.isascii() and digits.isdigit() and len(digits) <= len(str(high))):
            raise InvalidInput(message, field)
        value = int(digits)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(message, field)
    return value


def web_url(value: Any, field: str, *, max_length: int, label: str = "Web address") -> str:
    """An absolute http:// or https:// address with a host (no javascript:, data: or
    relative links: these addresses become links other users follow)."""
    raw = text(value, field, max_length=max_length, label=label)
    try:
        parts = urlsplit(raw)
        scheme, host = parts.scheme.lower(), parts.hostname
    except ValueError:  # e.g. an unclosed [IPv6 bracket or a bad port
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or any(ch.isspace() for ch in raw):
        raise InvalidInput("Enter a full web address starting with https:// or http://.",
                           field)
    return raw


def iso_date(value: Any, field: str, label: str = "date") -> date:
    """A calendar date: a ``date`` or its ISO form as a date input sends it ("2026-03-10").
    ``label`` names it within a sentence ("start date")."""
    if isinstance(value, datetime):  # a datetime is a date too, but says more than a day
        raise InvalidInput(f"Enter the {label} as a day, without a time.", field)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value.strip()) <= 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput(f"Enter the {label} as a real date, like 2026-03-10.", field)


def phone(value: Any, field: str = "phone", *, max_length: int = PHONE_MAX,
          label: str = "Phone") -> str:
    """A phone number as people write one (digits, spaces, + ( ) - . / x # *), or ""."""
    number = text(value, field, max_length=max_length, required=False, label=label)
    if not _PHONE.match(number) or (number and not any(ch.isdigit() for ch in number)):
        raise InvalidInput("Enter a phone number with digits, spaces, + ( ) - or x.", field)
    return number


MAX_RECORD_ID = 2**63 - 1  # the largest integer key SQLite and PostgreSQL (bigint) store


def record_id(value: Any, field: str = "id") -> int:
    """A positive integer id, as sent by the browser (int or its ASCII decimal string)."""
    if isinstance(value, str):
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= len(str(MAX_RECORD_ID)):
            value = int(digits)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_RECORD_ID:
        raise InvalidInput("Unknown record.", field)
    return value


Fields = TypeVar("Fields")


def form(shape: Callable[..., Fields], **checks: Callable[[], object]) -> Fields:
    """Run one validator per field and report every failing field at once; the clean values
    come back as ``shape`` (a TypedDict or a dataclass naming each field's type)."""
    keys = getattr(shape, "__required_keys__", None)  # a TypedDict's fields
    if keys is not None and keys | getattr(shape, "__optional_keys__", set()) != checks.keys():
        raise TypeError(f"checks for {sorted(checks)} do not match {shape!r}")
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except InvalidInput as error:
            errors[error.field or name] = error.message
    if errors:
        field, message = next(iter(errors.items()))
        raise InvalidInput(message, field, errors)
    return shape(**values)

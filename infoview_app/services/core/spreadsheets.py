"""CSV cells a spreadsheet opens safely: every CSV download (a student's contacts, the staff
dashboard's tables, the audit log) writes its cells through ``csv_cell``."""

from typing import Any

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection");
# tab and carriage return are on OWASP's list too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value made safe for a spreadsheet: text that would start a formula gets a leading
    single quote, which spreadsheets show as text ("'=1+1")."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text

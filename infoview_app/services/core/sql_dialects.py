"""SQL expressions that SQLite and PostgreSQL spell differently, written once here so the
services' queries read the same on both and give the same answers."""

import sys
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

# Exactly the characters Python's str.strip() removes, so "blank" means the same in SQL.
WHITESPACE = "".join(char for char in map(chr, range(sys.maxunicode + 1)) if char.isspace())
LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern, its wildcards and the escape character taken literally."""
    return (text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%")
            .replace("_", LIKE_ESCAPE + "_"))


class _Stripped(FunctionElement[str]):
    """The text without leading or trailing whitespace (as str.strip())."""

    type = sa.String()
    inherit_cache = True
    name = "stripped"


@compiles(_Stripped)
def _stripped_sqlite(element: _Stripped, compiler: SQLCompiler, **kw: Any) -> str:
    (text,) = element.clauses
    return (f"trim({compiler.process(text, **kw)}, "
            f"{compiler.process(sa.literal(WHITESPACE), **kw)})")


@compiles(_Stripped, "postgresql")
def _stripped_postgresql(element: _Stripped, compiler: SQLCompiler, **kw: Any) -> str:
    (text,) = element.clauses
    return (f"btrim({compiler.process(text, **kw)}, "
            f"{compiler.process(sa.literal(WHITESPACE), **kw)})")


def has_text(text: Any) -> Any:
    """True where the text holds more than whitespace (Python: ``bool(text.strip())``)."""
    return sa.func.length(_Stripped(text)) > 0


class _DayNumber(FunctionElement[int]):
    """Whole days since 1970-01-01 of a DATE, or of a timestamp's UTC calendar date."""

    type = sa.Integer()
    inherit_cache = True
    name = "day_number"

    def __init__(self, value: Any, *, timestamp: bool) -> None:
        self.timestamp = timestamp
        super().__init__(value)


@compiles(_DayNumber)
def _day_number_sqlite(element: _DayNumber, compiler: SQLCompiler, **kw: Any) -> str:
    # Dates are stored as 'YYYY-MM-DD' and timestamps in UTC as 'YYYY-MM-DD HH:MM:SS.ffffff';
    # the Julian day of 1970-01-01 00:00 is 2440587.5, and CAST truncates (days >= 0).
    (value,) = element.clauses
    return f"CAST(julianday({compiler.process(value, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(_DayNumber, "postgresql")
def _day_number_postgresql(element: _DayNumber, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = element.clauses
    sql = compiler.process(value, **kw)
    if element.timestamp:  # timestamptz: its calendar date in UTC, whatever the session's zone
        sql = f"CAST(timezone('UTC', {sql}) AS DATE)"
    return f"({sql} - DATE '1970-01-01')"


def day_number(value: Any, *, timestamp: bool) -> Any:
    """Days since 1970-01-01 (an integer): differences of two are whole days between dates.
    ``timestamp`` says the value is a timezone-aware timestamp (counted by its UTC date)."""
    return _DayNumber(value, timestamp=timestamp)



class _MinutesBetween(FunctionElement[float]):
    """Minutes from one timezone-aware timestamp to another (negative when it is earlier)."""

    type = sa.Float()
    inherit_cache = True
    name = "minutes_between"


@compiles(_MinutesBetween)
def _minutes_between_sqlite(element: _MinutesBetween, compiler: SQLCompiler, **kw: Any) -> str:
    earlier, later = (compiler.process(value, **kw) for value in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 1440.0)"


@compiles(_MinutesBetween, "postgresql")
def _minutes_between_postgresql(element: _MinutesBetween, compiler: SQLCompiler,
                                **kw: Any) -> str:
    earlier, later = (compiler.process(value, **kw) for value in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 60.0)"


def minutes_between(earlier: Any, later: Any) -> Any:
    """Minutes from ``earlier`` to ``later``, two timezone-aware timestamps, as a number."""
    return _MinutesBetween(earlier, later)


class _Unindexed(FunctionElement[Any]):
    """A column the query planner must not reach through its index."""

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(_Unindexed)
def _unindexed_sqlite(element: _Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's documented idiom: a unary + keeps a term from driving the query by its index.
    (column,) = element.clauses
    return f"+{compiler.process(column, **kw)}"


@compiles(_Unindexed, "postgresql")
def _unindexed_postgresql(element: _Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = element.clauses  # PostgreSQL plans from its statistics: nothing to steer
    return compiler.process(column, **kw)


def unindexed(column: Any) -> Any:
    """``column``, but SQLite won't use its index for the condition it is part of. SQLite has
    no statistics unless ANALYZE ran, and then prefers any equality or IN on an indexed
    column (a student list, a status) to a date range, which is the selective condition of
    the dashboard's queries."""
    return _Unindexed(column)

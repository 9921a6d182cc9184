"""Reading and writing tables as CSV and XLSX (openpyxl). No Django here.

A table is a header row and data rows of strings; cells are converted by the caller, so the
same rules apply whichever format a file came in. Text that a spreadsheet would run as a formula
("=HYPERLINK(...)", "+cmd", "@SUM") is written with a leading apostrophe, which spreadsheets show
as plain text; reading takes the apostrophe off again, so an export imports back unchanged.
"""

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

MAX_ROWS = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """Text that cannot start a formula in Excel, LibreOffice or Google Sheets."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class TableError(ValueError):
    """The file cannot be read as a table; the message says why."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        return text[1:]  # written by `inert`
    return text


def _table(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise TableError("The file is empty: it needs a header row and at least one risk.")
    header, data = rows[0], rows[1:]
    if not any(header):
        raise TableError("The first row must name the columns.")
    if len(data) > MAX_ROWS:
        raise TableError(f"At most {MAX_ROWS} rows at a time; this file has {len(data)}.")
    width = len(header)
    return [h.strip() for h in header], [(row + [""] * width)[:width] for row in data]


def read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError("The CSV file must be UTF-8 text.") from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise TableError(f"The CSV file cannot be read: {error}.") from error
    return _table(rows)


def read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableError("The file is not a readable Excel (.xlsx) workbook.") from error
    sheet = book.worksheets[0]
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index > MAX_ROWS + 1:
            raise TableError(f"At most {MAX_ROWS} rows at a time.")
        rows.append([_cell(c) for c in row])
    book.close()
    return _table(rows)


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(content)
    if lowered.endswith((".csv", ".txt")):
        return read_csv(content)
    raise TableError("Upload a .csv or an .xlsx file.")


Cell = str | int | Decimal | date | None


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if c is None else inert(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def write_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([inert(c) for c in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

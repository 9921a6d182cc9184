"""Reading and writing tables as CSV and XLSX (openpyxl). No Django here.

A table is a header row and data rows of strings; cells are converted by the caller, so the
same rules apply whichever format a file came in. Text that a spreadsheet would run as a formula
("=HYPERLINK(...)", "+cmd", " @SUM", ";=1+1") is written with a leading apostrophe by the one
guard (tpm/spreadsheets.py); reading takes it off again, so an export imports back unchanged.

An upload is read within limits, checked as it is read (a file that breaks one stops there):
its size, the size its XLSX parts unpack to (a few hundred kilobytes of zip can unpack to
gigabytes of repeated text, which openpyxl loads whole), the rows, the columns, each cell's
length and the text of all cells together (the table waits in the session for the preview).
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from tpm.spreadsheets import CSV_QUOTING, inert, restore

MAX_ROWS = 2000
MAX_COLUMNS = 100
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 10_000
MAX_TOTAL_CHARS = 1_000_000


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
    return restore(str(value).strip()).strip()  # `inert` may have added an apostrophe


def _limited(name: str, rows: Iterable[Iterable[object]]) -> list[list[str]]:
    """The rows as cells of text, stopping at the first row that breaks a limit."""
    table: list[list[str]] = []
    total = 0
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise TableError(f"{name}: at most {MAX_ROWS} rows at a time (row {number}).")
        cells = []
        for column, value in enumerate(row, start=1):
            if column > MAX_COLUMNS:
                if value not in (None, ""):
                    raise TableError(
                        f"{name}, row {number}: at most {MAX_COLUMNS} columns; "
                        f"column {column} has a value."
                    )
                continue
            text = _cell(value)
            if len(text) > MAX_CELL_CHARS:
                raise TableError(
                    f"{name}, row {number}, column {column}: {len(text):,} characters; "
                    f"a cell may hold at most {MAX_CELL_CHARS:,}."
                )
            total += len(text)
            cells.append(text)
        if total > MAX_TOTAL_CHARS:
            raise TableError(
                f"{name}, row {number}: the file holds more than {MAX_TOTAL_CHARS:,} characters "
                "of text; split it into smaller files."
            )
        table.append(cells)
    return table


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


def read_csv(content: bytes, name: str = "The file") -> tuple[list[str], list[list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError("The CSV file must be UTF-8 text.") from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = _limited(name, csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise TableError(f"The CSV file cannot be read: {error}.") from error
    return _table(rows)


def _check_unpacked_size(content: bytes, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_BYTES, before openpyxl
    inflates them (it reads every shared string into memory when it opens the file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: openpyxl says the file is unreadable
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableError(
            f"{name} unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} "
            "(about 2,000 rows of ordinary text). Split it into smaller files."
        )


def read_xlsx(content: bytes, name: str = "The file") -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    _check_unpacked_size(content, name)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableError("The file is not a readable Excel (.xlsx) workbook.") from error
    try:
        sheet = book.worksheets[0]
        # read-only mode streams the rows: _limited stops at the first one over a limit
        rows = _limited(name, sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
    except TableError:
        raise
    except Exception as error:  # the sheet is parsed only now: a damaged one fails here
        raise TableError(f"{name}: the first sheet is damaged and cannot be read.") from error
    finally:
        book.close()
    return _table(rows)


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    lowered = name.lower()
    if not lowered.endswith((".xlsx", ".csv", ".txt")):
        raise TableError("Upload a .csv or an .xlsx file.")
    if len(content) > MAX_FILE_BYTES:
        raise TableError(f"{name} is {len(content):,} bytes; at most {MAX_FILE_BYTES:,} at a time.")
    if lowered.endswith(".xlsx"):
        return read_xlsx(content, name)
    return read_csv(content, name)


Cell = str | int | Decimal | date | None


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=CSV_QUOTING)
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

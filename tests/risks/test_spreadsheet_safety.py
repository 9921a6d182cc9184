"""Spreadsheet safety (issue 22): no export writes a cell a spreadsheet would run as a formula,
and an import is read within limits (size, unpacked size, rows, cell length, total text)."""

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from resources.models import BudgetLine, TimeEntry
from risks import tabular
from tests.conftest import client_for
from tests.factories import RiskFactory, TaskFactory
from tpm.spreadsheets import inert, restore

DANGEROUS = [
    "=1+1",
    ";=1+1",
    " =1",
    "\t=1",
    ",=cmd|' /C calc'!A0",
    "+1",
    " -1+2",
    "@SUM(A1)",
    "\r=1",
]
SAFE = ["Plain name", "a;b", "50% done", "'quoted"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_is_made_inert_and_comes_back_unchanged(value):
    assert inert(value) == "'" + value
    assert restore(inert(value)) == value


@pytest.mark.parametrize("value", SAFE)
def test_ordinary_text_is_left_alone(value):
    assert inert(value) == value
    assert restore(value) == value


def _csv_cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    # every cell is quoted, so a semicolon inside a value never starts a new cell
    assert text.startswith('"')
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


def _assert_inert(cells: list[str], value: str) -> None:
    assert "'" + value in cells, (value, cells)
    assert value not in cells


@pytest.fixture
def payload():
    return ";=1+1"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tasks_export(world, payload, fmt):
    TaskFactory(project=world.project, name=payload)
    response = client_for(world.manager).get(
        reverse(f"export-tasks-{fmt}", args=[world.project.pk])
    )
    cells = _csv_cells(response) if fmt == "csv" else _xlsx_cells(response)
    _assert_inert(cells, payload)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_budget_lines_export(world, payload, fmt):
    BudgetLine.objects.create(
        project=world.project, category="labour", name=payload, amount=Decimal(10), currency="EUR"
    )
    url = reverse("export-budget-lines", args=[world.project.pk, fmt])
    response = client_for(world.manager).get(url)
    assert response.status_code == 200
    cells = _csv_cells(response) if fmt == "csv" else _xlsx_cells(response)
    _assert_inert(cells, payload)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_time_entries_export(world, payload, fmt):
    task = TaskFactory(project=world.project, name="Build")
    TimeEntry.objects.create(
        task=task, user=world.member, date=date(2026, 3, 2), hours=Decimal(2), note=payload
    )
    url = reverse("export-time-entries", args=[world.project.pk, fmt])
    response = client_for(world.manager).get(url)
    assert response.status_code == 200
    cells = _csv_cells(response) if fmt == "csv" else _xlsx_cells(response)
    _assert_inert(cells, payload)


@pytest.mark.parametrize("route", ["risk-export", "export-risks"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_risk_exports(world, payload, fmt, route):
    RiskFactory(project=world.project, title=payload)
    response = client_for(world.manager).get(reverse(route, args=[world.project.pk, fmt]))
    assert response.status_code == 200
    cells = _csv_cells(response) if fmt == "csv" else _xlsx_cells(response)
    _assert_inert(cells, payload)


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(rows: int, size: int) -> bytes:
    """An XLSX of `rows` strings of `size` characters (beyond what openpyxl itself writes),
    as a crafted file holds them: tiny zipped, huge unpacked."""
    plain = _xlsx([["Title"]] + [[f"PLACEHOLDER{n}."] for n in range(rows)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            data = re.sub(rb"PLACEHOLDER(\d+)\.", lambda m: m.group(1) + b"x" * size, data)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_small_xlsx_of_huge_strings_is_refused_before_it_is_unpacked():
    # given 0.2 MB of zip holding 200 rows of 1 MB strings
    content = _bomb(200, 1_000_000)
    assert len(content) < 1_000_000
    # then reading it refuses, naming the file, without building the strings
    with pytest.raises(tabular.TableError, match=r"big\.xlsx unpacks to .* bytes; at most"):
        tabular.read_table("big.xlsx", content)


def test_a_cell_over_the_limit_is_refused_naming_the_row_and_column():
    content = _xlsx([["Title", "Description"], ["ok", "fine"], ["ok", "x" * 20_000]])
    with pytest.raises(tabular.TableError, match=r"risks\.xlsx, row 3, column 2: 20,000 charac"):
        tabular.read_table("risks.xlsx", content)


def test_too_much_text_in_total_is_refused_at_the_row_that_passes_it(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_TOTAL_CHARS", 25_000)
    rows = [["Title"]] + [["y" * 9_000] for _ in range(5)]
    with pytest.raises(tabular.TableError, match=r"risks\.csv, row 4: the file holds more than"):
        tabular.read_table("risks.csv", "\n".join(r[0] for r in rows).encode())


def test_rows_beyond_the_cap_stop_the_reading():
    content = _xlsx([["Title"]] + [[f"Risk {n}"] for n in range(tabular.MAX_ROWS + 5)])
    with pytest.raises(tabular.TableError, match=r"at most 2000 rows at a time \(row 2002\)"):
        tabular.read_table("risks.xlsx", content)


def test_an_oversized_upload_is_a_form_error_on_the_file(world):
    # given an unzipped size bomb uploaded on the import page
    content = _bomb(30, 1_000_000)
    response = client_for(world.manager).post(
        reverse("risk-import", args=[world.project.pk]),
        {"step": "upload", "file": SimpleUploadedFile("bomb.xlsx", content)},
    )
    # then the page says what is wrong with the file
    assert response.status_code == 422
    assert "bomb.xlsx unpacks to" in response.context["form"].errors["file"][0]


def test_the_api_import_answers_400_naming_the_file(world):
    from rest_framework.test import APIClient

    content = _bomb(30, 1_000_000)
    client = APIClient()
    client.force_authenticate(world.manager)
    response = client.post(
        "/api/v1/risks/import/",
        {"project": world.project.pk, "file": SimpleUploadedFile("bomb.xlsx", content)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "bomb.xlsx unpacks to" in str(response.json())


def test_the_unpacked_check_leaves_a_broken_zip_to_the_reader():
    with pytest.raises(tabular.TableError, match="not a readable Excel"):
        tabular.read_table("broken.xlsx", b"PK\x03\x04 not really a zip")
    assert zipfile.is_zipfile(io.BytesIO(_xlsx([["Title"], ["x"]])))

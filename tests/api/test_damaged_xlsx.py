"""A workbook whose sheet is damaged (the zip opens, the sheet's XML does not) is refused naming
the file, on the risk import page (422) and through the API (400), not a 500 (issue 22).

openpyxl opens the workbook lazily: a damaged sheet only fails while its rows are read."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from risks import tabular
from risks.models import Risk
from tests.conftest import client_for

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(sheet_xml: bytes | None) -> bytes:
    """A real workbook with its first sheet replaced by `sheet_xml` (None: left out)."""
    good = tabular.write_xlsx(["Title", "Probability"], [["Server outage", 3]], title="Risks")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename == SHEET:
                if sheet_xml is not None:
                    target.writestr(item, sheet_xml)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


_MAIN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
# Damage the reader only meets while it streams the rows (a sheet unreadable from its first
# bytes is refused when the workbook opens: "not a readable Excel workbook").
DAMAGED = {
    "a number cell holding text": (
        _MAIN + b'<sheetData><row r="1"><c r="A1" t="n"><v>not a number</v></c></row>'
        b"</sheetData></worksheet>"
    ),
    "a shared string that is not there": (
        _MAIN + b'<sheetData><row r="1"><c r="A1" t="s"><v>999</v></c></row></sheetData>'
        b"</worksheet>"
    ),
    "a date cell holding text": (
        _MAIN + b'<sheetData><row r="1"><c r="A1" t="d"><v>someday</v></c></row></sheetData>'
        b"</worksheet>"
    ),
}


def test_an_intact_workbook_still_reads():
    header, rows = tabular.read_table("risks.xlsx", _workbook(_sheet_of_the_real_one()))
    assert header[:2] == ["Title", "Probability"]
    assert rows[0][0] == "Server outage"


def _sheet_of_the_real_one() -> bytes:
    good = tabular.write_xlsx(["Title", "Probability"], [["Server outage", 3]], title="Risks")
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        return source.read(SHEET)


@pytest.mark.parametrize("damage", sorted(DAMAGED))
def test_a_damaged_sheet_is_a_table_error_naming_the_file(damage):
    with pytest.raises(tabular.TableError, match=r"^risks\.xlsx: the first sheet is damaged"):
        tabular.read_table("risks.xlsx", _workbook(DAMAGED[damage]))


def test_a_workbook_without_its_sheet_is_a_table_error():
    with pytest.raises(tabular.TableError):
        tabular.read_table("risks.xlsx", _workbook(None))


def test_the_import_page_shows_it_on_the_file_field(world):
    response = client_for(world.manager).post(
        reverse("risk-import", args=[world.project.pk]),
        {
            "step": "upload",
            "file": SimpleUploadedFile(
                "risks.xlsx", _workbook(DAMAGED["a number cell holding text"])
            ),
        },
    )
    assert response.status_code == 422
    assert "the first sheet is damaged" in response.context["form"].errors["file"][0]
    assert not Risk.objects.filter(title="Server outage").exists()


def test_the_api_import_answers_400_on_file(world):
    client = APIClient()
    client.force_authenticate(world.manager)
    response = client.post(
        "/api/v1/risks/import/",
        {
            "project": world.project.pk,
            "file": SimpleUploadedFile(
                "risks.xlsx", _workbook(DAMAGED["a shared string that is not there"])
            ),
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "the first sheet is damaged" in response.json()["errors"]["file"][0]
    assert not Risk.objects.filter(title="Server outage").exists()

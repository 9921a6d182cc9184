"""Import and export of the register: CSV and XLSX, mapping, preview, nothing half-saved."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from risks.models import Risk
from tests.conftest import client_for

from .helpers import raise_risk

pytestmark = pytest.mark.django_db

GOOD = (
    "Title,Probability,Schedule impact,Category,Owner email,Cost impact\n"
    "Vendor late,3,4,Vendor,member@acme.test,1000\n"
    "Key person leaves,2,3,Resource,,\n"
)
BAD = (
    "Title,Probability,Schedule impact,Category,Owner email\n"
    "Fine one,3,4,Vendor,\n"
    "Too likely,7,4,Vendor,\n"
    ",2,2,Nonsense,outsider@globex.test\n"
)


def _upload(client, world, name, content):
    return client.post(
        reverse("risk-import", args=[world.project.pk]),
        {"step": "upload", "file": SimpleUploadedFile(name, content)},
    )


def test_csv_export_lists_every_risk_with_its_figures(world):
    raise_risk(world)
    response = client_for(world.viewer).get(reverse("risk-export", args=[world.project.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header, row = list(csv.reader(io.StringIO(text)))[:2]  # every cell quoted (issue 22)
    assert header[:4] == ["Ref", "Title", "Kind", "Category"]
    assert row[:4] == ["R-1", "Vendor API late", "threat", "Other"]
    assert ",12,high," in ",".join(row)


def test_xlsx_export_opens_in_a_spreadsheet(world):
    raise_risk(world)
    response = client_for(world.viewer).get(reverse("risk-export", args=[world.project.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Ref" and sheet["B2"].value == "Vendor API late"


def test_exported_text_cannot_run_as_a_formula_and_reads_back_unchanged(world):
    # given a risk whose title a spreadsheet would take for a formula
    raise_risk(world, title='=HYPERLINK("http://evil.test","Click")')
    client = client_for(world.viewer)
    # when the register is exported as CSV and as XLSX
    csv_text = client.get(reverse("risk-export", args=[world.project.pk, "csv"])).content
    xlsx = client.get(reverse("risk-export", args=[world.project.pk, "xlsx"])).content
    # then both files hold it as text (a leading apostrophe), never as a formula
    assert "'=HYPERLINK" in csv_text.decode("utf-8-sig")
    cell = load_workbook(io.BytesIO(xlsx)).active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    # and importing the CSV back gives the title as it was
    from risks.tabular import read_csv

    _header, rows = read_csv(csv_text)
    assert rows[0][1] == '=HYPERLINK("http://evil.test","Click")'


def test_an_import_previews_then_saves_on_confirmation(world):
    client = client_for(world.manager)
    preview = _upload(client, world, "risks.csv", GOOD.encode())
    assert preview.status_code == 200
    assert "All 2 rows can be imported" in preview.content.decode()
    assert not Risk.objects.exists()  # nothing saved by the preview
    mapping = {
        f"map_{k}": v
        for k, v in {
            "title": 0,
            "probability": 1,
            "impact_schedule": 2,
            "category": 3,
            "owner": 4,
            "cost_impact": 5,
        }.items()
    }
    confirmed = client.post(
        reverse("risk-import", args=[world.project.pk]), {"step": "confirm", **mapping}
    )
    assert confirmed.status_code == 302
    assert list(Risk.objects.order_by("number").values_list("title", "score")) == [
        ("Vendor late", 12),
        ("Key person leaves", 6),
    ]
    assert Risk.objects.get(number=1).owner == world.member


def test_bad_rows_are_reported_per_row_and_nothing_is_saved(world):
    client = client_for(world.manager)
    response = _upload(client, world, "risks.csv", BAD.encode())
    page = response.content.decode()
    assert response.status_code == 422
    assert "2 rows cannot be imported" in page
    assert "Probability must be a whole number from 1 to 5." in page
    assert "No category “Nonsense”" in page and "Title is required." in page
    assert "outsider@globex.test has no role in this project" in page
    mapping = {"map_title": 0, "map_probability": 1, "map_impact_schedule": 2, "map_category": 3}
    confirm = client.post(
        reverse("risk-import", args=[world.project.pk]), {"step": "confirm", **mapping}
    )
    assert confirm.status_code == 422
    assert not Risk.objects.exists()


def test_an_xlsx_file_with_other_column_names_is_mapped(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Risk name", "Likelihood", "Delay impact"])
    sheet.append(["Cloud quota", 2, 5])
    out = io.BytesIO()
    book.save(out)
    client = client_for(world.member)
    first = _upload(client, world, "register.xlsx", out.getvalue())
    assert "Title is required." in first.content.decode()
    mapping = {"map_title": 0, "map_probability": 1, "map_impact_schedule": 2}
    preview = client.post(
        reverse("risk-import", args=[world.project.pk]), {"step": "preview", **mapping}
    )
    assert preview.status_code == 200 and "All 1 rows can be imported" in preview.content.decode()
    client.post(reverse("risk-import", args=[world.project.pk]), {"step": "confirm", **mapping})
    assert Risk.objects.get().score == 10


def test_a_file_that_is_not_a_table_is_a_form_error(world):
    response = _upload(client_for(world.member), world, "notes.pdf", b"%PDF-1.4")
    assert (
        response.status_code == 422
        and "Upload a .csv or an .xlsx file." in response.content.decode()
    )
    response = _upload(client_for(world.member), world, "broken.xlsx", b"not a zip")
    assert "not a readable Excel" in response.content.decode()


def test_the_api_import_dry_run_and_real_run(world):
    client = client_for(world.manager)
    url = reverse("api:risk-import")
    dry = client.post(
        url, {"project": world.project.pk, "file": SimpleUploadedFile("r.csv", GOOD.encode())}
    )
    assert dry.status_code == 200 and not Risk.objects.exists()
    bad = client.post(
        url,
        {
            "project": world.project.pk,
            "dry_run": "false",
            "file": SimpleUploadedFile("r.csv", BAD.encode()),
        },
    )
    assert bad.status_code == 400 and not Risk.objects.exists()
    assert bad.json()["rows"][1]["errors"]
    real = client.post(
        url,
        {
            "project": world.project.pk,
            "dry_run": "false",
            "file": SimpleUploadedFile("r.csv", GOOD.encode()),
        },
    )
    assert real.status_code == 201 and Risk.objects.count() == 2


def test_the_api_import_takes_a_column_mapping(world):
    client = client_for(world.member)
    url = reverse("api:risk-import")
    content = b"Risk name,Likelihood,Delay\nCloud quota,2,5\n"
    body = {
        "project": world.project.pk,
        "dry_run": "false",
        "mapping": json.dumps(
            {"title": "Risk name", "probability": "Likelihood", "impact_schedule": "Delay"}
        ),
        "file": SimpleUploadedFile("r.csv", content),
    }
    response = client.post(url, body)
    assert response.status_code == 201, response.json()
    assert Risk.objects.get().score == 10
    body["mapping"] = '{"colour": "Risk name", "title": "Nope"}'
    body["file"] = SimpleUploadedFile("r.csv", content)
    bad = client.post(url, body)
    assert bad.status_code == 400
    assert len(bad.json()["errors"]["mapping"]) == 2

"""Expenses: vendor invoices with their file, committed or paid, in the project's currency."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.budgets import services as budget_services
from resources.models import Expense
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.resources.factories import BudgetLineFactory
from tpm.models import HistoryEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 invoice"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def _invoice(name: str = "inv-42.pdf", content: bytes = PDF, kind: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=kind)


def _expense(world, **fields) -> Expense:
    values: dict[str, Any] = {
        "vendor": "Rigs Ltd",
        "amount": Decimal("2400"),
        "date": date(2027, 3, 3),
        "invoice_number": "INV-42",
    }
    values.update(fields)
    return budget_services.expense_create(project=world.project, actor=world.manager, **values)


def test_an_invoice_is_recorded_with_its_file(world):
    # when the manager records a committed invoice with its PDF
    expense = _expense(world, upload=_invoice())
    # then the file is kept through Django's storage under a random name
    assert expense.status == "committed"
    assert expense.attachment_name == "inv-42.pdf"
    assert "inv-42" not in expense.attachment.name
    with expense.attachment.open("rb") as stored:
        assert stored.read() == PDF
    assert HistoryEntry.objects.filter(action="created", target_repr__contains="Rigs Ltd")


def test_people_who_see_money_download_the_file_others_do_not(world):
    expense = _expense(world, upload=_invoice())
    url = reverse("expense-attachment", args=[world.project.pk, expense.pk])
    response = client_for(world.stakeholder).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="inv-42.pdf"' in response["Content-Disposition"]
    assert client_for(world.member).get(url).status_code == 403


def test_an_expense_in_another_currency_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _expense(world, currency="GBP")
    assert "this expense is in GBP" in exc.value.message_dict["currency"][0]


def test_a_file_of_a_refused_type_is_not_stored(world):
    with pytest.raises(ValidationError, match="is not accepted here"):
        _expense(world, upload=_invoice("run.exe", b"MZ", "application/x-msdownload"))
    assert not Expense.objects.exists()


def test_a_budget_line_of_another_project_is_refused(world):
    other = BudgetLineFactory(project=ProjectFactory(organisation=world.organisation))
    with pytest.raises(ValidationError, match="budget line of this project"):
        _expense(world, budget_line=other)


def test_marking_it_paid_is_recorded(world):
    expense = _expense(world)
    budget_services.expense_update(
        expense=expense, actor=world.manager, version=expense.version, status="paid"
    )
    expense.refresh_from_db()
    assert expense.status == "paid"
    entry = HistoryEntry.objects.get(action="updated", target_repr__contains="Rigs Ltd")
    assert entry.changes["status"] == ["committed", "paid"]


def test_recording_an_expense_on_the_page(world):
    line = BudgetLineFactory(project=world.project, category="hardware", name="Rigs")
    client = client_for(world.manager)
    response = client.post(
        reverse("expense-create", args=[world.project.pk]),
        {
            "vendor": "Rigs Ltd",
            "amount": "2400.00",
            "currency": "USD",
            "date": "2027-03-03",
            "status": "paid",
            "budget_line": line.pk,
            "file": _invoice(),
        },
        follow=True,
    )
    assert "Recorded Rigs Ltd&#x27;s 2400.00 USD (paid)." in response.content.decode()
    assert Expense.objects.get().attachment_name == "inv-42.pdf"


def test_the_page_says_what_is_wrong_with_the_currency(world):
    response = client_for(world.manager).post(
        reverse("expense-create", args=[world.project.pk]),
        {
            "vendor": "Rigs Ltd",
            "amount": "10",
            "currency": "EUR",
            "date": "2027-03-03",
            "status": "committed",
        },
    )
    assert response.status_code == 422
    assert "this expense is in EUR" in response.content.decode()

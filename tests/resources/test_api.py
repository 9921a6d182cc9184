"""The resources REST API: the same rules and messages as the pages, money only for those who may
see it, stale edits refused, and earned value with the same numbers as `manage.py evm`."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Task
from resources.evm.selectors import evm_json, project_evm
from resources.models import BudgetChange, TimeEntry
from tests.conftest import client_for
from tests.factories import TaskFactory

from .factories import (
    BudgetLineFactory,
    CostRateFactory,
    EquipmentFactory,
    ResourceFactory,
    person_for,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 1, 4)


def _post(client, route, data, **kwargs):
    return client.post(reverse(route, **kwargs), data, content_type="application/json")


def _patch(client, route, data, **kwargs):
    return client.patch(reverse(route, **kwargs), data, content_type="application/json")


@pytest.fixture
def task(world):
    return TaskFactory(project=world.project, name="Build API")


def _log(world, task, day=MONDAY, hours="6", user=None):
    return _post(
        client_for(user or world.member),
        "api:time-entry-list",
        {"task": task.pk, "date": day.isoformat(), "hours": hours, "note": "endpoints"},
    )


# --- time ----------------------------------------------------------------------------------


def test_a_member_logs_time_and_sees_it_as_a_draft(world, task):
    response = _log(world, task)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["hours"], body["status"], body["task"], body["user"]["id"]) == (
        "6.00",
        "draft",
        task.pk,
        world.member.pk,
    )
    assert response["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("hours", "words"),
    [("-2", "negative"), ("25", "24"), ("0", "more than 0")],
)
def test_bad_hours_are_refused_with_a_clear_message(world, task, hours, words):
    response = _log(world, task, hours=hours)
    assert response.status_code == 400
    assert words in " ".join(response.json()["errors"]["hours"]).lower()
    assert not TimeEntry.objects.exists()


def test_a_day_over_24_hours_across_tasks_is_refused(world, task):
    other = TaskFactory(project=world.project, name="Docs")
    assert _log(world, task, hours="20").status_code == 201
    response = _log(world, other, hours="5")
    assert response.status_code == 400
    assert "24" in " ".join(response.json()["errors"]["hours"])


def test_time_on_another_organisations_task_is_a_404_naming_the_field(world):
    foreign = TaskFactory(project=world.other_project)
    response = _log(world, foreign)
    assert response.status_code == 404
    assert "task" in response.json()["errors"]


def test_a_viewer_may_not_log_time(world, task):
    response = _log(world, task, user=world.viewer)
    assert response.status_code == 403


def test_submit_approve_and_the_task_costs_what_the_hours_cost(world, task):
    # given the member has a rate of 80/h and logged 6 hours
    person = person_for(world.member, world.organisation)
    CostRateFactory(resource=person, effective_from=date(2026, 1, 1), hourly_rate=Decimal(80))
    entry = _log(world, task).json()
    # when they submit the week and the manager approves it
    submitted = _post(
        client_for(world.member),
        "api:time-entry-submit",
        {"organisation": world.organisation.pk, "week": MONDAY.isoformat()},
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["projects"] == [{"project": world.project.pk, "hours": "6.00"}]
    approved = _post(
        client_for(world.manager),
        "api:time-entry-approve",
        {"project": world.project.pk, "person": world.member.pk, "week": MONDAY.isoformat()},
    )
    assert approved.status_code == 200, approved.json()
    # then the entry is approved and locked, and the task's actual cost is 6 x 80
    assert TimeEntry.objects.get(pk=entry["id"]).status == "approved"
    assert Task.objects.get(pk=task.pk).actual_cost == Decimal("480.00")
    edit = _patch(
        client_for(world.member),
        "api:time-entry-detail",
        {"hours": "7", "version": entry["version"]},
        kwargs={"pk": entry["id"]},
    )
    assert edit.status_code == 400
    # and the manager can reopen it, with a reason
    reopened = _post(
        client_for(world.manager),
        "api:time-entry-reopen",
        {
            "project": world.project.pk,
            "person": world.member.pk,
            "week": MONDAY.isoformat(),
            "reason": "Booked on the wrong task",
        },
    )
    assert reopened.status_code == 200
    assert TimeEntry.objects.get(pk=entry["id"]).status == "draft"


def test_reopening_without_a_reason_is_refused(world, task):
    TimeEntry.objects.create(
        task=task, user=world.member, date=MONDAY, hours=Decimal(2), status="approved"
    )
    response = _post(
        client_for(world.manager),
        "api:time-entry-reopen",
        {"project": world.project.pk, "person": world.member.pk, "week": MONDAY.isoformat()},
    )
    assert response.status_code == 400
    assert "Say why" in " ".join(response.json()["errors"]["reason"])


def test_a_stale_edit_of_a_time_entry_is_a_409_with_the_current_entry(world, task):
    entry = _log(world, task).json()
    client = client_for(world.member)
    route = "api:time-entry-detail"
    assert (
        _patch(client, route, {"hours": "5", "version": 1}, kwargs={"pk": entry["id"]}).status_code
        == 200
    )
    stale = _patch(client, route, {"hours": "4", "version": 1}, kwargs={"pk": entry["id"]})
    assert stale.status_code == 409
    assert stale.json()["current"]["hours"] == "5.00"


# --- the pool and rates --------------------------------------------------------------------


def test_unit_costs_are_shown_to_organisation_admins_only(world):
    rig = EquipmentFactory(organisation=world.organisation, unit_cost=Decimal("150.00"))
    url = reverse("api:resource-detail", kwargs={"pk": rig.pk})
    assert client_for(world.admin).get(url).json()["unit_cost"] == "150.00"
    assert client_for(world.member).get(url).json()["unit_cost"] is None


def test_a_rate_without_a_date_is_refused(world):
    person = ResourceFactory(organisation=world.organisation)
    response = _post(
        client_for(world.admin),
        "api:cost-rate-list",
        {"resource": person.pk, "hourly_rate": "90.00", "currency": "USD"},
    )
    assert response.status_code == 400
    assert "date" in " ".join(response.json()["errors"]["effective_from"])


def test_members_never_list_rates(world):
    CostRateFactory(resource=ResourceFactory(organisation=world.organisation))
    assert client_for(world.member).get(reverse("api:cost-rate-list")).json()["count"] == 0
    assert client_for(world.admin).get(reverse("api:cost-rate-list")).json()["count"] == 1


def test_assignment_costs_are_hidden_from_members(world, task):
    from resources.models import Assignment

    row = Assignment.objects.create(
        task=task,
        resource=ResourceFactory(organisation=world.organisation),
        cost=Decimal("900.00"),
    )
    url = reverse("api:assignment-detail", kwargs={"pk": row.pk})
    assert client_for(world.manager).get(url).json()["cost"] == "900.00"
    assert client_for(world.member).get(url).json()["cost"] is None


# --- budgets -------------------------------------------------------------------------------


def test_a_budget_line_in_another_currency_is_refused(world):
    response = _post(
        client_for(world.manager),
        "api:budget-line-list",
        {
            "project": world.project.pk,
            "category": "hardware",
            "name": "Laptops",
            "amount": "12000.00",
            "currency": "EUR",
            "reason": "New joiners",
        },
    )
    assert response.status_code == 400
    assert "USD" in str(response.json()["errors"])


def test_a_budget_change_is_recorded_with_its_reason_and_stale_edits_are_409(world):
    line = BudgetLineFactory(project=world.project, amount=Decimal("1000.00"))
    client = client_for(world.manager)
    route = "api:budget-line-detail"
    changed = _patch(
        client,
        route,
        {"amount": "1500.00", "reason": "Two more licences", "version": 1},
        kwargs={"pk": line.pk},
    )
    assert changed.status_code == 200, changed.json()
    change = BudgetChange.objects.get(budget_line=line)
    assert (change.reason, change.author) == ("Two more licences", world.manager)
    stale = _patch(
        client, route, {"amount": "9.00", "reason": "Oops", "version": 1}, kwargs={"pk": line.pk}
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["amount"] == "1500.00"


def test_stakeholders_read_budgets_members_do_not(world):
    line = BudgetLineFactory(project=world.project)
    url = reverse("api:budget-line-detail", kwargs={"pk": line.pk})
    assert client_for(world.stakeholder).get(url).status_code == 200
    assert client_for(world.member).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    listed = client_for(world.member).get(reverse("api:budget-line-list")).json()
    assert listed["count"] == 0


# --- earned value --------------------------------------------------------------------------


def test_evm_answers_the_same_numbers_as_the_command(world):
    from projects.mspdi.importer import project_import_mspdi

    from .mspdi_money_samples import money_document

    report = project_import_mspdi(
        organisation=world.organisation, actor=world.admin, key="OFF", data=money_document()
    )
    url = reverse("api:project-evm", kwargs={"pk": report.project.pk})
    response = client_for(world.admin).get(url + "?status_date=2027-01-07")
    assert response.status_code == 200
    body = response.json()
    expected = evm_json(project_evm(report.project, status_date=date(2027, 1, 7)), ratio_places=4)
    assert body == expected
    assert (body["figures"]["pv"], body["figures"]["ev"], body["figures"]["ac"]) == (
        "1453.33",
        "1365.00",
        "1365.00",
    )


def test_evm_with_a_bad_date_is_a_400(world):
    url = reverse("api:project-evm", kwargs={"pk": world.project.pk})
    response = client_for(world.manager).get(url + "?status_date=7 Jan")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["errors"]["status_date"][0]


# --- workload ------------------------------------------------------------------------------


def test_workload_flags_the_over_allocated_person(world):
    from datetime import datetime, time

    from django.utils import timezone

    from resources.models import Assignment

    # given Ana works full time on two tasks in the same week
    ana = ResourceFactory(organisation=world.organisation, name="Ana")
    ResourceFactory(organisation=world.organisation, name="Ben")
    start = timezone.make_aware(datetime.combine(MONDAY, time(8)))
    finish = timezone.make_aware(datetime.combine(date(2027, 1, 8), time(17)))
    for name in ("API", "Docs"):
        task = TaskFactory(
            project=world.project, name=name, start=start, finish=finish, duration_minutes=2400
        )
        Assignment.objects.create(task=task, resource=ana, units=Decimal(100))
    # when the workload of that week is asked for
    url = reverse("api:organisation-workload", kwargs={"pk": world.organisation.pk})
    response = client_for(world.member).get(url + "?start=2027-01-04&weeks=2")
    # then Ana is over-allocated that week, Ben is not
    assert response.status_code == 200, response.json()
    body = response.json()
    people = {row["name"]: row for row in body["people"]}
    assert people["Ana"]["over_allocated"] and not people["Ben"]["over_allocated"]
    week = people["Ana"]["weeks"][0]
    assert (week["week"], week["assigned_hours"], week["capacity_hours"]) == ("2027-01-04", 80, 40)
    assert body["over_allocated"] == 1


def test_workload_with_a_bad_window_is_a_400(world):
    url = reverse("api:organisation-workload", kwargs={"pk": world.organisation.pk})
    response = client_for(world.member).get(url + "?weeks=60")
    assert response.status_code == 400
    assert "1 to 52" in response.json()["errors"]["weeks"][0]
    other = reverse("api:organisation-workload", kwargs={"pk": world.other_organisation.pk})
    assert client_for(world.member).get(other).status_code == 404


def test_an_expense_with_its_invoice_file(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from resources.models import Expense

    # when the manager records an invoice with its PDF (multipart)
    response = client_for(world.manager).post(
        reverse("api:expense-list"),
        {
            "project": world.project.pk,
            "vendor": "Hetzner",
            "amount": "320.00",
            "date": "2027-01-06",
            "status": "paid",
            "attachment": SimpleUploadedFile("inv-7.pdf", b"%PDF-1.4 ...", "application/pdf"),
        },
    )
    # then it is stored with the file, in the project's currency
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["has_attachment"], body["attachment_name"], body["currency"]) == (
        True,
        "inv-7.pdf",
        "USD",
    )
    assert Expense.objects.get(pk=body["id"]).attachment_size > 0


def test_allocating_another_organisations_resource_is_a_404_naming_it(world):
    foreign = ResourceFactory(organisation=world.other_organisation)
    body = {
        "project": world.project.pk,
        "resource": foreign.pk,
        "start_date": "2027-01-04",
        "end_date": "2027-03-31",
    }
    response = _post(client_for(world.manager), "api:allocation-list", body)
    assert response.status_code == 404
    assert "resource" in response.json()["errors"]


def test_an_allocation_over_200_percent_is_refused(world):
    person = ResourceFactory(organisation=world.organisation)
    body = {
        "project": world.project.pk,
        "resource": person.pk,
        "start_date": "2027-01-04",
        "end_date": "2027-03-31",
        "percent": 250,
    }
    response = _post(client_for(world.manager), "api:allocation-list", body)
    assert response.status_code == 400
    assert "200" in " ".join(response.json()["errors"]["percent"])

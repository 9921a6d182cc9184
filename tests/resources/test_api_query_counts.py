"""Every list endpoint of the resources API costs the same number of queries for 3 rows as
for 30 (as seen by an organisation admin, who sees every row and every amount)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import BudgetChange, TimeEntry
from tests.conftest import client_for
from tests.factories import TaskFactory

from .factories import (
    AllocationFactory,
    AssignmentFactory,
    BudgetLineFactory,
    BudgetLinePlanFactory,
    CostRateFactory,
    ExpenseFactory,
    ResourceFactory,
    ResourceRoleFactory,
    SkillFactory,
    TimeOffFactory,
)

pytestmark = pytest.mark.django_db


def _resources(world, n):
    skill = SkillFactory(organisation=world.organisation)
    role = ResourceRoleFactory(organisation=world.organisation)
    for _ in range(n):
        ResourceFactory(organisation=world.organisation, role=role, skills=[skill])


def _roles(world, n):
    for _ in range(n):
        ResourceRoleFactory(organisation=world.organisation)


def _skills(world, n):
    for _ in range(n):
        SkillFactory(organisation=world.organisation)


def _time_off(world, n):
    for _ in range(n):
        TimeOffFactory(resource=ResourceFactory(organisation=world.organisation))


def _rates(world, n):
    for _ in range(n):
        CostRateFactory(resource=ResourceFactory(organisation=world.organisation))


def _allocations(world, n):
    for _ in range(n):
        AllocationFactory(project=world.project)


def _assignments(world, n):
    for _ in range(n):
        AssignmentFactory(task=TaskFactory(project=world.project))


def _time_entries(world, n):
    task = TaskFactory(project=world.project)
    first = date(2027, 1, 4) + timedelta(days=TimeEntry.objects.count())
    for day in range(n):
        TimeEntry.objects.create(
            task=task, user=world.member, date=first + timedelta(days=day), hours=Decimal(2)
        )


def _budget_lines(world, n):
    for _ in range(n):
        BudgetLinePlanFactory(line=BudgetLineFactory(project=world.project))


def _expenses(world, n):
    for _ in range(n):
        ExpenseFactory(project=world.project)


def _budget_changes(world, n):
    for _ in range(n):
        BudgetChange.objects.create(
            project=world.project, field="amount", reason="Re-plan", author=world.manager
        )


GROW = {
    "resources": _resources,
    "resource-roles": _roles,
    "skills": _skills,
    "time-off": _time_off,
    "cost-rates": _rates,
    "allocations": _allocations,
    "assignments": _assignments,
    "time-entries": _time_entries,
    "budget-lines": _budget_lines,
    "expenses": _expenses,
    "budget-changes": _budget_changes,
}
PREFETCHES = {"resources": 1, "budget-lines": 1}  # skills; monthly plans


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()["count"], [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("resource", list(GROW))
def test_list_endpoints_cost_the_same_for_3_or_30_rows(world, resource):
    # given the admin's list holds 3 rows
    client = client_for(world.admin)
    url = f"/api/v1/{resource}/?page_size=100"
    GROW[resource](world, 3)
    few, few_rows, _ = _count(client, url)
    # when it grows by 27 rows
    GROW[resource](world, 27)
    many, many_rows, sql = _count(client, url)
    # then the list is longer and costs the same
    assert many_rows >= few_rows + 27
    assert many == few, "\n".join(sql)
    # session, user, count, rows (+ a prefetch)
    assert many <= PREFETCHES.get(resource, 0) + 4, "\n".join(sql)


def _people_at_work(world, n):
    for _ in range(n):
        AssignmentFactory(
            task=TaskFactory(project=world.project),
            resource=ResourceFactory(organisation=world.organisation),
        )


def test_the_workload_costs_the_same_for_3_or_30_people(world):
    client = client_for(world.admin)
    url = f"/api/v1/organisations/{world.organisation.pk}/workload/?start=2027-01-04&weeks=4"
    _people_at_work(world, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _people_at_work(world, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.json()["people"]) >= 30
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)

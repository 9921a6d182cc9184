"""Effective-dated rates and the actual labour cost they give time entries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.evm.costs import actual_labour_cost
from resources.models import TimeEntry
from resources.pool.rates import RateBook, RateRow
from tests.factories import ProjectFactory, TaskFactory, UserFactory
from tests.resources.factories import (
    CostRateFactory,
    ResourceFactory,
    ResourceRoleFactory,
    TimeEntryFactory,
)

D = Decimal


def _row(day: str, rate: str, *, resource=None, role=None, currency="USD") -> RateRow:
    return RateRow(resource, role, date.fromisoformat(day), D(rate), currency)


def test_a_rate_applies_from_its_date_until_the_next_one():
    # given a person paid 100 from January and 120 from July
    book = RateBook([_row("2026-07-01", "120", resource=1), _row("2026-01-01", "100", resource=1)])
    # then each day has the rate in force that day, and nothing before the first
    lookup = {
        day: book.rate_for(resource_id=1, role_id=None, day=date.fromisoformat(day), currency="USD")
        for day in ("2025-12-31", "2026-01-01", "2026-06-30", "2026-07-01", "2027-01-01")
    }
    assert lookup == {
        "2025-12-31": None,
        "2026-01-01": D(100),
        "2026-06-30": D(100),
        "2026-07-01": D(120),
        "2027-01-01": D(120),
    }


def test_a_persons_own_rate_wins_over_the_roles_default():
    # given a role at 80 from January and the person's own 95 from March
    book = RateBook([_row("2026-01-01", "80", role=7), _row("2026-03-01", "95", resource=1)])

    def on(day: str) -> Decimal | None:
        return book.rate_for(resource_id=1, role_id=7, day=date.fromisoformat(day), currency="USD")

    # then the role's rate fills the days before the person's own
    assert (on("2026-02-01"), on("2026-03-01")) == (D(80), D(95))


def test_a_rate_in_another_currency_does_not_apply():
    book = RateBook([_row("2026-01-01", "100", resource=1, currency="EUR")])
    rate = book.rate_for(resource_id=1, role_id=None, day=date(2026, 5, 1), currency="USD")
    assert rate is None


@pytest.mark.django_db
def test_actual_labour_cost_is_approved_hours_times_the_rate_of_each_day():
    # given a person whose rate rises on 1 July, with approved time either side and a draft
    project = ProjectFactory(currency="USD")
    task = TaskFactory(project=project)
    person = ResourceFactory(organisation=project.organisation)
    CostRateFactory(resource=person, effective_from=date(2026, 1, 1), hourly_rate=D("100"))
    CostRateFactory(resource=person, effective_from=date(2026, 7, 1), hourly_rate=D("120"))
    user = UserFactory()
    for day, hours, status in (
        (date(2026, 6, 30), "8", "approved"),
        (date(2026, 7, 1), "4.5", "approved"),
        (date(2026, 7, 2), "8", "draft"),
    ):
        TimeEntryFactory(
            task=task, user=user, resource=person, date=day, hours=D(hours), status=status
        )
    # when
    cost = actual_labour_cost(TimeEntry.objects.filter(task__project=project))
    # then 8 x 100 + 4.5 x 120, the draft not counted
    assert cost.total == D("1340")
    assert cost.by_task == {task.pk: D("1340")}
    assert cost.unrated_hours == 0


@pytest.mark.django_db
def test_entries_without_a_resource_use_the_persons_resource_and_its_role():
    # given an entry logged without a resource by a user who has one, rated through the role
    project = ProjectFactory(currency="USD")
    role = ResourceRoleFactory(organisation=project.organisation)
    user = UserFactory()
    ResourceFactory(organisation=project.organisation, user=user, role=role)
    CostRateFactory(resource=None, role=role, effective_from=date(2026, 1, 1), hourly_rate=D(50))
    stranger = UserFactory()
    task = TaskFactory(project=project)
    TimeEntryFactory(task=task, user=user, date=date(2026, 3, 2), status="approved")
    TimeEntryFactory(task=task, user=stranger, date=date(2026, 3, 2), status="approved")
    # when
    cost = actual_labour_cost(TimeEntry.objects.filter(task=task))
    # then the role's rate applies; the person without any rate is counted as unrated hours
    assert cost.total == D(200)
    assert cost.unrated_hours == D(4)


@pytest.mark.django_db
def test_costing_takes_three_queries_whatever_the_number_of_entries():
    project = ProjectFactory()
    task = TaskFactory(project=project)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            actual_labour_cost(TimeEntry.objects.filter(task__project=project))
        return len(ctx.captured_queries)

    def add_people(count: int) -> None:
        for _ in range(count):
            user = UserFactory()
            ResourceFactory(organisation=project.organisation, user=user)
            TimeEntryFactory(task=task, user=user, status="approved")
            CostRateFactory(
                resource=ResourceFactory(organisation=project.organisation), hourly_rate=D(10)
            )

    add_people(1)
    few = queries()
    add_people(20)
    assert queries() == few == 3

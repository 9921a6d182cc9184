"""The register, its overview, the RAID log and the API lists cost the same for 2 rows or 20."""

import pytest
from django.urls import reverse

from risks import services
from tests.conftest import client_for
from tests.factories import (
    AssumptionFactory,
    DecisionFactory,
    ExternalDependencyFactory,
    IssueFactory,
    TaskFactory,
)
from tests.tpm.querycount import assert_same_count, queries_for_get

from .helpers import raise_risk

pytestmark = pytest.mark.django_db


def _risks(world, count: int) -> None:
    for n in range(count):
        risk = raise_risk(
            world,
            title=f"Risk {n}",
            probability=1 + n % 5,
            impact_schedule=1 + (n * 3) % 5,
            residual_probability=1,
            residual_impact=1 + n % 5,
        )
        services.risk_reassess(risk=risk, actor=world.manager, version=risk.version)
        risk.linked_tasks.add(TaskFactory(project=world.project))


def _raid(world, count: int) -> None:
    for factory in (AssumptionFactory, IssueFactory, DecisionFactory, ExternalDependencyFactory):
        factory.create_batch(count, project=world.project, owner=world.member)


@pytest.mark.parametrize(
    ("route", "query"),
    [
        ("risk-register", ""),
        ("risk-register", "?status=all&sort=emv"),
        ("risk-register", "?as_of=2020-01-01"),
        ("risk-overview", ""),
        ("raid-log", ""),
    ],
)
def test_pages_cost_the_same_for_few_and_many_rows(world, route, query):
    client = client_for(world.manager)
    url = reverse(route, args=[world.project.pk]) + query
    _risks(world, 2)
    _raid(world, 2)
    client.get(url)  # warm the session and the organisation's categories
    few = queries_for_get(client, url)
    _risks(world, 18)
    _raid(world, 18)
    many = queries_for_get(client, url)
    assert_same_count(few, many)


def test_the_register_as_of_yesterday_costs_the_same(world):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(world.viewer)
    url = reverse("risk-register", args=[world.project.pk])
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    _risks(world, 2)
    client.get(url)
    few = queries_for_get(client, f"{url}?as_of={day}")
    _risks(world, 15)
    many = queries_for_get(client, f"{url}?as_of={day}")
    assert_same_count(few, many)


@pytest.mark.parametrize(
    "route",
    ["api:risk-list", "api:assumption-list", "api:issue-list", "api:decision-list"],
)
def test_api_lists_cost_the_same(world, route):
    client = client_for(world.manager)
    url = reverse(route) + f"?project={world.project.pk}"
    _risks(world, 2)
    _raid(world, 2)
    few = queries_for_get(client, url)
    _risks(world, 12)
    _raid(world, 12)
    many = queries_for_get(client, url)
    assert_same_count(few, many)


def test_the_api_summary_costs_the_same(world):
    client = client_for(world.manager)
    url = reverse("api:risk-summary", kwargs={"pk": world.project.pk})
    _risks(world, 2)
    few = queries_for_get(client, url)
    _risks(world, 12)
    many = queries_for_get(client, url)
    assert_same_count(few, many)


def test_a_risks_page_costs_the_same_with_more_reviews_and_tasks(world):
    client = client_for(world.member)
    risk = raise_risk(world)
    url = reverse("risk-detail", args=[world.project.pk, risk.pk])
    client.get(url)
    few = queries_for_get(client, url)
    for _ in range(8):
        risk.refresh_from_db()
        services.risk_reassess(risk=risk, actor=world.member, version=risk.version)
        risk.linked_tasks.add(TaskFactory(project=world.project))
    many = queries_for_get(client, url)
    assert_same_count(few, many)

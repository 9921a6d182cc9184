"""Objectives and KPIs: measured by hand or through the API, with a trend chart (issue 7)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.scope import charts as scope_charts
from projects.scope.services import charter as scope_services
from tests.conftest import client_for

from .factories_scope import DeliverableFactory, ObjectiveFactory, ObjectiveMeasurementFactory
from .helpers import assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db


def test_the_latest_measurement_is_the_current_value_even_when_an_older_one_comes_later(world):
    # given an objective measured today
    objective = ObjectiveFactory(project=world.project)
    now = timezone.now()
    scope_services.objective_measure(objective=objective, actor=world.member, value="900")
    # when a value from last week is recorded afterwards
    scope_services.objective_measure(
        objective=objective, actor=world.member, value="1100", measured_at=now - timedelta(days=7)
    )
    # then the current value stays today's
    objective.refresh_from_db()
    assert objective.current_value == Decimal("900")
    assert objective.measurements.count() == 2


def test_met_follows_the_direction(world):
    lower = ObjectiveFactory(
        project=world.project, direction="lower", baseline_value=100, target_value=50
    )
    lower.current_value = Decimal(49)
    higher = ObjectiveFactory(
        project=world.project, direction="higher", baseline_value=50, target_value=100
    )
    higher.current_value = Decimal(49)
    assert lower.is_met() and not higher.is_met()


def test_an_objective_needs_a_target_different_from_its_baseline(world):
    with pytest.raises(ValidationError) as refused:
        scope_services.objective_create(
            project=world.project,
            actor=world.manager,
            title="Users",
            metric="MAU",
            baseline_value=10,
            target_value=10,
        )
    assert "differ from the baseline" in " ".join(refused.value.messages)


def test_an_objective_links_only_deliverables_of_its_project(world):
    elsewhere = DeliverableFactory(project=world.other_project)
    with pytest.raises(ValidationError):
        scope_services.objective_create(
            project=world.project,
            actor=world.manager,
            title="Users",
            metric="MAU",
            baseline_value=10,
            target_value=20,
            deliverables=[elsewhere],
        )


def test_the_trend_chart_places_points_in_time_between_baseline_and_target():
    start = timezone.now()
    chart = scope_charts.trend_chart(
        {"measured": [(start, 1000.0), (start + timedelta(days=10), 800.0)]},
        lines={"baseline": 1200.0, "target": 600.0},
    )
    xs = [x for x, _, _ in chart.dots["measured"]]
    assert xs == [32, 568]
    target = next(line for line in chart.lines if line.name == "target")
    assert target.y > chart.dots["measured"][1][1]  # 600 is drawn below 800


def test_a_member_records_a_value_on_the_page_and_sees_the_chart(world):
    objective = ObjectiveFactory(project=world.project, title="Faster checkout", unit="ms")
    client = client_for(world.member)
    url = reverse("objective-detail", args=[world.project.pk, objective.pk])
    response = client.post(
        reverse("objective-measure", args=[world.project.pk, objective.pk]), {"value": "850"}
    )
    assert response.status_code == 302
    page = text(client.get(url))
    assert 'id="current-value">850' in page
    assert 'data-chart="objective-trend"' in page


def test_a_bad_value_re_renders_with_422(world):
    objective = ObjectiveFactory(project=world.project)
    response = client_for(world.member).post(
        reverse("objective-measure", args=[world.project.pk, objective.pk]), {"value": "fast"}
    )
    assert response.status_code == 422


def test_tools_post_measurements_through_the_api_marked_as_api(world):
    objective = ObjectiveFactory(project=world.project)
    response = client_for(world.member).post(
        reverse("api:objective-measurements", args=[objective.pk]),
        {"value": "777.5"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["source"] == "api"
    objective.refresh_from_db()
    assert objective.current_value == Decimal("777.5")


def test_the_scope_page_costs_the_same_for_many_objectives(world):
    client = client_for(world.manager)
    url = reverse("project-scope", args=[world.project.pk])
    ObjectiveFactory(project=world.project).deliverables.add(
        DeliverableFactory(project=world.project)
    )
    few = queries_for(client, "get", url)
    for _ in range(5):
        objective = ObjectiveFactory(project=world.project)
        objective.deliverables.add(DeliverableFactory(project=world.project))
    many = queries_for(client, "get", url)
    assert_same_count(few, many)


def test_the_objective_page_and_measurements_endpoint_cost_the_same_for_many_values(world):
    client = client_for(world.manager)
    objective = ObjectiveFactory(project=world.project)
    ObjectiveMeasurementFactory(objective=objective)
    page = reverse("objective-detail", args=[world.project.pk, objective.pk])
    api = reverse("api:objective-measurements", args=[objective.pk])
    few = (queries_for(client, "get", page), queries_for(client, "get", api))
    for _ in range(5):
        ObjectiveMeasurementFactory(objective=objective)
    many = (queries_for(client, "get", page), queries_for(client, "get", api))
    assert_same_count(few[0], many[0])
    assert_same_count(few[1], many[1])


def test_the_objectives_endpoint_costs_the_same_for_many(world):
    client = client_for(world.manager)
    url = reverse("api:objective-list")
    ObjectiveFactory(project=world.project)
    few = queries_for(client, "get", url)
    for _ in range(5):
        ObjectiveFactory(project=world.project).deliverables.add(
            DeliverableFactory(project=world.project)
        )
    many = queries_for(client, "get", url)
    assert_same_count(few, many)

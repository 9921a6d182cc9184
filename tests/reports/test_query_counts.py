"""Each reports list page costs the same number of queries for more rows."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import Delivery, DeliveryStatus
from tests.conftest import client_for
from tests.projects.helpers import assert_same_count, queries_for


def _add(world, n):
    for _ in range(n):
        report = services.report_create(project=world.project, actor=world.manager, summary="s")
        report = services.report_publish(report=report, actor=world.manager, version=report.version)
        schedule = services.schedule_create(
            project=world.project, actor=world.manager, recipient_roles=["viewer"]
        )
        Delivery.objects.create(
            report=report,
            schedule=schedule,
            email=f"x{report.pk}@example.org",
            status=DeliveryStatus.FAILED,
            error="550 no such mailbox",
        )
        services.share_link_create(project=world.project, actor=world.manager)
        services.report_create(project=world.project, actor=world.manager)  # a draft


@pytest.mark.parametrize(
    "route", ["report-list", "report-schedules", "report-share-links", "project-dashboard"]
)
def test_list_pages_do_not_grow_with_rows(world, route):
    client = client_for(world.manager)
    url = reverse(route, args=[world.project.pk])
    _add(world, 2)
    few = queries_for(client, "get", url)
    _add(world, 8)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)

"""Money on the dashboards and in status reports: members and viewers get the project's health
and sections without EMV, change costs or the cost figures behind the health reasons (page,
PDF, API, share link, portfolio); managers and stakeholders get them."""

from unittest import mock

import pytest
from django.urls import reverse

from projects.models import ProjectMembership
from projects.mspdi.importer import project_import_mspdi
from reports import services
from reports.share import share_link_create_choosing_money, token_for
from tests.conftest import client_for
from tests.resources.mspdi_money_samples import money_document
from tests.risks.helpers import raise_risk
from tpm.money import HIDDEN_REASON
from tpm.roles import ProjectRole

EMV = "28394.56"  # a risk of 56,789.12 at probability 3 (50%)
EMV_SHOWN = ("28394.56", "28,394.56", "28394,56")


@pytest.fixture
def office(world):
    """An imported plan with money (CPI below the amber line) and a costly risk; the world's
    people get their roles on it, and a report of it is published."""
    project = project_import_mspdi(
        organisation=world.organisation, actor=world.admin, key="OFF", data=money_document()
    ).project
    for user, role in (
        (world.manager, ProjectRole.MANAGER),
        (world.member, ProjectRole.MEMBER),
        (world.stakeholder, ProjectRole.STAKEHOLDER),
        (world.viewer, ProjectRole.VIEWER),
    ):
        ProjectMembership.objects.create(project=project, user=user, role=role)
    world.project = project
    raise_risk(world, cost_impact="56789.12", probability=3)
    report = services.report_create(project=project, actor=world.manager, summary="Status")
    services.report_publish(report=report, actor=world.manager, version=report.version)
    return project, report


def _urls(project, report):
    return [
        reverse("project-dashboard", args=[project.pk]),
        reverse("project-dashboard-pdf", args=[project.pk]),
        reverse("report-detail", args=[project.pk, report.pk]),
        reverse("report-pdf", args=[project.pk, report.pk]),
        reverse("api:status-report-detail", args=[report.pk]),
        reverse("api:project-health", args=[project.pk]),
        reverse("portfolio"),
    ]


def _bodies(client, urls):
    # A PDF is read as the HTML it is printed from.
    with mock.patch("reports.rendering.render_pdf", side_effect=lambda html: html.encode()):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            yield url, response.content.decode()


def test_the_manager_reads_emv_and_the_cpi_reason(world, office):
    # given the manager (the proof that the project shows both)
    for url, body in _bodies(client_for(world.manager), _urls(*office)[:5]):
        assert "CPI is" in body, url
        if "api" not in url:
            assert any(emv in body for emv in EMV_SHOWN), url


@pytest.mark.parametrize("kind", ["member", "viewer"])
def test_members_and_viewers_read_health_without_money(world, office, kind):
    for url, body in _bodies(client_for(getattr(world, kind)), _urls(*office)):
        # then no EMV and no CPI or overrun figure, yet the cost colour is explained
        assert not any(emv in body for emv in EMV_SHOWN), url
        assert "CPI is" not in body and "over the budget" not in body, url
        if "portfolio" not in url:
            assert HIDDEN_REASON.replace("'", "&#x27;") in body or HIDDEN_REASON in body, url


def test_a_share_link_without_money_shows_no_emv(world, office):
    project, _ = office
    link = share_link_create_choosing_money(project=project, actor=world.manager)
    body = (
        client_for(None)
        .get(reverse("report-share", kwargs={"token": token_for(link.pk)}))
        .content.decode()
    )
    assert not any(emv in body for emv in EMV_SHOWN)
    assert "CPI is" not in body

"""The risk register in the reports: facts per project, health reasons, dashboard, snapshots,
the portfolio's top risk and the register's export from the reports pages."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import ProjectMembership
from reports import rendering, services
from reports.health import RiskFacts, Thresholds, assess_risk
from reports.share import token_for
from reports.sources import risks as risk_source
from reports.sources import sections
from risks import services as risk_services
from risks.models import RiskSettings
from tests.conftest import client_for
from tests.factories import ProjectFactory, RiskFactory
from tests.projects.helpers import assert_same_count, queries_for, text


@pytest.fixture
def today():
    return timezone.localdate()


def _raise(world, title, *, probability, impact, **fields):
    """A risk raised through the risks app's own service (scores computed, first review kept)."""
    return risk_services.risk_create(
        project=world.project,
        actor=world.manager,
        title=title,
        probability=probability,
        impact_schedule=impact,
        **fields,
    )


@pytest.fixture
def register(world, today):
    """R-1 a vendor threat above the escalation score (4x5=20), its review overdue;
    R-2 a medium threat (3x3=9) with a residual assessment; R-3 a big opportunity (4x5=20);
    R-4 a closed threat (5x5=25) that no longer counts."""
    vendor = _raise(
        world,
        "Vendor API late",
        probability=4,
        impact=5,
        cost_impact=Decimal("10000"),
        residual_probability=2,
        residual_impact=3,
    )
    vendor.next_review_on = today - timedelta(days=4)
    vendor.save(update_fields=["next_review_on"])
    staff = _raise(
        world,
        "Key engineer leaves",
        probability=3,
        impact=3,
        cost_impact=Decimal("2000"),
        residual_probability=1,
        residual_impact=2,
    )
    staff.next_review_on = today + timedelta(days=7)
    staff.save(update_fields=["next_review_on"])
    _raise(
        world,
        "Reuse the partner's SDK",
        probability=4,
        impact=5,
        kind="opportunity",
        cost_impact=Decimal("5000"),
    )
    closed = _raise(world, "Old data centre move", probability=5, impact=5)
    closed.status = "closed"
    closed.save(update_fields=["status"])
    return {"vendor": vendor, "staff": staff}


def test_the_facts_of_a_register(world, today, register):
    summary = risk_source.facts([world.project], today=today)[world.project.pk]
    # the health inputs: one threat at or above 15 (the opportunity and the closed one do not
    # count), one review overdue
    assert summary.health.escalated_open_risks == 1
    assert summary.health.escalated == ("R-1 Vendor API late",)
    assert summary.health.overdue_reviews == 1
    assert summary.health.escalation_score == 15
    section = summary.to_json()
    assert section["open_count"] == 3 and section["closed_count"] == 1
    assert section["open_threats"] == 2 and section["open_opportunities"] == 1
    # top risks by score, then number; the closed 25 is not among them
    assert [r["ref"] for r in section["top_risks"]] == ["R-1", "R-3", "R-2"]
    assert section["top_risks"][0]["level"] == "critical"
    assert section["top_risks"][0]["review_days_overdue"] == 4
    # the portfolio's one-liner is the top threat, not the opportunity
    assert summary.top_risk == "R-1 Vendor API late (score 20)"
    # heat maps: P4 x I5 holds the threat and the opportunity; residual has the two assessed
    inherent, residual = section["heat_maps"]
    cells = {(c["p"], c["i"]): c for row in inherent["rows"] for c in row}
    assert cells[(4, 5)]["count"] == 2 and cells[(3, 3)]["count"] == 1
    assert inherent["total"] == 3 and len(inherent["rows"]) == 5
    assert inherent["rows"][0][0]["p"] == 5  # probability 5 on top, as the risks app draws it
    residual_cells = {(c["p"], c["i"]): c["count"] for row in residual["rows"] for c in row}
    assert residual_cells[(2, 3)] == 1 and residual_cells[(1, 2)] == 1 and residual["total"] == 2
    # EMV: 70% of 10,000 + 50% of 2,000 in threats, minus 70% of 5,000 saved
    assert section["emv"] == {
        "threats": "8000.00",
        "opportunities": "-3500.00",
        "net": "4500.00",
        "expected_days": "0.0",
    }


def test_the_organisations_escalation_score_is_used(world, today, register):
    # given an organisation that escalates from 9
    RiskSettings.objects.create(organisation=world.organisation, escalation_from=9)
    summary = risk_source.facts([world.project], today=today)[world.project.pk]
    # then the 3x3 threat counts too
    assert summary.health.escalated_open_risks == 2
    assert summary.health.escalation_score == 9


def test_a_project_without_risks_has_no_risk_data(world, today):
    assert risk_source.facts([world.project], today=today) == {}
    assert sections(world.project, today=today)["risk"] is None


def test_a_register_of_closed_risks_is_data_and_green(world, today):
    risk = _raise(world, "Done with", probability=5, impact=5)
    risk.status = "closed"
    risk.save(update_fields=["status"])
    summary = risk_source.facts([world.project], today=today)[world.project.pk]
    verdict = assess_risk(summary.health, Thresholds())
    assert verdict.colour == "green"
    assert verdict.reasons == [
        "No open risk at or above the escalation score of 15; reviews up to date."
    ]


def _projects_with_risks(world, n, start=0):
    for i in range(start, start + n):
        project = ProjectFactory(organisation=world.organisation, key=f"R{i:03d}")
        for number in range(1, 4):
            RiskFactory(
                project=project,
                number=number,
                probability=1 + (i + number) % 5,
                impact_schedule=5,
                residual_probability=1,
                residual_impact=2,
                residual_score=2,
                next_review_on=timezone.localdate() - timedelta(days=number - 1),
            )


def test_the_source_reads_3_or_30_projects_in_the_same_two_queries(world, today):
    from projects.models import Project

    _projects_with_risks(world, 3)
    few_projects = list(Project.objects.filter(organisation=world.organisation))
    with CaptureQueriesContext(connection) as few:
        few_facts = risk_source.facts(few_projects, today=today)
    _projects_with_risks(world, 27, start=3)
    many_projects = list(Project.objects.filter(organisation=world.organisation))
    with CaptureQueriesContext(connection) as many:
        many_facts = risk_source.facts(many_projects, today=today)
    assert len(few_facts) == 3 and len(many_facts) == 30  # WEB has no risks: left out
    assert len(few) == len(many) == 2


def test_health_reasons_name_the_risks():
    facts = RiskFacts(
        escalated_open_risks=5,
        overdue_reviews=1,
        escalation_score=15,
        escalated=("R-3 Vendor API late", "R-7 Key engineer leaves", "R-1 A", "R-2 B", "R-9 C"),
        overdue=("R-4 Licence renewal",),
    )
    verdict = assess_risk(facts, Thresholds())
    assert verdict.colour == "red"  # 5 escalated: red from 3
    assert verdict.reasons == [
        "5 open risks at or above the escalation score of 15 "
        "(R-3 Vendor API late, R-7 Key engineer leaves, R-1 A and 2 more).",
        "1 risk review overdue (R-4 Licence renewal).",
    ]


def test_the_dashboard_shows_the_risk_section_and_the_reasons(world, register):
    response = client_for(world.stakeholder).get(
        reverse("project-dashboard", args=[world.project.pk])
    )
    body = text(response)
    # health: amber (1 escalated, 1 overdue review), with the reasons in words
    assert '<h3>Risk <span class="rag rag-amber">Amber</span>' in body
    assert "1 open risk at or above the escalation score of 15 (R-1 Vendor API late)." in body
    assert "1 risk review overdue (R-1 Vendor API late)." in body
    # the section: top risks linked to the register, and heat maps whose cells filter it
    assert 'id="risk-heading"' in body
    assert "Expected monetary value" in body and "4,500.00" in body
    detail = reverse("risk-detail", args=[world.project.pk, register["vendor"].pk])
    assert f'href="{detail}"' in body
    cell = reverse("risk-register", args=[world.project.pk]) + "?grid=inherent&amp;p=3&amp;i=3"
    assert cell in body
    assert "No data yet for: schedule, cost, scope, quality" in body
    # and the cell's link opens the register filtered to that cell
    filtered = text(
        client_for(world.stakeholder).get(
            reverse("risk-register", args=[world.project.pk]) + "?grid=inherent&p=3&i=3&status=open"
        )
    )
    assert "Key engineer leaves" in filtered and "Vendor API late" not in filtered


def test_a_dashboard_without_risks_says_no_data(world):
    body = text(client_for(world.viewer).get(reverse("project-dashboard", args=[world.project.pk])))
    assert 'id="risk-heading"' not in body
    assert "No data yet for: schedule, cost, scope, risk, quality" in body


def test_the_dashboard_costs_the_same_queries_for_more_risks(world, today):
    client = client_for(world.manager)
    url = reverse("project-dashboard", args=[world.project.pk])
    for n in range(2):
        _raise(world, f"Risk {n}", probability=2, impact=2)
    few = queries_for(client, "get", url)
    for n in range(2, 20):
        _raise(world, f"Risk {n}", probability=1 + n % 5, impact=1 + (n * 3) % 5)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)


def test_a_snapshot_freezes_the_risk_section(world, register):
    # given a published report taken while R-1 was open
    report = services.report_create(project=world.project, actor=world.manager, summary="s")
    report = services.report_publish(report=report, actor=world.manager, version=report.version)
    # when R-1 is closed
    vendor = register["vendor"]
    vendor.status = "closed"
    vendor.save(update_fields=["status"])
    # then the report still shows it, without live links, and the dashboard does not
    report.refresh_from_db()
    frozen = report.snapshot["sections"]["risk"]
    assert frozen["escalated_count"] == 1 and frozen["top_risks"][0]["ref"] == "R-1"
    page = text(
        client_for(world.viewer).get(reverse("report-detail", args=[world.project.pk, report.pk]))
    )
    assert "R-1 Vendor API late" in page and 'id="risk-heading"' in page
    assert reverse("risk-register", args=[world.project.pk]) + "?grid" not in page
    dashboard = text(
        client_for(world.viewer).get(reverse("project-dashboard", args=[world.project.pk]))
    )
    assert "R-1 Vendor API late" not in dashboard


def test_email_and_pdf_carry_the_risk_section(world, today, register):
    report = services.report_create(project=world.project, actor=world.manager, summary="s")
    html = rendering.render_document(snapshot=report.snapshot, report=report, for_email=True)
    assert "Top risks" in html and "R-1 Vendor API late" in html
    assert "Heat maps of open risks" in html  # the full audience
    assert "href=" not in html.split('id="risk-heading"')[1].split("</section>")[0]
    executive = rendering.render_document(
        snapshot=report.snapshot, report=report, audience="executive"
    )
    assert "Top risks" in executive and "Heat maps of open risks" not in executive
    pdf = rendering.render_pdf(html)
    assert pdf.startswith(b"%PDF")


def test_a_shared_dashboard_shows_risks_without_links_to_the_register(world, register):
    link = services.share_link_create(project=world.project, actor=world.manager)
    body = text(client_for(None).get(reverse("report-share", args=[token_for(link.pk)])))
    assert "R-1 Vendor API late" in body
    assert reverse("risk-register", args=[world.project.pk]) not in body


def test_the_portfolio_shows_the_top_risk(world, register):
    other = ProjectFactory(organisation=world.organisation, key="NOR", name="No risks")
    ProjectMembership.objects.create(project=other, user=world.manager, role="manager")
    body = text(client_for(world.manager).get(reverse("portfolio")))
    assert "R-1 Vendor API late (score 20)" in body
    assert "No risks" in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_register_exports_from_the_reports_pages_as_the_risks_app_does(world, register, fmt):
    client = client_for(world.viewer)
    ours = client.get(reverse("export-risks", args=[world.project.pk, fmt]))
    theirs = client.get(reverse("risk-export", args=[world.project.pk, fmt]))
    assert ours.status_code == 200
    assert ours["Content-Type"] == theirs["Content-Type"]
    assert ours["Content-Disposition"] == theirs["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(ours.content.decode("utf-8-sig"))))
        assert rows == list(csv.reader(io.StringIO(theirs.content.decode("utf-8-sig"))))
        assert rows[0][:2] == ["Ref", "Title"]
        assert {row[1] for row in rows[1:]} >= {"Vendor API late", "Old data centre move"}
    # and the dashboard links to both files
    body = text(client.get(reverse("project-dashboard", args=[world.project.pk])))
    assert reverse("export-risks", args=[world.project.pk, fmt]) in body


def test_an_unknown_export_format_is_a_404(world):
    response = client_for(world.viewer).get(reverse("export-risks", args=[world.project.pk, "pdf"]))
    assert response.status_code == 404

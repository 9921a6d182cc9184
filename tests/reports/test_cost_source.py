"""Money in the reports: cost health (CPI, forecast against budget), SPI for the schedule, the
cost section with budget burn and S-curve on the dashboard and in status reports, the budget
variance in the portfolio; readers who may not see money see that the section exists only."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import ProjectMembership
from projects.mspdi.importer import project_import_mspdi
from reports import services
from reports.health import Colour, CostFacts, Thresholds, assess_cost
from reports.selectors import portfolio, project_health
from reports.sources import cost as cost_source
from reports.sources import sections
from resources.evm.selectors import project_evm
from tests.conftest import client_for
from tests.projects.helpers import assert_same_count, queries_for, text
from tests.resources.factories import BudgetLineFactory, ExpenseFactory
from tests.resources.mspdi_money_samples import money_document
from tests.resources.test_evm_selectors import money_project, paid_person
from tpm.roles import ProjectRole

pytestmark = pytest.mark.django_db

STATUS = date(2027, 1, 7)


@pytest.fixture
def office(world):
    """The "Office move" plan imported from Microsoft Project: BAC 1,630, PV 1,453.33, EV and
    AC 1,365 at its status date (7 January 2027); the world's people get their roles on it."""
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
    return project


def test_a_project_without_money_has_no_cost_data(world):
    # given the world's project has no budget, costs or time
    # when the cost source is asked
    found = cost_source.facts([world.project], today=STATUS)
    # then it leaves the project out: cost is "no data yet", never green or red
    assert found == {}
    assert project_health(world.project, today=STATUS).health.dimension("cost").colour is None


def test_cost_facts_are_earned_values_own_figures(office):
    # when the cost source reads the imported plan at its status date
    summary = cost_source.facts([office], today=STATUS)[office.pk]
    report = project_evm(office, status_date=STATUS)
    # then CPI, budget (BAC: no budget lines) and forecast are the EVM figures
    assert summary.health == CostFacts(
        cpi=report.figures["cpi"],
        budget=Decimal("1630.00"),
        forecast=report.figures["eac"],
        currency="EUR",
    )
    assert summary.health.cpi == Decimal("1.00")
    # and SPI (1,365 / 1,453.33) goes to the schedule dimension, which turns amber on it
    health = project_health(office, today=STATUS)
    assert health.facts.inputs.schedule.spi == Decimal("0.94")
    assert any("SPI is 0.94" in reason for reason in health.health.dimension("schedule").reasons)


def test_a_forecast_over_the_budget_lines_turns_cost_red_with_the_reason(office):
    # given a paid invoice of 100 that no budget line plans: AC 1,465 for EV 1,365 of BAC 1,630
    ExpenseFactory(project=office, amount=Decimal(100), status="paid", date=date(2027, 1, 5))
    # when health is assessed
    cost = project_health(office, today=STATUS).health.dimension("cost")
    # then the forecast AC + (BAC - EV) / CPI = 1,465 + 265 / (1,365 / 1,465) = 1,749.41 is
    # 7.3 % over BAC: amber (from 5 %, red from 10 %), and it says why
    assert cost.colour == Colour.AMBER
    assert "Forecast is 7.3% over the budget." in cost.reasons
    # and the portfolio shows the variance at completion (BAC - EAC)
    summary = cost_source.facts([office], today=STATUS)[office.pk]
    assert summary.budget_variance == Decimal("-119.41")


def test_the_rule_itself_red_from_ten_percent():
    verdict = assess_cost(
        CostFacts(cpi=Decimal("0.80"), budget=Decimal(1000), forecast=Decimal(1250)),
        Thresholds(),
    )
    assert verdict.colour == Colour.RED
    assert verdict.reasons == [
        "CPI is 0.80 (amber below 0.95).",
        "Forecast is 25.0% over the budget.",
    ]


def test_the_dashboard_shows_budget_burn_and_s_curve_to_those_who_see_money(world, office):
    url = reverse("project-dashboard", args=[office.pk])
    # when the stakeholder opens the dashboard
    response = client_for(world.stakeholder).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    # then the cost section shows the budget, forecast, the charts and the EVM table
    assert "Budget burn" in body and "S-curve" in body
    assert 'data-chart="report-burn"' in body and 'data-chart="report-s-curve"' in body
    page = text(response)
    assert "1,630.00" in page  # BAC = budget without budget lines
    assert "1,453.33" in page  # PV at the status date
    # and a member sees that costs exist, but not the amounts
    hidden = text(client_for(world.member).get(url))
    assert "Budgets and costs are shown to the project's managers and stakeholders." in hidden
    assert "1,453.33" not in hidden


def test_the_status_report_freezes_the_cost_section(world, office):
    # when the manager writes a report
    report = services.report_create(project=office, actor=world.manager, summary="On budget")
    # then its snapshot holds the cost section as plain data, drawn on the report page
    frozen = report.snapshot["sections"]["cost"]
    assert frozen["figures"]["pv"] == "1453.33"
    assert frozen["burn"]["series"][0]["name"] == "planned"
    page = client_for(world.manager).get(reverse("report-detail", args=[office.pk, report.pk]))
    assert page.status_code == 200
    assert "Budget burn" in page.content.decode()
    # and the live sections agree with it
    assert sections(office, today=STATUS)["cost"]["figures"] == frozen["figures"]


def test_the_portfolio_shows_the_budget_variance(world, office):
    # given a labour budget line (measured on the tasks: not added to BAC) and a paid invoice
    BudgetLineFactory(project=office, amount=Decimal("2000.00"), currency="EUR")
    ExpenseFactory(project=office, amount=Decimal(100), status="paid", date=date(2027, 1, 5))
    rows = portfolio(user=world.admin, organisation=world.organisation, today=STATUS)
    row = next(r for r in rows if r.project.pk == office.pk)
    assert row.budget_variance == Decimal("-119.41")  # VAC = BAC 1,630 - EAC 1,749.41
    other = next(r for r in rows if r.project.pk == world.project.pk)
    assert other.budget_variance is None
    page = text(client_for(world.admin).get(reverse("portfolio")))
    assert "-119.41" in page


def test_a_batch_gives_each_project_its_own_cost_figures(world, office):
    # given the imported plan, two projects with budgets, approved time and expenses, and the
    # world's project without money
    person = paid_person(world)
    money = [money_project(world, n, person) for n in (0, 1)]
    # when the cost source reads them all at once
    found = cost_source.facts([office, *money, world.project], today=STATUS)
    # then each has the figures earned value gives it alone, and its own budget
    assert set(found) == {office.pk, money[0].pk, money[1].pk}
    for project in (office, *money):
        alone = project_evm(project, status_date=project.status_date or STATUS)
        assert found[project.pk].figures == alone.figures
    assert found[office.pk].health.budget == Decimal("1630.00")  # BAC: no budget lines
    # BAC: its labour budget line is measured on its task (1,001), not added to it
    assert found[money[1].pk].health.budget == Decimal("1001.00")
    assert found[money[1].pk].figures["bac"] == Decimal("1001.00")


def test_the_cost_source_costs_the_same_queries_for_2_and_20_projects_with_money(world):
    # given two projects with budgets, baselines, approved time and expenses
    person = paid_person(world)
    projects = [money_project(world, n, person) for n in range(2)]
    cost_source.facts(projects, today=STATUS)  # caches warm, as in a running site
    with CaptureQueriesContext(connection) as few:
        cost_source.facts(projects, today=STATUS)
    # when there are twenty
    projects += [money_project(world, n, person) for n in range(2, 20)]
    with CaptureQueriesContext(connection) as many:
        found = cost_source.facts(projects, today=STATUS)
    # then the source costs the same queries, and every project has its cost summary
    assert_same_count(few, many)
    assert len(found) == 20 and all(s.health.budget == s.figures["bac"] for s in found.values())


def test_the_portfolio_costs_the_same_queries_for_few_and_many_projects_with_money(world):
    # given two projects with budgets and approved time
    client = client_for(world.admin)
    person = paid_person(world)
    for n in range(2):
        money_project(world, n, person)
    queries_for(client, "get", reverse("portfolio"))  # caches warm, as in a running site
    few = queries_for(client, "get", reverse("portfolio"))
    # when there are twenty
    for n in range(2, 20):
        money_project(world, n, person)
    many = queries_for(client, "get", reverse("portfolio"))
    # then the page costs the same queries and shows every project's budget variance
    assert_same_count(few, many)
    assert "Money 019" in text(many.response)
    rows = portfolio(user=world.admin, organisation=world.organisation, today=STATUS)
    money_rows = [row for row in rows if row.project.key.startswith("M")]
    assert len(money_rows) == 20 and all(row.budget_variance is not None for row in money_rows)


def _csv_rows(response):
    import csv
    import io

    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_budget_lines_export_with_plan_and_expenses(world):
    from resources.models import Expense
    from tests.resources.factories import BudgetLinePlanFactory

    # given a budget line planned over two months, with a paid and a committed invoice
    line = BudgetLineFactory(project=world.project, name="Cloud", amount=Decimal("9000.00"))
    for month, amount in ((date(2027, 1, 1), "4000.00"), (date(2027, 2, 1), "5000.00")):
        BudgetLinePlanFactory(line=line, month=month, amount=Decimal(amount))
    for status, amount in (("paid", "1200.00"), ("committed", "800.00")):
        Expense.objects.create(
            project=world.project,
            budget_line=line,
            vendor="AWS",
            amount=Decimal(amount),
            currency="USD",
            date=date(2027, 1, 15),
            status=status,
        )
    # when the stakeholder downloads the budget lines
    url = reverse("export-budget-lines", args=[world.project.pk, "csv"])
    rows = _csv_rows(client_for(world.stakeholder).get(url))
    # then the line carries its plan by month and what was paid and committed
    assert rows[0][:4] == ["Category", "Budget line", "Currency", "Budget"]
    assert rows[1] == [
        "Labour",
        "Cloud",
        "USD",
        "9000.00",
        "2027-01: 4000.00; 2027-02: 5000.00",
        "9000.00",
        "1200.00",
        "800.00",
    ]
    # and the Excel file opens
    xlsx = client_for(world.manager).get(
        reverse("export-budget-lines", args=[world.project.pk, "xlsx"])
    )
    assert xlsx.content[:2] == b"PK"
    # and a member may not download money
    assert client_for(world.member).get(url).status_code == 403


def test_time_entries_export_with_the_rate_of_the_day(world):
    from resources.models import TimeEntry
    from tests.factories import TaskFactory
    from tests.resources.factories import CostRateFactory, person_for

    # given the member's rate rises on 1 February and they worked on both sides of it
    person = person_for(world.member, world.organisation, name="Mo Member")
    CostRateFactory(resource=person, effective_from=date(2027, 1, 1), hourly_rate=Decimal(80))
    CostRateFactory(resource=person, effective_from=date(2027, 2, 1), hourly_rate=Decimal(90))
    task = TaskFactory(project=world.project, name="Build", wbs_code="1.2")
    for day in (date(2027, 1, 29), date(2027, 2, 1)):
        TimeEntry.objects.create(
            task=task,
            user=world.member,
            resource=person,
            date=day,
            hours=Decimal(5),
            status="approved",
            approved_by=world.manager,
        )
    # when the manager downloads the time entries
    rows = _csv_rows(
        client_for(world.manager).get(
            reverse("export-time-entries", args=[world.project.pk, "csv"])
        )
    )
    # then each entry is costed at the rate of its own day
    assert [(r[0], r[4], r[8], r[9]) for r in rows[1:]] == [
        ("2027-01-29", "5.00", "80.00", "400.00"),
        ("2027-02-01", "5.00", "90.00", "450.00"),
    ]
    assert rows[1][5] == "Approved" and rows[1][3] == "Build"


def test_what_changed_says_how_cost_moved():
    from reports.changes import what_changed

    def snapshot(cpi, forecast, ac):
        return {
            "sections": {
                "cost": {
                    "currency": "EUR",
                    "forecast": forecast,
                    "figures": {"cpi": cpi, "ac": ac},
                }
            }
        }

    changes = what_changed(
        snapshot(None, "1630.00", "0.00"), snapshot("0.91", "1791.21", "1365.00")
    )
    assert changes == [
        "CPI moved from not defined to 0.91.",
        "Forecast at completion moved from 1630.00 to 1791.21 EUR.",
        "Actual cost grew by 1365.00 EUR to 1365.00 EUR.",
    ]

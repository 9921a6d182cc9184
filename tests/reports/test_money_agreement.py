"""Issue 22: one project, one set of money figures. BAC, the reserves, the cost baseline, the
approved budget, AC, the forecast (EAC) and the variance (VAC = BAC - EAC) are defined once
(resources/evm/figures.py `BudgetFigures`) and the dashboard, the Budget page, the EVM page,
a status report (its page and the HTML its PDF is drawn from) and the API show the same ones,
with the same words."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects.models import Task
from reports import rendering, services
from resources.budgets import services as budget_services
from tests.conftest import client_for
from tests.resources.factories import BudgetLineFactory, ExpenseFactory
from tests.resources.money_helpers import approved_time, costed_plan

pytestmark = pytest.mark.django_db

# BAC = two tasks of 1,000 (baseline) + the contractors line of 600 (the labour line of 1,500 is
# measured on the tasks, not added); EV = 50 % of 1,000 + 300 paid of the 600 line = 800;
# AC = 8 h x 50 + the 300 paid = 700; CPI = 8/7; EAC = 700 + (2,600 - 800) / (8/7) = 2,275.
EXPECTED = {
    "bac": "2,600.00",
    "contingency": "500.00",
    "cost_baseline": "3,100.00",
    "management_reserve": "250.00",
    "approved_budget": "3,350.00",
    "ac": "700.00",
    "eac": "2,275.00",
    "etc": "1,575.00",
    "vac": "325.00",
}
# Before issue 22 the pages showed 2,100 (lines), 2,600 (lines + contingency) and 2,000 (BAC).
WRONG_BUDGETS = ("2,100.00", "2,600.00 (lines")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2027, 3, 5, 15, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def money(world, frozen):
    first, _ = costed_plan(world)  # status date Friday 5 March 2027
    approved_time(world, first)  # 8 h at 50 on Monday 1 March
    Task.objects.filter(pk=first.pk).update(percent_complete=50)
    BudgetLineFactory(project=world.project, category="labour", name="Team", amount=1500)
    audit = BudgetLineFactory(
        project=world.project, category="contractors", name="Audit", amount=600
    )
    budget_services.budget_line_plan_set(
        line=audit,
        actor=world.manager,
        version=audit.version,
        reason="plan",
        months={date(2027, 3, 1): Decimal(600)},
    )
    finance = budget_services.finance_of(world.project)
    budget_services.finance_update(
        project=world.project,
        actor=world.manager,
        version=finance.version,
        reason="Risk review",
        contingency=Decimal(500),
        management_reserve=Decimal(250),
    )
    ExpenseFactory(
        project=world.project, budget_line=audit, amount=300, status="paid", date=date(2027, 3, 2)
    )
    ExpenseFactory(project=world.project, amount=200, status="committed", date=date(2027, 3, 2))
    return world.project


def _shown(html: str) -> dict[str, str]:
    """The figures of the money partial (templates/resources/partials/money_figures.html)."""
    found = {}
    for name in EXPECTED:
        marker = f'id="money-{name}"'
        start = html.index(">", html.index(marker)) + 1
        found[name] = html[start : html.index("</dd>", start)].strip()
    return found


def _page(user, name: str, project) -> str:
    response = client_for(user).get(reverse(name, args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_pdf_and_the_api_show_the_same_budget_forecast_and_variance(world, money):
    # when the manager opens the dashboard, the Budget page and the EVM page
    pages = {
        name: _page(world.manager, name, money)
        for name in ("project-dashboard", "project-budget", "project-evm")
    }
    # and writes a status report (its page, and the HTML its PDF is drawn from)
    report = services.report_create(project=money, actor=world.manager, summary="Status")
    detail = client_for(world.manager).get(reverse("report-detail", args=[money.pk, report.pk]))
    pages["report"] = detail.content.decode()
    pages["pdf"] = rendering.render_document(snapshot=report.snapshot, report=report)
    # then each shows the same BAC, reserves, budgets, AC, EAC, ETC and VAC
    for name, html in pages.items():
        assert _shown(html) == EXPECTED, name
        # with the definitions, saying what the variance is measured against
        assert "How these are computed" in html, name
        assert "BAC - EAC, against BAC, not against a budget that includes reserves" in html
        assert not any(wrong in html for wrong in WRONG_BUDGETS), name
    # and the API says the same, to the cent
    body = client_for(world.manager).get(reverse("api:project-evm", args=[money.pk])).json()
    api = {name: body["budget"][name] for name in EXPECTED}
    assert api == {name: value.replace(",", "") for name, value in EXPECTED.items()}
    assert body["figures"]["eac"] == body["budget"]["eac"]
    assert body["figures"]["vac"] == body["budget"]["vac"]
    # as does the report's frozen snapshot (what the status report API returns)
    frozen = report.snapshot["sections"]["cost"]
    assert (frozen["budget"], frozen["forecast"], frozen["budget_variance"]) == (
        "2600.00",
        "2275.00",
        "325.00",
    )


def test_the_pdf_is_drawn_from_that_html(world, money):
    report = services.report_create(project=money, actor=world.manager, summary="Status")
    response = client_for(world.manager).get(reverse("report-pdf", args=[money.pk, report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[
        :4
    ] == (b"%PDF")


def test_the_forecast_is_never_below_actual_cost_and_is_the_same_everywhere(world, frozen):
    # given work paid for but nothing earned yet: CPI is 0 (EAC by CPI is not defined)
    first, _ = costed_plan(world)
    approved_time(world, first)  # AC 400, EV 0
    # when the EVM page, the Budget page, the dashboard and the API show the forecast
    pages = [
        _page(world.manager, name, world.project)
        for name in ("project-evm", "project-budget", "project-dashboard")
    ]
    body = client_for(world.manager).get(reverse("api:project-evm", args=[world.project.pk]))
    # then each shows AC + (BAC - EV) = 400 + 2,000 = 2,400, never "not defined", never < AC
    for html in pages:
        shown = _shown(html)
        assert shown["ac"] == "400.00"
        assert shown["eac"] == "2,400.00"
        assert shown["vac"] == "-400.00"
    budget = body.json()["budget"]
    assert Decimal(budget["eac"]) >= Decimal(budget["ac"]) == Decimal(400)
    assert body.json()["figures"]["eac"] == "2400.00"

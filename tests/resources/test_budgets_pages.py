"""The Budget tab as the manager, a stakeholder and a member see it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from resources.budgets import services as budget_services
from resources.models import BudgetChange, BudgetLine, BudgetLinePlan
from tests.conftest import client_for
from tests.resources.factories import BudgetLineFactory, ExpenseFactory
from tests.tpm.querycount import assert_same_count, queries_for_get

from .money_helpers import approved_time, costed_plan

pytestmark = pytest.mark.django_db


def _budget(client, world, query: str = "") -> str:
    response = client.get(reverse("project-budget", args=[world.project.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _dd(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}">') + len(f'id="{element_id}">')
    return html[start : html.index("</dd>", start)].strip()


def test_the_budget_adds_up_and_shows_actual_cost_and_forecast(world):
    # given a baselined plan with 8 h approved at 50/h, a 1,500 line and 500 contingency,
    # a paid 300 invoice and a committed 200 one
    first, _ = costed_plan(world)
    approved_time(world, first)
    BudgetLineFactory(project=world.project, category="labour", name="Team", amount=1500)
    finance = budget_services.finance_of(world.project)
    budget_services.finance_update(
        project=world.project,
        actor=world.manager,
        version=finance.version,
        reason="Risk review",
        contingency=Decimal(500),
        management_reserve=Decimal(250),
    )
    ExpenseFactory(project=world.project, amount=300, status="paid", date=date(2027, 3, 2))
    ExpenseFactory(project=world.project, amount=200, status="committed", date=date(2027, 3, 2))
    # when the manager opens the budget
    html = _budget(client_for(world.manager), world)
    # then BAC is the tasks' 2,000 (labour lines are measured on the tasks), the cost baseline
    # BAC + contingency, the approved budget + management reserve; AC is 400 of time + 300 paid
    assert _dd(html, "money-bac") == "2,000.00"
    assert _dd(html, "money-cost_baseline") == "2,500.00"
    assert _dd(html, "money-approved_budget") == "2,750.00"
    assert _dd(html, "money-ac") == "700.00"
    assert "Committed, not yet paid</dt><dd>200.00" in html
    # and the forecast lists the three labelled estimates at completion
    assert "EAC by CPI (AC + (BAC - EV) / CPI = BAC / CPI)" in html
    assert "EAC by remaining budget (AC + BAC - EV)" in html
    # and the change log shows why the reserves changed
    assert "Risk review" in html


def test_actual_cost_and_cpi_change_when_time_is_approved(world, time_machine):
    # the week the plan runs: progress then takes the scheduled start as the actual start
    time_machine.move_to("2027-03-05T12:00:00+00:00", tick=False)
    first, _ = costed_plan(world)
    from projects.plan import services as task_services
    from projects.plan.changes import ProgressChanges

    task_services.task_update_progress(
        task=first,
        actor=world.manager,
        version=first.version,
        changes=ProgressChanges(percent_complete=50),
    )
    client = client_for(world.manager)
    before = _budget(client, world)
    approved_time(world, first, hours="10", hourly="40")
    after = _budget(client, world)
    assert (_dd(before, "money-ac"), _dd(before, "cpi")) == ("0.00", "not defined yet")
    assert (_dd(after, "money-ac"), _dd(after, "cpi")) == ("400.00", "1.25")


def test_a_stakeholder_reads_the_budget_without_forms_and_members_cannot_open_it(world):
    BudgetLineFactory(project=world.project, name="Licences", category="software")
    html = _budget(client_for(world.stakeholder), world)
    assert "Licences" in html
    assert "Add a budget line" not in html and "Record an expense" not in html
    url = reverse("project-budget", args=[world.project.pk])
    assert client_for(world.member).get(url).status_code == 403
    assert client_for(world.viewer).get(url).status_code == 403


def test_members_see_no_money_tab(world):
    # given the Money section's first page, which everyone with a role may open
    url = reverse("project-team", args=[world.project.pk])
    budget = reverse("project-budget", args=[world.project.pk])
    evm = reverse("project-evm", args=[world.project.pk])
    # then a member is offered neither the budget nor earned value, the manager both
    member = client_for(world.member).get(url).content.decode()
    manager = client_for(world.manager).get(url).content.decode()
    assert budget not in member and evm not in member
    assert budget in manager and evm in manager


def test_adding_a_line_in_another_currency_is_refused_on_the_page(world):
    response = client_for(world.manager).post(
        reverse("budget-line-create", args=[world.project.pk]),
        {
            "category": "travel",
            "name": "Site visits",
            "amount": "900",
            "currency": "EUR",
            "reason": "Kick-off",
        },
    )
    assert response.status_code == 422
    assert "WEB&#x27;s money is in USD; this budget line is in EUR" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_adding_a_line_and_planning_its_months(world):
    client = client_for(world.manager)
    response = client.post(
        reverse("budget-line-create", args=[world.project.pk]),
        {
            "category": "travel",
            "name": "Site visits",
            "amount": "900",
            "currency": "USD",
            "reason": "Kick-off",
        },
    )
    line = BudgetLine.objects.get()
    assert response.url == reverse("budget-line-edit", args=[world.project.pk, line.pk])
    page = client.get(response.url).content.decode()
    month = date.today().replace(day=1)
    field = f"m-{month:%Y-%m}"
    assert f'name="{field}"' in page
    saved = client.post(
        response.url,
        {
            "category": "travel",
            "name": "Site visits",
            "amount": "900",
            "currency": "USD",
            "reason": "Visits in the first month",
            "version": line.version,
            field: "450",
        },
    )
    assert saved.status_code == 302
    assert list(BudgetLinePlan.objects.values_list("month", "amount")) == [(month, Decimal(450))]
    assert BudgetChange.objects.filter(field=f"plan {month:%Y-%m}").exists()


def test_a_month_that_is_not_an_amount_is_refused(world):
    line = BudgetLineFactory(project=world.project)
    month = date.today().replace(day=1)
    response = client_for(world.manager).post(
        reverse("budget-line-edit", args=[world.project.pk, line.pk]),
        {
            "category": "labour",
            "name": line.name,
            "amount": "10000",
            "currency": "USD",
            "reason": "x",
            "version": line.version,
            f"m-{month:%Y-%m}": "lots",
        },
    )
    assert response.status_code == 422
    assert "“lots” is not an amount" in response.content.decode()


def test_changing_a_reserve_without_a_reason_is_refused_on_the_page(world):
    finance = budget_services.finance_of(world.project)
    response = client_for(world.manager).post(
        reverse("budget-finance", args=[world.project.pk]),
        {"contingency": "100", "management_reserve": "0", "version": finance.version},
    )
    assert response.status_code == 422
    assert "Say why the budget changes" in response.content.decode()


def test_the_budget_costs_the_same_for_few_and_many_lines_and_expenses(world):
    costed_plan(world)
    client = client_for(world.manager)

    def add(count: int) -> None:
        for n in range(count):
            line = BudgetLineFactory.create(
                project=world.project, name=f"Line {BudgetLine.objects.count()}"
            )
            budget_services.budget_line_plan_set(
                line=line,
                actor=world.manager,
                version=line.version,
                reason="plan",
                months={date(2027, 3, 1): Decimal(10), date(2027, 4, 1): Decimal(n)},
            )
            ExpenseFactory(project=world.project, budget_line=line, status="paid")

    add(2)
    client.get(reverse("project-budget", args=[world.project.pk]))
    few = queries_for_get(client, reverse("project-budget", args=[world.project.pk]))
    add(8)
    many = queries_for_get(client, reverse("project-budget", args=[world.project.pk]))
    assert_same_count(few, many)

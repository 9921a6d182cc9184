"""Budget lines, their months, reserves and the change log, through the services."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from resources.budgets import services as budget_services
from resources.models import BudgetChange, BudgetLine, BudgetLinePlan, ProjectFinance
from tpm.concurrency import StaleVersionError
from tpm.models import HistoryEntry

pytestmark = pytest.mark.django_db

MARCH, APRIL = date(2027, 3, 1), date(2027, 4, 1)


def _line(world, **fields) -> BudgetLine:
    values: dict[str, Any] = {
        "category": "hardware",
        "name": "Test rigs",
        "amount": Decimal("12000"),
        "reason": "Initial budget",
    }
    values.update(fields)
    return budget_services.budget_line_create(project=world.project, actor=world.manager, **values)


def test_a_new_line_is_in_the_change_log_with_its_reason_and_author(world):
    # when the manager adds a line with two planned months
    line = _line(world, months={MARCH: Decimal(5000), APRIL: Decimal(7000)})
    # then the line is in the project's currency, its months are planned
    assert line.currency == world.project.currency == "USD"
    assert list(line.plan.values_list("month", "amount")) == [
        (MARCH, Decimal("5000.00")),
        (APRIL, Decimal("7000.00")),
    ]
    # and the change log has the creation and the months, with reason and author
    log = {c.field: c for c in BudgetChange.objects.filter(project=world.project)}
    assert set(log) == {"created", "plan 2027-03", "plan 2027-04"}
    assert log["created"].new_value == "Test rigs: 12000.00"
    assert {c.reason for c in log.values()} == {"Initial budget"}
    assert {c.author for c in log.values()} == {world.manager}
    assert HistoryEntry.objects.filter(scope=f"project:{world.project.pk}", action="updated")


def test_a_line_in_another_currency_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _line(world, currency="EUR")
    assert exc.value.message_dict["currency"] == [
        "WEB's money is in USD; this budget line is in EUR. Convert the amount to USD and "
        "enter it in USD."
    ]
    assert not BudgetLine.objects.exists()


def test_a_budget_change_needs_a_reason(world):
    with pytest.raises(ValidationError, match="Say why the budget changes"):
        _line(world, reason="  ")
    line = _line(world)
    with pytest.raises(ValidationError, match="Say why"):
        budget_services.budget_line_update(
            line=line, actor=world.manager, version=line.version, reason="", amount=Decimal(1)
        )


def test_changing_the_amount_records_before_and_after(world):
    line = _line(world)
    # when the amount goes up with a reason
    budget_services.budget_line_update(
        line=line,
        actor=world.manager,
        version=line.version,
        reason="CR-7 adds a second rig",
        amount=Decimal("18000"),
    )
    # then the change log says from what to what and why
    change = BudgetChange.objects.get(field="amount")
    assert (change.old_value, change.new_value, change.reason) == (
        "12000.00",
        "18000.00",
        "CR-7 adds a second rig",
    )
    # and an edit from the old version is refused
    with pytest.raises(StaleVersionError):
        budget_services.budget_line_update(
            line=line, actor=world.manager, version=1, reason="again", amount=Decimal(1)
        )


def test_planning_months_changes_and_removes_them(world):
    line = _line(world, months={MARCH: Decimal(5000)})
    line.refresh_from_db()
    budget_services.budget_line_plan_set(
        line=line,
        actor=world.manager,
        version=line.version,
        reason="Delivery moved to April",
        months={MARCH: Decimal(0), APRIL: Decimal(5000)},
    )
    assert list(BudgetLinePlan.objects.values_list("month", "amount")) == [
        (APRIL, Decimal("5000.00"))
    ]
    march = BudgetChange.objects.get(field="plan 2027-03", reason="Delivery moved to April")
    assert (march.old_value, march.new_value) == ("5000.00", "0.00")


def test_negative_amounts_are_refused(world):
    with pytest.raises(ValidationError, match="cannot be negative"):
        _line(world, amount=Decimal(-1))
    line = _line(world)
    with pytest.raises(ValidationError, match="planned for Mar 2027 cannot be negative"):
        budget_services.budget_line_plan_set(
            line=line,
            actor=world.manager,
            version=line.version,
            reason="x",
            months={MARCH: Decimal(-5)},
        )


def test_reserves_need_a_reason_but_the_progress_switch_does_not(world):
    finance = budget_services.finance_of(world.project)
    with pytest.raises(ValidationError, match="Say why"):
        budget_services.finance_update(
            project=world.project,
            actor=world.manager,
            version=finance.version,
            contingency=Decimal(5000),
        )
    budget_services.finance_update(
        project=world.project,
        actor=world.manager,
        version=finance.version,
        progress_from_timesheets=True,
    )
    finance = ProjectFinance.objects.get(project=world.project)
    budget_services.finance_update(
        project=world.project,
        actor=world.manager,
        version=finance.version,
        reason="Risk review of 1 March",
        contingency=Decimal(5000),
        management_reserve=Decimal(2000),
    )
    finance.refresh_from_db()
    assert (finance.contingency, finance.management_reserve) == (Decimal(5000), Decimal(2000))
    assert finance.progress_from_timesheets
    assert set(BudgetChange.objects.values_list("field", flat=True)) == {
        "contingency",
        "management_reserve",
    }


def test_removing_a_line_keeps_it_in_the_change_log(world):
    line = _line(world)
    budget_services.budget_line_delete(line=line, actor=world.manager, reason="Rigs are rented")
    assert not BudgetLine.objects.exists()
    removal = BudgetChange.objects.get(field="deleted")
    assert (removal.old_value, removal.reason) == ("Test rigs: 12000.00", "Rigs are rented")

"""The resources part of the demo: a pool of 25 with rates and time off, two people over-booked,
approved timesheets and expenses, budget lines planned by month, and earned value to show."""

import time
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from projects.models import Project
from reports.sources import cost as cost_source
from resources.demo import seed_resources
from resources.evm.selectors import project_evm
from resources.models import (
    Allocation,
    BudgetLine,
    CostRate,
    Expense,
    Resource,
    TimeEntry,
    TimeOff,
)
from tpm.demo import DemoPeople
from tpm.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        started = time.perf_counter()
        call_command("seed_demo", stdout=StringIO())
        elapsed = time.perf_counter() - started
    yield elapsed
    with django_db_blocker.unblock():
        from django.core.management import call_command as run

        run("flush", "--no-input", verbosity=0)


def test_the_pool_has_25_people_and_things_with_rates_and_time_off(seeded):
    pool = Resource.objects.filter(organisation__slug="northwind")
    assert pool.count() == 25
    assert pool.filter(user__isnull=False).count() == 6  # engineers and managers
    assert pool.filter(kind="equipment").count() == 2
    # a raise: Sam's rate changed from a date on, the old rate kept
    sam = pool.get(user__email="dev@example.com")
    assert list(sam.rates.order_by("effective_from").values_list("hourly_rate", flat=True)) == [
        Decimal("92.00"),
        Decimal("98.00"),
    ]
    assert CostRate.objects.filter(role__isnull=False).count() == 9
    assert TimeOff.objects.count() == 5


def test_two_people_are_over_booked(seeded):
    over = []
    for resource in Resource.objects.filter(allocations__isnull=False).distinct():
        rows = list(Allocation.objects.filter(resource=resource))
        days = {row.start_date for row in rows} | {row.end_date for row in rows}
        peak = max(
            sum(r.percent for r in rows if r.start_date <= day <= r.end_date) for day in days
        )
        if peak > 100:
            over.append((resource.name, peak))
    assert sorted(over) == [("Hana Sato", 150), ("Sam Okafor", 140)]


def test_months_of_approved_timesheets_cost_the_tasks(seeded):
    today = timezone.localdate()
    approved = TimeEntry.objects.filter(status="approved")
    first = approved.order_by("date").first().date
    assert (today - first).days > 50  # PAY started two months ago
    assert approved.count() > 150
    assert TimeEntry.objects.filter(status="submitted").exists()  # waiting for approval
    # no one works more than a day's hours on any day
    daily = approved.values("user", "date").annotate(total=Sum("hours"))
    assert max(row["total"] for row in daily) <= Decimal(9)
    # and approved time is the tasks' actual cost
    pay = Project.objects.get(key="PAY")
    assert pay.tasks.filter(actual_cost__gt=0).exists()


def test_budgets_expenses_and_earned_value_to_show(seeded):
    pay = Project.objects.get(key="PAY")
    lines = BudgetLine.objects.filter(project=pay)
    assert lines.count() == 5 and all(line.plan.exists() for line in lines)
    assert Expense.objects.filter(project=pay, status="paid").count() == 4
    assert Expense.objects.filter(status="committed").count() == 3
    # the payments project runs over its cost plan: CPI under 1, defined
    report = project_evm(pay)
    assert report.source == "baseline"
    assert report.figures["bac"] > 0
    assert Decimal("0.85") < report.figures["cpi"] < Decimal("0.95")  # amber
    # and the reports have a cost section for every demo project
    summaries = cost_source.facts(list(Project.objects.all()), today=timezone.localdate())
    assert set(summaries) == set(Project.objects.values_list("pk", flat=True))


def test_seeding_again_changes_nothing(seeded):
    # given the seeded demo
    pay = Project.objects.get(key="PAY")
    people = DemoPeople(
        admin=User.objects.get(email="admin@example.com"),
        manager=User.objects.get(email="tpm@example.com"),
        second_manager=User.objects.get(email="tpm2@example.com"),
        engineers=list(User.objects.filter(email__startswith="d").order_by("pk")),
        stakeholder=User.objects.get(email="sponsor@example.com"),
        viewer=User.objects.get(email="viewer@example.com"),
    )
    before = (Resource.objects.count(), TimeEntry.objects.count(), BudgetLine.objects.count())
    # when the resources seed runs again, then it does nothing
    assert seed_resources([pay], people, timezone.localdate() + timedelta(days=1)) == 0
    after = (Resource.objects.count(), TimeEntry.objects.count(), BudgetLine.objects.count())
    assert after == before


def test_the_whole_demo_seeds_in_reasonable_time(seeded):
    assert seeded < 60  # seconds, every app included (about 10 s on a laptop)

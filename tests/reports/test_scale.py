"""The portfolio and the dashboard at scale (issue 14).

* their query counts do not grow with projects or tasks, with cost figures computed live or
  stored ahead (reports.models.CostFigures);
* stored cost figures are the live ones, used only while fresh: any write to what they are made
  of (database triggers), a new day, or a write during their computation makes the page compute
  them live again;
* on PostgreSQL, their queries keep a shape that scales (no subquery per row, no whole-table
  scan of a big table).
"""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.urls import reverse

from projects.models import ProjectMembership, Task
from reports.models import CostFigures
from reports.sources import cost
from resources.models import CostRate, Expense, TimeEntry
from tests.conftest import client_for
from tests.factories import DependencyFactory, RiskFactory, TaskFactory
from tests.plans import big_table_scans, needs_postgres, per_row_subplans, plan_of
from tests.projects.helpers import assert_same_count, queries_for, text
from tests.reports.helpers import milestone, plan
from tests.resources.factories import ExpenseFactory
from tests.resources.test_evm_selectors import money_project, paid_person
from tpm.roles import ProjectRole

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 1, 10, 12, tzinfo=UTC)


@pytest.fixture
def today(time_machine, settings):
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(NOW, tick=False)
    return date(2024, 1, 10)


def _add(world, numbers, person, today):
    """Projects with money (earned value), a plan with a milestone, a risk and a manager."""
    made = []
    for n in numbers:
        project = money_project(world, n, person)
        ProjectMembership.objects.create(project=project, user=world.manager, role="manager")
        plan(project, today=today, tasks=2, late_critical=n % 2)
        milestone(project, "Launch", forecast=today + timedelta(days=n), baseline=today)
        RiskFactory(project=project, number=1, probability=2, impact_schedule=2)
        made.append(project)
    return made


def _cost_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "resources_timeentry" in q["sql"]]


@pytest.mark.parametrize("stored", [False, True], ids=["live", "stored"])
def test_the_portfolio_costs_the_same_queries_for_2_and_6_projects(world, today, stored):
    person = paid_person(world)
    client = client_for(world.admin)
    _add(world, range(2), person, today)
    if stored:
        cost.refresh_all(today=today)
    few = queries_for(client, "get", reverse("portfolio"))
    _add(world, range(2, 6), person, today)
    if stored:
        cost.refresh_all(today=today)
    many = queries_for(client, "get", reverse("portfolio"))
    assert_same_count(few, many)
    assert "Money 005" in text(many.response)
    # stored figures spare the page earned value's loading (time entries, rates, ...)
    assert bool(_cost_queries(many)) is not stored


@pytest.mark.parametrize("stored", [False, True], ids=["live", "stored"])
def test_the_dashboard_costs_the_same_queries_for_few_and_many_tasks(world, today, stored):
    person = paid_person(world)
    (project,) = _add(world, [0], person, today)
    client = client_for(world.manager)
    url = reverse("project-dashboard", args=[project.pk])
    if stored:
        cost.refresh_all(today=today)
    few = queries_for(client, "get", url)
    for n in range(60):  # more milestones than the page lists, and critical tasks past due
        milestone(project, f"Gate {n:02d}", forecast=today + timedelta(days=n), baseline=today)
    plan(project, today=today, tasks=5, late_critical=12)
    if stored:
        cost.refresh_all(today=today)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)
    body = text(many.response)
    # and it lists 50 of the 61 milestones (those that matter most), counting the others
    assert len(re.findall(r"<td>(?:Gate \d+|Launch)</td>", body)) == 50
    assert "and 11 more milestones" in body
    assert "and 11 more milestones" in body


def _summary_json(found):
    return {pk: summary.to_json() for pk, summary in found.items()}


def test_stored_figures_are_the_live_ones_and_the_only_query(
    world, today, django_assert_num_queries
):
    person = paid_person(world)
    projects = [*_add(world, range(3), person, today), world.project]  # the last has no money
    live = cost.summaries(projects, today=today)
    # when they are stored
    assert cost.refresh(projects, today=today) == 4
    # then reading them is one query, and they are the live figures to the last digit
    with django_assert_num_queries(1):
        found = cost.facts(projects, today=today)
    assert set(found) == set(live) == {p.pk for p in projects[:3]}
    assert _summary_json(found) == _summary_json(live)
    for pk, summary in found.items():
        assert summary.health == live[pk].health
        assert summary.figures == live[pk].figures and summary.money == live[pk].money
    # and a second refresh has nothing to do
    assert cost.refresh(projects, today=today) == 0


def _fresh_ids(projects, today) -> set[int]:
    return set(cost._fresh(projects, today))


def test_every_kind_of_write_makes_stored_figures_stale(world, today):
    person = paid_person(world)
    first, second = _add(world, range(2), person, today)
    task = Task.objects.filter(project=first, cost__gt=0).first()
    writes = {
        # bulk paths that send no signal are caught too: the triggers are the database's
        "a time entry approved in bulk": lambda: TimeEntry.objects.filter(task=task).update(
            hours=Decimal(9)
        ),
        "a task's cost": lambda: Task.objects.filter(pk=task.pk).update(cost=Decimal(5000)),
        "an expense": lambda: ExpenseFactory(project=first, amount=Decimal(7), status="paid"),
        "the project's status date": lambda: (
            type(first).objects.filter(pk=first.pk).update(status_date=date(2024, 1, 9))
        ),
    }
    for name, write in writes.items():
        cost.refresh([first, second], today=today)
        assert _fresh_ids([first, second], today) == {first.pk, second.pk}
        write()
        # then only the project written to is computed live again, with the new data
        assert _fresh_ids([first, second], today) == {second.pk}, name
    before = cost.facts([first], today=today)[first.pk]
    assert before.figures == cost.summaries([first], today=today)[first.pk].figures
    # a rate is the organisation's: every project of it is stale
    cost.refresh([first, second], today=today)
    CostRate.objects.filter(resource=person).update(hourly_rate=Decimal(120))
    assert _fresh_ids([first, second], today) == set()
    # and a deleted project leaves no row behind
    second.delete()
    assert not CostFigures.objects.filter(project_id=second.pk).exists()


def test_figures_of_yesterday_are_not_used_today(world, today, time_machine):
    person = paid_person(world)
    (project,) = _add(world, [0], person, today)
    cost.refresh([project], today=today)
    # the next day the same figures are not fresh (PV moves with the status date)
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    assert _fresh_ids([project], today + timedelta(days=1)) == set()
    # and the beat job computes them for the new day
    assert cost.refresh_all(today=today + timedelta(days=1)) >= 1
    assert _fresh_ids([project], today + timedelta(days=1)) == {project.pk}


def test_a_write_during_the_computation_stores_nothing(world, today, monkeypatch):
    person = paid_person(world)
    (project,) = _add(world, [0], person, today)
    real = cost.summaries

    def racing(projects, *, today):
        found = real(projects, today=today)
        Expense.objects.create(  # lands after the figures were read
            project=project, vendor="Late", amount=Decimal(1), currency="USD", date=today
        )
        return found

    monkeypatch.setattr(cost, "summaries", racing)
    assert cost.refresh([project], today=today) == 0
    assert _fresh_ids([project], today) == set()


CSRF = re.compile(r"[A-Za-z0-9]{64}")  # the masked CSRF tokens, new on every page


@pytest.mark.parametrize("role", [ProjectRole.STAKEHOLDER, ProjectRole.VIEWER])
def test_the_dashboard_and_portfolio_read_the_same_from_stored_figures(world, today, role):
    person = paid_person(world)
    (project,) = _add(world, [0], person, today)
    user = world.stakeholder if role == ProjectRole.STAKEHOLDER else world.viewer
    ProjectMembership.objects.create(project=project, user=user, role=role)
    client = client_for(user)
    pages = [reverse("project-dashboard", args=[project.pk]), reverse("portfolio")]
    live = [CSRF.sub("", text(client.get(url))) for url in pages]
    cost.refresh_all(today=today)
    stored = [CSRF.sub("", text(client.get(url))) for url in pages]
    assert stored == live
    # money stays the stakeholder's only (tpm/money.py)
    assert ("Budget at completion" in stored[0]) is (role == ProjectRole.STAKEHOLDER)


# The one query of the live path with a subquery per row is earned value's latest baseline of
# each project (resources/evm/loading.py `_latest_baselines`: one run per baseline row, not per
# task or entry); it is left to earned value's owners. The stored path never runs it.
KNOWN_PER_ROW = ('"projects_baseline"."id" = (SELECT',)


@needs_postgres
@pytest.mark.parametrize("stored", [False, True], ids=["live", "stored"])
@pytest.mark.parametrize("page", ["portfolio", "project-dashboard"])
def test_the_hot_queries_scale_on_postgresql(world, today, stored, page):
    person = paid_person(world)
    projects = _add(world, range(3), person, today)
    tasks = TaskFactory.create_batch(20, project=projects[0])
    for before, after in pairwise(tasks):
        DependencyFactory(predecessor=before, successor=after)
    if stored:
        cost.refresh_all(today=today)
    args = [projects[0].pk] if page == "project-dashboard" else []
    captured = queries_for(client_for(world.admin), "get", reverse(page, args=args))
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) > 10
    assert any("projects_task" in sql for sql in selects)
    for sql in selects:
        if stored or not any(known in sql for known in KNOWN_PER_ROW):
            nodes = plan_of(sql.replace("%", "%%"))
            assert per_row_subplans(nodes) == [], f"a subquery runs once per row in: {sql}"
            assert big_table_scans(nodes) == [], f"a big table is scanned whole in: {sql}"

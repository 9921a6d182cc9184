"""A project's earned value from its baseline, progress, approved time, rates and expenses.

The same function feeds the page, the API and `manage.py evm`; the command is tested here.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from resources.evm.selectors import (
    budget_burn_months,
    evm_json,
    project_evm,
    projects_evm,
    s_curve_points,
)
from resources.models import Resource
from tests.factories import (
    BaselineFactory,
    BaselineTaskFactory,
    ProjectFactory,
    TaskFactory,
    WorkCalendarFactory,
)
from tests.resources.factories import (
    BudgetLineFactory,
    CostRateFactory,
    ExpenseFactory,
    ResourceFactory,
    TimeEntryFactory,
    person_for,
)

D = Decimal


def _at(day: int, hour: int) -> datetime:
    return datetime(2024, 1, day, hour, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _plan(world, extra_tasks: int = 0):
    """Design (summary) > Build (10,000 over two weeks, 40 %) and Test (2,000 in week 2);
    Import (no baseline, 300 of imported actual cost); time at 100/h; expenses."""
    project = world.project
    design = TaskFactory(
        project=project, name="Design", wbs_code="1", outline_key="00001", is_summary=True
    )
    build = TaskFactory(
        project=project,
        parent=design,
        name="Build",
        wbs_code="1.1",
        outline_key="00001.00001",
        percent_complete=40,
        start=_at(1, 8),
        finish=_at(12, 17),
    )
    test = TaskFactory(
        project=project,
        parent=design,
        name="Test",
        wbs_code="1.2",
        outline_key="00001.00002",
        start=_at(8, 8),
        finish=_at(12, 17),
    )
    TaskFactory(
        project=project, name="Import", wbs_code="2", outline_key="00002", actual_cost=D(300)
    )
    baseline = BaselineFactory(project=project, name="Approved plan")
    BaselineTaskFactory(
        baseline=baseline,
        task=design,
        is_summary=True,
        cost=D(12000),
        start=_at(1, 8),
        finish=_at(12, 17),
    )
    BaselineTaskFactory(
        baseline=baseline, task=build, cost=D(10000), start=_at(1, 8), finish=_at(12, 17)
    )
    BaselineTaskFactory(
        baseline=baseline, task=test, cost=D(2000), start=_at(8, 8), finish=_at(12, 17)
    )
    for n in range(extra_tasks):
        task = TaskFactory(project=project, wbs_code=f"{3 + n}", outline_key=f"{3 + n:05d}")
        BaselineTaskFactory(
            baseline=baseline, task=task, cost=D(0), start=_at(1, 8), finish=_at(2, 17)
        )
    person = ResourceFactory(organisation=project.organisation)
    CostRateFactory(resource=person, effective_from=date(2023, 1, 1), hourly_rate=D(100))
    for day in range(1, 6):  # 9 h a day on Build, Mon 1 - Fri 5 January: 4,500
        TimeEntryFactory(
            task=build,
            user=world.member,
            resource=person,
            date=date(2024, 1, day),
            hours=D(9),
            status="approved",
        )
    TimeEntryFactory(
        task=build, user=world.member, resource=person, date=date(2024, 1, 9), hours=D(5)
    )  # draft (one entry per task and day: a later day than the approved ones)
    TimeEntryFactory(
        task=build,
        user=world.member,
        resource=person,
        date=date(2024, 1, 8),
        hours=D(8),
        status="approved",
    )
    ExpenseFactory(
        project=project,
        amount=D(200),
        date=date(2024, 1, 3),
        status="paid",
        currency=project.currency,
    )
    ExpenseFactory(
        project=project,
        amount=D(999),
        date=date(2024, 1, 4),
        status="committed",
        currency=project.currency,
    )
    return project, design


@pytest.mark.django_db
def test_project_figures_from_baseline_time_rates_and_expenses(world):
    # given
    project, design = _plan(world)
    # when
    report = project_evm(project, status_date=date(2024, 1, 5))
    # then BAC = 10,000 + 2,000 (the summary's own baseline row is not counted twice)
    # PV = Build 5/10 of 10,000 = 5,000 (Test starts on the 8th); EV = 40 % x 10,000 = 4,000
    # AC = approved time 45 h x 100 = 4,500 + Import's 300 + the paid expense 200 = 5,000
    # (the draft entry, the entry after the status date and the committed 999 do not count)
    figures = report.figures
    assert (figures["bac"], figures["pv"], figures["ev"], figures["ac"]) == (
        D("12000.00"),
        D("5000.00"),
        D("4000.00"),
        D("5000.00"),
    )
    assert (figures["spi"], figures["cpi"]) == (D("0.80"), D("0.80"))
    assert figures["eac"] == D("15000.00")  # 12,000 / 0.8
    assert report.source == "baseline" and report.baseline.name == "Approved plan"
    assert report.committed == D(999)
    # and the Design branch has its own figures
    branch = {row.task_id: row for row in report.rows}[design.pk].figures
    assert (branch["bac"], branch["pv"], branch["ev"], branch["ac"]) == (
        D("12000.00"),
        D("5000.00"),
        D("4000.00"),
        D("4500.00"),
    )


@pytest.mark.django_db
def test_without_a_baseline_the_current_plan_stands_in(world):
    project = world.project
    TaskFactory(
        project=project,
        cost=D(800),
        start=_at(1, 8),
        finish=_at(4, 17),
        percent_complete=50,
        outline_key="00001",
    )
    report = project_evm(project, status_date=date(2024, 1, 2))
    # PV = 2 of 4 days of 800 = 400; EV = 400
    assert report.source == "plan" and report.baseline is None
    assert (report.figures["pv"], report.figures["ev"], report.figures["spi"]) == (
        D("400.00"),
        D("400.00"),
        D("1.00"),
    )


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_plan(world):
    project, _ = _plan(world)
    with CaptureQueriesContext(connection) as few:
        project_evm(project, status_date=date(2024, 1, 5))
    TaskFactory.create_batch(5, project=project)
    person = Resource.objects.get(organisation=project.organisation)
    for _ in range(5):
        TimeEntryFactory(
            task=TaskFactory(project=project), user=world.member, resource=person, status="approved"
        )
    with CaptureQueriesContext(connection) as many:
        project_evm(project, status_date=date(2024, 1, 5))
    assert len(few) == len(many), "\n".join(q["sql"] for q in many.captured_queries)
    assert len(many) <= 12


@pytest.mark.django_db
def test_chart_series_follow_the_figures(world):
    project, _ = _plan(world)
    report = project_evm(project, status_date=date(2024, 1, 5))
    points = s_curve_points(report)
    status = next(p for p in points if p.day == date(2024, 1, 5))
    assert (status.pv, status.ev, status.ac) == (D("5000.00"), D("4000.00"), D("5000.00"))
    assert points[-1].pv == D("12000.00") and points[-1].ac is None
    (january,) = budget_burn_months(report)
    assert january.month == date(2024, 1, 1)
    assert (january.planned, january.actual) == (D("12000.00"), D("5000.00"))


@pytest.mark.django_db
def test_the_command_prints_the_same_figures_as_json_and_text(world):
    project, _ = _plan(world)
    slug = project.organisation.slug
    out = StringIO()
    call_command(
        "evm",
        "--org",
        slug,
        "--key",
        "web",
        "--status-date",
        "2024-01-05",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data == json.loads(
        json.dumps(evm_json(project_evm(project, status_date=date(2024, 1, 5)), branches=False))
    )
    assert data["figures"]["cpi"] == "0.8000" and data["figures"]["ac"] == "5000.00"
    assert data["figures"]["eac_cpi_spi"] == "17500.00"  # 5,000 + 8,000 / (0.8 x 0.8)
    assert [e["method"] for e in data["estimates"]] == ["cpi", "cpi_spi", "remaining_budget"]
    text = StringIO()
    call_command("evm", "--org", slug, "--key", "WEB", "--status-date", "2024-01-05", stdout=text)
    assert "Earned value (EV)" in text.getvalue() and "4,000.00" in text.getvalue()
    assert "Committed (unpaid) expenses, not in AC: 999" in text.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_bad_input(world):
    with pytest.raises(CommandError, match="No project NOPE"):
        call_command("evm", "--org", world.organisation.slug, "--key", "NOPE")
    with pytest.raises(CommandError, match="is not a date"):
        call_command(
            "evm", "--org", world.organisation.slug, "--key", "WEB", "--status-date", "5/1/2024"
        )


@pytest.mark.django_db
def test_a_past_status_date_uses_the_progress_recorded_then(world):
    # given Build went 0 -> 30 % on 3 January and 30 -> 40 % on 10 January (40 % today)
    from django.contrib.contenttypes.models import ContentType

    from tpm.models import HistoryEntry

    project, _ = _plan(world)
    build = project.tasks.get(name="Build")
    for day, old, new in ((3, 0, 30), (10, 30, 40)):
        HistoryEntry.objects.create(
            organisation=project.organisation,
            scope=f"project:{project.pk}",
            target_type=ContentType.objects.get_for_model(build),
            target_id=str(build.pk),
            target_repr=build.name,
            action="updated",
            changes={"percent_complete": [old, new]},
            created_at=_at(day, 12),
        )
    # when measured at the end of 5 January
    report = project_evm(project, status_date=date(2024, 1, 5))
    # then EV = 30 % x 10,000 = 3,000 (not today's 40 %), and the curve has it from 3 January
    assert report.figures["ev"] == D("3000.00")
    curve = {p.day: p for p in s_curve_points(report)}
    assert curve[date(2023, 12, 31)].ev == 0 and curve[date(2024, 1, 5)].ev == D("3000.00")
    # while at the end of 12 January it is today's 40 %
    assert project_evm(project, status_date=date(2024, 1, 12)).figures["ev"] == D("4000.00")


# -- many projects at once (the dashboards and the portfolio) -------------------------------


def _progress_recorded(project: Project, task, day: int, old: int, new: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    from tpm.models import HistoryEntry

    HistoryEntry.objects.create(
        organisation=project.organisation,
        scope=f"project:{project.pk}",
        target_type=ContentType.objects.get_for_model(task),
        target_id=str(task.pk),
        target_repr=task.name,
        action="updated",
        changes={"percent_complete": [old, new]},
        created_at=_at(day, 12),
    )


def paid_person(world) -> Resource:
    """The member as a resource of the world's organisation, at 100 an hour since 2023."""
    person = person_for(world.member, world.organisation)
    CostRateFactory(resource=person, effective_from=date(2023, 1, 1), hourly_rate=D(100))
    return person


def money_project(world, n: int, person: Resource) -> Project:
    """A project with money of every kind, measured on 10 January 2024: its own calendar, one
    baselined task (1,000 + n over 1-12 January, on a calendar of its own, 50 % done, recorded
    on the 2nd), 8 approved hours at 100 (4 logged with the resource, 4 without it), a budget
    line of 2,000, a paid and a committed expense of 100."""
    project = ProjectFactory.create(
        organisation=world.organisation,
        key=f"M{n:03d}",
        name=f"Money {n:03d}",
        status_date=date(2024, 1, 10),
        calendar=WorkCalendarFactory(organisation=world.organisation),
    )
    task = TaskFactory(
        project=project,
        name="Build",
        wbs_code="1",
        outline_key="00001",
        cost=D(1000 + n),
        percent_complete=50,
        start=_at(1, 8),
        finish=_at(12, 17),
        calendar=WorkCalendarFactory(organisation=world.organisation),
    )
    baseline = BaselineFactory(project=project, name="Approved plan")
    BaselineTaskFactory(
        baseline=baseline, task=task, cost=D(1000 + n), start=_at(1, 8), finish=_at(12, 17)
    )
    _progress_recorded(project, task, 2, 0, 50)
    # the person's time is costed through their resource (one entry per task and day)
    for day, resource in ((3, person), (4, None)):
        TimeEntryFactory(
            task=task,
            user=world.member,
            resource=resource,
            date=date(2024, 1, day),
            hours=D(4),
            status="approved",
        )
    BudgetLineFactory(project=project, amount=D(2000), currency=project.currency)
    for status in ("paid", "committed"):
        ExpenseFactory(project=project, amount=D(100), date=date(2024, 1, 4), status=status)
    return project


@pytest.mark.django_db
def test_a_batch_measures_each_project_as_project_evm_does(world):
    # given the web project at 5 January, a project with money re-baselined at a higher cost
    # (and an invoice in another currency), and a project without any money
    project, _ = _plan(world)
    Project.objects.filter(pk=project.pk).update(status_date=date(2024, 1, 5))
    project.refresh_from_db()
    money = money_project(world, 1, paid_person(world))
    newer = BaselineFactory(project=money, name="Re-baselined")
    BaselineTaskFactory(
        baseline=newer, task=money.tasks.get(), cost=D(3000), start=_at(1, 8), finish=_at(12, 17)
    )
    ExpenseFactory(project=money, amount=D(5000), currency="EUR", status="paid")
    empty = ProjectFactory(organisation=world.organisation, key="NIL")
    # when the three are measured at once
    reports = projects_evm([project, money, empty], period="week")
    # then each has exactly the figures, branches and curve it has alone
    for each in (project, money, empty):
        alone = project_evm(each, period="week")
        assert evm_json(reports[each.pk]) == evm_json(alone)
        assert s_curve_points(reports[each.pk]) == s_curve_points(alone)
    # at its own status date, against its own latest baseline, with its own costs only
    assert reports[project.pk].status_date == date(2024, 1, 5)
    assert reports[project.pk].figures["ac"] == D("5000.00")
    measured = reports[money.pk]
    assert measured.status_date == date(2024, 1, 10) and measured.baseline == newer
    # BAC 3,000; EV 50 % of it; AC 8 h x 100 + the paid 100 (not the invoice in euros)
    assert (measured.figures["bac"], measured.figures["ev"], measured.figures["ac"]) == (
        D("3000.00"),
        D("1500.00"),
        D("900.00"),
    )
    assert measured.committed == D(100)
    assert reports[empty.pk].source == "plan" and reports[empty.pk].figures["bac"] == D("0.00")
    # and without the branch rows (the dashboards) the project's figures are the same
    bare = projects_evm([money], period="week", branches=False)[money.pk]
    assert bare.rows == [] and bare.figures == measured.figures


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_for_2_and_8_projects(world):
    # given two projects with money of every kind, then eight
    person = paid_person(world)
    projects = [money_project(world, n, person) for n in range(2)]
    projects_evm(projects)  # content types cached, as in a running site
    with CaptureQueriesContext(connection) as two:
        projects_evm(projects)
    projects += [money_project(world, n, person) for n in range(2, 8)]
    with CaptureQueriesContext(connection) as eight:
        reports = projects_evm(projects)
    # then measuring eight costs exactly what measuring two does
    assert len(two) == len(eight), "\n".join(q["sql"] for q in eight.captured_queries)
    assert len(eight) <= 14  # eleven, and the budget lines, their month plans, the reserves
    assert [reports[p.pk].figures["bac"] for p in projects[-2:]] == [D("1006.00"), D("1007.00")]

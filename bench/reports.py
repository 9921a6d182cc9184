"""Reports benchmarks (part "reports" of `make bench`; runs inside its throw-away database).

* one status report (snapshot + HTML + PDF) of a 2,000-task project (target: under 2 s);
* how many scheduled reports one worker sustains per hour (generate, render, send by email);
* the portfolio page for 10 and 200 projects: milliseconds and queries (the count must not grow);
  every other project has money (planned costs, a budget line, approved time at a rate, paid
  and committed expenses; one in four a baseline), so cost health is measured too.
"""

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

REPORT_TASKS = 2_000
REPEATS = 3
PORTFOLIO_SIZES = (10, 200)


def _report_generation() -> None:
    from bench.gantt import build
    from projects.baselines import services as baseline_services
    from reports import delivery, rendering, services
    from reports.models import Audience, ReportSchedule

    project, admin, _, count = build(REPORT_TASKS)
    baseline_services.baseline_save(project=project, actor=admin, name="Approved plan")
    project.refresh_from_db()
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        report = services.report_create(project=project, actor=admin, summary="Bench")
        html = rendering.render_document(snapshot=report.snapshot, report=report)
        pdf = rendering.render_pdf(html)
        timings.append(time.perf_counter() - started)
    print(f"\nstatus report of a {count}-task plan (snapshot + HTML + PDF), median of {REPEATS}")
    sizes = f"HTML {len(html) // 1024} KiB, PDF {len(pdf) // 1024} KiB"
    print(f"{'':<36}{median_ms(timings):>10.0f} ms   ({sizes})")

    # One worker's throughput: a period generated, rendered and emailed (locmem backend).
    schedule = services.schedule_create(
        project=project,
        actor=admin,
        recipient_roles=[],
        external_emails="sponsor@example.org",
        audience=Audience.FULL,
    )
    durations = []
    for week in range(REPEATS):
        mail.outbox = []
        started = time.perf_counter()
        period = date(2027, 1, 4) + timedelta(weeks=week)
        for delivery_id in delivery.prepare_period(schedule.pk, period):
            delivery.delivery_send(delivery_id, final=True)
        durations.append(time.perf_counter() - started)
        assert len(mail.outbox) == 1
    per_report = statistics.median(durations)
    print(f"{'scheduled report, generated + sent':<36}{per_report * 1000:>10.0f} ms")
    print(f"{'one worker sustains about':<36}{3600 / per_report:>10.0f} reports per hour")
    ReportSchedule.objects.filter(pk=schedule.pk).delete()


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def small_plan(project: Any, now: Any) -> list[Any]:
    """Twenty tasks half done, around `now`: every third critical, every tenth a milestone."""
    from projects.models import Task

    return Task.objects.bulk_create(
        Task(
            project=project,
            name=f"Task {i}",
            position=i,
            outline_key=f"{i:05d}",
            start=now - timedelta(days=10),
            finish=now + timedelta(days=i - 5),
            is_critical=i % 3 == 0,
            is_milestone=i % 10 == 9,
            duration_minutes=0 if i % 10 == 9 else 480,
            percent_complete=50,
        )
        for i in range(20)
    )


def _money(project: Any, tasks: list[Any], person: Any, with_baseline: bool) -> None:
    """Money for a bench project: planned task costs, a budget line, approved time on two
    tasks (logged with and without the person's resource), a paid and a committed invoice,
    and optionally a baseline of the plan."""
    from projects.models import Baseline, BaselineTask, Task
    from resources.models import BudgetLine, Expense, TimeEntry

    for task in tasks:
        task.cost = Decimal(0) if task.is_milestone else Decimal(1000)
    Task.objects.bulk_update(tasks, ["cost"])
    BudgetLine.objects.create(
        project=project, category="labour", name="Team", amount=Decimal(20_000), currency="USD"
    )
    today = timezone.localdate()
    TimeEntry.objects.bulk_create(
        TimeEntry(
            task=tasks[i],
            user=person.user,
            resource=person if i == 0 else None,
            date=today - timedelta(days=3 + i),
            hours=Decimal(6),
            status="approved",
        )
        for i in range(2)
    )
    for status in ("paid", "committed"):
        Expense.objects.create(
            project=project,
            vendor="Vendor",
            amount=Decimal(500),
            currency="USD",
            date=today,
            status=status,
        )
    if with_baseline:
        baseline = Baseline.objects.create(
            project=project,
            name="Approved plan",
            project_start=tasks[0].start,
            project_finish=max(task.finish for task in tasks),
            task_count=len(tasks),
        )
        BaselineTask.objects.bulk_create(
            BaselineTask(
                baseline=baseline,
                task=task,
                task_name=task.name,
                outline_key=task.outline_key,
                start=task.start,
                finish=task.finish,
                duration_minutes=task.duration_minutes,
                cost=task.cost,
                is_milestone=task.is_milestone,
            )
            for task in tasks
        )


def _portfolio() -> None:
    from projects.models import ProjectMembership
    from resources.models import CostRate, Resource
    from tests.factories import OrganisationFactory, ProjectFactory, member_of
    from tpm.roles import OrgRole, ProjectRole

    organisation = OrganisationFactory.create(name="Portfolio bench")
    admin = member_of(organisation, OrgRole.ADMIN, email="portfolio-bench@example.com")
    person = Resource.objects.create(organisation=organisation, user=admin, name="Bench person")
    CostRate.objects.create(
        organisation=organisation,
        resource=person,
        effective_from=date(2020, 1, 1),
        hourly_rate=Decimal(100),
        currency="USD",
    )
    client = Client()
    client.force_login(admin)
    now = timezone.now()
    made = 0
    print("\nportfolio page (every project's health; every other one with money), median of 5")
    print(f"{'page':<30}{'projects':>9}{'with money':>11}{'ms':>10}{'queries':>9}")
    for size in PORTFOLIO_SIZES:
        for n in range(made, size):
            project = ProjectFactory.create(organisation=organisation, key=f"B{n:04d}")
            ProjectMembership.objects.create(project=project, user=admin, role=ProjectRole.MANAGER)
            tasks = small_plan(project, now)
            if n % 2 == 0:
                _money(project, tasks, person, with_baseline=n % 4 == 0)
        made = size
        timings, queries = [], 0
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(reverse("portfolio"))
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
            queries = len(ctx.captured_queries)
        money = (size + 1) // 2
        print(f"{'portfolio':<30}{size:>9}{money:>11}{median_ms(timings):>10.1f}{queries:>9}")


def run() -> None:
    _report_generation()
    _portfolio()

"""Workload and earned value at scale: `python -m bench.resources [--people N] [--tasks N]`.

In a throw-away test database (SQLite in memory by default, PostgreSQL when DATABASE_URL says
so), prints the median server time, query count, size and CPU time of:

* the workload heat map for 300 people x 26 weeks with 24,500 assignments (in 20 projects), its
  drill-down (one cell) and one person's levelling preview; and the workload engine alone;
* earned value for one 5,000-task plan (bench.gantt's, scheduled, baselined with costs) with
  50,000 approved time entries: `project_evm()` (what the page, the API and `manage.py evm`
  call) and the engine alone.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEATS = 5
PEOPLE, WEEKS, ASSIGNMENTS, PROJECTS = 300, 26, 24_500, 20  # issue 14's sizes
PLAN_TASKS, TIME_ENTRIES = 5_000, 50_000
FIRST_MONDAY = date(2027, 1, 4)


def _get(client: Client, url: str, **headers: str) -> tuple[float, int, int, float]:
    """Median ms, queries, bytes and CPU ms of a GET."""
    timings, cpu = [], []
    queries = size = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, headers=headers)
            size = len(response.content)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(timings), queries, size, statistics.median(cpu)


def _call(function: Callable[[], object], repeats: int = REPEATS) -> tuple[float, int, int, float]:
    """Median ms, queries, 0 (no body) and CPU ms of a call."""
    timings, cpu, queries = [], [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            function()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(timings), queries, 0, statistics.median(cpu)


def _row(label: str, ms: float, queries: int | str = "", size: int = 0, cpu: float = 0) -> None:
    kib = f"{size / 1024:.0f}" if size else ""
    cpu_text = f"{cpu:.0f}" if cpu else ""
    print(f"{label:<46}{ms:>10.1f}{queries!s:>9}{kib:>9}{cpu_text:>9}")


def build_workload(people: int, assignments: int) -> tuple[Any, Any, list[Any]]:
    """An organisation of `people` people with `assignments` one-to-six-week assignments."""
    from projects.models import Task
    from resources.models import Assignment, Resource, TimeOff
    from tests.factories import OrganisationFactory, ProjectFactory, member_of
    from tpm.roles import OrgRole

    rng = random.Random(7)
    organisation = OrganisationFactory.create(name="Bench workload")
    admin = member_of(organisation, OrgRole.ADMIN, email="workload@example.com")
    projects = [
        ProjectFactory.create(organisation=organisation, start_date=FIRST_MONDAY)
        for _ in range(PROJECTS)
    ]
    zone = timezone.get_current_timezone()
    tasks = []
    for n in range(assignments):
        start = FIRST_MONDAY + timedelta(days=rng.randint(-14, 7 * WEEKS))
        finish = start + timedelta(days=rng.randint(0, 41))
        tasks.append(
            Task(
                project=projects[n % PROJECTS],
                name=f"Task {n}",
                position=n,
                outline_key=f"{n:05d}",
                wbs_code=str(n + 1),
                start=datetime.combine(start, datetime.min.time(), zone).replace(hour=8),
                finish=datetime.combine(finish, datetime.min.time(), zone).replace(hour=17),
                duration_minutes=480 * max(1, (finish - start).days * 5 // 7),
            )
        )
    tasks = Task.objects.bulk_create(tasks, batch_size=1000)
    pool = Resource.objects.bulk_create(
        Resource(organisation=organisation, name=f"Person {n:03d}", email=f"p{n}@example.com")
        for n in range(people)
    )
    TimeOff.objects.bulk_create(
        TimeOff(
            resource=person,
            start_date=FIRST_MONDAY + timedelta(days=7 * (n % WEEKS)),
            end_date=FIRST_MONDAY + timedelta(days=7 * (n % WEEKS) + 4),
        )
        for n, person in enumerate(pool)
    )
    Assignment.objects.bulk_create(
        (
            Assignment(
                task=task,
                resource=pool[n % people],
                units=Decimal(100),
                work_hours=Decimal(rng.choice([8, 16, 24, 40, 80])),
            )
            for n, task in enumerate(tasks)
        ),
        batch_size=1000,
    )
    return organisation, admin, pool


def run_workload(people: int = PEOPLE, assignments: int = ASSIGNMENTS) -> None:
    from resources.workload import selectors as workload_selectors
    from resources.workload.engine import workload

    started = time.perf_counter()
    organisation, admin, pool = build_workload(people, assignments)
    seconds = time.perf_counter() - started
    print(
        f"\nworkload: {people} people x {WEEKS} weeks, {assignments:,} assignments in "
        f"{PROJECTS} projects (built in {seconds:.0f} s); median of {REPEATS}"
    )
    print(f"{'page':<46}{'ms':>10}{'queries':>9}{'KiB':>9}{'CPU ms':>9}")
    client = Client()
    client.force_login(admin)
    url = f"{reverse('workload')}?start={FIRST_MONDAY.isoformat()}&weeks={WEEKS}"
    _row("workload heat map (page)", *_get(client, url))
    _row("workload heat map (htmx grid)", *_get(client, url, **{"HX-Request": "true"}))
    api = f"/api/v1/organisations/{organisation.pk}/workload/?start={FIRST_MONDAY}&weeks={WEEKS}"
    _row("API workload (default)", *_get(client, api))
    cell = reverse("workload-cell", args=[pool[0].pk, FIRST_MONDAY.isoformat()])
    _row("drill-down: one person's week (htmx)", *_get(client, cell, **{"HX-Request": "true"}))
    levelling = reverse("workload-levelling", args=[pool[0].pk])
    _row("levelling preview of one person", *_get(client, levelling))
    filters = workload_selectors.WorkloadFilters(start=FIRST_MONDAY, weeks=WEEKS)
    _row(
        "workload_page() selector + engine",
        *_call(lambda: workload_selectors.workload_page(organisation, admin, filters)),
    )
    first, last = FIRST_MONDAY, FIRST_MONDAY + timedelta(days=7 * WEEKS - 1)
    items = workload_selectors.effective_assignments(
        organisation_id=organisation.pk, window=(first, last)
    )
    rows = list(workload_selectors._people(organisation, filters))
    people_in = workload_selectors.engine_people(organisation, rows, first, last)
    engine_items = workload_selectors.engine_assignments(items)
    _row(
        "workload engine alone (with drill-down)",
        *_call(lambda: workload(people_in, engine_items, first, WEEKS)),
    )
    _row(
        "workload engine alone (totals only)",
        *_call(lambda: workload(people_in, engine_items, first, WEEKS, with_tasks=False)),
    )


def build_evm(tasks: int, entries: int) -> tuple[Any, Any, int]:
    """bench.gantt's plan of `tasks` tasks with costs, a baseline and `entries` approved entries."""
    from bench.gantt import build
    from projects.baselines import services as baseline_services
    from projects.models import Task
    from resources.models import CostRate, Resource, TimeEntry
    from tests.factories import member_of

    project, admin, _, count = build(tasks)
    leaves = list(
        Task.objects.filter(project=project, is_summary=False, is_milestone=False)
        .order_by("outline_key")
        .values_list("pk", "start", flat=False)
    )
    Task.objects.filter(project=project, is_summary=False, is_milestone=False).update(
        cost=Decimal(1200)
    )
    baseline_services.baseline_save(project=project, actor=admin, name="Bench baseline")
    ends = [start for _, start in leaves if start is not None]
    status = (min(ends) + (max(ends) - min(ends)) / 2).date()
    done = [pk for pk, start in leaves if start is not None and start.date() <= status]
    Task.objects.filter(pk__in=done).update(percent_complete=60)
    worker = member_of(project.organisation, email="timesheets@example.com")
    person = Resource.objects.create(organisation=project.organisation, user=worker, name="Worker")
    CostRate.objects.create(
        organisation=project.organisation,
        resource=person,
        effective_from=date(2020, 1, 1),
        hourly_rate=Decimal("85.50"),
        currency=project.currency,
    )
    rng = random.Random(3)
    rows = []
    tasks_worked = done or [leaves[0][0]]
    for n in range(entries):
        pk = tasks_worked[n % len(tasks_worked)]
        # one entry per person, task and day (a constraint): each round of the tasks takes
        # its own six days, going back from the status date
        back = n // len(tasks_worked)
        day = status - timedelta(days=6 * back + rng.randint(0, 5))
        rows.append(
            TimeEntry(
                task_id=pk,
                user=worker,
                resource=person,
                date=day,
                hours=Decimal(rng.choice([1, 2, 4, 8])),
                status="approved",
            )
        )
    TimeEntry.objects.bulk_create(rows, batch_size=2000)
    project.status_date = status
    project.save(update_fields=["status_date"])
    return project, admin, count


def run_evm(tasks: int = PLAN_TASKS, entries: int = TIME_ENTRIES) -> None:
    from resources.evm import engine as evm
    from resources.evm.loading import evm_input
    from resources.evm.selectors import evm_json, project_evm

    started = time.perf_counter()
    project, admin, count = build_evm(tasks, entries)
    seconds = time.perf_counter() - started
    print(
        f"\nearned value: one plan of {count} tasks, {entries:,} approved time entries "
        f"(built in {seconds:.0f} s); median of {REPEATS}"
    )
    print(f"{'step':<46}{'ms':>10}{'queries':>9}{'KiB':>9}{'CPU ms':>9}")
    _row("project_evm() (load + engine, weekly curve)", *_call(lambda: project_evm(project), 3))
    _row(
        "evm_json(project_evm()) as the command prints",
        *_call(lambda: evm_json(project_evm(project), branches=False), 3),
    )
    prepared = evm_input(project)
    _row("loading the engine's input (evm_input)", *_call(lambda: evm_input(project), 3))
    _row(
        "engine alone (evaluate: figures + branches + curve)",
        *_call(lambda: evm.evaluate(prepared.data), 3),
    )
    report = project_evm(project)
    print(
        f"  -> {report.figures['pv']} PV, {report.figures['ev']} EV, {report.figures['ac']} AC,"
        f" CPI {report.figures['cpi']}, SPI {report.figures['spi']} at {report.status_date}"
    )
    try:
        client = Client()
        client.force_login(admin)
        _row("EVM page (R3's)", *_get(client, reverse("project-evm", args=[project.pk])))
        _row("API evm (default)", *_get(client, f"/api/v1/projects/{project.pk}/evm/"))
        _row(
            "API evm (?branches=false)",
            *_get(client, f"/api/v1/projects/{project.pk}/evm/?branches=false"),
        )
    except Exception as error:
        print(f"  (EVM page not measured: {error})")


def run() -> None:
    run_workload()
    run_evm()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--assignments", type=int, default=ASSIGNMENTS)
    parser.add_argument("--tasks", type=int, default=PLAN_TASKS)
    parser.add_argument("--entries", type=int, default=TIME_ENTRIES)
    parser.add_argument("parts", nargs="*", help="workload, evm (default: both)")
    args = parser.parse_args()
    setup_test_environment(debug=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        if not args.parts or "workload" in args.parts:
            run_workload(args.people, args.assignments)
        if not args.parts or "evm" in args.parts:
            run_evm(args.tasks, args.entries)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

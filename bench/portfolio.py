"""The portfolio and the dashboard in a big organisation: `python -m bench.portfolio [build]`.

Against the database DATABASE_URL names (PostgreSQL; not a throw-away one, so the organisation
is built once and measured as often as needed):

* ``build``: migrates, then builds one organisation with bench.resources' 5,010-task plan
  (costs, a baseline, 50,000 approved time entries) and 199 more projects of 20 tasks with a
  manager and five members each, every other one with money (bench.reports'), three risks, two
  change requests and two quality gates each; then ANALYZEs.
* ``measure`` (the default): first the beat job's refresh of the stored cost figures (only
  stale ones: all of them after a build or on a new day), then the portfolio and the big
  project's dashboard as the org admin: median wall, CPU and database milliseconds (the sum of
  the queries' times as the client sees them), queries and bytes; then the slowest queries.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
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

PROJECTS, TASKS, ENTRIES, REPEATS = 200, 5_010, 50_000, 5
ORG_NAME = "Bench"


def _big_plan() -> tuple[Any, Any, int]:
    """bench.resources' earned-value plan, with one entry per task and day (a constraint)."""
    from bench.gantt import build as build_plan
    from projects.baselines import services as baseline_services
    from projects.models import Task
    from resources.models import CostRate, Resource, TimeEntry
    from tests.factories import member_of

    project, admin, _, count = build_plan(TASKS)
    leaves = Task.objects.filter(project=project, is_summary=False, is_milestone=False)
    leaves.update(cost=Decimal(1200))
    baseline_services.baseline_save(project=project, actor=admin, name="Bench baseline")
    starts = sorted(start for start in leaves.values_list("start", flat=True) if start)
    status = starts[len(starts) // 2].date()
    done = list(leaves.filter(start__date__lte=status).values_list("pk", flat=True))
    Task.objects.filter(pk__in=done).update(percent_complete=60)
    worker = member_of(project.organisation, email="timesheets@example.com")
    person = Resource.objects.create(organisation=project.organisation, user=worker, name="Worker")
    CostRate.objects.create(
        organisation=project.organisation,
        resource=person,
        effective_from=status - timedelta(days=3650),
        hourly_rate=Decimal("85.50"),
        currency=project.currency,
    )
    TimeEntry.objects.bulk_create(
        (
            TimeEntry(
                task_id=done[n % len(done)],
                user=worker,
                resource=person,
                date=status - timedelta(days=n // len(done)),
                hours=Decimal(1 + n % 8),
                status="approved",
            )
            for n in range(ENTRIES)
        ),
        batch_size=2000,
    )
    project.status_date = status
    project.save(update_fields=["status_date"])
    return project, admin, count


def build() -> None:
    from django.core.management import call_command

    from bench.reports import _money, small_plan
    from projects.models import (
        ChangeRequest,
        Dependency,
        ProjectMembership,
        QualityGate,
        Task,
    )
    from resources.models import CostRate, Resource, TimeEntry
    from risks.models import Risk
    from tests.factories import ProjectFactory, RiskCategoryFactory, UserFactory
    from tpm.db_statistics import refresh_statistics
    from tpm.models import Membership
    from tpm.roles import OrgRole, ProjectRole

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    big, admin, count = _big_plan()
    organisation = big.organisation
    admin.email = "portfolio-admin@example.com"
    admin.save(update_fields=["email"])
    people = UserFactory.create_batch(300)
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=user, role=OrgRole.MEMBER) for user in people
    )
    person = Resource.objects.create(organisation=organisation, user=people[0], name="Person")
    CostRate.objects.create(
        organisation=organisation,
        resource=person,
        effective_from=timezone.localdate() - timedelta(days=3650),
        hourly_rate=Decimal(100),
        currency="USD",
    )
    category = RiskCategoryFactory.create(organisation=organisation)
    now = timezone.now()
    projects = [big]
    for n in range(1, PROJECTS):
        project = ProjectFactory.create(organisation=organisation, key=f"B{n:04d}")
        projects.append(project)
        tasks = small_plan(project, now)
        if n % 2 == 0:
            _money(project, tasks, person, with_baseline=n % 4 == 0)
    for n, project in enumerate(projects):
        guarded = Task.objects.filter(project=project).order_by("pk").first()
        team = [people[(n * 6 + k) % len(people)] for k in range(6)]
        ProjectMembership.objects.bulk_create(
            ProjectMembership(
                project=project,
                user=user,
                role=ProjectRole.MANAGER if k == 0 else ProjectRole.MEMBER,
            )
            for k, user in enumerate(team)
        )
        Risk.objects.bulk_create(
            Risk(
                project=project,
                number=k + 1,
                title=f"Risk {k}",
                category=category,
                raised_on=timezone.localdate() - timedelta(days=30),
                probability=1 + (n + k) % 5,
                impact_schedule=1 + k,
                score=(1 + (n + k) % 5) * (1 + k),
                cost_impact=Decimal(1000 * k),
                next_review_on=timezone.localdate() + timedelta(days=k * 7 - 7),
            )
            for k in range(3)
        )
        ChangeRequest.objects.bulk_create(
            ChangeRequest(project=project, number=k + 1, title=f"Change {k}", status=status)
            for k, status in enumerate(("submitted", "approved"))
        )
        QualityGate.objects.bulk_create(
            QualityGate(
                project=project,
                number=k + 1,
                name=f"Gate {k}",
                task=guarded,
                due_date=timezone.localdate() + timedelta(days=10 * k - 5),
                outcome=outcome,
            )
            for k, outcome in enumerate(("pending", "failed"))
        )
    refresh_statistics(Task, Dependency, TimeEntry, Risk, ProjectMembership)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(
        f"built {len(projects)} projects, the big one {big.pk} of {count} tasks, in {seconds:.0f} s"
    )


def _get(client: Client, url: str) -> tuple[float, float, float, int, int, list[dict[str, Any]]]:
    walls, cpus, dbs = [], [], []
    queries: list[dict[str, Any]] = []
    size = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            size = len(response.content)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = ctx.captured_queries
        dbs.append(sum(float(q["time"]) for q in queries) * 1000)
    return (
        statistics.median(walls),
        statistics.median(cpus),
        statistics.median(dbs),
        len(queries),
        size,
        queries,
    )


def measure(slowest: int) -> None:
    from projects.models import Project
    from reports.sources import cost
    from tpm.models import User

    started, cpu_started = time.perf_counter(), time.process_time()
    stored = cost.refresh_all(today=timezone.localdate())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"cost figures refreshed: {stored} stored in {wall:.1f} s ({cpu:.1f} s CPU)")
    admin = User.objects.get(email="portfolio-admin@example.com")
    big = (
        Project.objects.filter(organisation__name=ORG_NAME, deleted_at__isnull=True)
        .order_by("pk")
        .first()
    )
    assert big is not None
    client = Client()
    client.force_login(admin)
    print(f"database: {connection.vendor}; median of {REPEATS} requests (CPU: the whole process)")
    print(f"{'page':<34}{'wall ms':>9}{'CPU ms':>9}{'DB ms':>9}{'queries':>9}{'KiB':>7}")
    for label, url in (
        (f"portfolio ({PROJECTS} projects)", reverse("portfolio")),
        (f"dashboard ({TASKS} tasks)", reverse("project-dashboard", args=[big.pk])),
    ):
        wall, cpu, db, count, size, queries = _get(client, url)
        print(f"{label:<34}{wall:>9.0f}{cpu:>9.0f}{db:>9.0f}{count:>9}{size / 1024:>7.0f}")
        for query in sorted(queries, key=lambda q: -float(q["time"]))[:slowest]:
            print(f"    {float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", nargs="?", default="measure", choices=("build", "measure"))
    parser.add_argument("--slowest", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment(debug=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if args.action == "build":
        build()
    else:
        measure(args.slowest)
    return 0


if __name__ == "__main__":
    sys.exit(main())

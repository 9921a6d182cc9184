"""The status report PDF of a 5,010-task plan: `python -m bench.report_pdf [--profile] [--keep]`.

Builds (bench.gantt.build) one project of 5,010 tasks with 501 milestones, money (bench.reports),
a baseline, a dozen risks and a published report before a slip (so "what changed" names every
milestone), in a test database (PostgreSQL when DATABASE_URL says so; `--keep` reuses it). Then
prints the median wall and CPU time of:

* the snapshot (reports.snapshot.build_snapshot);
* the HTML handed to WeasyPrint (reports.rendering.render_document) and its table rows;
* the PDF layout (reports.rendering.render_pdf);
* GET report-pdf of a draft as its manager (the whole request: queries, bytes).

`--profile` adds the top of a cProfile of the snapshot and of the PDF layout; `--uncapped` draws
every row of every list, as documents did before reports/rendering.py cut them (to compare).
"""

import argparse
import cProfile
import functools
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

TASKS = 5_010
REPEATS = 3
# The report is taken well after the plan's start, so some work is late.
NOW = datetime(2028, 3, 1, 12, tzinfo=UTC)


def _build() -> tuple[Any, Any]:
    from bench.gantt import build
    from bench.reports import _money
    from projects.baselines import services as baseline_services
    from projects.models import Task
    from reports import services
    from resources.models import CostRate, Resource
    from tests.factories import RiskFactory

    project, admin, _, count = build(TASKS)
    person = Resource.objects.create(organisation=project.organisation, user=admin, name="P")
    CostRate.objects.create(
        organisation=project.organisation,
        resource=person,
        effective_from=datetime(2020, 1, 1).date(),
        hourly_rate=100,
        currency="USD",
    )
    tasks = list(Task.objects.filter(project=project, is_summary=False).order_by("pk"))
    _money(project, tasks, person, with_baseline=False)
    baseline_services.baseline_save(project=project, actor=admin, name="Approved plan")
    for n in range(12):
        RiskFactory.create(project=project, title=f"Risk {n}")
    earlier = services.report_create(
        project=project, actor=admin, summary="Before", now=NOW - timedelta(days=7)
    )
    services.report_publish(
        report=earlier, actor=admin, version=earlier.version, now=NOW - timedelta(days=7)
    )
    # A slip at the start moves every milestone after it.
    first = Task.objects.filter(project=project, is_summary=False).order_by("pk").first()
    assert first is not None
    Task.objects.filter(pk=first.pk).update(duration_minutes=first.duration_minutes + 480 * 5)
    from projects.schedule import services as schedule_services

    schedule_services.project_reschedule(project=project)
    print(f"built {count} tasks", flush=True)
    return project, admin


def _time(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    walls, cpus, result = [], [], None
    for _ in range(REPEATS):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, result


def _profile(label: str, fn: Callable[[], Any], top: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    print(f"\n--- cProfile: {label} (cumulative) ---")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    print(f"--- cProfile: {label} (tottime) ---")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def _request(client: Client, url: str) -> tuple[float, float, int, int]:
    walls, cpus, queries, size = [], [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            size = len(response.content)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu_started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, queries, size


def run(profile: bool, keep: bool, uncapped: bool) -> None:
    from projects.models import Project
    from reports import rendering, services

    if uncapped:
        rendering.render_document = functools.partial(rendering.render_document, row_limit=None)
    from reports.models import StatusReport
    from reports.snapshot import build_snapshot

    project = Project.objects.filter(organisation__name="Bench").order_by("-pk").first()
    if project is None or not keep:
        project, admin = _build()
    else:
        membership = project.organisation.memberships.first()
        assert membership is not None
        admin = membership.user
        print(f"reusing project {project.pk}")
    today = NOW.date()
    snapshot_ms, snapshot_cpu, snapshot = _time(
        lambda: build_snapshot(project, today=today, now=NOW)
    )
    report = StatusReport.objects.filter(project=project, status="draft").first()
    if report is None:
        report = services.report_create(project=project, actor=admin, summary="Bench", now=NOW)
    report.snapshot = snapshot
    StatusReport.objects.filter(pk=report.pk).update(snapshot=snapshot)

    previous = (
        StatusReport.objects.filter(project=project, status="published")
        .order_by("-published_at")
        .first()
    )
    assert previous is not None

    def html() -> str:
        return rendering.render_document(
            snapshot=report.snapshot,
            report=report,
            previous_snapshot=previous.snapshot,
            link="https://example.org/r",
        )

    html_ms, html_cpu, body = _time(html)
    pdf_ms, pdf_cpu, pdf = _time(lambda: rendering.render_pdf(body))
    client = Client()
    client.force_login(admin)
    requests = {
        "GET report-pdf (draft)": reverse("report-pdf", args=[project.pk, report.pk]),
        "GET project-dashboard-pdf": reverse("project-dashboard-pdf", args=[project.pk]),
    }
    print(f"\ndatabase: {connection.vendor}; median of {REPEATS}")
    print(f"{'step':<34}{'wall ms':>10}{'CPU ms':>10}{'queries':>9}{'KiB':>6}")
    print(f"{'snapshot (build_snapshot)':<34}{snapshot_ms:>10.0f}{snapshot_cpu:>10.0f}")
    print(f"{'HTML (render_document)':<34}{html_ms:>10.0f}{html_cpu:>10.0f}")
    print(f"{'PDF layout (render_pdf)':<34}{pdf_ms:>10.0f}{pdf_cpu:>10.0f}")
    for label, url in requests.items():
        wall, cpu, queries, size = _request(client, url)
        print(f"{label:<34}{wall:>10.0f}{cpu:>10.0f}{queries:>9}{size // 1024:>6}")
    print(
        f"HTML {len(body) // 1024} KiB, {body.count('<tr')} table rows, {body.count('<li')} list "
        f"items; PDF {len(pdf) // 1024} KiB"
    )
    if profile:
        _profile("snapshot", lambda: build_snapshot(project, today=today, now=NOW))
        _profile("PDF layout", lambda: rendering.render_pdf(body))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep and reuse the test database")
    parser.add_argument("--uncapped", action="store_true", help="every row of every list")
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=args.keep)
    try:
        run(args.profile, args.keep, args.uncapped)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

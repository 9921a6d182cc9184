"""Reports benchmarks (part "reports" of `make bench`; runs inside its throw-away database).

* one status report (snapshot + HTML + PDF) of a 2,000-task project (target: under 2 s);
* how many scheduled reports one worker sustains per hour (generate, render, send by email);
* the portfolio page for 10 and 200 projects: milliseconds and queries (the count must not grow).
"""

import statistics
import time
from datetime import date, timedelta

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
    from projects import baseline_services
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


def _portfolio() -> None:
    from projects.models import ProjectMembership, Task
    from tests.factories import OrganisationFactory, ProjectFactory, member_of
    from tpm.roles import OrgRole, ProjectRole

    organisation = OrganisationFactory.create(name="Portfolio bench")
    admin = member_of(organisation, OrgRole.ADMIN, email="portfolio-bench@example.com")
    client = Client()
    client.force_login(admin)
    now = timezone.now()
    made = 0
    print("\nportfolio page (every project's health), median of 5 requests")
    print(f"{'page':<30}{'projects':>9}{'ms':>10}{'queries':>9}")
    for size in PORTFOLIO_SIZES:
        for n in range(made, size):
            project = ProjectFactory.create(organisation=organisation, key=f"B{n:04d}")
            ProjectMembership.objects.create(project=project, user=admin, role=ProjectRole.MANAGER)
            Task.objects.bulk_create(
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
        made = size
        timings, queries = [], 0
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(reverse("portfolio"))
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
            queries = len(ctx.captured_queries)
        print(f"{'portfolio':<30}{size:>9}{median_ms(timings):>10.1f}{queries:>9}")


def run() -> None:
    _report_generation()
    _portfolio()

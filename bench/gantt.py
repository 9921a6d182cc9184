"""The Gantt chart on a 5,000-task plan: `python -m bench.gantt [--no-browser] [--tasks N]`.

Builds one project (phases of ten tasks, each linked finish-to-start to the one before, phases
chained, a milestone closing each phase) in a throw-away test database (SQLite in memory by
default, PostgreSQL when DATABASE_URL says so), schedules it once, then prints the median server
time, query count and size of:

* `project-gantt-data` (/projects/<id>/gantt.json), which the chart draws from;
* `api:project-schedule` (/api/v1/projects/<id>/schedule/), the same schedule for API clients;

and, when Debian's Chromium and the built bundle are there, through a live server:

* the time from navigation start until the chart is interactive on the Gantt page (its data
  loaded, the rows in view drawn, bars draggable: `#gantt[data-state=ready]` with rows in it);
* how many elements the chart holds then (it draws only the rows in view, plus a buffer);
* the time to jump to the last row (scrolled to the bottom, that row drawn).
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from datetime import date
from itertools import pairwise
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

REPEATS = 5
DAY = 480
PHASE = 10


def build(size: int):
    """An organisation, its admin and a project of `size` tasks, scheduled once."""
    from projects.models import Dependency, Task
    from projects.schedule import services as schedule_services
    from tests.factories import PASSWORD, OrganisationFactory, ProjectFactory, member_of
    from tpm.db_statistics import refresh_statistics
    from tpm.roles import OrgRole

    organisation = OrganisationFactory.create(name="Bench")
    # one admin per built plan: the plan and reports benchmarks each build one in the same run
    admin = member_of(organisation, OrgRole.ADMIN, email=f"bench-{organisation.pk}@example.com")
    project = ProjectFactory.create(organisation=organisation, start_date=date(2027, 1, 4))
    phases = Task.objects.bulk_create(
        Task(project=project, name=f"Phase {n}", position=n) for n in range(size // PHASE)
    )
    children = []
    for phase in phases:
        for index in range(PHASE - 1):
            last = index == PHASE - 2
            children.append(
                Task(
                    project=project,
                    parent=phase,
                    position=index,
                    name=f"{phase.name} milestone" if last else f"{phase.name} task {index}",
                    is_milestone=last,
                    duration_minutes=0 if last else DAY * (1 + index % 3),
                )
            )
    children = Task.objects.bulk_create(children, batch_size=500)
    links = [
        Dependency(predecessor=before, successor=after) for before, after in pairwise(children)
    ]
    Dependency.objects.bulk_create(links, batch_size=500)
    refresh_statistics(Task, Dependency)  # as the imports do after a bulk load
    schedule_services.renumber(project)
    schedule_services.project_reschedule(project=project)
    return project, admin, PASSWORD, Task.objects.filter(project=project).count()


def measure(client: Client, url: str) -> tuple[float, int, int]:
    timings, queries, size = [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            body = response.content
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(ctx.captured_queries), len(body)
    return statistics.median(timings), queries, size


def browser_time(project, email: str, password: str) -> str:
    """Navigation start -> chart interactive, in Chromium, through a live server (median of 3)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return "skipped: Chromium is not installed"
    if not (Path(settings.BASE_DIR) / "static" / "dist" / "app.js").exists():
        return "skipped: the bundle is not built (npm run build)"
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    overrides = None
    if connection.vendor == "sqlite":  # an in-memory database: share this thread's connection
        shared = connections["default"]
        shared.inc_thread_sharing()
        overrides = {"default": shared}
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=overrides)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--headless"]
            )
            page = browser.new_context(base_url=base).new_page()
            page.set_default_timeout(60_000)
            page.goto("/")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            results, jumps, sizes = [], [], []
            for _ in range(3):
                page.goto(f"/projects/{project.pk}/gantt/")
                page.wait_for_function(
                    "() => document.querySelector('#gantt[data-state=ready] .lg-row .lg-bar')",
                    polling="raf",
                )
                results.append(page.evaluate("performance.now()"))
                sizes.append(page.evaluate("document.querySelectorAll('#gantt *').length"))
                jumps.append(page.evaluate(JUMP_TO_LAST_ROW))
            browser.close()
    finally:
        server.terminate()
    return (
        f"{statistics.median(results):.0f} ms (median of 3; navigation start -> interactive); "
        f"{statistics.median(sizes):.0f} elements in the chart; "
        f"jump to the last row {statistics.median(jumps):.0f} ms"
    )


# Scroll the chart to the bottom and resolve with the milliseconds until the last row is drawn.
JUMP_TO_LAST_ROW = """() => new Promise((resolve) => {
  const host = document.querySelector('#gantt');
  const scroller = host.querySelector('.lg-scroller');
  const last = String(Number(host.dataset.rows) - 1);
  const started = performance.now();
  scroller.scrollTop = scroller.scrollHeight;
  const check = () => host.dataset.lastRow === last
    ? resolve(performance.now() - started)
    : requestAnimationFrame(check);
  requestAnimationFrame(check);
})"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost", "testserver"]
    # No serialised copy of the database: nothing here rolls back to it, and it costs time.
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        started = time.perf_counter()
        project, admin, password, count = build(args.tasks)
        print(f"database: {connection.vendor}; {count} tasks built and scheduled in ", end="")
        print(f"{time.perf_counter() - started:.1f} s; median of {REPEATS} requests")
        client = Client()
        client.force_login(admin)
        print(f"{'endpoint':<44}{'ms':>10}{'queries':>9}{'KiB':>9}")
        for label, url in (
            ("gantt.json (project-gantt-data)", reverse("project-gantt-data", args=[project.pk])),
            ("API schedule (api:project-schedule)", f"/api/v1/projects/{project.pk}/schedule/"),
        ):
            ms, queries, size = measure(client, url)
            print(f"{label:<44}{ms:>10.1f}{queries:>9}{size / 1024:>9.0f}")
        if not args.no_browser:
            print("Gantt page in Chromium:", end=" ", flush=True)
            print(browser_time(project, admin.email, password))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

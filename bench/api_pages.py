"""API lists and the schedule at scale: `python -m bench.api_pages [--tasks N] [--entries N]`.

Builds bench.gantt's plan (N tasks, a link between neighbours) plus time entries in a throw-away
test database (PostgreSQL when DATABASE_URL says so) and prints, for the first page, a deep page
asked by number (`?page=`) and the same deep page reached by a `next` link (a cursor), and the
project's schedule: median server milliseconds, CPU milliseconds, queries and KiB.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REPEATS = 5


SLOW: list[tuple[float, str, str]] = []  # (ms, endpoint, SQL) of queries over 20 ms


def _measure(client: Client, url: str) -> tuple[float, float, float, int, int, dict]:
    timings, cpu, database = [], [], []
    queries = size = 0
    body: dict = {}
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            content = response.content
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code, content[:300])
        captured = ctx.captured_queries
        queries, size, body = len(captured), len(content), response.json()
        database.append(sum(float(q["time"]) for q in captured) * 1000)
    SLOW.extend(
        (float(q["time"]) * 1000, url, q["sql"]) for q in captured if float(q["time"]) > 0.02
    )
    return (
        statistics.median(timings),
        statistics.median(cpu),
        statistics.median(database),
        queries,
        size,
        body,
    )


def _entries(project, count: int) -> None:
    from projects.models import Task
    from resources.models import TimeEntry
    from tests.factories import on_project
    from tpm.roles import ProjectRole

    people = [on_project(project, ProjectRole.MEMBER) for _ in range(5)]
    tasks = list(
        Task.objects.filter(project=project, is_summary=False).values_list("pk", flat=True)
    )
    start = date(2027, 1, 4)
    TimeEntry.objects.bulk_create(
        (
            TimeEntry(
                task_id=tasks[n % len(tasks)],
                user=people[n % 5],
                date=start + timedelta(days=n // len(tasks)),  # one entry a task and day
                hours=Decimal("1.50"),
            )
            for n in range(count)
        ),
        batch_size=1000,
    )


def run(tasks: int, entries: int, verbose: bool = False) -> None:
    from bench.gantt import build

    started = time.perf_counter()
    project, admin, _, count = build(tasks)
    _entries(project, entries)
    print(f"\none plan of {count} tasks and {entries} time entries, built in ", end="")
    print(f"{time.perf_counter() - started:.0f} s; median of {REPEATS} requests")
    print(f"{'endpoint':<44}{'ms':>9}{'CPU ms':>9}{'DB ms':>9}{'queries':>9}{'KiB':>9}")
    client = Client()
    client.force_login(admin)
    pk = project.pk

    def row(label: str, url: str) -> dict:
        ms, cpu, database, queries, size, body = _measure(client, url)
        print(f"{label:<44}{ms:>9.1f}{cpu:>9.0f}{database:>9.0f}{queries:>9}{size / 1024:>9.0f}")
        return body

    for name, url in (
        ("tasks", f"/api/v1/tasks/?project={pk}"),
        ("dependencies", f"/api/v1/dependencies/?project={pk}"),
        ("time entries", "/api/v1/time-entries/"),
    ):
        first = row(f"{name}: first page of 50", url)
        last = max(1, -(-first["count"] // 50))
        row(f"{name}: last page, ?page={last}", f"{url}&page={last}".replace("/&", "/?"))
        # the deep page as a client that follows links reaches it
        before = client.get(f"{url}&page={last - 1}".replace("/&", "/?")).json()
        if before.get("next"):
            row(f"{name}: last page, from `next`", before["next"])
    body = row("schedule (default answer)", f"/api/v1/projects/{pk}/schedule/")
    pages, total, link = 1, len(body["tasks"]), body.get("next")
    while link:
        body = client.get(link).json()
        pages, total, link = pages + 1, total + len(body["tasks"]), body.get("next")
    print(f"schedule: {total} tasks in {pages} page(s) by following `next`")
    if verbose:
        for ms, url, sql in sorted(SLOW, reverse=True)[:8]:
            print(f"\n{ms:.0f} ms  {url}\n  {sql[:1500]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5_000)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--slow", action="store_true", help="Print the slowest queries.")
    arguments = parser.parse_args()
    setup_test_environment(debug=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(arguments.tasks, arguments.entries, arguments.slow)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

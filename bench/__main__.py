"""`make bench`: list pages and endpoints as rows grow, one large plan, then the engine.

Runs against a throw-away test database (SQLite in memory by default, PostgreSQL when
DATABASE_URL says so). Prints one row per (page, rows): median milliseconds and queries; then
the same for the pages and endpoints that read a whole plan of PLAN_TASKS tasks (built by
bench.gantt.build, with people assigned), with the size of each answer.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

SIZES = (10, 100, 1000)
REPEATS = 7
PLAN_TASKS = 5_000
PLAN_REPEATS = 5
PARTS = ("lists", "plan", "reports", "work", "board", "resources", "engine")


def _build(size: int, state: dict) -> None:
    from tests.factories import OrganisationFactory, ProjectFactory, member_of
    from tpm.roles import OrgRole

    if "admin" not in state:
        organisation = OrganisationFactory.create(name="Bench")
        state["organisation"] = organisation
        state["admin"] = member_of(organisation, OrgRole.ADMIN)
        state["count"] = 0
    for _ in range(size - state["count"]):
        ProjectFactory(organisation=state["organisation"])
    state["count"] = size


def _measure(
    client: Client, url: str, repeats: int = REPEATS, **headers: str
) -> tuple[float, int, int, float]:
    """Median milliseconds, queries, bytes and CPU milliseconds of a GET (body read in full).

    CPU time is this process's: on a busy machine it shows the server's own work better.
    """
    timings, cpu = [], []
    queries = size = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, headers=headers)
            size = len(response.content)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(timings), queries, size, statistics.median(cpu)


def _plan_pages() -> None:
    """The whole-plan reads on one project of PLAN_TASKS tasks, each with one assignee."""
    from bench.gantt import build
    from projects.models import Task
    from tests.factories import on_project
    from tpm.roles import ProjectRole

    started = time.perf_counter()
    project, admin, _, count = build(PLAN_TASKS)
    people = [on_project(project, ProjectRole.MEMBER) for _ in range(5)]
    through = Task.assignees.through
    task_ids = Task.objects.filter(project=project, is_summary=False).values_list("pk", flat=True)
    through.objects.bulk_create(
        (through(task_id=pk, user=people[pk % 5]) for pk in task_ids), batch_size=500
    )
    seconds = time.perf_counter() - started
    print(f"\none plan of {count} tasks (built and scheduled in {seconds:.0f} s); ", end="")
    print(f"median of {PLAN_REPEATS} requests")
    print(f"{'page':<36}{'ms':>10}{'queries':>9}{'KiB':>9}{'CPU ms':>9}")
    client = Client()
    client.force_login(admin)
    pk = project.pk
    middle = Task.objects.filter(project=project, is_summary=False).order_by("outline_key")
    middle_pk = middle.values_list("pk", flat=True)[count // 2]
    htmx = {"HX-Request": "true"}
    plan_url = reverse("project-plan", args=[pk])
    for label, url, headers in (
        ("API schedule", f"/api/v1/projects/{pk}/schedule/", {}),
        ("Gantt data (gantt.json)", reverse("project-gantt-data", args=[pk]), {}),
        ("API tasks of the plan (page of 50)", f"/api/v1/tasks/?project={pk}", {}),
        ("API tasks (page of 200)", f"/api/v1/tasks/?project={pk}&page_size=200", {}),
        ("API tasks (last page of 50)", f"/api/v1/tasks/?project={pk}&page={count // 50}", {}),
        ("plan page (outline, first page)", plan_url, {}),
        ("plan page (outline, page 10)", f"{plan_url}?page=10", {}),
        ("plan panel (htmx fragment)", plan_url, htmx),
        ("plan row edit (htmx, mid-plan)", reverse("plan-task-edit", args=[pk, middle_pk]), htmx),
        ("task page (mid-plan)", reverse("task-detail", args=[pk, middle_pk]), {}),
        (
            "predecessor search (?q=task 7)",
            reverse("task-predecessor-search", args=[pk, middle_pk]) + "?q=task%207",
            {},
        ),
        ("parent search (?q=Phase 4)", reverse("plan-parent-search", args=[pk]) + "?q=Phase+4", {}),
    ):
        ms, queries, size, cpu = _measure(client, url, PLAN_REPEATS, **headers)
        print(f"{label:<36}{ms:>10.1f}{queries:>9}{size / 1024:>9.0f}{cpu:>9.0f}")


def _lists() -> None:
    state: dict = {}
    pages: list[tuple[str, Callable[[], str]]] = [
        ("project list page", lambda: "/projects/"),
        ("API projects (page of 50)", lambda: "/api/v1/projects/"),
        ("API projects (page of 200)", lambda: "/api/v1/projects/?page_size=200"),
    ]
    print(f"database: {connection.vendor}; median of {REPEATS} requests")
    print(f"{'page':<30}{'rows':>7}{'ms':>10}{'queries':>9}")
    for size in SIZES:
        _build(size, state)
        client = Client()
        client.force_login(state["admin"])
        for label, url in pages:
            ms, queries, _, _ = _measure(client, url())
            print(f"{label:<30}{size:>7}{ms:>10.1f}{queries:>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help=f"Some of {', '.join(PARTS)} (default: all).")
    parts = parser.parse_args().parts or list(PARTS)
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    # DEBUG off: otherwise every query of the builds is logged too, the log (9,000 entries)
    # fills up and later measures count 0 queries
    setup_test_environment(debug=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if {"lists", "plan", "reports", "work", "board", "resources"} & set(parts):
        # serialize=False: nothing rolls back to the empty database, so no need to snapshot it
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            if "lists" in parts:
                _lists()
            if "plan" in parts:
                _plan_pages()
            if "reports" in parts:
                from bench import reports

                reports.run()
            if "work" in parts:
                from bench import my_work

                my_work.run()
            if "board" in parts:
                from bench import board

                board.run()
            if "resources" in parts:
                from bench import resources

                resources.run()  # workload heat map and earned value at scale (issue 5)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    if "engine" in parts:
        print("\nscheduling engine (forward + backward pass, floats, critical path)")
        from bench import scheduling

        scheduling.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())

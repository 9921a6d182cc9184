"""The Kanban board and the backlog on 3,000 cards: `python -m bench.board [--cards N]`.

Builds one agile project of N tasks (the default workflow's four columns, story points, a label
each, one of five people assigned, a link every tenth task so some cards are blocked), scheduled
once, in a throw-away test database; then prints the median time, query count and size of the
board page (with and without swimlanes), the board API, the backlog page, and one card move
(To do -> In progress, which reports progress and reschedules the plan) with its query count.
"""

import argparse
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

CARDS = 3_000
REPEATS = 5


def build(cards: int):
    """An organisation admin and an agile project of `cards` tasks on its board."""
    from projects.agile.services import workflow as workflow_services
    from projects.models import Dependency, Label, Task
    from projects.schedule import services as schedule_services
    from tests.factories import OrganisationFactory, ProjectFactory, member_of, on_project
    from tpm.roles import OrgRole, ProjectRole

    organisation = OrganisationFactory.create(name="Bench board")
    admin = member_of(organisation, OrgRole.ADMIN)
    project = ProjectFactory.create(organisation=organisation, methodology="agile")
    statuses = workflow_services.ensure_workflow(project)
    people = [on_project(project, ProjectRole.MEMBER) for _ in range(5)]
    labels = [Label.objects.create(project=project, name=f"Label {n}") for n in range(6)]
    tasks = Task.objects.bulk_create(
        Task(
            project=project,
            name=f"Card {n}",
            position=n,
            story_points=(n % 8) + 1,
            task_type=("task", "bug", "story", "chore")[n % 4],
            priority=("urgent", "high", "medium", "low")[n % 4],
            workflow_status=statuses[0],
        )
        for n in range(cards)
    )
    schedule_services.renumber(project)
    assignees, tagged = Task.assignees.through, Task.labels.through
    assignees.objects.bulk_create(
        (assignees(task_id=t.pk, user=people[i % 5]) for i, t in enumerate(tasks)), batch_size=500
    )
    tagged.objects.bulk_create(
        (tagged(task_id=t.pk, label=labels[i % 6]) for i, t in enumerate(tasks)), batch_size=500
    )
    Dependency.objects.bulk_create(
        Dependency(predecessor=tasks[i - 1], successor=tasks[i]) for i in range(10, cards, 10)
    )
    schedule_services.project_reschedule(project=project)
    return project, admin, people[0], statuses


def _measure(client: Client, url: str) -> tuple[float, int, int]:
    timings, queries, size = [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            size = len(response.content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(timings), queries, size


def _move(client: Client, project, task, status) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.post(
            reverse("project-board-move", args=[project.pk]),
            {"task": task.pk, "status": status.pk, "version": task.version},
            content_type="application/json",
        )
        ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content
    return ms, len(ctx.captured_queries)


def run(cards: int = CARDS) -> None:
    from projects.models import Task

    started = time.perf_counter()
    project, admin, member, statuses = build(cards)
    seconds = time.perf_counter() - started
    print(f"\nboard of {cards} cards (built and scheduled in {seconds:.0f} s); median of {REPEATS}")
    print(f"{'page':<36}{'ms':>10}{'queries':>9}{'KiB':>9}")
    client = Client()
    client.force_login(admin)
    board = reverse("project-board", args=[project.pk])
    for label, url in (
        ("board page", board),
        ("board page, assignee swimlanes", f"{board}?swimlane=assignee"),
        ("board page, filtered to one type", f"{board}?type=bug"),
        ("API board", f"/api/v1/projects/{project.pk}/board/"),
        ("backlog page", reverse("project-backlog", args=[project.pk])),
    ):
        ms, queries, size = _measure(client, url)
        print(f"{label:<36}{ms:>10.1f}{queries:>9}{size / 1024:>9.0f}")
    member_client = Client()
    member_client.force_login(member)
    timings, counts = [], []
    for task in Task.objects.filter(project=project).order_by("pk")[:REPEATS]:
        ms, queries = _move(member_client, project, task, statuses[1])
        timings.append(ms)
        counts.append(queries)
    print(f"{'card move (reschedules the plan)':<36}{statistics.median(timings):>10.1f}", end="")
    print(f"{max(counts):>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=CARDS)
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        run(args.cards)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

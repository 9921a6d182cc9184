"""My work benchmark (part "work" of `make bench`; runs inside its throw-away database).

One person with ASSIGNED open tasks across PROJECTS projects (and as many tasks assigned to
others around them): the My work page, its calendar, the API and the notification list, in
milliseconds and queries; then the same with a tenth of the tasks, so a growing count shows.
"""

import statistics
import time
from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ASSIGNED = 545  # issue 14: one person with 545 open tasks
PROJECTS = 20
REPEATS = 5


def _build(assigned: int, tag: str):
    from projects.models import ProjectMembership, Task
    from tests.factories import OrganisationFactory, ProjectFactory, member_of
    from tpm.models import Notification
    from tpm.roles import OrgRole, ProjectRole

    organisation = OrganisationFactory.create(name=f"Bench {tag}")
    person = member_of(organisation, OrgRole.MEMBER, email=f"worker-{tag}@example.com")
    other = member_of(organisation, OrgRole.MEMBER, email=f"other-{tag}@example.com")
    projects = [
        ProjectFactory.create(organisation=organisation, key=f"{tag}{n}", name=f"{tag} {n}")
        for n in range(PROJECTS)
    ]
    ProjectMembership.objects.bulk_create(
        ProjectMembership(project=p, user=u, role=ProjectRole.MEMBER)
        for p in projects
        for u in (person, other)
    )
    today = date.today()
    tasks = Task.objects.bulk_create(
        (
            Task(
                project=projects[n % PROJECTS],
                name=f"Task {n}",
                position=n,
                deadline=today + timedelta(days=n % 90 - 20),
            )
            for n in range(assigned * 2)
        ),
        batch_size=500,
    )
    through = Task.assignees.through
    through.objects.bulk_create(
        (through(task=t, user=person if i % 2 == 0 else other) for i, t in enumerate(tasks)),
        batch_size=500,
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            organisation=organisation,
            kind="assigned",
            title=f"You were assigned Task {n}",
            dedupe_key=f"bench:{tag}:{n}",
        )
        for n in range(assigned)
    )
    return person


def _measure(client: Client, url: str) -> tuple[float, int, int, float]:
    """Median ms, queries, bytes and CPU ms (this process's) of a GET."""
    timings, cpu = [], []
    queries = size = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            size = len(response.content)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(timings), queries, size, statistics.median(cpu)


def run(assigned_tasks: int = ASSIGNED) -> None:
    print(f"\nMy work: one person's open tasks across {PROJECTS} projects; median of {REPEATS}")
    print(f"{'page':<34}{'tasks':>7}{'ms':>10}{'queries':>9}{'KiB':>9}{'CPU ms':>9}")
    month = date.today().strftime("%Y-%m")
    for assigned, tag in ((assigned_tasks // 10, "S"), (assigned_tasks, "L")):
        person = _build(assigned, tag)
        client = Client()
        client.force_login(person)
        for label, url in (
            ("My work page", reverse("my-work")),
            ("My work calendar (this month)", reverse("my-work-calendar") + f"?month={month}"),
            ("API my-work", reverse("api:my-work")),
            ("notification list (page of 50)", reverse("notification-list")),
            ("API notifications (page of 50)", reverse("api:notification-list")),
        ):
            ms, queries, size, cpu = _measure(client, url)
            print(f"{label:<34}{assigned:>7}{ms:>10.1f}{queries:>9}{size / 1024:>9.0f}{cpu:>9.0f}")


if __name__ == "__main__":
    import argparse
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    parser = argparse.ArgumentParser(description="My work at scale")
    parser.add_argument("--tasks", type=int, default=ASSIGNED, help="open tasks of the person")
    args = parser.parse_args()
    setup_test_environment(debug=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        run(args.tasks)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
    sys.exit(0)

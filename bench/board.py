"""The Kanban board and the backlog on 3,000 cards: `python -m bench.board [--cards N]`.

Builds one agile project of N tasks (the default workflow's four columns, story points, a label
each, one of five people assigned, a link every tenth task so some cards are blocked), scheduled
once, in a throw-away test database; then prints the median wall, CPU and database time, query
count and size of the board page (with and without swimlanes; lazy columns), a "show more", the
board API, the backlog page and its "show more", and three kinds of card move: To do -> In
progress (reports progress, so reschedules the plan), In progress -> In review (same category:
no dates move) and a reorder within a column. `--spread` deals the cards over every column.
"""

import argparse
import os
import shutil
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


def build(cards: int, *, project=None, people=None, spread: bool = False):
    """An organisation admin and an agile project of `cards` tasks on its board.

    Given a `project` (and its five `people`), fills that one instead (the admin is then None);
    `spread` deals the cards over every column instead of the first (done ones completed).
    """
    from projects.agile.services import workflow as workflow_services
    from projects.models import Dependency, Label, Task
    from projects.schedule import services as schedule_services
    from tests.factories import OrganisationFactory, ProjectFactory, member_of, on_project
    from tpm.roles import OrgRole, ProjectRole

    admin = None
    if project is None:
        organisation = OrganisationFactory.create(name="Bench board")
        admin = member_of(organisation, OrgRole.ADMIN)
        project = ProjectFactory.create(organisation=organisation, methodology="agile")
    statuses = workflow_services.ensure_workflow(project)
    if people is None:
        people = [on_project(project, ProjectRole.MEMBER) for _ in range(5)]
    labels = [Label.objects.create(project=project, name=f"Label {n}") for n in range(6)]
    columns = statuses if spread else statuses[:1]
    tasks = Task.objects.bulk_create(
        Task(
            project=project,
            name=f"Card {n}",
            position=n,
            story_points=(n % 8) + 1,
            task_type=("task", "bug", "story", "chore")[n % 4],
            priority=("urgent", "high", "medium", "low")[n % 4],
            workflow_status=columns[n % len(columns)],
            **_done(columns[n % len(columns)]),
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


def _done(status) -> dict:
    """A card in a done column is a completed task (as a move there would make it)."""
    if status.category == "done":
        return {"status": "completed", "percent_complete": 100}
    return {}


def _db_ms(ctx: CaptureQueriesContext) -> float:
    return sum(float(query["time"]) for query in ctx.captured_queries) * 1000


def _measure(client: Client, url: str) -> tuple[float, float, float, int, int]:
    """Median wall, CPU and database ms of REPEATS requests, their queries and bytes."""
    timings, cpu, db, queries, size = [], [], [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started, clock = time.perf_counter(), time.process_time()
            response = client.get(url)
            size = len(response.content)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - clock) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
        db.append(_db_ms(ctx))
    median = statistics.median
    return median(timings), median(cpu), median(db), queries, size


def _move(client: Client, project, task, status, **body) -> tuple[float, float, float, int]:
    with CaptureQueriesContext(connection) as ctx:
        started, clock = time.perf_counter(), time.process_time()
        response = client.post(
            reverse("project-board-move", args=[project.pk]),
            {"task": task.pk, "status": status.pk, "version": task.version, **body},
            content_type="application/json",
        )
        ms, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - clock) * 1000
    assert response.status_code == 200, response.content
    return ms, cpu, _db_ms(ctx), len(ctx.captured_queries)


def _row(label: str, ms: float, cpu: float, db: float, queries: int, size: int | None) -> None:
    kib = f"{size / 1024:>9.0f}" if size is not None else f"{'':>9}"
    print(f"{label:<40}{ms:>9.1f}{cpu:>9.1f}{db:>9.1f}{queries:>9}{kib}")


def _moves(client: Client, project, label: str, tasks, status, **body) -> None:
    """REPEATS moves of different cards into `status`: the medians and the most queries."""
    runs = [_move(client, project, task, status, **body) for task in tasks[:REPEATS]]
    median = statistics.median
    ms, cpu, db = (median(run[i] for run in runs) for i in range(3))
    _row(label, ms, cpu, db, max(run[3] for run in runs), None)


READY = "() => document.readyState === 'complete' && !!document.querySelector('.board-card')"


def browser_time(project, email: str) -> str:
    """Navigation start -> board usable (loaded, its script run, cards shown) in Chromium,
    through a live server (median of 3), like bench.gantt's chart."""
    from tests.factories import PASSWORD

    chromium = shutil.which("chromium")
    if chromium is None:
        return "skipped: Chromium is not installed"
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--headless"]
            )
            page = browser.new_context(base_url=f"http://127.0.0.1:{server.port}").new_page()
            page.set_default_timeout(60_000)
            page.goto("/")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            times, elements = [], 0
            for _ in range(3):
                page.goto(f"/projects/{project.pk}/board/", wait_until="commit")
                page.wait_for_function(READY, polling="raf")
                times.append(page.evaluate("performance.now()"))
                elements = page.evaluate("document.getElementsByTagName('*').length")
            browser.close()
    finally:
        server.terminate()
    return f"{statistics.median(times):.0f} ms (median of 3), {elements} elements on the page"


def run(cards: int = CARDS, spread: bool = False, browser: bool = False) -> None:
    from projects.agile.selectors.board import ranked
    from projects.models import Task

    started = time.perf_counter()
    project, admin, member, statuses = build(cards, spread=spread)
    seconds = time.perf_counter() - started
    print(f"\nboard of {cards} cards (built and scheduled in {seconds:.0f} s); median of {REPEATS}")
    print(f"{'page':<40}{'ms':>9}{'CPU ms':>9}{'DB ms':>9}{'queries':>9}{'KiB':>9}")
    client = Client()
    client.force_login(admin)
    board = reverse("project-board", args=[project.pk])
    todo = statuses[0]
    ordered = list(ranked(Task.objects.filter(project=project, workflow_status=todo)))
    more = reverse("project-board-cards", args=[project.pk])
    rows = reverse("project-backlog-rows", args=[project.pk])
    for label, url in (
        ("board page", board),
        ("board page, assignee swimlanes", f"{board}?swimlane=assignee"),
        ("board page, filtered to one type", f"{board}?type=bug"),
        ("board: show more (To do)", f"{more}?status={todo.pk}&lane=all&after={ordered[24].pk}"),
        ("API board", f"/api/v1/projects/{project.pk}/board/"),
        ("backlog page", reverse("project-backlog", args=[project.pk])),
        ("backlog: show more", f"{rows}?offset=50"),
    ):
        _row(label, *_measure(client, url))
    member_client = Client()
    member_client.force_login(member)
    # Each kind of move on its own cards (fresh versions read just before).
    fresh = list(Task.objects.filter(project=project, workflow_status=todo).order_by("pk"))
    _moves(member_client, project, "move To do -> In progress (reschedules)", fresh, statuses[1])
    doing = list(Task.objects.filter(project=project, workflow_status=statuses[1]).order_by("pk"))
    _moves(member_client, project, "move In progress -> In review", doing, statuses[2])
    again = list(Task.objects.filter(project=project, workflow_status=todo).order_by("-pk"))
    first = ranked(Task.objects.filter(project=project, workflow_status=todo))[0]
    _moves(member_client, project, "reorder within To do", again, todo, before=first.pk)
    if browser:
        print(f"board in Chromium: {browser_time(project, admin.email)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=CARDS)
    parser.add_argument("--spread", action="store_true", help="deal the cards over every column")
    parser.add_argument("--browser", action="store_true", help="time the board in Chromium")
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        run(args.cards, args.spread, args.browser)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

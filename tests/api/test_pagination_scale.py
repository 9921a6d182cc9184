"""Keyset pages at scale (issue 14): cursors, no OFFSET, fixed costs, and answers under 1 MB."""

import base64
import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Task
from projects.plan.api.schedule import MAX_BYTES
from tests.factories import DependencyFactory, TaskFactory

TASKS = "/api/v1/tasks/"


def _task(project, key: str, **fields) -> Task:
    return TaskFactory.create(project=project, outline_key=key, **fields)


def _walk(client, url: str, between=None) -> list[dict]:
    """Every page from `url` on by `next`, calling `between(page_number)` before each next."""
    pages = []
    while url:
        body = client.get(url).json()
        pages.append(body)
        url = body["next"]
        if between is not None and url:
            between(len(pages))
    return pages


def _get(client, url: str) -> tuple[dict, list[str]]:
    """The answer and its SQL (read at once: the next request clears the log)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json(), [q["sql"] for q in queries.captured_queries]


def _task_pages(sql: list[str]) -> list[str]:
    return [q for q in sql if 'FROM "projects_task"' in q and "LIMIT" in q]


def _ids(pages: list[dict], key: str = "results") -> list[int]:
    return [row["id"] for page in pages for row in page[key]]


def test_following_next_visits_every_task_once_while_tasks_are_added(world, api):
    # given 20 tasks in outline order, read 6 at a time
    project = world.project
    first = [_task(project, f"{n:04d}").pk for n in range(0, 40, 2)]
    added: list[int] = []

    def add_some(page: int) -> None:
        # tasks added between pages: before the pages already read, and among those still ahead
        added.append(_task(project, f"{page:04d}a").pk)  # sorts after a read row
        added.append(_task(project, "0000").pk)  # sorts among the first rows (already read)
        added.append(_task(project, "9999").pk)  # sorts after every row

    # when a client follows `next` to the end
    pages = _walk(api(world.manager), f"{TASKS}?project={project.pk}&page_size=6", add_some)
    # then every task there from the start came exactly once, and nothing came twice
    seen = _ids(pages)
    assert len(seen) == len(set(seen))
    assert [pk for pk in seen if pk in first] == first
    # and the pages were cursors, in outline order
    assert all("cursor=" in page["next"] for page in pages[:-1])
    keys = dict(Task.objects.values_list("pk", "outline_key"))
    assert [keys[pk] for pk in seen] == sorted(keys[pk] for pk in seen)
    assert set(added) & set(seen)  # some of the late ones were still ahead, so they came too


def test_a_deep_page_reads_from_its_cursor_without_offset_at_a_fixed_cost(world, api):
    # given 40 tasks, read 5 at a time
    project = world.project
    for n in range(40):
        _task(project, f"{n:04d}")
    client = api(world.manager)
    url = f"{TASKS}?project={project.pk}&page_size=5"
    first_page, first = _get(client, url)
    pages = [first_page]
    while pages[-1]["next"]:
        last_url = pages[-1]["next"]
        pages.append(client.get(last_url).json())
    # when the last page is read by its cursor
    body, deep = _get(client, last_url)
    # then it is the same last 5 tasks the old page number gives
    assert len(pages) == 8
    assert [t["id"] for t in body["results"]] == _ids([pages[-1]])
    by_number = client.get(f"{url}&page=8").json()
    assert _ids([by_number]) == _ids([body]) and by_number["next"] is None
    # read with a LIMIT from where the cursor points, not an OFFSET past 35 rows
    (rows,) = _task_pages(deep)
    assert "LIMIT" in rows and "OFFSET" not in rows
    assert '"projects_task"."outline_key" >' in rows  # the cursor's keys, compared
    # and for the same number of queries as the first page
    assert len(deep) == len(first), "\n".join(deep)
    assert body["count"] == 40 and body["next"] is None and body["previous"]


def test_previous_links_walk_back_through_the_same_pages(world, api):
    project = world.project
    for n in range(13):
        _task(project, f"{n:04d}")
    client = api(world.manager)
    forward = _walk(client, f"{TASKS}?project={project.pk}&page_size=4")
    backward, url = [], forward[-1]["previous"]
    while url:
        body = client.get(url).json()
        backward.append(body)
        url = body["previous"]
    assert [_ids([p]) for p in reversed(backward)] == [_ids([p]) for p in forward[:-1]]
    assert forward[0]["previous"] is None


@pytest.mark.parametrize("ordering", ["-deadline", "deadline", "start", "-name", "-created_at"])
def test_cursor_pages_follow_any_ordering_nulls_included(world, api, ordering):
    # given tasks where the sort key repeats and is sometimes missing
    project = world.project
    for n in range(17):
        _task(
            project,
            f"{n:04d}",
            name=f"Task {n % 4}",
            deadline=None if n % 3 == 0 else date(2027, 1, 1 + n % 5),
            start=None if n % 4 == 0 else datetime(2027, 1, 4 + n % 3, 8, tzinfo=UTC),
        )
    client = api(world.manager)
    url = f"{TASKS}?project={project.pk}&ordering={ordering}"
    whole = _ids([client.get(f"{url}&page_size=100").json()])
    # when read 3 at a time
    pages = _walk(client, f"{url}&page_size=3")
    # then the pages, joined, are the whole list in the same order
    assert _ids(pages) == whole and len(whole) == 17


def test_links_are_paged_by_cursor_too(world, api):
    for _ in range(7):
        DependencyFactory(
            predecessor=TaskFactory(project=world.project),
            successor=TaskFactory(project=world.project),
        )
    client = api(world.manager)
    pages = _walk(client, f"/api/v1/dependencies/?project={world.project.pk}&page_size=2")
    assert len(pages) == 4 and len(set(_ids(pages))) == 7
    assert "cursor=" in pages[0]["next"] and "page=" not in pages[0]["next"]


def test_a_cursor_that_is_not_one_or_of_another_order_is_a_400(world, api):
    _task(world.project, "0001")
    _task(world.project, "0002")
    client = api(world.manager)
    cursor_link = client.get(f"{TASKS}?page_size=1").json()["next"]
    cursor = cursor_link.split("cursor=")[1].split("&")[0]
    edited = {"k": ["project_id", "outline_key", "pk"], "v": [1, "0001", "abc"]}
    by_hand = base64.urlsafe_b64encode(json.dumps(edited).encode()).decode()
    for query in ("cursor=nonsense", f"cursor={cursor}&ordering=name", f"cursor={by_hand}"):
        response = client.get(f"{TASKS}?page_size=1&{query}")
        assert response.status_code == 400
        assert "cursor" in response.json()["errors"]


def test_the_schema_documents_cursors_and_the_schedule_pages(api, world):
    schema = api(world.manager).get("/api/schema/?format=json").json()
    tasks = schema["paths"]["/api/v1/tasks/"]["get"]
    assert {"cursor", "page", "page_size"} <= {p["name"] for p in tasks["parameters"]}
    ref = tasks["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"]
    assert {"count", "next", "previous", "results"} <= set(envelope)
    schedule = schema["paths"]["/api/v1/projects/{id}/schedule/"]["get"]
    assert {"cursor", "page_size", "fields"} <= {p["name"] for p in schedule["parameters"]}
    body = schema["components"]["schemas"]["ProjectSchedule"]["properties"]
    assert {"next", "previous", "count", "tasks", "critical_path"} <= set(body)


# --- the schedule ------------------------------------------------------------------------------


def _big_plan(project, tasks: int, notes: int) -> None:
    Task.objects.bulk_create(
        Task(
            project=project,
            name=f"Task {n}",
            position=n,
            outline_key=f"{n:05d}",
            duration_minutes=480,
            notes="x" * notes,
        )
        for n in range(tasks)
    )


def test_the_schedule_answers_under_1_mb_and_the_rest_by_next(world, api):
    # given a plan whose schedule in one answer would be about 1.6 MB (long notes)
    project = world.project
    _big_plan(project, 80, 20_000)
    client = api(world.manager)
    url = f"/api/v1/projects/{project.pk}/schedule/"
    # when the schedule is read by default
    response = client.get(url)
    # then the answer is under 1 MB, and `next` leads to the rest, each task once
    assert len(response.content) < MAX_BYTES
    first = response.json()
    assert first["count"] == 80 and first["next"]
    pages = [first, *_walk(client, first["next"])]
    assert sum(len(json.dumps(p["tasks"])) for p in pages) > 1.5 * MAX_BYTES
    assert all(p["critical_path"] == first["critical_path"] for p in pages)
    ids = _ids(pages, "tasks")
    assert ids == list(
        Task.objects.filter(project=project)
        .order_by("outline_key", "pk")
        .values_list("pk", flat=True)
    )


def test_the_schedule_pages_hold_at_most_page_size_tasks_for_the_same_queries(world, api):
    _big_plan(world.project, 25, 0)
    client = api(world.manager)
    url = f"/api/v1/projects/{world.project.pk}/schedule/?page_size=10"
    first, first_queries = _get(client, url)
    second, next_queries = _get(client, first["next"])
    page_sql = _task_pages(next_queries)
    assert [len(first["tasks"]), len(second["tasks"])] == [10, 10]
    assert len(next_queries) == len(first_queries)
    assert len(page_sql) == 1 and "OFFSET" not in page_sql[0]
    assert len(client.get(f"/api/v1/projects/{world.project.pk}/schedule/").json()["tasks"]) == 25


def test_the_schedule_can_send_only_some_fields(world, api):
    _big_plan(world.project, 3, 10)
    client = api(world.manager)
    url = f"/api/v1/projects/{world.project.pk}/schedule/"
    body = client.get(f"{url}?fields=name,start,finish").json()
    assert [set(task) for task in body["tasks"]] == [{"id", "name", "start", "finish"}] * 3
    wrong = client.get(f"{url}?fields=name,salary")
    assert wrong.status_code == 400 and "salary" in wrong.json()["errors"]["fields"][0]

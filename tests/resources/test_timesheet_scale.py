"""The timesheet of someone with hundreds of open tasks: the grid shows a bounded number of them
(those scheduled in the week first), the picker a bounded number of the others, and a search
finds the rest; bytes and queries do not grow with the number of tasks."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from projects.models import Task
from projects.plan import services as task_services
from resources.timesheets import selectors
from tests.conftest import client_for
from tests.tpm.querycount import assert_same_count, queries_for_get

from .timesheet_helpers import MONDAY, log, task

pytestmark = pytest.mark.django_db

URL = reverse("timesheet") + f"?week={MONDAY.isoformat()}"


@pytest.fixture(autouse=True)
def small_limits(monkeypatch):
    """Small limits, so "more than the limit" is a handful of tasks."""
    monkeypatch.setattr(selectors, "ROW_LIMIT", 3)
    monkeypatch.setattr(selectors, "PICKER_LIMIT", 4)
    monkeypatch.setattr(selectors, "ADD_LIMIT", 2)


def _assigned(world, count: int) -> list[Task]:
    return [
        task_services.task_create(
            project=world.project,
            actor=world.manager,
            name=f"Mine {Task.objects.count():03d}",
            assignees=[world.member],
        )
        for _ in range(count)
    ]


def _rows(html: str) -> int:
    return html.count('name="rows"')


def test_only_the_first_open_tasks_are_rows_and_the_rest_are_counted(world):
    # given a member with 10 open tasks, over the limit of 3 rows
    tasks = _assigned(world, 10)
    # when they open the week
    response = client_for(world.member).get(URL)
    # then three are rows, the picker offers four of the others, and the page says 7 are left out
    html = response.content.decode()
    assert _rows(html) == 3
    assert html.count("<option ") == 4
    assert "7 more of your open tasks are not in the grid" in html
    assert response.context["week"].picker_truncated
    assert f'value="{tasks[0].pk}"' in html


def test_the_tasks_scheduled_in_the_week_come_first(world):
    # given ten open tasks of which the last two are scheduled in the week shown
    tasks = _assigned(world, 10)
    in_week = [tasks[-1].pk, tasks[-2].pk]
    Task.objects.filter(pk__in=in_week).update(
        start=datetime(2027, 3, 2, 9, tzinfo=UTC), finish=datetime(2027, 3, 3, 17, tzinfo=UTC)
    )
    Task.objects.exclude(pk__in=in_week).update(
        start=datetime(2027, 5, 3, 9, tzinfo=UTC), finish=datetime(2027, 5, 4, 17, tzinfo=UTC)
    )
    # when the member opens that week
    week = client_for(world.member).get(URL).context["week"]
    # then those two are rows, with the first of the others
    assert [row.spec.task_id for row in week.grid.rows] == [tasks[0].pk, *sorted(in_week)]


def test_tasks_with_time_in_the_week_are_rows_beyond_the_limit(world):
    # given five tasks with time this week and five more open ones
    logged = _assigned(world, 5)
    for n, item in enumerate(logged):
        log(world, world.member, {(item, n): "1"})
    _assigned(world, 5)
    # when the member opens the week
    html = client_for(world.member).get(URL).content.decode()
    # then every task with time is a row, plus three open ones
    assert _rows(html) == 8
    assert "2 more of your open tasks" in html


def test_the_search_finds_any_task_the_person_may_log_on(world):
    # given open tasks of the member and one nobody assigned them
    _assigned(world, 10)
    other = task(world, "Write the release notes")
    client = client_for(world.member)
    # when they search for it
    html = client.get(URL + "&find=release+notes").content.decode()
    # then it is the one answer, and a search for nothing known says so
    assert html.count("<option ") == 1
    assert f'<option value="{other.pk}">' in html
    missing = client.get(URL + "&find=zebra").content.decode()
    assert "<option " not in missing
    assert "No task you can log time on matches “zebra”." in missing


def test_rows_added_by_hand_are_capped(world):
    # given four unassigned tasks added with the picker, over the limit of two
    added = [task(world, f"Extra {n}") for n in range(4)]
    ids = ",".join(str(t.pk) for t in added)
    # when the week opens with them
    html = client_for(world.member).get(URL + f"&tasks={ids}").content.decode()
    # then only the first two are rows, and the form carries only those on
    assert _rows(html) == 2
    assert f'name="tasks" value="{added[0].pk},{added[1].pk}"' in html


def test_bytes_and_queries_do_not_grow_with_open_tasks(world):
    # given a member over every limit, then with three times as many open tasks
    client = client_for(world.member)
    _assigned(world, 9)
    client.get(URL)
    few = queries_for_get(client, URL)
    few_bytes = len(client.get(URL).content)
    _assigned(world, 27)
    many = queries_for_get(client, URL)
    many_bytes = len(client.get(URL).content)
    # then the page costs the same queries and about the same bytes (only counts and ids differ)
    assert_same_count(few, many)
    assert abs(many_bytes - few_bytes) < 200, (few_bytes, many_bytes)

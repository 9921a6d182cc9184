"""My work at scale (issue 14): each group shows its first rows and its total, "show more"
pages through the rest, and the page's size and queries do not grow with the open tasks."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from projects.models import Project, ProjectMembership, Task
from projects.work.selectors import PAGE_SIZE, due_date, due_group, my_work
from tests.clock import Moment, frozen_at
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm.roles import ProjectRole

pytestmark = pytest.mark.django_db

MONDAY = Moment("2027-01-04T10:00")  # a Monday: this week runs to Sunday 10 January
HTMX = {"HX-Request": "true"}
ROW = re.compile(r'<tr id="work-(\d+)"')


def _tasks(world, count: int, tag: str, today: date) -> list[Task]:
    """`count` tasks of the member in each group (overdue, this week, later), in two projects."""
    other = ProjectFactory.create(
        organisation=world.organisation, key=f"Z{tag}", name=f"Other {tag}"
    )
    ProjectMembership.objects.create(project=other, user=world.member, role=ProjectRole.MEMBER)
    projects: list[Project] = [world.project, other]
    offsets = (-30, 0, 40)  # days from today: overdue, this week, later
    tasks = Task.objects.bulk_create(
        Task(
            project=projects[n % 2],
            name=f"{tag} task {n}",
            position=n,
            deadline=today + timedelta(days=offsets[n % 3] + (n // 3) % 5),
        )
        for n in range(3 * count)
    )
    through = Task.assignees.through
    through.objects.bulk_create(through(task=t, user=world.member) for t in tasks)
    return tasks


def _rows(html: str) -> list[int]:
    return [int(pk) for pk in ROW.findall(html)]


def test_the_page_shows_the_first_rows_of_each_group_with_every_total(
    world, time_machine, settings
):
    today = frozen_at(MONDAY, time_machine, settings)
    _tasks(world, PAGE_SIZE + 7, "A", today)
    html = client_for(world.member).get(reverse("my-work")).content.decode()
    assert len(_rows(html)) == 3 * PAGE_SIZE
    total = 3 * (PAGE_SIZE + 7)
    assert f"{total} open tasks assigned to you" in html
    for key in ("overdue", "this-week", "later"):
        assert f'<h2 id="group-{key}">' in html
        assert f"?group={key}&amp;offset={PAGE_SIZE}" in html
    assert html.count(f'<span class="badge">{PAGE_SIZE + 7}</span>') == 3
    assert "Show 7 more" in html and f"{PAGE_SIZE} of {PAGE_SIZE + 7} shown" in html


def test_show_more_pages_through_a_group_in_the_order_of_the_whole_list(
    world, time_machine, settings
):
    today = frozen_at(MONDAY, time_machine, settings)
    _tasks(world, 2 * PAGE_SIZE + 3, "A", today)
    client = client_for(world.member)
    everything = my_work(world.member, limit=None)
    expected = [item.task.pk for item in everything.later]
    seen = _rows(client.get(reverse("my-work")).content.decode())[-PAGE_SIZE:]
    offset = PAGE_SIZE
    while True:
        response = client.get(f"{reverse('my-work')}?group=later&offset={offset}", headers=HTMX)
        html = response.content.decode()
        assert "<html" not in html  # the rows alone, swapped in place of the button
        seen += _rows(html)
        if "Show " not in html:
            break
        offset += PAGE_SIZE
    assert seen == expected
    assert len(expected) == 2 * PAGE_SIZE + 3


def test_without_htmx_show_more_gives_the_page_with_that_group_longer(
    world, time_machine, settings
):
    today = frozen_at(MONDAY, time_machine, settings)
    _tasks(world, PAGE_SIZE + 5, "A", today)
    html = client_for(world.member).get(f"{reverse('my-work')}?group=overdue&offset={PAGE_SIZE}")
    rows = _rows(html.content.decode())
    assert len(rows) == (PAGE_SIZE + 5) + 2 * PAGE_SIZE


def test_page_bytes_and_queries_stay_bounded_as_open_tasks_grow(world, time_machine, settings):
    today = frozen_at(MONDAY, time_machine, settings)
    client = client_for(world.member)
    _tasks(world, PAGE_SIZE, "A", today)  # 60 open tasks: every group full
    few = queries_for_get(client, reverse("my-work"))
    few_bytes = len(client.get(reverse("my-work")).content)
    _tasks(world, 150, "B", today)  # 510 open tasks
    many = queries_for_get(client, reverse("my-work"))
    many_bytes = len(client.get(reverse("my-work")).content)
    assert_same_count(few, many)
    # the same number of rows; only totals, names and ids differ
    assert many_bytes < few_bytes * 1.1
    assert many_bytes < 150_000  # issue 14's target is 300 KB a page
    more = queries_for_get(client, f"{reverse('my-work')}?group=later&offset=40")
    assert len(more) <= len(many)


def test_the_due_date_in_sql_is_the_one_in_python_across_midnight(world, time_machine, settings):
    # Paris, late on a Saturday: "today" there is not today in UTC
    today = frozen_at(Moment("2027-10-30T23:30", "Europe/Paris"), time_machine, settings)
    cases = [
        (datetime(2027, 10, 30, 22, 30, tzinfo=UTC), None),  # Sunday 31 in Paris
        (datetime(2027, 10, 29, 23, 30, tzinfo=UTC), date(2027, 11, 5)),  # Saturday 30 in Paris
        (None, date(2027, 10, 29)),
        (datetime(2027, 11, 1, 8, tzinfo=UTC), date(2027, 10, 31)),
        (datetime(2027, 11, 1, 8, tzinfo=UTC), None),
        (None, None),
    ]
    for n, (finish, deadline) in enumerate(cases):
        task = Task.objects.create(
            project=world.project, name=f"T{n}", position=n, finish=finish, deadline=deadline
        )
        task.assignees.add(world.member)
    work = my_work(world.member, limit=None)
    assert work.count == len(cases)
    for key, _label, items in work.groups():
        for item in items:
            assert item.due == due_date(item.task), item.task.name
            assert due_group(item.due, today) == key, item.task.name
    expected = sorted(
        (item for _k, _l, items in work.groups() for item in items),
        key=lambda item: (item.due or date.max, item.task.project.key, item.task.pk),
    )
    assert [i.task.pk for _k, _l, items in work.groups() for i in items] == [
        i.task.pk for i in expected
    ]

"""My work: my open tasks across projects, grouped by when they are due, with quick updates
and a blocked flag that tells the managers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import ProjectMembership, Task
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from projects.work.selectors import due_group
from tests.clock import TRICKY_DAYS, frozen_at
from tests.conftest import client_for
from tests.factories import ProjectFactory, on_project
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm.models import Notification
from tpm.models_collab import Blocker
from tpm.roles import ProjectRole

pytestmark = pytest.mark.django_db


def _task(world, name, *, deadline=None, assignees=None, project=None):
    return task_services.task_create(
        project=project or world.project,
        actor=world.manager,
        name=name,
        assignees=assignees if assignees is not None else [world.member],
        deadline=deadline,
    )


@pytest.mark.parametrize("moment", TRICKY_DAYS, ids=str)
def test_my_tasks_are_grouped_overdue_this_week_and_later(world, moment, time_machine, settings):
    today = frozen_at(moment, time_machine, settings)
    # the plan starts a month out, so no planned finish pulls a task into this week on any day
    world.project.start_date = today + timedelta(days=30)
    world.project.save(update_fields=["start_date"])
    _task(world, "Late one", deadline=today - timedelta(days=3))
    _task(world, "Soon one", deadline=today + timedelta(days=6 - today.weekday()))
    _task(world, "Far one", deadline=today + timedelta(days=60))
    _task(world, "Not mine", assignees=[world.manager])
    response = client_for(world.member).get(reverse("my-work"))
    assert response.status_code == 200
    work = response.context["work"]
    names = {group: [item.task.name for item in items] for group, _label, items in work.groups()}
    assert "Late one" in names["overdue"]
    assert "Soon one" in names["this-week"]
    assert "Far one" in names["later"]
    assert "Not mine" not in str(names)


@pytest.mark.parametrize(
    "today",
    [date(2027, 1, 4) + timedelta(days=n) for n in range(7)]  # Monday to Sunday
    + [date(2026, 12, 31), date(2027, 2, 28), date(2028, 2, 29), date(2027, 3, 28)],
    ids=lambda day: f"{day:%a-%Y-%m-%d}",
)
def test_every_due_date_lands_in_one_group_on_any_weekday(today):
    sunday = today + timedelta(days=6 - today.weekday())
    for offset in range(-10, 400):
        due = today + timedelta(days=offset)
        same_week = due.isocalendar()[:2] == today.isocalendar()[:2]  # ISO weeks: Mon-Sun
        expected = "overdue" if due < today else "this-week" if same_week else "later"
        assert due_group(due, today) == expected, (today, due)
    # a task due far ahead (or with no date) is never lost, on a Monday as on a Sunday
    assert due_group(today + timedelta(days=60), today) == "later"
    assert due_group(None, today) == "later"
    assert due_group(sunday, today) == "this-week"
    assert due_group(sunday + timedelta(days=1), today) == "later"


def test_tasks_of_projects_where_i_lost_my_role_disappear(world):
    _task(world, "Old work")
    ProjectMembership.objects.filter(user=world.member).delete()
    response = client_for(world.member).get(reverse("my-work"))
    assert "Old work" not in response.content.decode()


def test_quick_update_reports_progress_through_the_service(world):
    task = _task(world, "Write copy")
    response = client_for(world.member).post(
        reverse("my-work-progress", args=[task.pk]),
        {"status": "in_progress", "percent_complete": 40, "version": task.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.percent_complete == 40 and task.status == "in_progress"
    assert task.actual_start is not None  # the service's rule, not the view's


def test_quick_update_records_the_hours_left_and_done_clears_them(world):
    # given a task the member works on
    task = _task(world, "Write copy")
    client = client_for(world.member)
    # when they say 6.5 hours are left
    response = client.post(
        reverse("my-work-progress", args=[task.pk]),
        {
            "status": "in_progress",
            "percent_complete": 40,
            "remaining_hours": "6.5",
            "version": task.version,
        },
        headers={"HX-Request": "true"},
    )
    # then the row shows it and the task keeps it
    assert response.status_code == 200
    assert 'value="6.50"' in response.content.decode()
    task.refresh_from_db()
    assert task.remaining_hours == Decimal("6.5")
    # and completing the task leaves nothing to do
    client.post(
        reverse("my-work-progress", args=[task.pk]),
        {
            "status": "completed",
            "percent_complete": 40,
            "remaining_hours": "6.5",
            "version": task.version,
        },
        headers={"HX-Request": "true"},
    )
    task.refresh_from_db()
    assert task.status == "completed" and task.remaining_hours == 0


def test_negative_hours_left_are_refused(world):
    task = _task(world, "Write copy")
    response = client_for(world.member).post(
        reverse("my-work-progress", args=[task.pk]),
        {
            "status": "in_progress",
            "percent_complete": 0,
            "remaining_hours": "-2",
            "version": task.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "remaining_hours" in response.content.decode()
    task.refresh_from_db()
    assert task.remaining_hours is None


def test_a_stale_quick_update_is_a_409_showing_the_current_state(world):
    task = _task(world, "Write copy")
    stale = task.version
    task_services.task_update_progress(
        task=task, actor=world.manager, version=stale, changes=ProgressChanges(percent_complete=70)
    )
    response = client_for(world.member).post(
        reverse("my-work-progress", args=[task.pk]),
        {"status": "in_progress", "percent_complete": 10, "version": stale},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert 'value="70"' in response.content.decode()
    task.refresh_from_db()
    assert task.percent_complete == 70


def test_bad_progress_input_is_a_422_naming_the_field(world):
    task = _task(world, "Write copy")
    response = client_for(world.member).post(
        reverse("my-work-progress", args=[task.pk]),
        {"status": "exploded", "percent_complete": 140, "version": task.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "percent_complete" in body and "status" in body


def test_blocking_a_task_tells_its_managers(world):
    task = _task(world, "Write copy")
    response = client_for(world.member).post(
        reverse("my-work-blocker", args=[task.pk]),
        {"reason": "Waiting for the brand guide"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Waiting for the brand guide" in response.content.decode()
    note = Notification.objects.get(recipient=world.manager, kind="blocked")
    assert "Write copy" in note.title and note.body == "Waiting for the brand guide"
    # clearing it
    client_for(world.member).post(reverse("my-work-blocker", args=[task.pk]), {"clear": "1"})
    assert not Blocker.objects.filter(cleared_at__isnull=True).exists()


def test_blocking_without_a_reason_is_refused(world):
    task = _task(world, "Write copy")
    response = client_for(world.member).post(
        reverse("my-work-blocker", args=[task.pk]), {"reason": " "}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Say what blocks the work" in response.content.decode()
    assert not Blocker.objects.exists()


def test_someone_else_cannot_update_my_task(world):
    task = _task(world, "Write copy")
    other = on_project(world.project, ProjectRole.MEMBER, email="other@acme.test")
    response = client_for(other).post(
        reverse("my-work-progress", args=[task.pk]),
        {"status": "in_progress", "percent_complete": 40, "version": task.version},
    )
    assert response.status_code == 403


def _many(world, count, tag):
    projects = [
        ProjectFactory(organisation=world.organisation, key=f"{tag}{i}", name=f"{tag}{i}")
        for i in range(3)
    ]
    for project in projects:
        ProjectMembership.objects.get_or_create(
            project=project, user=world.member, defaults={"role": ProjectRole.MEMBER}
        )
    tasks = []
    for i in range(count):
        tasks.append(
            Task.objects.create(
                project=projects[i % 3],
                name=f"T{i}",
                deadline=date(2030, 1, 1) + timedelta(days=i),
            )
        )
    for task in tasks:
        task.assignees.add(world.member)


def test_my_work_costs_the_same_queries_for_few_and_many_tasks(world):
    client = client_for(world.member)
    _many(world, 3, "A")
    few = queries_for_get(client, reverse("my-work"))
    _many(world, 30, "B")
    many = queries_for_get(client, reverse("my-work"))
    assert_same_count(few, many)


def test_the_api_lists_my_work(world):
    _task(world, "Write copy")
    response = client_for(world.member).get(reverse("api:my-work"))
    assert response.status_code == 200
    rows = response.json()["overdue"] + response.json()["this_week"] + response.json()["later"]
    assert [row["name"] for row in rows] == ["Write copy"]
    assert rows[0]["blocked"] is False

"""Assigning resources to tasks (units and work), kept consistent with Task.assignees, and the
effective assignments the workload reads."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.plan import services as task_services
from resources.models import Assignment
from resources.pool.selectors import effective_assignments
from resources.pool.services import assignments as assignment_services
from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.resources.factories import AssignmentFactory, ResourceFactory, person_for
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm.models import Notification

D = Decimal


def _task(world, **fields):
    return task_services.task_create(
        project=world.project, actor=world.manager, name=fields.pop("name", "Build"), **fields
    )


def test_assigning_a_persons_resource_puts_them_on_the_task_and_tells_them(world):
    # given the member's resource and a task
    member = person_for(world.member, world.organisation)
    task = _task(world)
    # when the manager assigns the resource at 50 %
    response = client_for(world.manager).post(
        reverse("task-assignment-add", args=[world.project.pk, task.pk]),
        {"resource": member.pk, "units": "50"},
    )
    # then the assignment exists, the member is among the task's assignees and is notified
    assert response.status_code == 302
    assert Assignment.objects.get(task=task).units == D(50)
    assert list(task.assignees.all()) == [world.member]
    assert Notification.objects.filter(recipient=world.member, kind="assigned").exists()


def test_removing_the_assignment_takes_the_person_off_the_task(world):
    member = person_for(world.member, world.organisation)
    task = _task(world)
    assignment = assignment_services.assignment_create(
        task=task, actor=world.manager, resource=member
    )
    client_for(world.manager).post(
        reverse("task-assignment-delete", args=[world.project.pk, task.pk, assignment.pk])
    )
    assert not Assignment.objects.exists()
    assert not task.assignees.exists()


def test_a_person_without_a_role_in_the_project_is_assigned_without_joining_assignees(world):
    # given the bystander's resource (in the organisation, no role in WEB)
    bystander = person_for(world.bystander, world.organisation)
    task = _task(world)
    # when assigned
    assignment_services.assignment_create(task=task, actor=world.manager, resource=bystander)
    # then the resource is on the task for the workload, but the boards do not list them
    assert Assignment.objects.filter(task=task, resource=bystander).exists()
    assert not task.assignees.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"units": "0"}, "units", "more than 0 %"),
        ({"units": "50", "work_hours": "-3"}, "work_hours", "Work cannot be negative."),
    ],
)
def test_bad_units_or_work_are_refused(world, data, field, message):
    resource = ResourceFactory(organisation=world.organisation)
    task = _task(world)
    response = client_for(world.manager).post(
        reverse("task-assignment-add", args=[world.project.pk, task.pk]),
        {"resource": resource.pk} | data,
    )
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])


def test_summaries_and_milestones_take_no_assignments(world):
    resource = ResourceFactory(organisation=world.organisation)
    parent = _task(world, name="Phase")
    _task(world, name="Step", parent=parent)
    milestone = _task(world, name="Go live", is_milestone=True)
    parent.refresh_from_db()
    for task, message in ((parent, "summary"), (milestone, "milestone")):
        with pytest.raises(ValidationError, match=message):
            assignment_services.assignment_create(task=task, actor=world.manager, resource=resource)


def test_the_same_resource_twice_on_a_task_is_refused(world):
    resource = ResourceFactory(organisation=world.organisation, name="Rig")
    task = _task(world)
    assignment_services.assignment_create(task=task, actor=world.manager, resource=resource)
    with pytest.raises(ValidationError, match="Rig is already on this task"):
        assignment_services.assignment_create(task=task, actor=world.manager, resource=resource)


def test_a_stale_assignment_edit_is_a_409(world):
    assignment = AssignmentFactory(task=_task(world))
    opened = assignment.version
    assignment_services.assignment_update(
        assignment=assignment, actor=world.manager, version=opened, units=D(80)
    )
    response = client_for(world.manager).post(
        reverse("task-assignment-edit", args=[world.project.pk, assignment.task_id, assignment.pk]),
        {f"a{assignment.pk}-units": "20", f"a{assignment.pk}-version": opened},
    )
    assert response.status_code == 409
    assert Assignment.objects.get(pk=assignment.pk).units == D(80)


def test_the_task_page_section_lists_assignments_and_implicit_assignees(world):
    # given an explicit assignment, an assignee with a resource but no assignment (a plan
    # made on the board) and an assignee who is not in the pool
    task = _task(world)
    AssignmentFactory(
        task=task, resource=ResourceFactory(organisation=world.organisation, name="Rig")
    )
    person_for(world.member, world.organisation, name="Mia Member")
    task.assignees.add(world.member, world.manager)
    # when anyone with a role opens the section
    page = (
        client_for(world.viewer)
        .get(
            reverse("task-assignments", args=[world.project.pk, task.pk]),
            headers={"HX-Request": "true"},
        )
        .text
    )
    # then all three are there, each said for what it is
    assert "Rig" in page
    assert "Mia Member" in page and "counted at 100 %" in page
    assert "not in the resource pool" in page


def test_the_assignment_section_costs_the_same_queries_for_few_and_many(world):
    task = _task(world)
    client = client_for(world.manager)
    url = reverse("task-assignments", args=[world.project.pk, task.pk])
    AssignmentFactory(task=task)
    task.assignees.add(world.member)
    few = queries_for_get(client, url)
    for _ in range(8):
        AssignmentFactory(task=task)
    task.assignees.add(world.manager, world.stakeholder)
    person_for(world.member, world.organisation)
    person_for(world.manager, world.organisation)
    many = queries_for_get(client, url)
    assert_same_count(few, many)


def test_effective_assignments_split_effort_by_units_and_count_board_assignees(world):
    # given a 40-hour task with an explicit 100 % engineer and a board assignee with a resource
    task = _task(world, effort_hours=D(40))
    engineer = ResourceFactory(organisation=world.organisation)
    AssignmentFactory(task=task, resource=engineer, units=D(100))
    member = person_for(world.member, world.organisation)
    task.assignees.add(world.member)
    # and a 2-day task (16 h) with a half-time assignment and no effort
    short = _task(world, name="Short", duration_minutes=2 * 480)
    AssignmentFactory(task=short, resource=engineer, units=D(50))
    # when the workload reads the effective assignments
    items = effective_assignments(organisation_id=world.organisation.pk)
    work = {(i.task_id, i.resource_id): (i.work_hours, i.implicit) for i in items}
    # then the effort is shared 20/20, the assignee counts at 100 %, duration x units otherwise
    assert work == {
        (task.pk, engineer.pk): (D(20), False),
        (task.pk, member.pk): (D(20), True),
        (short.pk, engineer.pk): (D(8), False),
    }


def test_effective_assignments_take_four_queries_and_keep_to_the_window(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    person_for(world.member, world.organisation)
    for _ in range(5):
        AssignmentFactory(task=TaskFactory(project=world.project, start=now, finish=now))
    late = TaskFactory(
        project=world.project, start=now + timedelta(days=400), finish=now + timedelta(days=401)
    )
    AssignmentFactory(task=late)
    with CaptureQueriesContext(connection) as ctx:
        items = effective_assignments(
            organisation_id=world.organisation.pk,
            window=(now.date() - timedelta(days=7), now.date() + timedelta(days=30)),
        )
    assert len(ctx.captured_queries) == 4
    assert len(items) == 5 and late.pk not in {i.task_id for i in items}

"""Who may see and change a task and its links."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from projects.access import access_dependency, access_task, access_task_progress
from tests.factories import DependencyFactory, TaskFactory
from tpm.roles import ProjectRole


@pytest.fixture
def task(world):
    return TaskFactory(project=world.project)


def test_everyone_with_a_role_sees_the_task_and_outsiders_get_a_404(world, task):
    for user in (world.viewer, world.stakeholder, world.member, world.manager, world.admin):
        assert access_task(user, task.pk).obj == task
    # then the caller's role comes with it (an org admin acts as a manager)
    assert access_task(world.stakeholder, task.pk).role == ProjectRole.STAKEHOLDER
    assert access_task(world.admin, task.pk).role == ProjectRole.MANAGER
    for user in (world.outsider, world.bystander):
        with pytest.raises(Http404):
            access_task(user, task.pk)


def test_only_planners_change_the_plan(world, task):
    assert access_task(world.manager, task.pk, write=True).obj == task
    assert access_task(world.admin, task.pk, write=True).obj == task
    for user in (world.member, world.stakeholder, world.viewer):
        with pytest.raises(PermissionDenied):
            access_task(user, task.pk, write=True)


def test_members_report_progress_on_their_own_tasks_only(world, task):
    with pytest.raises(PermissionDenied):
        access_task_progress(world.member, task.pk)
    task.assignees.add(world.member)
    assert access_task_progress(world.member, task.pk).obj == task
    assert access_task_progress(world.manager, task.pk).obj == task
    with pytest.raises(PermissionDenied):
        access_task_progress(world.stakeholder, task.pk)


def test_a_deleted_task_or_project_hides_the_task(world, task):
    world.project.deleted_at = task.created_at
    world.project.save()
    with pytest.raises(Http404):
        access_task(world.admin, task.pk)


def test_links_are_seen_through_the_successors_project(world, task):
    link = DependencyFactory(successor=task, predecessor=TaskFactory(project=world.project))
    assert access_dependency(world.viewer, link.pk).obj == link
    with pytest.raises(PermissionDenied):
        access_dependency(world.member, link.pk, write=True)
    with pytest.raises(Http404):
        access_dependency(world.outsider, link.pk)

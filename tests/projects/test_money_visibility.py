"""Costs give people's rates away: only roles that see money (managers, stakeholders) read them,
on the task page, in the activity streams and in the project history."""

from decimal import Decimal

from django.urls import reverse

from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from tests.conftest import client_for
from tests.factories import TaskFactory


def _costed_task(world):
    # given a task whose actual cost changed (as approving time does)
    task = TaskFactory(project=world.project, name="Build adapter", cost=Decimal("1000.00"))
    task_services.task_update(
        task=task,
        actor=world.manager,
        version=task.version,
        changes=TaskChanges(actual_cost=Decimal("246.90")),
    )
    return task


def _pages(world, task):
    return (
        reverse("task-detail", args=[world.project.pk, task.pk]),
        reverse("project-activity", args=[world.project.pk]),
        reverse("project-history", args=[world.project.pk]),
    )


def test_members_and_viewers_read_no_costs_anywhere(world):
    task = _costed_task(world)
    for user in (world.member, world.viewer):
        for url in _pages(world, task):
            # when they open the task, the activity stream or the history
            html = client_for(user).get(url).content.decode()
            # then the page is there, but no amount and no cost field is
            assert "Build adapter" in html, url
            assert "246.90" not in html and "Actual cost" not in html, (user, url)


def test_managers_and_stakeholders_read_the_costs(world):
    task = _costed_task(world)
    for user in (world.manager, world.stakeholder):
        html = client_for(user).get(_pages(world, task)[2]).content.decode()
        assert "246.90" in html and "Actual cost" in html, user

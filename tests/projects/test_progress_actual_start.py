"""Progress on a task that has not started takes a sensible actual start (issue 22).

Like Microsoft Project, reporting progress takes the task's scheduled start as its actual start
once that start has come; a task taken up early in a project under way started now (a card moved
to "In progress"); before the project's start nothing is assumed: the task page, My work, the
board and the API all ask for the actual start, naming the field, and save nothing. The project
starts on Monday 4 January 2027 (standard calendar); the clock is frozen.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from projects.models import Task, TaskStatus
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from tests.conftest import client_for
from tests.projects.helpers import HTMX

MONDAY = date(2027, 1, 4)


def _wall(*moment: int) -> datetime:
    """A moment on the site's wall clock (working hours are read in TIME_ZONE)."""
    return timezone.make_aware(datetime(*moment))


A_MONTH_BEFORE = _wall(2026, 12, 4, 10)  # the project starts in a month
UNDER_WAY = _wall(2027, 1, 13, 10)  # Wednesday of the second week


@pytest.fixture
def plan(world):
    """Design (Monday 4 January, 2 days) then Build (Wednesday 6 January, 5 days), both the
    member's."""
    world.project.start_date = MONDAY
    world.project.save()
    world.design = _add(world, "Design", days=2)
    world.build = _add(world, "Build", days=5)
    task_services.dependency_create(
        predecessor=world.design, successor=world.build, actor=world.manager
    )
    return world


def _add(world, name: str, days: int) -> Task:
    return task_services.task_create(
        project=world.project,
        actor=world.manager,
        name=name,
        duration_minutes=days * 480,
        assignees=[world.member],
    )


def _fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def _report(world, task: Task, **changes) -> Task:
    task = _fresh(task)
    return task_services.task_update_progress(
        task=task, actor=world.member, version=task.version, changes=ProgressChanges(**changes)
    )


def test_progress_on_a_started_task_takes_its_scheduled_start_not_now(plan):
    # given the project under way, Build scheduled from Wednesday 6 January 08:00
    with time_machine.travel(UNDER_WAY, tick=False):
        scheduled = _fresh(plan.build).start
        # when the member reports it half done without saying when it started
        build = _report(plan, plan.build, percent_complete=50)
    # then it started when the plan said, not on the day it was reported
    assert scheduled == _wall(2027, 1, 6, 8)
    assert build.actual_start == scheduled
    assert (build.status, build.percent_complete) == (TaskStatus.IN_PROGRESS, 50)


def test_a_task_taken_up_early_in_a_project_under_way_started_now(plan):
    # given the project under way on Monday 4 January at 10:00, Build due on Wednesday
    monday = _wall(2027, 1, 4, 10)
    with time_machine.travel(monday, tick=False):
        build = _report(plan, plan.build, status=TaskStatus.IN_PROGRESS)
    # then it started now: early, not on its scheduled Wednesday
    assert build.actual_start == monday


def test_before_the_project_starts_progress_asks_for_the_actual_start(plan):
    # given the project starts in a month
    with time_machine.travel(A_MONTH_BEFORE, tick=False):
        # when progress is reported without an actual start, then it is refused naming it
        with pytest.raises(ValidationError) as refused:
            _report(plan, plan.design, percent_complete=20)
        assert "actual_start" in refused.value.message_dict
        assert "4 Jan 2027" in refused.value.message_dict["actual_start"][0]
        # and nothing changed: no actual start a month before the project
        design = _fresh(plan.design)
        assert (design.percent_complete, design.actual_start) == (0, None)
        assert design.start == _wall(2027, 1, 4, 8)
        # when the member says when work started, it is taken as said
        started = timezone.make_aware(datetime(2026, 12, 3, 9))
        design = _report(plan, plan.design, percent_complete=20, actual_start=started)
        assert (design.percent_complete, design.actual_start) == (20, started)


def test_the_api_answers_400_naming_actual_start(plan):
    client = APIClient()
    client.force_login(plan.member)
    design = _fresh(plan.design)
    with time_machine.travel(A_MONTH_BEFORE, tick=False):
        refused = client.post(
            f"/api/v1/tasks/{design.pk}/progress/",
            {"percent_complete": 20, "version": design.version},
            format="json",
        )
        assert refused.status_code == 400, refused.json()
        assert "actual_start" in refused.json()["errors"]
        accepted = client.post(
            f"/api/v1/tasks/{design.pk}/progress/",
            {
                "percent_complete": 20,
                "actual_start": _wall(2026, 12, 3, 9).isoformat(),
                "version": design.version,
            },
            format="json",
        )
    assert accepted.status_code == 200, accepted.json()
    assert parse_datetime(accepted.json()["actual_start"]) == _wall(2026, 12, 3, 9)


def test_the_task_page_shows_the_error_on_the_actual_start_field(plan):
    design = _fresh(plan.design)
    url = reverse("task-progress", args=[plan.project.pk, design.pk])
    data = {
        "status": "in_progress",
        "percent_complete": 20,
        "actual_start": "",
        "actual_finish": "",
        "remaining_hours": "",
        "version": design.version,
    }
    with time_machine.travel(A_MONTH_BEFORE, tick=False):
        response = client_for(plan.member).post(url, data)
    assert response.status_code == 422
    assert response.context["progress_form"].errors["actual_start"]
    assert _fresh(design).percent_complete == 0


def test_my_work_asks_for_the_actual_start_then_takes_it(plan):
    design = _fresh(plan.design)
    url = reverse("my-work-progress", args=[design.pk])
    body = {"status": "in_progress", "percent_complete": 20, "version": design.version}
    client = client_for(plan.member)
    with time_machine.travel(A_MONTH_BEFORE, tick=False):
        # when the member reports progress from My work a month before the project
        refused = client.post(url, body, headers=HTMX)
        # then the row says why and offers a field for the date work started
        assert refused.status_code == 422
        page = refused.content.decode()
        assert "give the date work actually started" in page
        assert f'id="started-{design.pk}" name="actual_start"' in page
        # and with that date the report is saved
        saved = client.post(url, {**body, "actual_start": "2026-12-03T09:00"}, headers=HTMX)
    assert saved.status_code == 200
    design = _fresh(design)
    assert design.percent_complete == 20
    assert design.actual_start == timezone.make_aware(datetime(2026, 12, 3, 9))


def test_the_board_refuses_to_start_a_card_before_the_project(plan):
    from projects.models import WorkflowStatus

    design = _fresh(plan.design)
    doing = WorkflowStatus.objects.get(project=plan.project, category="in_progress", position=1)
    with time_machine.travel(A_MONTH_BEFORE, tick=False):
        response = client_for(plan.manager).post(
            reverse("project-board-move", args=[plan.project.pk]),
            {"task": design.pk, "status": doing.pk, "version": design.version},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert "give the date work actually started" in response.json()["detail"]
    assert _fresh(design).actual_start is None

"""Progress from approved time on a task not due to start yet (issue 22): the approval is not
refused for want of an actual start; the first day worked is when the task started."""

from datetime import UTC, date, datetime
from decimal import Decimal

import time_machine
from django.utils import timezone

from projects.models import Task
from tests.resources.factories import ProjectFinanceFactory
from tests.resources.timesheet_helpers import approve, log, submit, task


def test_approved_time_before_the_project_starts_starts_the_task_on_the_first_day_worked(world):
    # given a project starting in April whose progress comes from timesheets, and the clock
    # in the week after the member worked on one of its tasks in March
    world.project.start_date = date(2027, 4, 5)
    world.project.save()
    ProjectFinanceFactory(project=world.project, progress_from_timesheets=True)
    with time_machine.travel(datetime(2027, 3, 10, 12, tzinfo=UTC), tick=False):
        build = task(world, effort_hours=Decimal(40))
        log(world, world.member, {(build, 1): "8", (build, 2): "2"})
        submit(world, world.member)
        # when the manager approves the 10 hours
        approve(world, world.member)
    # then the task is a quarter done and started on the first day logged, Tuesday 2 March
    build = Task.objects.get(pk=build.pk)
    assert (build.percent_complete, build.status) == (25, "in_progress")
    assert build.actual_start == timezone.make_aware(datetime(2027, 3, 2))

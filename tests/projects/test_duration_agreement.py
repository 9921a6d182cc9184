"""One duration rule and one calendar rule, wherever a duration comes in.

The task page, the outline row, the API (`duration_days`), a change request, the Gantt (a
dragged bar end) and an MS Project export -> import must give the same `duration_minutes` for
the same input: days are days of the task's own calendar, else of the project's, rounded half
up (0.25 d on a 7.5-hour day is 113 minutes, where half to even said 112).

The project starts on Monday 4 January 2027 on a 7.5-hour calendar (450 minutes a day); a task
may have its own 5.5-hour calendar (330 minutes: 0.25 d is 82.5 -> 83).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from projects.calendars import selectors as calendar_selectors
from projects.changes.forms import OperationForm
from projects.models import Task, WorkCalendar
from projects.mspdi.importer import project_export_mspdi, project_import_mspdi
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule.input import load_plan
from tests.conftest import client_for
from tests.factories import ProjectFactory, TaskFactory, WorkCalendarFactory
from tests.projects.gantt_data import rows_by_name
from tests.projects.helpers import HTMX

MONDAY = date(2027, 1, 4)
PROJECT_DAY = 450  # 08:00-12:00, 12:30-16:00
OWN_DAY = 330  # 08:00-12:00, 13:00-14:30


@pytest.fixture
def plan(world):
    """The world's project on a 7.5-hour calendar, and a 5.5-hour calendar a task may use."""
    project_calendar = WorkCalendarFactory(
        organisation=world.organisation,
        name="Short office",
        working_times=[["08:00", "12:00"], ["12:30", "16:00"]],
    )
    world.own_calendar = WorkCalendarFactory(
        organisation=world.organisation,
        name="Part time",
        working_times=[["08:00", "12:00"], ["13:00", "14:30"]],
    )
    world.project.start_date = MONDAY
    world.project.calendar = project_calendar
    world.project.save()
    return world


def _task(world, *, own: bool, name: str = "Audit") -> Task:
    return task_services.task_create(
        project=world.project,
        actor=world.manager,
        name=name,
        duration_minutes=480,
        calendar=world.own_calendar if own else None,
    )


def _fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


# -- typed on the page, the outline and the API ------------------------------------------------


def _task_page(world, task: Task, typed: str, calendar: WorkCalendar | None) -> int:
    data = {
        "name": task.name,
        "duration_days": typed,
        "effort_hours": "",
        "cost": "",
        "actual_cost": "",
        "deadline": "",
        "constraint_type": "ASAP",
        "constraint_date": "",
        "manual_start": "",
        "manual_finish": "",
        "calendar": str(calendar.pk) if calendar else "",
        "notes": "",
        "version": task.version,
    }
    url = reverse("task-edit", args=[task.project_id, task.pk])
    response = client_for(world.manager).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return _fresh(task).duration_minutes


def _outline_row(world, task: Task, typed: str) -> int:
    url = reverse("plan-task-edit", args=[task.project_id, task.pk])
    body = {"name": task.name, "duration_days": typed, "version": task.version}
    response = client_for(world.manager).post(url, body, headers=HTMX)
    assert response.status_code == 200, response.content.decode()[:2000]
    return _fresh(task).duration_minutes


def _api(world, task: Task, body: dict) -> int:
    client = APIClient()
    client.force_login(world.manager)
    headers = {"If-Match": f'"{task.version}"'}
    response = client.patch(f"/api/v1/tasks/{task.pk}/", body, format="json", headers=headers)
    assert response.status_code == 200, response.json()
    return response.json()["duration_minutes"]


@pytest.mark.parametrize(("own", "minutes"), [(False, 113), (True, 83)])
def test_a_quarter_day_is_the_same_minutes_on_the_page_the_outline_and_the_api(plan, own, minutes):
    # given a task on the project's 7.5-hour calendar, or on its own 5.5-hour one
    calendar = plan.own_calendar if own else None
    task = _task(plan, own=own)

    # when a quarter of a day is typed on the task page, in its outline row and sent to the API
    page = _task_page(plan, task, "0.25", calendar)
    outline = _outline_row(plan, _fresh(task), "0.25")
    api = _api(plan, _fresh(task), {"duration_days": "0.25"})

    # then all three store the same minutes of the task's calendar, rounded half up
    assert page == outline == api == minutes


def test_a_change_of_calendar_measures_the_days_in_the_new_calendar_on_page_and_api(plan):
    # given two tasks on the project's calendar
    on_page, on_api = _task(plan, own=False, name="Page"), _task(plan, own=False, name="API")

    # when each is moved to the 5.5-hour calendar with a quarter day, on the page and by API
    page = _task_page(plan, on_page, "0.25", plan.own_calendar)
    api = _api(plan, on_api, {"calendar": plan.own_calendar.pk, "duration_days": "0.25"})

    # then both are a quarter of the new calendar's day
    assert page == api == 83


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("2", 900), ("2d", 900), ("0.25", 113), ("4h", 240), ("90m", 90), ("1w", 2250), ("1.5", 675)],
)
def test_the_outline_accepts_what_people_type(plan, typed, minutes):
    task = _task(plan, own=False)
    assert _outline_row(plan, task, typed) == minutes


@pytest.mark.parametrize("typed", ["abc", "2x", "-1", "2ed"])
def test_what_is_not_a_working_duration_is_a_422_naming_it(plan, typed):
    # given a task
    task = _task(plan, own=False)
    # when something else is typed as its duration
    url = reverse("plan-task-edit", args=[task.project_id, task.pk])
    body = {"name": task.name, "duration_days": typed, "version": task.version}
    response = client_for(plan.manager).post(url, body, headers=HTMX)
    # then nothing changes and the row says why
    assert response.status_code == 422
    assert f'id="row-{task.pk}-duration-error"' in response.content.decode()
    assert _fresh(task).duration_minutes == 480


def test_a_form_shown_and_saved_unchanged_keeps_its_minutes(plan):
    # given a task of one hour (0.125 d is not exact in hundredths of a day)
    task = _task(plan, own=False)
    task_services.task_update(
        task=task,
        actor=plan.manager,
        version=task.version,
        changes=TaskChanges(duration_minutes=60),
    )
    task = _fresh(task)
    # when its outline row is opened, then saved as shown
    url = reverse("plan-task-edit", args=[task.project_id, task.pk])
    shown = client_for(plan.manager).get(url, headers=HTMX).content.decode()
    assert 'value="1h"' in shown
    # then it still lasts 60 minutes
    assert _outline_row(plan, task, "1h") == 60


def test_a_change_request_measures_days_like_the_task_page(plan):
    # given a task on its own calendar and one on the project's
    own, shared = _task(plan, own=True, name="Own"), _task(plan, own=False, name="Shared")
    tasks = [(str(own.pk), "1 Own"), (str(shared.pk), "2 Shared")]

    def minutes(task: Task) -> int:
        form = OperationForm(
            {"op": "change_duration", "task": str(task.pk), "duration_days": "0.25"},
            tasks=tasks,
            minutes_per_day=PROJECT_DAY,
        )
        assert form.is_valid(), form.errors
        return form.operation("new-1")["duration_minutes"]

    # then a proposed quarter day is what the task page would store
    assert (minutes(own), minutes(shared)) == (83, 113)


# -- the Gantt -------------------------------------------------------------------------------


@pytest.mark.parametrize(("own", "day"), [(False, PROJECT_DAY), (True, OWN_DAY)])
def test_dragging_a_bar_end_agrees_with_two_days_typed(plan, own, day):
    # given a task of one day starting on Monday
    task = _task(plan, own=own)
    # when its bar's end is dragged to Tuesday
    url = reverse("project-gantt-move", args=[task.project_id, task.pk])
    response = client_for(plan.manager).post(
        url,
        data={"finish": "2027-01-05", "version": task.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    dragged = _fresh(task).duration_minutes
    # then it lasts what "2" days typed anywhere else gives
    typed = _api(plan, _fresh(task), {"duration_days": "2"})
    assert dragged == typed == 2 * day


@pytest.mark.parametrize(("own", "day"), [(False, PROJECT_DAY), (True, OWN_DAY)])
def test_the_gantt_labels_a_days_lag_and_a_days_late_float_as_the_task_page_does(plan, own, day):
    # given Survey (Monday) -> Report with a day's lag, in Report's calendar (a lag is working
    # time of its successor), and Report due on Tuesday: a day late
    survey = task_services.task_create(
        project=plan.project, actor=plan.manager, name="Survey", duration_minutes=PROJECT_DAY
    )
    report = task_services.task_create(
        project=plan.project,
        actor=plan.manager,
        name="Report",
        duration_minutes=day,
        calendar=plan.own_calendar if own else None,
        deadline=date(2027, 1, 5),
    )
    task_services.dependency_create(
        predecessor=survey, successor=_fresh(report), actor=plan.manager, lag_minutes=day
    )
    assert _fresh(report).total_float_minutes == -day
    # when the chart's data is read
    data = client_for(plan.manager).get(reverse("project-gantt-data", args=[plan.project.pk]))
    # then the lag reads "1d" and the float "-1d", not days of a standard 8-hour day
    rows = rows_by_name(data.json()["rows"])
    assert rows["Report"]["links"] == [[survey.pk, "FS", "1d"]]
    assert rows["Report"]["float"] == "-1d"
    # and the task page says the same: a lag of 1 (days), a float of -1 days; the outline too
    client = client_for(plan.manager)
    page = client.get(reverse("task-detail", args=[plan.project.pk, report.pk])).content.decode()
    link_id = report.predecessor_links.get().pk
    assert f'id="link{link_id}-lag_days" value="1"' in page
    assert "-1 days (late by 1 day)" in page
    outline = client.get(reverse("project-plan", args=[plan.project.pk])).content.decode()
    assert ">1FS+1d<" in outline


# -- MS Project export -> import ----------------------------------------------------------------


def test_an_mspdi_round_trip_keeps_every_duration_lag_and_calendar(plan):
    # given quarter days typed for a task on the project's calendar and one on its own, linked
    # with a quarter-day lead
    shared, own = _task(plan, own=False, name="Shared"), _task(plan, own=True, name="Own")
    shared_minutes = _api(plan, shared, {"duration_days": "0.25"})
    own_minutes = _api(plan, _fresh(own), {"duration_days": "0.25"})
    task_services.dependency_create(
        predecessor=_fresh(shared), successor=_fresh(own), actor=plan.manager, lag_minutes=-83
    )

    # when the project is exported and the file imported as a new project
    data = project_export_mspdi(project=plan.project)
    report = project_import_mspdi(
        organisation=plan.organisation, actor=plan.admin, key="RT", data=data
    )

    # then the same minutes come back, measured by calendars of the same day length
    back = {task.name: task for task in Task.objects.filter(project=report.project)}
    assert (
        (back["Shared"].duration_minutes, back["Own"].duration_minutes)
        == (
            shared_minutes,
            own_minutes,
        )
        == (113, 83)
    )
    assert back["Own"].predecessor_links.get().lag_minutes == -83
    assert calendar_selectors.task_day_length(back["Shared"]) == PROJECT_DAY
    assert calendar_selectors.task_day_length(back["Own"]) == OWN_DAY


# -- which calendar applies ------------------------------------------------------------------


def test_a_task_is_measured_in_its_own_then_the_projects_then_the_default_then_standard(world):
    # given an organisation default, a project calendar and a task calendar of different days
    default = WorkCalendarFactory(
        organisation=world.organisation,
        is_organisation_default=True,
        working_times=[["09:00", "17:00"]],
    )
    project_own = WorkCalendarFactory(
        organisation=world.organisation, working_times=[["08:00", "12:00"], ["12:30", "16:00"]]
    )
    task_own = WorkCalendarFactory(
        organisation=world.organisation, working_times=[["08:00", "12:00"], ["13:00", "14:30"]]
    )
    project = ProjectFactory(organisation=world.organisation, calendar=project_own)
    on_default = ProjectFactory(organisation=world.organisation)
    own_task = TaskFactory(project=project, calendar=task_own)
    project_task = TaskFactory(project=project)
    default_task = TaskFactory(project=on_default)
    elsewhere = TaskFactory()  # an organisation without a default calendar

    # then each task's calendar follows the precedence
    assert calendar_selectors.task_calendar(own_task) == task_own
    assert calendar_selectors.task_calendar(project_task) == project_own
    assert calendar_selectors.task_calendar(default_task) == default
    assert calendar_selectors.task_calendar(elsewhere) is None  # the standard calendar
    lengths = [calendar_selectors.task_day_length(t) for t in (own_task, project_task)]
    lengths += [calendar_selectors.task_day_length(t) for t in (default_task, elsewhere)]
    assert lengths == [330, 450, 480, 480]
    # and the plan's batch agrees, with the scheduler's input
    calendars = calendar_selectors.plan_calendars(project, [own_task.calendar_id, None])
    assert calendars.for_task(own_task.calendar_id) == task_own
    assert calendars.for_task(None) == project_own
    loaded = load_plan(project)
    assert (loaded.calendar, loaded.task_calendars) == (project_own, {task_own.pk: task_own})


def test_the_batch_costs_the_same_queries_for_one_task_calendar_or_many(world):
    # given a project on its own calendar whose tasks use one, then five calendars of their own
    project = ProjectFactory(
        organisation=world.organisation,
        calendar=WorkCalendarFactory(organisation=world.organisation),
    )
    few = [WorkCalendarFactory(organisation=world.organisation)]
    many = few + [WorkCalendarFactory(organisation=world.organisation) for _ in range(4)]

    def count(calendars: list[WorkCalendar]) -> int:
        with CaptureQueriesContext(connection) as captured:
            loaded = calendar_selectors.plan_calendars(project, [c.pk for c in calendars])
            [list(c.exceptions.all()) for c in loaded.own.values()]  # prefetched: no query
        assert set(loaded.own) == {c.pk for c in calendars}
        return len(captured)

    # then the count does not grow with the calendars, and without any it is smaller
    assert count(few) == count(many) == 4
    assert count([]) == 2

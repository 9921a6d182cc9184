"""A summary lasts as long as its tasks span, in working time of its calendar, everywhere
(issue 22): the plan page, the task page, the API (a task and the project's schedule), the MS
Project file and the CSV and XLSX exports, on the standard 8-hour day and on a 7.5-hour one.

Phase holds Design (5 days) followed by Build (4 days): 9 working days, whatever the 480
minutes the summary was created with.
"""

import csv
import io
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from projects.models import Task
from projects.mspdi.importer import project_export_mspdi
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.conftest import client_for
from tests.factories import WorkCalendarFactory

MONDAY = date(2027, 1, 4)
NS = {"p": "http://schemas.microsoft.com/project"}


def _plan(world, day: int) -> Task:
    """Phase > Design (5 d) -> Build (4 d) on a calendar of `day` working minutes a day."""
    if day != 480:
        world.project.calendar = WorkCalendarFactory(
            organisation=world.organisation,
            name="Short office",
            working_times=[["08:00", "12:00"], ["12:30", "16:00"]],
        )
    world.project.start_date = MONDAY
    world.project.save()
    make = task_services.task_create
    phase = make(project=world.project, actor=world.manager, name="Phase", duration_minutes=480)
    design = make(
        project=world.project,
        actor=world.manager,
        name="Design",
        duration_minutes=5 * day,
        parent=phase,
    )
    build = make(
        project=world.project,
        actor=world.manager,
        name="Build",
        duration_minutes=4 * day,
        parent=Task.objects.get(pk=phase.pk),
    )
    task_services.dependency_create(predecessor=design, successor=build, actor=world.manager)
    return Task.objects.get(pk=phase.pk)


def _api(world) -> APIClient:
    client = APIClient()
    client.force_login(world.manager)
    return client


def _outline_days(world, task: Task) -> str:
    page = client_for(world.manager).get(reverse("project-plan", args=[world.project.pk]))
    row = re.search(rf'<tr id="task-{task.pk}".*?</tr>', page.content.decode(), re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(0), re.S)
    return re.sub(r"<[^>]+>", "", cells[0]).strip()


def _task_page_days(world, task: Task) -> str:
    url = reverse("task-detail", args=[world.project.pk, task.pk])
    page = client_for(world.manager).get(url).content.decode()
    found = re.search(r"<dt>Duration</dt><dd>([\d.]+) day", page)
    assert found is not None
    return found.group(1)


def _mspdi_duration(world, name: str) -> str:
    root = ElementTree.fromstring(project_export_mspdi(project=world.project))
    for task in root.iterfind("p:Tasks/p:Task", NS):
        if task.findtext("p:Name", namespaces=NS) == name:
            return task.findtext("p:Duration", namespaces=NS) or ""
    raise AssertionError(f"{name} is not in the file")


def _csv_days(world, name: str) -> str:
    response = client_for(world.viewer).get(reverse("export-tasks-csv", args=[world.project.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return next(row["Duration (days)"] for row in rows if row["Name"] == name)


def _xlsx_days(world, name: str) -> object:
    response = client_for(world.viewer).get(reverse("export-tasks-xlsx", args=[world.project.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Duration (days)")
    return next(row[column] for row in rows[1:] if row[1] == name)


@pytest.mark.parametrize(("day", "iso"), [(480, "PT72H0M0S"), (450, "PT67H30M0S")])
def test_a_summary_is_nine_days_on_every_page_in_the_api_and_in_every_export(world, day, iso):
    # given a phase whose tasks span 9 working days
    phase = _plan(world, day)

    # then the API says 9 days of minutes, for the task and in the project's schedule
    client = _api(world)
    assert client.get(f"/api/v1/tasks/{phase.pk}/").json()["duration_minutes"] == 9 * day
    schedule = client.get(f"/api/v1/projects/{world.project.pk}/schedule/").json()
    rows = {row["name"]: row for row in schedule["tasks"]}
    assert rows["Phase"]["duration_minutes"] == 9 * day
    # and the plan page and the task page say 9 days
    assert _outline_days(world, phase) == "9"
    assert _task_page_days(world, phase) == "9"
    # and so do the MS Project file (9 working days of hours) and the CSV and XLSX files
    assert _mspdi_duration(world, "Phase") == iso
    assert _csv_days(world, "Phase") == "9"
    assert _xlsx_days(world, "Phase") == 9
    # while its tasks keep their own durations
    assert _csv_days(world, "Build") == "4"


def test_a_summary_follows_its_tasks_when_they_change(world):
    # given a 9-day phase on a 7.5-hour calendar
    phase = _plan(world, 450)
    build = Task.objects.get(project=world.project, name="Build")
    # when Build grows by a day
    task_services.task_update(
        task=build,
        actor=world.manager,
        version=build.version,
        changes=TaskChanges(duration_minutes=5 * 450),
    )
    # then the phase is 10 days, in the API and the export alike
    phase.refresh_from_db()
    assert phase.duration_minutes == 10 * 450
    assert _api(world).get(f"/api/v1/tasks/{phase.pk}/").json()["duration_minutes"] == 4500
    assert _csv_days(world, "Phase") == "10"


def test_a_duration_sent_for_a_summary_is_refused_naming_it(world):
    # given a 9-day phase
    phase = _plan(world, 480)
    # when a client sends it another duration
    response = _api(world).patch(
        f"/api/v1/tasks/{phase.pk}/",
        {"duration_minutes": 480},
        format="json",
        headers={"If-Match": f'"{phase.version}"'},
    )
    # then it is a 400 naming the field, and the phase still spans its tasks
    assert response.status_code == 400, response.json()
    assert "duration_minutes" in response.json()["errors"]
    phase.refresh_from_db()
    assert phase.duration_minutes == 9 * 480


def test_the_float_in_the_export_is_in_days_of_the_tasks_calendar(world):
    # given a 4-day task beside the 9-day phase on a 7.5-hour calendar: 5 days of float
    _plan(world, 450)
    task_services.task_create(
        project=world.project, actor=world.manager, name="Side", duration_minutes=4 * 450
    )
    schedule_services.project_reschedule(project=world.project)
    response = client_for(world.viewer).get(reverse("export-tasks-csv", args=[world.project.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    side = next(row for row in rows if row["Name"] == "Side")
    # then the CSV says 5 days of float, not 4.69 days of 480 minutes
    assert side["Total float (days)"] == "5"

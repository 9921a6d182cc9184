"""A milestone finishes when it starts (issue 22): at the project's start too, where the end of
the previous working day lies before the project and used to become its finish (start Monday
4 January 2027 08:00, finish Wednesday 30 December 2026 17:00 across the new-year holidays).
"""

import csv
import io
from datetime import date, datetime

from django.urls import reverse
from rest_framework.test import APIClient

from projects.calendars.timeline import CalendarException, WorkingCalendar
from projects.changes.impact import _dates as impact_dates
from projects.plan import services as task_services
from projects.schedule.engine import schedule
from projects.schedule.network import ScheduleInput, ScheduleLink, ScheduleTask
from tests.conftest import client_for
from tests.factories import CalendarExceptionFactory, WorkCalendarFactory

MONDAY = date(2027, 1, 4)
HOLIDAYS = CalendarException.holiday(date(2026, 12, 31), date(2027, 1, 1))


def _run(project_start: datetime):
    tasks = [
        ScheduleTask("kick-off", 0, milestone=True),
        ScheduleTask("work", 480),
        ScheduleTask("done", 0, milestone=True),
    ]
    links = [ScheduleLink("kick-off", "work"), ScheduleLink("work", "done")]
    calendar = WorkingCalendar.standard(exceptions=[HOLIDAYS])
    return schedule(ScheduleInput(tasks, links, project_start, calendar))


def test_a_milestone_at_the_project_start_starts_and_finishes_then_in_the_engine():
    # given a plan starting on Monday 4 January (midnight, or 08:00) after two holidays
    for project_start in (datetime(2027, 1, 4), datetime(2027, 1, 4, 8)):
        result = _run(project_start)
        # then its first milestone starts and finishes at 08:00 that Monday, early and all
        kick_off = result.dates("kick-off")
        monday = datetime(2027, 1, 4, 8)
        assert (kick_off.start, kick_off.finish) == (monday, monday)
        assert (kick_off.early_start, kick_off.early_finish) == (monday, monday)
        assert kick_off.late_start == kick_off.late_finish
        # and the one after the work still sits at the end of it, Monday 17:00
        done = result.dates("done")
        assert (done.start, done.finish) == (datetime(2027, 1, 4, 17), datetime(2027, 1, 4, 17))
        # and a change request's impact reads the same dates
        assert impact_dates(result, "kick-off") == (monday, monday)


def test_no_task_of_the_engine_finishes_before_it_starts():
    result = _run(datetime(2027, 1, 4))
    for task_id in ("kick-off", "work", "done"):
        dates = result.dates(task_id)
        assert dates.start <= dates.finish
        assert dates.early_start <= dates.early_finish
        assert dates.late_start <= dates.late_finish


def test_a_kick_off_milestone_reads_the_same_in_the_api_and_the_csv(world):
    # given a project on a calendar with the new-year holidays, starting Monday 4 January
    calendar = WorkCalendarFactory(organisation=world.organisation, name="Office")
    CalendarExceptionFactory(
        calendar=calendar, first_day=date(2026, 12, 31), last_day=date(2027, 1, 1)
    )
    world.project.calendar = calendar
    world.project.start_date = MONDAY
    world.project.save()
    kick_off = task_services.task_create(
        project=world.project,
        actor=world.manager,
        name="Kick-off",
        duration_minutes=0,
        is_milestone=True,
    )
    # when the API and the CSV export are read
    client = APIClient()
    client.force_login(world.manager)
    body = client.get(f"/api/v1/tasks/{kick_off.pk}/").json()
    response = client_for(world.viewer).get(reverse("export-tasks-csv", args=[world.project.pk]))
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # then the milestone starts and finishes at 08:00 on the Monday in both
    assert body["start"] == body["finish"]
    assert body["start"].startswith("2027-01-04T08:00")
    assert (row["Name"], row["Start"], row["Finish"]) == (
        "Kick-off",
        "2027-01-04 08:00",
        "2027-01-04 08:00",
    )
    assert row["Duration (days)"] == "0"

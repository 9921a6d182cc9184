"""Conformance through the product: each shared MSPDI file is imported by the import service
(stored calendars, tasks and links in the database), rescheduled, and the stored dates, floats
and critical flags compared with what Microsoft Project computed, exactly as the engine-only
conformance test compares them (in working minutes of the task's calendar).

The project summary row (uid 0) is not a task once imported (it is the project itself), so it is
not compared here; the engine-only test covers it.
"""

from datetime import timedelta

import pytest

from projects.calendars.selectors import project_calendar
from projects.models import Task
from projects.mspdi.importer import project_import_mspdi
from projects.mspdi.read import read_mspdi
from projects.schedule import services as schedule_services
from projects.schedule.input import engine_calendar, project_zone, to_wall_clock
from tests.factories import OrganisationFactory, member_of
from tests.projects.mspdi_conformance import (
    DATE_FIELDS,
    FOLDER,
    expected_rows,
    mismatches,
    project_file,
)
from tpm.roles import OrgRole

if not FOLDER.is_dir():
    pytest.skip(f"no MSPDI conformance folder at {FOLDER}", allow_module_level=True)

pytestmark = pytest.mark.django_db


def _cases() -> list:
    return [
        pytest.param(path, id=path.name.removesuffix(".expected.csv"))
        for path in sorted(FOLDER.glob("*.expected.csv"))
    ]


@pytest.mark.parametrize("expected_csv", _cases())
def test_an_imported_file_schedules_as_microsoft_project_did(expected_csv):
    # given: a file Project saved, imported as a project of an organisation
    organisation = OrganisationFactory()
    admin = member_of(organisation, OrgRole.ADMIN)
    rows = [row for row in expected_rows(expected_csv) if row["uid"] != "0"]
    report = project_import_mspdi(
        organisation=organisation,
        actor=admin,
        key="MSP",
        data=project_file(expected_csv).read_bytes(),
    )
    project = report.project

    # when it is rescheduled from what was stored
    schedule_services.project_reschedule(project=project)

    # then every task has Project's dates, floats and critical flag
    tasks = Task.objects.select_related("calendar").prefetch_related("calendar__exceptions")
    by_pk = tasks.in_bulk(report.task_ids.values())
    zone = project_zone(project)
    default = engine_calendar(project_calendar(project)).timeline()
    problems = []
    for row in rows:
        task = by_pk[report.task_ids[int(row["uid"])]]
        timeline = engine_calendar(task.calendar).timeline() if task.calendar else default
        positions = {
            name: timeline.position(to_wall_clock(getattr(task, name), zone))
            for name in DATE_FIELDS
        }
        floats = {"total_float": task.total_float_minutes, "free_float": task.free_float_minutes}
        problems += mismatches(
            row, timeline=timeline, positions=positions, floats=floats, critical=task.is_critical
        )
    assert rows, f"{expected_csv.name} lists no tasks"
    assert not problems, f"{expected_csv.name}:\n" + "\n".join(problems)


def test_a_calendar_with_different_hours_each_day_is_stored_day_by_day():
    # given: in sample.xml, tasks are worked by a day resource (Standard) and a night one
    # ("Night Shift": Monday 23:00-24:00, Tuesday-Friday 00:00-03:00, 04:00-08:00, 23:00-24:00,
    # Saturday 00:00-03:00, 04:00-08:00), so they follow the union of the two calendars
    path = FOLDER / "sample.xml"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the conformance folder")
    organisation = OrganisationFactory()
    admin = member_of(organisation, OrgRole.ADMIN)

    # when
    report = project_import_mspdi(
        organisation=organisation, actor=admin, key="MSP", data=path.read_bytes()
    )

    # then each weekday keeps its own hours, and the import reports nothing approximated
    both = report.project.own_calendars.get(name="First Resource + Second Resource")
    weekday = [["00:00", "03:00"], ["04:00", "12:00"], ["13:00", "17:00"], ["23:00", "24:00"]]
    assert both.working_week == [
        [["08:00", "12:00"], ["13:00", "17:00"], ["23:00", "24:00"]],
        weekday,
        weekday,
        weekday,
        weekday,
        [["00:00", "03:00"], ["04:00", "08:00"]],
        [],
    ]
    assert both.working_weekdays == [0, 1, 2, 3, 4, 5]
    assert not any("hours" in note for note in report.skipped)


def _files() -> list:
    return [pytest.param(path, id=path.stem) for path in sorted(FOLDER.glob("*.xml"))]


@pytest.mark.parametrize("path", _files())
def test_stored_calendars_work_the_same_hours_as_the_files_on_every_day(path):
    # given a shared file (recurring exceptions, working exceptions with their own hours, base
    # calendars and resource calendars included) and the calendars the reader finds in it
    plan = read_mspdi(path.read_bytes())
    organisation = OrganisationFactory()
    admin = member_of(organisation, OrgRole.ADMIN)

    # when it is imported
    report = project_import_mspdi(
        organisation=organisation, actor=admin, key="MSP", data=path.read_bytes()
    )

    # then the stored project calendar and every stored task calendar give each day of the
    # file's calendar the same working hours, from a year before the project to ten after
    pairs = [(plan.calendar.calendar, project_calendar(report.project))]
    tasks = Task.objects.select_related("calendar").in_bulk(report.task_ids.values())
    for source in plan.tasks:
        if source.calendar_key and source.uid in report.task_ids:
            stored = tasks[report.task_ids[source.uid]].calendar
            pairs.append((plan.calendars[source.calendar_key].calendar, stored))
    first = plan.start.date() - timedelta(days=366)
    days = [first + timedelta(days=n) for n in range(11 * 366)]
    for expected, stored in pairs:
        ours = engine_calendar(stored)
        differ = [day for day in days if ours.times_on(day) != expected.times_on(day)]
        assert not differ, f"{expected.name}: {len(differ)} days differ, first {differ[0]}"

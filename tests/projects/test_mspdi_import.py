"""MS Project interchange: importing an MSPDI file as a new project, exporting it, round trips."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from projects.models import Dependency, Project, Task, TaskStatus, WorkCalendar
from projects.mspdi.importer import project_export_mspdi, project_import_mspdi
from projects.mspdi.read import read_mspdi
from projects.schedule.input import project_zone, to_wall_clock
from tests.factories import OrganisationFactory, member_of
from tests.projects import mspdi_samples as samples
from tpm.roles import OrgRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Acme", slug="acme")


@pytest.fixture
def admin(organisation):
    return member_of(organisation, OrgRole.ADMIN, email="admin@acme.test")


def _import(organisation, admin, data, key="MOVE"):
    return project_import_mspdi(organisation=organisation, actor=admin, key=key, data=data)


def _wall(moment):
    return to_wall_clock(moment, project_zone(Project()))


def _shape(project):
    """What a round trip must keep: per task, its place, plan and computed dates."""
    tasks = Task.objects.alive().filter(project=project).order_by("outline_key")
    names = {t.pk: t.name for t in tasks}
    rows = [
        (
            t.wbs_code,
            t.name,
            t.is_summary,
            t.is_milestone,
            t.duration_minutes if not t.is_summary else None,
            t.constraint_type,
            _wall(t.constraint_date),
            t.deadline,
            t.percent_complete,
            _wall(t.actual_start),
            _wall(t.actual_finish),
            _wall(t.early_start),
            _wall(t.early_finish),
            _wall(t.late_start),
            _wall(t.late_finish),
            t.total_float_minutes,
            t.free_float_minutes,
            t.is_critical,
        )
        for t in tasks
    ]
    links = sorted(
        (names[d.predecessor_id], names[d.successor_id], d.type, d.lag_minutes)
        for d in Dependency.objects.filter(successor__project=project)
    )
    return rows, links


def test_a_file_becomes_a_new_project_with_its_plan_calendar_and_progress(organisation, admin):
    # given a small plan: a summary, a 1-day lag, a milestone, a constraint, a holiday, progress
    data = samples.document()

    # when it is imported
    report = _import(organisation, admin, data)

    # then a new project holds it, scheduled
    project = report.project
    assert (project.key, project.name, project.start_date) == (
        "MOVE",
        "Office move",
        date(2027, 1, 4),
    )
    assert project.status_date == date(2027, 1, 6)
    assert (report.tasks, report.links, report.calendars, report.exceptions) == (5, 3, 1, 1)
    tasks = {t.name: t for t in Task.objects.filter(project=project)}
    assert tasks["Design"].parent == tasks["Build"].parent == tasks["Phase"]
    assert tasks["Phase"].is_summary and tasks["Phase"].wbs_code == "1"
    assert tasks["Build"].wbs_code == "1.2"
    assert tasks["Launch"].is_milestone and tasks["Launch"].duration_minutes == 0
    assert tasks["Design"].status == TaskStatus.COMPLETED
    audit = tasks["Audit"]
    assert audit.constraint_type == "SNET" and _wall(audit.constraint_date) == datetime(
        2027, 1, 12, 8
    )
    assert audit.deadline == date(2027, 1, 20)
    link = Dependency.objects.get(successor=tasks["Build"])
    assert (link.predecessor, link.type, link.lag_minutes) == (tasks["Design"], "FS", 480)
    assert Dependency.objects.get(successor=audit).type == "SS"
    calendar = WorkCalendar.objects.get(project=project)
    assert project.calendar == calendar and calendar.working_weekdays == [0, 1, 2, 3, 4]
    assert calendar.exceptions.get().name == "Founders day"
    # Design 4-5 Jan, a day's lag on the 6th, Build 7, (8th is a holiday), 11, 12 Jan
    assert _wall(tasks["Build"].early_start) == datetime(2027, 1, 7, 8)
    assert _wall(tasks["Build"].early_finish) == datetime(2027, 1, 12, 17)
    assert _wall(audit.early_start) == datetime(2027, 1, 12, 8)


def test_export_then_import_keeps_the_plan(organisation, admin):
    # given an imported project
    first = _import(organisation, admin, samples.document()).project

    # when it is exported and the file imported again under another key
    data = project_export_mspdi(project=first)
    second = _import(organisation, admin, data, key="MOVE2").project

    # then tasks, hierarchy, links, durations, constraints, progress and dates are the same
    assert _shape(second) == _shape(first)
    assert second.status_date == first.status_date and second.start_date == first.start_date
    assert list(second.calendar.exceptions.values_list("name", "first_day")) == [
        ("Founders day", date(2027, 1, 8))
    ]


def test_the_export_writes_computed_fields_in_mspdi_units(organisation, admin):
    # given an imported project
    project = _import(organisation, admin, samples.document()).project

    # when it is exported and read back
    plan = read_mspdi(project_export_mspdi(project=project))
    data = project_export_mspdi(project=project)

    # then durations are ISO working time, lags and slack tenths of a minute, critical 0/1
    assert b"<Duration>PT24H0M0S</Duration>" in data
    assert b"<LinkLag>4800</LinkLag><LagFormat>7</LagFormat>" in data
    assert b"<EarlyStart>2027-01-07T08:00:00</EarlyStart>" in data
    assert b"<TotalSlack>" in data and b"<FreeSlack>" in data and b"<Critical>1</Critical>" in data
    audit = Task.objects.get(project=project, name="Audit")
    assert f"<TotalSlack>{audit.total_float_minutes * 10}</TotalSlack>".encode() in data
    assert [t.name for t in plan.tasks] == [
        "Office move",
        "Phase",
        "Design",
        "Build",
        "Launch",
        "Audit",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (samples.BILLION_LAUGHS, "DTD"),
        (samples.EXTERNAL_ENTITY, "DTD"),
        (b"<Project><Name>unclosed</Project>", "not well-formed XML"),
        (b"<Other/>", "not an MSPDI <Project>"),
        (samples.document([samples.task(None, "Nameless", 1)]), "Task #1 (Nameless) has no <UID>"),
        (
            samples.document([samples.task(1, "A", 1), samples.task(2, "B", 1, links=[(1, 9, 0)])]),
            "Task UID 2: <PredecessorLink> from UID 1 has unknown link type 9",
        ),
        (
            samples.document([samples.task(2, "B", 1, links=[(99, 1, 0)])]),
            "Task UID 2: the link from UID 99 points to a task that is not in the file",
        ),
        (
            samples.document([samples.task(1, "A", 1, duration="3 days")]),
            "Task UID 1 <Duration>",
        ),
        (
            samples.document([samples.task(1, "A", 1), samples.task(1, "B", 1)]),
            "Task UID 1 appears twice",
        ),
        (
            samples.document([samples.task(1, "A", 1), samples.task(2, "B", 3)]),
            "skips a level",
        ),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "bad-xml",
        "not-mspdi",
        "missing-uid",
        "unknown-link-type",
        "missing-predecessor",
        "bad-duration",
        "duplicate-uid",
        "outline-gap",
    ],
)
def test_a_malformed_or_hostile_file_is_refused_and_nothing_is_created(
    organisation, admin, data, message
):
    # when a bad file is imported
    with pytest.raises(ValidationError) as caught:
        _import(organisation, admin, data)

    # then the message names the problem, and nothing was written
    assert message in caught.value.message_dict["file"][0]
    assert not Project.objects.filter(key="MOVE").exists()
    assert not WorkCalendar.objects.filter(organisation=organisation).exists()


def test_a_file_over_the_size_limit_is_refused(organisation, admin, settings):
    # given a small limit
    settings.MSPDI_MAX_BYTES = 100
    # when / then
    with pytest.raises(ValidationError, match="the limit is 100 bytes"):
        _import(organisation, admin, samples.document())


def test_a_loop_of_links_is_refused_and_nothing_is_half_imported(organisation, admin):
    # given two tasks that follow each other
    data = samples.document(
        [samples.task(1, "A", 1, links=[(2, 1, 0)]), samples.task(2, "B", 1, links=[(1, 1, 0)])]
    )
    # when / then
    with pytest.raises(ValidationError, match="cannot be scheduled"):
        _import(organisation, admin, data)
    assert not Project.objects.filter(key="MOVE").exists()
    assert not Task.objects.filter(name="A").exists()


def test_a_key_already_in_use_is_a_field_error(organisation, admin):
    # given a project with the key
    _import(organisation, admin, samples.document())
    # when the same key is used again
    with pytest.raises(ValidationError) as caught:
        _import(organisation, admin, samples.document())
    # then the error is on the key, and the first project is untouched
    assert "already used" in caught.value.message_dict["key"][0]
    assert Project.objects.filter(key="MOVE").count() == 1


def test_the_management_commands_import_and_export(organisation, admin, tmp_path):
    # given a file on disk
    source = tmp_path / "plan.xml"
    source.write_bytes(samples.document())
    out = StringIO()

    # when it is imported, then exported
    call_command("import_mspdi", str(source), "--org", "acme", "--key", "MOVE", stdout=out)
    target = tmp_path / "out.xml"
    call_command("export_mspdi", "--org", "acme", "--key", "MOVE", str(target), stdout=StringIO())

    # then the project exists, the report was printed and the export reads back
    assert "Imported MOVE Office move: 5 tasks, 3 links" in out.getvalue()
    project = Project.objects.get(key="MOVE")
    assert project.memberships.get().user == admin
    assert len(read_mspdi(target.read_bytes()).tasks) == 6


def test_the_import_command_names_the_problem(organisation, admin, tmp_path):
    # given a bad file, and a stranger
    source = tmp_path / "bad.xml"
    source.write_bytes(samples.BILLION_LAUGHS)
    # when / then
    with pytest.raises(CommandError, match="file: The file declares a DTD"):
        call_command("import_mspdi", str(source), "--org", "acme", "--key", "MOVE")
    with pytest.raises(CommandError, match="not a member"):
        call_command(
            "import_mspdi", str(source), "--org", "acme", "--key", "MOVE", "--as", "x@y.test"
        )
    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_mspdi", str(source), "--org", "nope", "--key", "MOVE")


SHORT_FRIDAYS = (
    "<Calendars><Calendar><UID>1</UID><Name>Short Fridays</Name>"
    "<IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID><WeekDays>"
    "<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>"
    + "".join(samples.WEEKDAY.format(n=n) for n in range(2, 6))
    + "<WeekDay><DayType>6</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>"
    "<FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>"
    "<WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays>"
    "<Exceptions><Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
    "<FromDate>2027-01-09T00:00:00</FromDate><ToDate>2027-01-09T23:59:00</ToDate></TimePeriod>"
    "<Occurrences>1</Occurrences><Name>Moving Saturday</Name><Type>1</Type>"
    "<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime>"
    "<ToTime>13:00:00</ToTime></WorkingTime></WorkingTimes></Exception></Exceptions>"
    "</Calendar></Calendars>"
)
FULL_DAY = [["08:00", "12:00"], ["13:00", "17:00"]]


def test_each_weekday_keeps_its_own_hours_through_import_and_export(organisation, admin):
    # given a calendar with 4-hour Fridays and one working Saturday morning, and a 6-day task
    data = samples.document(
        [samples.task(0, "Plan", 0, "PT0H0M0S"), samples.task(1, "Pack", 1, "PT48H0M0S")],
        calendars=SHORT_FRIDAYS,
    )

    # when it is imported
    report = _import(organisation, admin, data)

    # then the calendar is stored day by day, nothing is reported as approximated, and Pack
    # (not started, so after the status date, 6 Jan) works Thursday (8 h), Friday morning
    # (4 h), Saturday 09-13 (4 h), then Monday to Thursday (32 h)
    calendar = report.project.calendar
    assert calendar.working_week == [FULL_DAY] * 4 + [[["08:00", "12:00"]], [], []]
    saturday = calendar.exceptions.get()
    assert (saturday.name, saturday.working, saturday.working_times) == (
        "Moving Saturday",
        True,
        [["09:00", "13:00"]],
    )
    assert not any("hours" in note for note in report.skipped)
    pack = Task.objects.get(project=report.project, name="Pack")
    assert _wall(pack.early_start) == datetime(2027, 1, 7, 8)
    assert _wall(pack.early_finish) == datetime(2027, 1, 14, 17)

    # and the export writes each weekday's own hours, so a second import is the same
    exported = project_export_mspdi(project=report.project)
    assert (
        b"<WeekDay><DayType>6</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>"
        b"<FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes>"
        in exported
    )
    again = _import(organisation, admin, exported, key="MOVE2").project
    assert again.calendar.working_week == calendar.working_week
    assert list(again.calendar.exceptions.values_list("working", "working_times")) == [
        (True, [["09:00", "13:00"]])
    ]
    assert _shape(again) == _shape(report.project)

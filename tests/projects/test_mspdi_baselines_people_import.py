"""Importing and exporting Microsoft Project baselines and assignments through the database."""

from datetime import datetime
from decimal import Decimal

import pytest

from projects.models import Baseline, BaselineTask, ProjectMembership, Task
from projects.mspdi.importer import project_export_mspdi, project_import_mspdi
from projects.schedule.input import project_zone, to_wall_clock
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.projects import mspdi_samples as samples
from tpm.roles import OrgRole, ProjectRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Acme", slug="acme")


@pytest.fixture
def admin(organisation):
    return member_of(organisation, OrgRole.ADMIN, email="admin@acme.test")


RESOURCES = (
    "<Resources>"
    "<Resource><UID>1</UID><Name>Ada L.</Name><Type>1</Type>"
    "<EmailAddress>ADA@acme.test</EmailAddress></Resource>"
    "<Resource><UID>2</UID><Name>Grace Hopper</Name><Type>1</Type></Resource>"
    "<Resource><UID>3</UID><Name>Contractor #2</Name><Type>1</Type></Resource>"
    "</Resources><Assignments>"
    "<Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID></Assignment>"
    "<Assignment><UID>2</UID><TaskUID>3</TaskUID><ResourceUID>2</ResourceUID></Assignment>"
    "<Assignment><UID>3</UID><TaskUID>3</TaskUID><ResourceUID>3</ResourceUID></Assignment>"
    "</Assignments>"
)


def _baseline(number, start, finish, hours, cost):
    return (
        f"<Baseline><Number>{number}</Number><Start>{start}</Start><Finish>{finish}</Finish>"
        f"<Duration>PT{hours}H0M0S</Duration><Work>PT{hours}H0M0S</Work><Cost>{cost}</Cost>"
        "</Baseline>"
    )


def _document():
    tasks = list(samples.TASKS)
    # Design had a two-day baseline 0 and a one-day baseline 2; Build only baseline 0
    tasks[2] = tasks[2].replace(
        "</Task>",
        _baseline(0, "2027-01-04T08:00:00", "2027-01-05T17:00:00", 16, 160000)
        + _baseline(2, "2027-01-04T08:00:00", "2027-01-04T17:00:00", 8, 80050)
        + "</Task>",
    )
    tasks[3] = tasks[3].replace(
        "</Task>", _baseline(0, "2027-01-07T08:00:00", "2027-01-11T17:00:00", 24, 0) + "</Task>"
    )
    return samples.document(tasks, extra=RESOURCES)


def _import(organisation, admin, data, key="MOVE"):
    return project_import_mspdi(organisation=organisation, actor=admin, key=key, data=data)


def test_baselines_become_named_baselines_with_dates_work_and_cost(organisation, admin):
    report = _import(organisation, admin, _document())
    project = report.project
    assert report.baselines == 2
    baselines = {b.name: b for b in Baseline.objects.filter(project=project)}
    assert set(baselines) == {
        "Baseline (from Microsoft Project)",
        "Baseline 2 (from Microsoft Project)",
    }
    first = baselines["Baseline (from Microsoft Project)"]
    rows = {row.task_name: row for row in BaselineTask.objects.filter(baseline=first)}
    assert set(rows) == {"Design", "Build"} and first.task_count == 2
    zone = project_zone(project)
    design = rows["Design"]
    assert to_wall_clock(design.start, zone) == datetime(2027, 1, 4, 8)
    assert to_wall_clock(design.finish, zone) == datetime(2027, 1, 5, 17)
    assert (design.duration_minutes, design.effort_hours, design.cost) == (
        960,
        Decimal(16),
        Decimal("1600.00"),
    )
    assert design.wbs_code == "1.1" and design.task.name == "Design"
    assert to_wall_clock(first.project_finish, zone) == datetime(2027, 1, 11, 17)


def test_resources_are_matched_to_people_and_the_rest_are_named(organisation, admin):
    ada = member_of(organisation, OrgRole.MEMBER, email="ada@acme.test")
    grace = member_of(organisation, OrgRole.MEMBER, email="g@acme.test", full_name="Grace Hopper")
    UserFactory(email="stranger@else.test", full_name="Contractor #2")  # not in the organisation
    report = _import(organisation, admin, _document())
    project = report.project
    tasks = {task.name: task for task in Task.objects.filter(project=project)}
    assert list(tasks["Design"].assignees.all()) == [ada]
    assert list(tasks["Build"].assignees.all()) == [grace]
    assert report.assignments == 2
    # the people found join the new project as members, so they can report progress
    roles = dict(ProjectMembership.objects.filter(project=project).values_list("user", "role"))
    assert roles[ada.pk] == roles[grace.pk] == ProjectRole.MEMBER
    assert any("Contractor #2" in note for note in report.skipped)


def test_export_then_import_keeps_baselines_and_assignees(organisation, admin):
    ada = member_of(organisation, OrgRole.MEMBER, email="ada@acme.test")
    first = _import(organisation, admin, _document()).project
    exported = project_export_mspdi(project=first)
    second = _import(organisation, admin, exported, key="COPY").project

    def shape(project):
        zone = project_zone(project)
        return sorted(
            (
                row.baseline.name,
                row.task_name,
                to_wall_clock(row.start, zone),
                to_wall_clock(row.finish, zone),
                row.duration_minutes,
                row.effort_hours,
                row.cost,
            )
            for row in BaselineTask.objects.filter(baseline__project=project).select_related(
                "baseline"
            )
        )

    assert shape(second) == shape(first)
    design = Task.objects.get(project=second, name="Design")
    assert list(design.assignees.all()) == [ada]


def test_task_costs_are_imported_summed_on_summaries_and_exported_back(organisation, admin):
    tasks = list(samples.TASKS)
    tasks[2] = tasks[2].replace(
        "</Task>", "<Cost>150050</Cost><ActualCost>150050</ActualCost></Task>"
    )
    tasks[3] = tasks[3].replace("</Task>", "<Cost>99950</Cost></Task>")
    tasks[1] = tasks[1].replace("</Task>", "<Cost>1</Cost></Task>")  # a summary's own is ignored
    project = _import(organisation, admin, samples.document(tasks)).project
    costs = {t.name: (t.cost, t.actual_cost) for t in Task.objects.filter(project=project)}
    assert costs["Design"] == (Decimal("1500.50"), Decimal("1500.50"))
    assert costs["Build"] == (Decimal("999.50"), None)
    assert costs["Phase"] == (Decimal("2500.00"), Decimal("1500.50"))
    assert costs["Launch"] == (None, None)
    copy = _import(organisation, admin, project_export_mspdi(project=project), key="COPY").project
    assert {t.name: (t.cost, t.actual_cost) for t in Task.objects.filter(project=copy)} == costs

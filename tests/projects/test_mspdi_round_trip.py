"""Round trips on the shared MSPDI files: import -> our dates match Microsoft Project's; then
export -> import again keeps the plan. Skipped when the shared conformance folder is absent."""

import csv
from datetime import datetime
from pathlib import Path

import pytest

from projects.models import Task
from projects.mspdi.importer import project_export_mspdi, project_import_mspdi
from projects.schedule.input import engine_calendar, project_zone, to_wall_clock
from tests.factories import OrganisationFactory, member_of
from tests.projects.test_mspdi_import import _shape
from tpm.roles import OrgRole

FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "mspdi"
DATE_FIELDS = ("early_start", "early_finish", "late_start", "late_finish")

if not FOLDER.is_dir():
    pytest.skip(f"no MSPDI conformance folder at {FOLDER}", allow_module_level=True)

pytestmark = pytest.mark.django_db


def _files() -> list:
    return [
        pytest.param(path, id=path.name.removesuffix(".expected.csv"))
        for path in sorted(FOLDER.glob("*.expected.csv"))
    ]


def _mismatches(task: Task, row: dict[str, str]) -> list[str]:
    timeline = engine_calendar(task.calendar).timeline()
    zone = project_zone(task.project)
    problems = []
    for name in DATE_FIELDS:
        expected = timeline.position(datetime.fromisoformat(row[name]))
        got = timeline.position(to_wall_clock(getattr(task, name), zone))
        if got != expected:
            problems.append(f"uid {row['uid']} {name}: expected {row[name]}, got {got}")
    for column, field in (
        ("total_slack_tenth_min", "total_float_minutes"),
        ("free_slack_tenth_min", "free_float_minutes"),
    ):
        if int(row[column]) / 10 != getattr(task, field):
            problems.append(f"uid {row['uid']} {field}: expected {row[column]}")
    if (row["critical"] == "1") != task.is_critical:
        problems.append(f"uid {row['uid']} critical")
    return problems


@pytest.mark.parametrize("expected_csv", _files())
def test_imported_files_schedule_as_microsoft_project_did_and_survive_a_round_trip(expected_csv):
    # given a shared file and what Project computed for it
    organisation = OrganisationFactory()
    admin = member_of(organisation, OrgRole.ADMIN)
    data = expected_csv.with_name(expected_csv.name.replace(".expected.csv", ".xml")).read_bytes()
    with expected_csv.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["uid"] != "0"]

    # when it is imported
    report = project_import_mspdi(organisation=organisation, actor=admin, key="MSP", data=data)

    # then every task has Project's dates, floats and flags (calendars are stored exactly,
    # each weekday with its own hours)
    tasks = Task.objects.select_related("calendar", "project").in_bulk(report.task_ids.values())
    by_pk = {report.task_ids[int(row["uid"])]: row for row in rows}
    problems = [p for pk, row in by_pk.items() for p in _mismatches(tasks[pk], row)]
    assert by_pk and not problems, "\n".join(problems)

    # and exporting it and importing the export keeps the plan
    again = project_import_mspdi(
        organisation=organisation,
        actor=admin,
        key="MSP2",
        data=project_export_mspdi(project=report.project),
    )
    assert _shape(again.project) == _shape(report.project)

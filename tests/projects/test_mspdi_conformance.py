"""Conformance: our engine against schedules Microsoft Project computed and saved (MSPDI files).

For every `NAME.expected.csv` in the shared conformance folder, read `NAME.xml`, schedule it, and
compare early/late start and finish, total and free slack and the critical flag per task. Dates
are compared as positions in working minutes of the task's calendar, because Project writes a
finish at the end of a working day either as 17:00 or as 08:00 of the next working day.
"""

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from projects.scheduling import Schedule, schedule
from tests.projects.mspdi_reader import read_mspdi

FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "mspdi"
DATE_FIELDS = ("early_start", "early_finish", "late_start", "late_finish")
SLACK_FIELDS = {"total_slack_tenth_min": "total_float", "free_slack_tenth_min": "free_float"}

if not FOLDER.is_dir():
    pytest.skip(f"no MSPDI conformance folder at {FOLDER}", allow_module_level=True)

# Cases we knowingly cannot match yet: {file name: reason}. Empty: every file passes.
KNOWN_GAPS: dict[str, str] = {}


def _cases() -> list:
    return [
        pytest.param(
            path,
            id=path.name.removesuffix(".expected.csv"),
            marks=[pytest.mark.xfail(reason=KNOWN_GAPS[path.name], strict=True)]
            if path.name in KNOWN_GAPS
            else [],
        )
        for path in sorted(FOLDER.glob("*.expected.csv"))
    ]


def _mismatches(result: Schedule, row: dict[str, str]) -> list[str]:
    uid = int(row["uid"])
    if uid not in result.tasks:
        return [f"uid {uid}: missing from our schedule"]
    task, timeline = result.tasks[uid], result.timelines[uid]
    problems = []
    for name in DATE_FIELDS:
        expected = timeline.position(datetime.fromisoformat(row[name]))
        got = getattr(task, name)
        if got != expected:
            moment = timeline.moment(got, finish=name.endswith("finish"))
            problems.append(
                f"uid {uid} {name}: expected {row[name]} ({expected}), got {moment} ({got})"
            )
    for column, name in SLACK_FIELDS.items():
        expected_minutes = int(row[column]) / 10
        got = getattr(task, name)
        if got != expected_minutes:
            problems.append(f"uid {uid} {name}: expected {expected_minutes:g} min, got {got} min")
    if (row["critical"] == "1") != task.critical:
        problems.append(f"uid {uid} critical: expected {row['critical']}, got {int(task.critical)}")
    return problems


@pytest.mark.parametrize("expected_csv", _cases())
def test_schedule_matches_microsoft_project(expected_csv: Path):
    # given: the file Project saved, and what Project computed for each task
    project = read_mspdi(expected_csv.with_name(expected_csv.name.replace(".expected.csv", ".xml")))
    with expected_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    # when
    result = schedule(project.schedule_input)

    # then
    problems = [problem for row in rows for problem in _mismatches(result, row)]
    assert rows, f"{expected_csv.name} lists no tasks"
    assert not problems, f"{expected_csv.name}:\n" + "\n".join(problems)


def test_every_expected_file_has_its_project_file():
    # given / when
    missing = [
        path.name
        for path in FOLDER.glob("*.expected.csv")
        if not path.with_name(path.name.replace(".expected.csv", ".xml")).is_file()
    ]

    # then
    assert not missing


def test_reader_takes_recurring_exceptions_from_the_dates_project_expanded():
    # given: a calendar with daily, weekly, monthly and yearly recurring exceptions; Project also
    # writes each occurrence as a dated (legacy) WeekDay entry
    path = FOLDER / "calendar-recurring-exceptions-project2016-mspdi.xml"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the conformance folder")

    # when
    project = read_mspdi(path)

    # then: "Daily 2" (every 3 days from 1 Feb 2000, 4 times) is off on its dates only,
    # and the reader says how it read them
    calendar = project.schedule_input.calendar
    assert calendar.times_on(date(2000, 2, 4)) == ()
    assert calendar.times_on(date(2000, 2, 3)) != ()
    assert any("recurring" in note for note in project.plan.notes)

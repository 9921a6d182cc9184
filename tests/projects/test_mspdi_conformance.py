"""Conformance: our engine against schedules Microsoft Project computed and saved (MSPDI files).

For every `NAME.expected.csv` in the shared conformance folder, read `NAME.xml`, schedule it, and
compare early/late start and finish, total and free slack and the critical flag per task. Dates
are compared as positions in working minutes of the task's calendar, because Project writes a
finish at the end of a working day either as 17:00 or as 08:00 of the next working day.
"""

from datetime import date
from pathlib import Path

import pytest

from projects.schedule.engine import schedule
from projects.schedule.network import Schedule
from tests.projects.mspdi_conformance import (
    DATE_FIELDS,
    FOLDER,
    expected_rows,
    mismatches,
    project_file,
)
from tests.projects.mspdi_reader import read_mspdi

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
    task = result.tasks[uid]
    return mismatches(
        row,
        timeline=result.timelines[uid],
        positions={name: getattr(task, name) for name in DATE_FIELDS},
        floats={"total_float": task.total_float, "free_float": task.free_float},
        critical=task.critical,
    )


@pytest.mark.parametrize("expected_csv", _cases())
def test_schedule_matches_microsoft_project(expected_csv: Path):
    # given: the file Project saved, and what Project computed for each task
    project = read_mspdi(project_file(expected_csv))
    rows = expected_rows(expected_csv)

    # when
    result = schedule(project.schedule_input)

    # then
    problems = [problem for row in rows for problem in _mismatches(result, row)]
    assert rows, f"{expected_csv.name} lists no tasks"
    assert not problems, f"{expected_csv.name}:\n" + "\n".join(problems)


def test_every_expected_file_has_its_project_file():
    # given / when
    missing = [
        path.name for path in FOLDER.glob("*.expected.csv") if not project_file(path).is_file()
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

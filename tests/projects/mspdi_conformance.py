"""What the conformance tests share: the shared folder of files Microsoft Project saved, the
rows it computed (`NAME.expected.csv`), and the comparison of one task with its row.

Dates are compared as positions in working minutes of the task's calendar, because Project
writes a finish at the end of a working day either as 17:00 or as 08:00 of the next working day.
"""

import csv
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from projects.calendars.timeline import WorkingTimeline

FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "mspdi"
DATE_FIELDS = ("early_start", "early_finish", "late_start", "late_finish")
SLACK_COLUMNS = {"total_slack_tenth_min": "total_float", "free_slack_tenth_min": "free_float"}


def project_file(expected_csv: Path) -> Path:
    """`NAME.xml` for `NAME.expected.csv`."""
    return expected_csv.with_name(expected_csv.name.replace(".expected.csv", ".xml"))


def expected_rows(expected_csv: Path) -> list[dict[str, str]]:
    with expected_csv.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def mismatches(
    row: Mapping[str, str],
    *,
    timeline: WorkingTimeline,
    positions: Mapping[str, int],
    floats: Mapping[str, int | None],
    critical: bool,
) -> list[str]:
    """How one task differs from Project's row: `positions` by DATE_FIELDS name (working
    minutes on `timeline`), `floats` ("total_float", "free_float") in minutes."""
    uid = row["uid"]
    problems = []
    for name in DATE_FIELDS:
        expected = timeline.position(datetime.fromisoformat(row[name]))
        got = positions[name]
        if got != expected:
            moment = timeline.moment(got, finish=name.endswith("finish"))
            problems.append(
                f"uid {uid} {name}: expected {row[name]} ({expected}), got {moment} ({got})"
            )
    for column, name in SLACK_COLUMNS.items():
        expected_minutes = int(row[column]) / 10
        if floats[name] != expected_minutes:
            problems.append(
                f"uid {uid} {name}: expected {expected_minutes:g} min, got {floats[name]} min"
            )
    if (row["critical"] == "1") != critical:
        problems.append(f"uid {uid} critical: expected {row['critical']}, got {int(critical)}")
    return problems

"""Reading the Gantt chart's compact rows (projects/schedule/gantt.py ROW_COLUMNS) in tests.

The server sends one array per task; tests read them as dicts with ISO days and named flags, so
they say what the chart shows. Decoding here and in frontend/gantt/model.js follows the same
column list, which the payload carries (`columns`).
"""

from datetime import date, timedelta
from typing import Any

from projects.schedule.gantt import CRITICAL, MILESTONE, ROW_COLUMNS, SUMMARY

EPOCH = date(1970, 1, 1)
DAYS = ("start", "finish", "baseline_start", "baseline_finish")


def _iso(day: int | None) -> str | None:
    return None if day is None else (EPOCH + timedelta(days=day)).isoformat()


def decode(row: list[Any]) -> dict[str, Any]:
    """One compact row as a dict: days as ISO dates, flags as booleans, absent baseline None."""
    assert len(row) in (len(ROW_COLUMNS) - 2, len(ROW_COLUMNS)), row
    named: dict[str, Any] = dict.fromkeys(ROW_COLUMNS)
    named.update(zip(ROW_COLUMNS, row, strict=False))
    for key in DAYS:
        named[key] = _iso(named[key])
    flags = named.pop("flags")
    named |= {
        "critical": bool(flags & CRITICAL),
        "milestone": bool(flags & MILESTONE),
        "summary": bool(flags & SUMMARY),
    }
    return named


def rows_by_name(rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    return {decoded["name"]: decoded for decoded in map(decode, rows)}

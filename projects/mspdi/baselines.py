"""Saved baselines in an MSPDI file: each task's `<Baseline>` elements (pure: no Django).

Microsoft Project keeps up to eleven baselines per task, numbered 0 ("Baseline") to 10
("Baseline 10"), each with start, finish, duration, work and cost (in hundredths: see mspdi_xml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement

from projects.mspdi.document import MspdiError, Reader, duration_minutes, money_text
from projects.schedule.durations import format_iso_duration

BASELINE_NUMBERS = range(11)


@dataclass(frozen=True)
class MspdiBaselineTask:
    task_uid: int
    number: int
    start: datetime
    finish: datetime
    duration: int  # working minutes
    work_minutes: int | None = None
    cost: Decimal | None = None  # currency units


def baseline_name(number: int) -> str:
    """The name Microsoft Project shows for a baseline number."""
    return "Baseline" if number == 0 else f"Baseline {number}"


def read_task_baselines(
    r: Reader, element: Element, task_uid: int, notes: list[str]
) -> list[MspdiBaselineTask]:
    """The baselines saved for one task; a row without dates, or ending before it starts, is
    skipped and named in `notes` (a baseline is kept whole or not at all per task)."""
    rows = []
    for baseline in r.all(element, "Baseline"):
        number = r.int(baseline, "Number", f"Task {task_uid} baseline", default=-1)
        where = f"Task {task_uid} {baseline_name(number)}"
        if number not in BASELINE_NUMBERS:
            raise MspdiError(f"Task {task_uid}: baseline number {number} is not 0 to 10.")
        start, finish = r.moment(baseline, "Start", where), r.moment(baseline, "Finish", where)
        if start is None or finish is None or finish < start:
            notes.append(f"{where}: skipped (its dates are missing or end before they start).")
            continue
        duration = r.text(baseline, "Duration")
        work = r.text(baseline, "Work")
        rows.append(
            MspdiBaselineTask(
                task_uid=task_uid,
                number=number,
                start=start,
                finish=finish,
                duration=duration_minutes(duration, where) if duration else 0,
                work_minutes=duration_minutes(work, where) if work else None,
                cost=r.money(baseline, "Cost", where),
            )
        )
    return rows


def write_task_baseline(task: Element, row: MspdiBaselineTask) -> None:
    """One `<Baseline>` element under a `<Task>`, in MSPDI's own units."""
    element = SubElement(task, "Baseline")
    SubElement(element, "Number").text = str(row.number)
    SubElement(element, "Start").text = row.start.isoformat(timespec="seconds")
    SubElement(element, "Finish").text = row.finish.isoformat(timespec="seconds")
    SubElement(element, "Duration").text = format_iso_duration(row.duration)
    SubElement(element, "DurationFormat").text = "7"
    if row.work_minutes is not None:
        SubElement(element, "Work").text = format_iso_duration(row.work_minutes)
    if row.cost is not None:
        SubElement(element, "Cost").text = money_text(row.cost)

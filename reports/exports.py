"""Exports of a project: tasks and risks as CSV and XLSX, milestones as iCalendar (RFC 5545).

The risk register's file is the risks app's own export (risks/transfer.py: the same columns,
levels and EMV as the register's download, and the same file its import reads back); this module
only calls it. Budget lines and time entries (issue 5) are one `<thing>_rows(project)` each,
written by the same CSV/XLSX writers; both are money (ProjectAction.VIEW_MONEY).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from projects.calendars.selectors import project_calendar, task_minutes_per_day
from projects.models import Project, Task
from projects.schedule.durations import minutes_to_days
from risks import transfer as risk_transfer
from tpm import spreadsheets

TASK_COLUMNS = (
    "WBS",
    "Name",
    "Status",
    "% complete",
    "Start",
    "Finish",
    "Duration (days)",
    "Milestone",
    "Critical",
    "Total float (days)",
    "Deadline",
)


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def task_rows(project: Project) -> list[list[Any]]:
    """One row per live task in outline order (two queries). Days are days of the task's
    calendar, by the durations rule, as the plan page shows them; a summary's duration is the
    span of its tasks (stored by the reschedule)."""
    rows: list[list[Any]] = []
    calendar = project_calendar(project, exceptions=False)
    tasks = Task.objects.alive().filter(project=project).select_related("calendar")
    for task in tasks.order_by("outline_key", "pk"):
        per_day = task_minutes_per_day(task, calendar)
        rows.append(
            [
                task.wbs_code,
                task.name,
                task.get_status_display(),
                task.percent_complete,
                _local(task.start),
                _local(task.finish),
                minutes_to_days(task.duration_minutes, per_day),
                "yes" if task.is_milestone else "",
                "yes" if task.is_critical else "",
                minutes_to_days(task.total_float_minutes, per_day)
                if task.total_float_minutes is not None
                else "",
                task.deadline.isoformat() if task.deadline else "",
            ]
        )
    return rows


RISK_FORMATS = tuple(risk_transfer.CONTENT_TYPES)  # ("csv", "xlsx")
TABLE_FORMATS = ("csv", "xlsx")

CENT = Decimal("0.01")


def _cents(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(CENT)


BUDGET_LINE_COLUMNS = (
    "Category",
    "Budget line",
    "Currency",
    "Budget",
    "Planned by month",
    "Planned (total of months)",
    "Paid",
    "Committed",
)


def budget_line_rows(project: Project) -> list[list[Any]]:
    """One row per budget line: its amount, monthly plan and expenses (two queries)."""
    from django.db.models import Q, Sum

    from resources.models import BudgetLine

    lines = (
        BudgetLine.objects.filter(project=project)
        .annotate(
            paid=Sum("expenses__amount", filter=Q(expenses__status="paid")),
            committed=Sum("expenses__amount", filter=Q(expenses__status="committed")),
        )
        .prefetch_related("plan")
        .order_by("category", "name", "pk")
    )
    rows: list[list[Any]] = []
    for line in lines:
        months = sorted(line.plan.all(), key=lambda month: month.month)
        rows.append(
            [
                line.get_category_display(),
                line.name,
                line.currency,
                _cents(line.amount),
                "; ".join(f"{m.month:%Y-%m}: {_cents(m.amount)}" for m in months),
                _cents(sum((m.amount for m in months), Decimal(0))),
                _cents(line.paid),
                _cents(line.committed),
            ]
        )
    return rows


TIME_ENTRY_COLUMNS = (
    "Date",
    "Person",
    "WBS",
    "Task",
    "Hours",
    "Status",
    "Note",
    "Approved by",
    "Hourly rate",
    "Cost",
    "Currency",
)


def time_entry_rows(project: Project) -> list[list[Any]]:
    """Every time entry of the project's live tasks, with the rate of its day and its cost
    (resources' own costing: the rate the EVM and the budget page use); three queries."""
    from resources.evm.costs import time_entry_costs
    from resources.models import TimeEntry

    entries = (
        TimeEntry.objects.filter(task__project=project, task__deleted_at__isnull=True)
        .select_related("user", "task", "approved_by")
        .order_by("date", "user__full_name", "task__outline_key", "pk")
    )
    listed = list(entries)
    costs = {c.entry_id: c for c in time_entry_costs(entries, approved_only=False)}
    rows: list[list[Any]] = []
    for entry in listed:
        cost = costs.get(entry.pk)
        rows.append(
            [
                entry.date.isoformat(),
                entry.user.display_name,
                entry.task.wbs_code,
                entry.task.name,
                entry.hours,
                entry.get_status_display(),
                entry.note,
                entry.approved_by.display_name if entry.approved_by else "",
                cost.hourly_rate if cost and cost.hourly_rate is not None else "",
                _cents(cost.cost) if cost and cost.hourly_rate is not None else "",
                project.currency,
            ]
        )
    return rows


def risks_export(project: Project, fmt: str, *, with_money: bool = True) -> HttpResponse:
    """The whole register (every status) as the risks app exports it; `fmt` is csv or xlsx."""
    return risk_transfer.export_response(project, fmt, with_money=with_money)


def _safe_cell(value: Any) -> Any:
    """Stop a spreadsheet reading a task name like "=HYPERLINK(...)" as a formula."""
    return spreadsheets.inert(value)


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=spreadsheets.CSV_QUOTING)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 then


def to_xlsx(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- iCalendar ------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _description(project: Project, task: Task) -> str:
    return f"Milestone {task.wbs_code} of {project.name}; status: {task.get_status_display()}."


def milestones_ical(project: Project, *, now: datetime | None = None) -> bytes:
    """Each milestone as an all-day event on its forecast date."""
    now = now or timezone.now()
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "linchpin"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Linchpin//Project milestones//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(f'{project.key} milestones')}",
    ]
    milestones = (
        Task.objects.alive()
        .filter(project=project, is_milestone=True, finish__isnull=False)
        .order_by("finish", "pk")
    )
    for task in milestones:
        assert task.finish is not None
        day: date = timezone.localtime(task.finish).date()
        lines += [
            "BEGIN:VEVENT",
            f"UID:task-{task.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'{project.key}: {task.name}')}",
            f"DESCRIPTION:{_escape(_description(project, task))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")

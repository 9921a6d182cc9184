"""The weekly timesheet as a grid, and the checks on what someone types into it (pure: no Django).

Rows are tasks, columns the seven days of a week from Monday. A cell holds the hours a person
logged on that task that day, with a note. The page posts every cell as `h-<task>-<day>` (hours)
and `n-<task>-<day>` (note); `read_cells` turns the post into `CellInput`s, and `check_week`
refuses what cannot be stored, each with a message that says what and where:

* hours that are not a number, negative, or with more than two decimals;
* a day with more than 24 hours across everything the person logged that day, in every project
  (the caller passes the hours already stored for tasks outside the grid);
* a change to a cell whose time is submitted or approved (locked until the manager rejects or
  reopens it).

Hours are Decimal with two decimals; "1.5", "1,5" and "1:30" all mean an hour and a half.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

HOURS_IN_A_DAY = Decimal(24)
CENT = Decimal("0.01")
ZERO = Decimal(0)

# Entry statuses as the grid sees them (the model's values; kept here so this stays pure).
DRAFT, SUBMITTED, APPROVED, REJECTED = "draft", "submitted", "approved", "rejected"
LOCKED = frozenset({SUBMITTED, APPROVED})

_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)$")


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=n) for n in range(7)]


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def hours_text(hours: Decimal) -> str:
    """2, 1.5, 0.25: no trailing zeros."""
    text = f"{hours.quantize(CENT):f}".rstrip("0").rstrip(".")
    return text or "0"


class HoursError(ValueError):
    """Text that is not a number of hours; the message says why."""


def parse_hours(text: str) -> Decimal:
    """Hours from what someone typed: "" is 0; "1.5", "1,5" and "1:30" are an hour and a half."""
    cleaned = (text or "").strip().lower().removesuffix("h").strip()
    if not cleaned:
        return ZERO
    clock = _CLOCK.match(cleaned)
    if clock:
        return (Decimal(clock.group(1)) + Decimal(clock.group(2)) / 60).quantize(CENT)
    try:
        hours = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise HoursError(f"“{text.strip()}” is not a number of hours (e.g. 1.5 or 1:30).") from None
    if not hours.is_finite():
        raise HoursError(f"“{text.strip()}” is not a number of hours (e.g. 1.5 or 1:30).")
    if hours != hours.quantize(CENT):
        raise HoursError(f"Use at most two decimals (“{text.strip()}”).")
    return hours


@dataclass(frozen=True)
class StoredEntry:
    """An entry already stored for the person (any task, any project)."""

    task_id: int
    day: date
    hours: Decimal
    note: str = ""
    status: str = DRAFT
    entry_id: int | None = None
    reason: str = ""  # why it was rejected


@dataclass(frozen=True)
class CellInput:
    """What the page posted for one cell (hours already parsed)."""

    task_id: int
    day: date
    hours: Decimal
    note: str = ""


@dataclass(frozen=True)
class Problem:
    message: str
    task_id: int | None = None
    day: date | None = None

    @property
    def key(self) -> str:
        """The form field the problem belongs to (or "" for the whole week)."""
        if self.task_id is None or self.day is None:
            return ""
        return cell_name("h", self.task_id, self.day)


def cell_name(prefix: str, task_id: int, day: date) -> str:
    return f"{prefix}-{task_id}-{day.isoformat()}"


def read_cells(
    data: Mapping[str, str], task_ids: Iterable[int], days: Sequence[date]
) -> tuple[list[CellInput], list[Problem]]:
    """Every cell of the grid the post carries; unparseable hours become problems."""
    cells: list[CellInput] = []
    problems: list[Problem] = []
    for task_id in task_ids:
        for day in days:
            hours_key = cell_name("h", task_id, day)
            if hours_key not in data:
                continue
            note = (data.get(cell_name("n", task_id, day)) or "").strip()
            try:
                hours = parse_hours(data[hours_key])
            except HoursError as error:
                problems.append(Problem(f"{day_label(day)}: {error}", task_id, day))
                continue
            cells.append(CellInput(task_id, day, hours, note))
    return cells, problems


@dataclass(frozen=True)
class CellChange:
    """What `check_week` decided to store: create, update or delete (hours 0 and no note)."""

    task_id: int
    day: date
    hours: Decimal
    note: str
    entry_id: int | None

    @property
    def deletes(self) -> bool:
        return self.hours == ZERO and not self.note


def _labels(task_labels: Mapping[int, str], task_id: int) -> str:
    return task_labels.get(task_id, f"task {task_id}")


def check_week(
    cells: Sequence[CellInput],
    stored: Sequence[StoredEntry],
    *,
    task_labels: Mapping[int, str] | None = None,
) -> tuple[list[CellChange], list[Problem]]:
    """The changes the cells make to what is stored, or the problems that refuse them.

    `stored` holds every entry of the person on the days concerned, in every project, so the
    24-hour check sees time logged on tasks that are not in the grid too.
    """
    labels = task_labels or {}
    by_cell = {(e.task_id, e.day): e for e in stored}
    problems: list[Problem] = []
    changes: list[CellChange] = []
    for cell in cells:
        label = _labels(labels, cell.task_id)
        where = f"{label}, {day_label(cell.day)}"
        current = by_cell.get((cell.task_id, cell.day))
        old_hours = current.hours if current else ZERO
        old_note = current.note if current else ""
        if cell.hours == old_hours and cell.note == old_note:
            continue
        if cell.hours < 0:
            problems.append(Problem(f"{where}: hours cannot be negative.", cell.task_id, cell.day))
            continue
        if current is not None and current.status in LOCKED:
            state = "approved" if current.status == APPROVED else "submitted for approval"
            problems.append(
                Problem(
                    f"{where}: this time is {state} and locked; "
                    + (
                        "ask the project manager to reopen it."
                        if current.status == APPROVED
                        else "it can be changed once the manager rejects it."
                    ),
                    cell.task_id,
                    cell.day,
                )
            )
            continue
        if current is None and cell.hours == ZERO and not cell.note:
            continue
        changes.append(
            CellChange(
                cell.task_id, cell.day, cell.hours, cell.note, current.entry_id if current else None
            )
        )
    problems.extend(_over_24(changes, stored))
    return changes, problems


def _over_24(changes: Sequence[CellChange], stored: Sequence[StoredEntry]) -> list[Problem]:
    totals: dict[date, Decimal] = defaultdict(Decimal)
    for entry in stored:
        totals[entry.day] += entry.hours
    for change in changes:
        before = next(
            (e.hours for e in stored if e.task_id == change.task_id and e.day == change.day), ZERO
        )
        totals[change.day] += change.hours - before
    changed_days = sorted({c.day for c in changes})
    return [
        Problem(
            f"{day_label(day)}: {hours_text(totals[day])} hours in one day across all your tasks; "
            "a day has at most 24 hours.",
            None,
            day,
        )
        for day in changed_days
        if totals[day] > HOURS_IN_A_DAY
    ]


@dataclass(frozen=True)
class RowSpec:
    """A task the grid shows a row for."""

    task_id: int
    label: str  # "WEB-12 Build adapter"
    project: str  # "WEB · Website"
    can_log: bool = True  # False: the person is no longer in the project (past time stays)


@dataclass(frozen=True)
class Cell:
    task_id: int
    day: date
    hours: Decimal
    note: str
    status: str
    reason: str
    editable: bool
    text: str = ""  # what the input shows: the stored hours, or what was typed
    errors: tuple[str, ...] = ()  # why a refused post did not store this cell

    @property
    def day_text(self) -> str:
        """ "Mon 1 Mar": the day as the cell's labels say it."""
        return day_label(self.day)

    @property
    def hours_name(self) -> str:
        return cell_name("h", self.task_id, self.day)

    @property
    def note_name(self) -> str:
        return cell_name("n", self.task_id, self.day)


@dataclass
class Row:
    spec: RowSpec
    cells: list[Cell]

    @property
    def total(self) -> Decimal:
        return sum((c.hours for c in self.cells), ZERO)


@dataclass
class Grid:
    monday: date
    days: list[date]
    rows: list[Row] = field(default_factory=list)

    @property
    def day_totals(self) -> list[Decimal]:
        return [sum((row.cells[n].hours for row in self.rows), ZERO) for n in range(7)]

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), ZERO)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows for c in row.cells if c.hours and c.status == status)

    @property
    def has_drafts(self) -> bool:
        """Time that can be submitted (draft or rejected and corrected)."""
        return any(
            c.hours and c.status in {DRAFT, REJECTED} for row in self.rows for c in row.cells
        )


def build_grid(
    monday: date,
    rows: Sequence[RowSpec],
    entries: Sequence[StoredEntry],
    *,
    typed: Mapping[str, str] | None = None,
    errors: Mapping[str, Sequence[str]] | None = None,
) -> Grid:
    """The week's grid: one row per task (in the order given), the stored entries in the cells;
    `typed` (a refused post) shows what the person typed instead of what is stored, and
    `errors` (by cell field name) why it was refused."""
    days = week_days(monday)
    by_cell = {(e.task_id, e.day): e for e in entries}
    grid = Grid(monday, days)
    for spec in rows:
        cells = []
        for day in days:
            entry = by_cell.get((spec.task_id, day))
            status = entry.status if entry else DRAFT
            hours, note = (entry.hours, entry.note) if entry else (ZERO, "")
            text = hours_text(hours) if hours else ""
            if typed is not None and cell_name("h", spec.task_id, day) in typed:
                text = typed[cell_name("h", spec.task_id, day)]
                try:
                    hours = parse_hours(text)
                except HoursError:
                    hours = ZERO
                note = typed.get(cell_name("n", spec.task_id, day), note)
            cells.append(
                Cell(
                    spec.task_id,
                    day,
                    hours,
                    note,
                    status,
                    entry.reason if entry else "",
                    editable=status not in LOCKED and spec.can_log,
                    text=text,
                    errors=tuple((errors or {}).get(cell_name("h", spec.task_id, day), ())),
                )
            )
        grid.rows.append(Row(spec, cells))
    return grid

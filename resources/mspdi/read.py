"""The money side of a Microsoft Project (MSPDI) file: resources with their cost rate tables,
assignments with units, work and costs, and the earned-value figures Project saved per task
(pure: no Django, no ORM).

The plan itself (tasks, links, calendars, baselines of tasks, who is assigned) is read by
`projects/mspdi/read.py`; this module reads the same document again for what the resources app
stores, so the projects app never needs to know about rates or assignments' costs.

Units, as Microsoft Project writes them (checked against MPXJ's reader and the shared files):

- Resource `<Type>`: 0 = material, 1 = work, 2 = cost.
- Rates (`<StandardRate>`, `<OvertimeRate>`, and the `<Rates>/<Rate>` table entries) are
  always stored **per hour** for work resources, whatever `<StandardRateFormat>` says (the
  format only tells Project how to display it: 2 = /h, 3 = /d, 4 = /w, 5 = /mo, 7 = /y). For a
  material resource the rate is per unit of its material label.
- `<Rates>/<Rate>` holds the five cost rate tables (`<RateTable>` 0 = A .. 4 = E), each a list of
  entries from `<RatesFrom>`; an assignment says which table it uses (`<CostRateTable>`).
  Project's first entry starts at "NA" (written as 1984-01-01): read as `effective_from=None`,
  "from the beginning".
- Money (`<Cost>`, `<ActualCost>`, `<CostPerUse>`, baseline `<Cost>`, `<BCWS>`, `<BCWP>`,
  `<ACWP>`, `<CV>`, `<SV>`) is in hundredths of the currency unit (see projects/mspdi/document.py).
- Work (`<Work>`, `<ActualWork>`, `<RemainingWork>`) is ISO 8601 working time (`PT8H0M0S`).
- `<Units>` of a work assignment is a fraction (1 = 100 %, 0.5 = half time); of a material
  assignment, the quantity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from xml.etree.ElementTree import Element

from projects.mspdi.document import DEFAULT_MAX_BYTES, MspdiError, Reader, duration_minutes, parse

UNASSIGNED_RESOURCE = "-65535"
NOT_AVAILABLE_BEFORE = 1985  # Project writes "NA" (no date) as 1984-01-01
RATE_TABLES = range(5)  # A .. E
RATE_TABLE_NAMES = "ABCDE"


class MspdiResourceKind(StrEnum):
    WORK = "work"
    MATERIAL = "material"
    COST = "cost"


RESOURCE_TYPES = {
    "0": MspdiResourceKind.MATERIAL,
    "1": MspdiResourceKind.WORK,
    "2": MspdiResourceKind.COST,
}


@dataclass(frozen=True)
class MspdiRate:
    """One entry of a cost rate table: from its date on (None: from the beginning)."""

    effective_from: date | None
    standard_rate: Decimal  # per hour (work) or per unit (material)
    overtime_rate: Decimal = Decimal(0)
    cost_per_use: Decimal = Decimal(0)


@dataclass(frozen=True)
class MspdiPoolResource:
    uid: str
    name: str
    kind: MspdiResourceKind
    email: str = ""
    initials: str = ""
    group: str = ""
    material_label: str = ""
    max_units: Decimal = Decimal(1)  # 1 = one full-time person
    is_generic: bool = False
    # Cost rate tables by index (0 = A); each table's entries oldest first.
    rate_tables: dict[int, tuple[MspdiRate, ...]] = field(default_factory=dict)
    cost: Decimal | None = None
    actual_cost: Decimal | None = None

    @property
    def rates(self) -> tuple[MspdiRate, ...]:
        """Table A, the one assignments use unless they say otherwise."""
        return self.rate_tables.get(0, ())

    def rate_on(self, day: date, table: int = 0) -> MspdiRate | None:
        """The entry of `table` in force on `day`."""
        current = None
        for rate in self.rate_tables.get(table, ()):
            if rate.effective_from is None or rate.effective_from <= day:
                current = rate
        return current


@dataclass(frozen=True)
class MspdiAssignment:
    uid: str
    task_uid: int
    resource_uid: str
    units: Decimal  # work: 1 = 100 %; material: the quantity
    work_minutes: int = 0
    actual_work_minutes: int = 0
    remaining_work_minutes: int = 0
    cost: Decimal | None = None
    actual_cost: Decimal | None = None
    baseline_cost: Decimal | None = None  # Baseline 0 (Project's "Baseline")
    baseline_work_minutes: int | None = None
    start: datetime | None = None
    finish: datetime | None = None
    percent_work_complete: int = 0
    rate_table: int = 0
    bcws: Decimal | None = None
    bcwp: Decimal | None = None
    acwp: Decimal | None = None


@dataclass(frozen=True)
class MspdiTaskMoney:
    """What Project saved about one task's cost and earned value (currency units)."""

    task_uid: int
    summary: bool = False
    percent_complete: int = 0
    physical_percent_complete: int = 0
    earned_value_method: int = 0  # 0 = % complete, 1 = physical % complete
    cost: Decimal | None = None
    actual_cost: Decimal | None = None
    fixed_cost: Decimal | None = None
    baseline_cost: Decimal | None = None  # Baseline 0
    bcws: Decimal | None = None  # planned value at the status date
    bcwp: Decimal | None = None  # earned value at the status date
    acwp: Decimal | None = None  # actual cost of work performed at the status date
    cv: Decimal | None = None
    sv: Decimal | None = None


@dataclass
class MspdiCosts:
    """The money side of one file."""

    currency: str
    status_date: datetime | None
    resources: list[MspdiPoolResource]
    assignments: list[MspdiAssignment]
    tasks: dict[int, MspdiTaskMoney]
    notes: list[str] = field(default_factory=list)
    minutes_per_day: int = 480

    def resource(self, uid: str) -> MspdiPoolResource | None:
        return next((r for r in self.resources if r.uid == uid), None)

    @property
    def project_summary(self) -> MspdiTaskMoney | None:
        """UID 0: Project's totals for the whole plan."""
        return self.tasks.get(0)

    @property
    def has_costs(self) -> bool:
        """Whether the file carries any money at all (rates, costs or baselines)."""
        return any(
            any(rate.standard_rate or rate.cost_per_use for rate in r.rates) for r in self.resources
        ) or any(
            (task.cost or task.baseline_cost or task.actual_cost) for task in self.tasks.values()
        )


# --- reading -----------------------------------------------------------------------------------


def _decimal(r: Reader, element: Element, tag: str, where: str) -> Decimal | None:
    value = r.text(element, tag)
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise MspdiError(f"{where}: <{tag}> is not a number ({value!r}).") from None
    if not number.is_finite():
        raise MspdiError(f"{where}: <{tag}> is not a number ({value!r}).")
    return number


def _rate(r: Reader, element: Element, tag: str, where: str) -> Decimal:
    value = _decimal(r, element, tag, where) or Decimal(0)
    if value < 0:
        raise MspdiError(f"{where}: <{tag}> {value} is negative.")
    return value


def _money(r: Reader, element: Element, tag: str, where: str) -> Decimal | None:
    return r.money(element, tag, where)


def _work(r: Reader, element: Element, tag: str, where: str) -> int:
    text = r.text(element, tag)
    return duration_minutes(text, f"{where} <{tag}>") if text else 0


def _effective(moment: datetime | None) -> date | None:
    if moment is None or moment.year < NOT_AVAILABLE_BEFORE:
        return None
    return moment.date()


def _rate_tables(r: Reader, element: Element, where: str) -> dict[int, tuple[MspdiRate, ...]]:
    """The resource's cost rate tables; without `<Rates>`, table A is its standard rate."""
    entries = r.all(element, "Rates/Rate")
    if not entries:
        return {
            0: (
                MspdiRate(
                    effective_from=None,
                    standard_rate=_rate(r, element, "StandardRate", where),
                    overtime_rate=_rate(r, element, "OvertimeRate", where),
                    cost_per_use=_money(r, element, "CostPerUse", where) or Decimal(0),
                ),
            )
        }
    tables: dict[int, list[MspdiRate]] = {}
    for entry in entries:
        table = r.int(entry, "RateTable", where, default=0)
        if table not in RATE_TABLES:
            continue
        at = f"{where} rate table {RATE_TABLE_NAMES[table]}"
        cost_per_use = _money(r, entry, "CostPerUse", at) or Decimal(0)
        if cost_per_use < 0:
            raise MspdiError(f"{at}: <CostPerUse> {cost_per_use} is negative.")
        tables.setdefault(table, []).append(
            MspdiRate(
                effective_from=_effective(r.moment(entry, "RatesFrom", at)),
                standard_rate=_rate(r, entry, "StandardRate", at),
                overtime_rate=_rate(r, entry, "OvertimeRate", at),
                cost_per_use=cost_per_use,
            )
        )
    return {
        index: tuple(sorted(rows, key=lambda rate: rate.effective_from or date.min))
        for index, rows in tables.items()
    }


def _resource(r: Reader, element: Element) -> MspdiPoolResource | None:
    uid = r.text(element, "UID") or ""
    name = r.text(element, "Name") or ""
    if uid in ("", "0") or not name or r.int(element, "IsNull", f"Resource UID {uid}"):
        return None  # UID 0 is Project's placeholder; an unnamed row is a blank line
    where = f"Resource UID {uid} ({name})"
    type_code = r.text(element, "Type") or "1"
    kind = RESOURCE_TYPES.get(type_code)
    if kind is None:
        raise MspdiError(f"{where}: unknown <Type> {type_code} (0 material, 1 work, 2 cost).")
    max_units = _decimal(r, element, "MaxUnits", where)
    return MspdiPoolResource(
        uid=uid,
        name=name,
        kind=kind,
        email=(r.text(element, "EmailAddress") or "").lower(),
        initials=r.text(element, "Initials") or "",
        group=r.text(element, "Group") or "",
        material_label=r.text(element, "MaterialLabel") or "",
        max_units=Decimal(1) if max_units is None else max_units,
        is_generic=bool(r.int(element, "IsGeneric", where)),
        rate_tables=_rate_tables(r, element, where),
        cost=_money(r, element, "Cost", where),
        actual_cost=_money(r, element, "ActualCost", where),
    )


def _baseline(r: Reader, element: Element, where: str) -> tuple[Decimal | None, int | None]:
    """Cost and work of Baseline 0 (Project's "Baseline") of a task or an assignment."""
    for baseline in r.all(element, "Baseline"):
        if r.int(baseline, "Number", where, default=-1) == 0:
            work = r.text(baseline, "Work")
            return (
                _money(r, baseline, "Cost", f"{where} baseline"),
                duration_minutes(work, f"{where} baseline <Work>") if work else None,
            )
    return None, None


def _assignment(
    r: Reader, element: Element, resources: dict[str, MspdiPoolResource]
) -> MspdiAssignment | None:
    uid = r.text(element, "UID") or ""
    where = f"Assignment UID {uid}"
    resource = r.text(element, "ResourceUID") or UNASSIGNED_RESOURCE
    task = r.text(element, "TaskUID") or ""
    if resource not in resources or not task.lstrip("-").isdigit():
        return None  # Project's "unassigned" row, or a resource left out above
    units = _decimal(r, element, "Units", where)
    if units is not None and units < 0:
        raise MspdiError(f"{where}: <Units> {units} is negative.")
    baseline_cost, baseline_work = _baseline(r, element, where)
    table = r.int(element, "CostRateTable", where, default=0)
    percent = r.int(element, "PercentWorkComplete", where)
    return MspdiAssignment(
        uid=uid,
        task_uid=int(task),
        resource_uid=resource,
        units=Decimal(1) if units is None else units,
        work_minutes=_work(r, element, "Work", where),
        actual_work_minutes=_work(r, element, "ActualWork", where),
        remaining_work_minutes=_work(r, element, "RemainingWork", where),
        cost=_money(r, element, "Cost", where),
        actual_cost=_money(r, element, "ActualCost", where),
        baseline_cost=baseline_cost,
        baseline_work_minutes=baseline_work,
        start=r.moment(element, "Start", where),
        finish=r.moment(element, "Finish", where),
        percent_work_complete=max(0, min(100, percent)),
        rate_table=table if table in RATE_TABLES else 0,
        bcws=_money(r, element, "BCWS", where),
        bcwp=_money(r, element, "BCWP", where),
        acwp=_money(r, element, "ACWP", where),
    )


def _task_money(r: Reader, element: Element) -> MspdiTaskMoney | None:
    uid_text = r.text(element, "UID")
    if not uid_text or r.int(element, "IsNull", f"Task UID {uid_text}"):
        return None
    where = f"Task UID {uid_text}"
    uid = r.int(element, "UID", where)
    baseline_cost, _ = _baseline(r, element, where)
    return MspdiTaskMoney(
        task_uid=uid,
        summary=bool(r.int(element, "Summary", where)),
        percent_complete=r.int(element, "PercentComplete", where),
        physical_percent_complete=r.int(element, "PhysicalPercentComplete", where),
        earned_value_method=r.int(element, "EarnedValueMethod", where),
        cost=_money(r, element, "Cost", where),
        actual_cost=_money(r, element, "ActualCost", where),
        fixed_cost=_money(r, element, "FixedCost", where),
        baseline_cost=baseline_cost,
        bcws=_money(r, element, "BCWS", where),
        bcwp=_money(r, element, "BCWP", where),
        acwp=_money(r, element, "ACWP", where),
        cv=_money(r, element, "CV", where),
        sv=_money(r, element, "SV", where),
    )


def read_costs(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> MspdiCosts:
    """Resources, rate tables, assignments and the task money of an MSPDI document; raises
    MspdiError naming the element it cannot read."""
    root, r = parse(data, max_bytes=max_bytes)
    notes: list[str] = []
    resources: dict[str, MspdiPoolResource] = {}
    for element in r.all(root, "Resources/Resource"):
        resource = _resource(r, element)
        if resource is None:
            continue
        if resource.uid in resources:
            raise MspdiError(f"Two resources have UID {resource.uid}.")
        resources[resource.uid] = resource
    assignments = [
        found
        for element in r.all(root, "Assignments/Assignment")
        if (found := _assignment(r, element, resources)) is not None
    ]
    tasks = {
        money.task_uid: money
        for element in r.all(root, "Tasks/Task")
        if (money := _task_money(r, element)) is not None
    }
    unknown = sorted({a.task_uid for a in assignments} - set(tasks))
    if unknown:
        notes.append(
            f"Skipped assignments to {len(unknown)} tasks that are not in the file "
            f"(UIDs {', '.join(map(str, unknown[:5]))})."
        )
        assignments = [a for a in assignments if a.task_uid in tasks]
    return MspdiCosts(
        currency=(r.text(root, "CurrencyCode") or "").upper(),
        status_date=r.moment(root, "StatusDate", "Project"),
        resources=list(resources.values()),
        assignments=assignments,
        tasks=tasks,
        notes=notes,
        minutes_per_day=r.int(root, "MinutesPerDay", "Project", 480) or 480,
    )


# --- what Project says at the status date ------------------------------------------------------


@dataclass(frozen=True)
class FileEarnedValue:
    """Project's own earned-value figures for the whole plan (its UID 0 summary row), or the
    sum over the leaf tasks when the file has no summary row."""

    bcws: Decimal
    bcwp: Decimal
    acwp: Decimal
    budget: Decimal  # baseline cost, BAC

    @property
    def cv(self) -> Decimal:
        return self.bcwp - self.acwp

    @property
    def sv(self) -> Decimal:
        return self.bcwp - self.bcws


def file_earned_value(costs: MspdiCosts) -> FileEarnedValue | None:
    """The figures Project saved, or None when it saved none (all absent)."""
    summary = costs.project_summary
    rows = [summary] if summary is not None else [t for t in costs.tasks.values() if not t.summary]
    if all(row.bcws is None and row.bcwp is None and row.acwp is None for row in rows):
        return None
    zero = Decimal(0)
    return FileEarnedValue(
        bcws=sum((row.bcws or zero for row in rows), zero),
        bcwp=sum((row.bcwp or zero for row in rows), zero),
        acwp=sum((row.acwp or zero for row in rows), zero),
        budget=sum((row.baseline_cost or zero for row in rows), zero),
    )

"""Actual labour cost: hours of time entries x the effective hourly rate on each entry's day.

Used by timesheet approval (actual cost of tasks) and by earned value (AC). Three queries
whatever the number of entries: the entries, the resources of entries logged without one, and
the rates. Amounts are exact Decimals (hours x rate, not rounded): round only for display.

The rate is the person's own rate effective on the entry's date in the project's currency, else
their role's (resources/pool/rates.py). An entry without a resource is costed through the person's
resource in the project's organisation; an entry nobody has a rate for costs 0 and its hours
are counted in `unrated_hours`, so pages can say that costs are missing rather than hide it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import F, Q, QuerySet

from resources.models import CostRate, Resource, TimeEntry, TimeEntryStatus
from resources.pool.rates import RateBook, RateRow

ZERO = Decimal(0)


class EntryCost(NamedTuple):
    entry_id: int
    task_id: int
    project_id: int
    user_id: int
    resource_id: int | None
    date: date
    hours: Decimal
    hourly_rate: Decimal | None
    cost: Decimal  # 0 when no rate applies
    currency: str  # the project's


@dataclass
class LabourCost:
    total: Decimal = ZERO
    by_task: dict[int, Decimal] = field(default_factory=dict)
    by_project: dict[int, Decimal] = field(default_factory=dict)
    unrated_hours: Decimal = ZERO
    entries: list[EntryCost] = field(default_factory=list)


F_PROJECT = F("task__project_id")
F_CURRENCY = F("task__project__currency")
F_ORG = F("task__project__organisation_id")


def rate_rows(*, resource_ids: set[int], role_ids: set[int]) -> list[RateRow]:
    """Every rate of these resources and roles (one query; none when both sets are empty)."""
    if not resource_ids and not role_ids:
        return []
    return [
        RateRow(**rate)
        for rate in CostRate.objects.filter(
            Q(resource_id__in=resource_ids) | Q(role_id__in=role_ids)
        ).values("resource_id", "role_id", "effective_from", "hourly_rate", "currency")
    ]


def _rows(entries: QuerySet[TimeEntry], approved_only: bool) -> list[dict[str, Any]]:
    if approved_only:
        entries = entries.filter(status=TimeEntryStatus.APPROVED)
    rows: Any = entries.order_by().values(
        "id",
        "task_id",
        "user_id",
        "resource_id",
        "resource__role_id",
        "date",
        "hours",
        project_id=F_PROJECT,
        currency=F_CURRENCY,
        organisation_id=F_ORG,
    )
    return list(rows)


def _people_resources(rows: list[dict[str, Any]]) -> dict[tuple[int, int], tuple[int, int | None]]:
    """(organisation, user) -> (resource, role) for the entries logged without a resource."""
    missing = {(row["organisation_id"], row["user_id"]) for row in rows if not row["resource_id"]}
    if not missing:
        return {}
    found = Resource.objects.filter(
        organisation_id__in={org for org, _ in missing},
        user_id__in={user for _, user in missing},
    ).values_list("organisation_id", "user_id", "id", "role_id")
    return {(org, user): (rid, role) for org, user, rid, role in found}


def time_entry_costs(
    entries: QuerySet[TimeEntry], *, approved_only: bool = True
) -> list[EntryCost]:
    """Each entry with its rate and cost (approved entries only, unless told otherwise)."""
    rows = _rows(entries, approved_only)
    people = _people_resources(rows)
    who: list[tuple[int | None, int | None]] = []
    for row in rows:
        if row["resource_id"]:
            who.append((row["resource_id"], row["resource__role_id"]))
        else:
            who.append(people.get((row["organisation_id"], row["user_id"]), (None, None)))
    resource_ids = {rid for rid, _ in who if rid}
    role_ids = {role for _, role in who if role}
    book = RateBook(rate_rows(resource_ids=resource_ids, role_ids=role_ids))
    costs = []
    seen: dict[tuple[Any, ...], Decimal | None] = {}  # people log many entries a day
    for row, (resource_id, role_id) in zip(rows, who, strict=True):
        key = (resource_id, role_id, row["date"], row["currency"])
        if key in seen:
            rate = seen[key]
        else:
            rate = seen[key] = book.rate_for(
                resource_id=resource_id, role_id=role_id, day=row["date"], currency=row["currency"]
            )
        costs.append(
            EntryCost(
                row["id"],
                row["task_id"],
                row["project_id"],
                row["user_id"],
                resource_id,
                row["date"],
                row["hours"],
                rate,
                row["hours"] * rate if rate is not None else ZERO,
                row["currency"],
            )
        )
    return costs


def actual_labour_cost(entries: QuerySet[TimeEntry], *, approved_only: bool = True) -> LabourCost:
    """The entries' cost in total, per task and per project, and the hours without a rate."""
    result = LabourCost(entries=time_entry_costs(entries, approved_only=approved_only))
    by_task: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_project: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for cost in result.entries:
        by_task[cost.task_id] += cost.cost
        by_project[cost.project_id] += cost.cost
        result.total += cost.cost
        if cost.hourly_rate is None:
            result.unrated_hours += cost.hours
    result.by_task = dict(by_task)
    result.by_project = dict(by_project)
    return result

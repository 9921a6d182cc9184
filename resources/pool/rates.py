"""Effective-dated cost rates, looked up for a person on a day (pure: no Django imports).

A rate row applies from its `effective_from` until the day before the next row of the same
resource (or role) in the same currency; nothing before the first row. A person's own rate wins
over their role's default: the role's rate is used only on days the person has no own rate in
that currency. Costs are in one currency (the project's): a rate in another currency is not
converted, it simply does not apply.

Used by actual cost (resources/evm/costs.py) and earned value (resources/evm/engine.py).
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class RateRow:
    """One stored rate: exactly one of `resource_id` and `role_id` is set."""

    resource_id: int | None
    role_id: int | None
    effective_from: date
    hourly_rate: Decimal
    currency: str


@dataclass(frozen=True)
class _Series:
    days: tuple[date, ...]  # sorted effective dates
    rates: tuple[Decimal, ...]

    def on(self, day: date) -> Decimal | None:
        index = bisect_right(self.days, day) - 1
        return self.rates[index] if index >= 0 else None


class RateBook:
    """Every rate of some resources and roles, ready for lookups in O(log n)."""

    def __init__(self, rows: Iterable[RateRow]) -> None:
        grouped: dict[tuple[str, int, str], list[tuple[date, Decimal]]] = defaultdict(list)
        for row in rows:
            if row.resource_id is not None:
                key = ("resource", row.resource_id, row.currency)
            elif row.role_id is not None:
                key = ("role", row.role_id, row.currency)
            else:
                raise ValueError("A rate row needs a resource or a role.")
            grouped[key].append((row.effective_from, row.hourly_rate))
        self._series: dict[tuple[str, int, str], _Series] = {}
        for key, points in grouped.items():
            points.sort(key=lambda point: point[0])
            self._series[key] = _Series(
                days=tuple(day for day, _ in points), rates=tuple(rate for _, rate in points)
            )

    def own_rate(self, resource_id: int, day: date, currency: str) -> Decimal | None:
        series = self._series.get(("resource", resource_id, currency))
        return series.on(day) if series else None

    def role_rate(self, role_id: int, day: date, currency: str) -> Decimal | None:
        series = self._series.get(("role", role_id, currency))
        return series.on(day) if series else None

    def rate_for(
        self, *, resource_id: int | None, role_id: int | None, day: date, currency: str
    ) -> Decimal | None:
        """The hourly rate on `day`: the person's own, else their role's, else None."""
        if resource_id is not None:
            own = self.own_rate(resource_id, day, currency)
            if own is not None:
                return own
        if role_id is not None:
            return self.role_rate(role_id, day, currency)
        return None


def effective_rate(
    rows: Iterable[RateRow],
    *,
    resource_id: int | None,
    role_id: int | None,
    day: date,
    currency: str,
) -> Decimal | None:
    """One lookup without keeping a book (for a handful of rows)."""
    return RateBook(rows).rate_for(
        resource_id=resource_id, role_id=role_id, day=day, currency=currency
    )

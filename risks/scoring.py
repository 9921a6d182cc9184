"""Risk scoring: probability x impact on 1-5 scales, levels, money and time. No Django here.

The conventions a TPM expects from a probability-impact matrix (PMBOK, PRINCE2):

* probability and each impact dimension (schedule, cost, scope, quality) are rated 1-5, each
  rating with a written meaning (`PROBABILITY_MEANINGS`, `IMPACT_MEANINGS`);
* a risk's impact is its worst dimension, so a risk that is mild on cost but severe on schedule
  is a severe risk; its score is probability x that impact (1-25);
* the level (low, medium, high, critical) comes from thresholds the organisation sets: a score
  at or above `medium` is medium, and so on;
* the expected monetary value (EMV) is the probability (as the midpoint percentage of its band)
  times the cost impact; the expected schedule impact is the same for days. A threat's EMV is a
  cost, an opportunity's a saving: totals subtract opportunities from threats.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

SCALE = range(1, 6)
MAX_SCORE = 25

PROBABILITY_PERCENT: dict[int, int] = {1: 10, 2: 30, 3: 50, 4: 70, 5: 90}

PROBABILITY_MEANINGS: dict[int, str] = {
    1: "Rare (under 20%)",
    2: "Unlikely (20-40%)",
    3: "Possible (40-60%)",
    4: "Likely (60-80%)",
    5: "Almost certain (over 80%)",
}

IMPACT_DIMENSIONS = ("schedule", "cost", "scope", "quality")

IMPACT_MEANINGS: dict[str, dict[int, str]] = {
    "schedule": {
        1: "Slip under 1 week",
        2: "Slip of 1-2 weeks",
        3: "Slip of 2-4 weeks",
        4: "Slip of 1-3 months",
        5: "Slip over 3 months",
    },
    "cost": {
        1: "Under 1% of budget",
        2: "1-5% of budget",
        3: "5-10% of budget",
        4: "10-20% of budget",
        5: "Over 20% of budget",
    },
    "scope": {
        1: "Barely noticeable",
        2: "Minor areas affected",
        3: "Major areas affected",
        4: "Reduction unacceptable to the sponsor",
        5: "End result effectively useless",
    },
    "quality": {
        1: "Barely noticeable",
        2: "Only demanding uses affected",
        3: "Needs the sponsor's approval",
        4: "Unacceptable to the sponsor",
        5: "End result effectively useless",
    },
}


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class ScaleError(ValueError):
    """A rating outside 1-5, or thresholds that do not rise."""


def check_rating(value: int, name: str = "rating") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise ScaleError(f"The {name} must be a whole number from 1 to 5, not {value!r}.")
    return value


@dataclass(frozen=True)
class Impacts:
    schedule: int
    cost: int
    scope: int
    quality: int

    def __post_init__(self) -> None:
        for name in IMPACT_DIMENSIONS:
            check_rating(getattr(self, name), f"{name} impact")

    def worst(self) -> int:
        return max(self.schedule, self.cost, self.scope, self.quality)

    def worst_dimensions(self) -> list[str]:
        """The dimensions that set the score (all those at the worst rating)."""
        top = self.worst()
        return [name for name in IMPACT_DIMENSIONS if getattr(self, name) == top]


@dataclass(frozen=True)
class Thresholds:
    """The lowest score of each level above low; an organisation's risk appetite sits here too.

    `appetite` is the highest score the organisation accepts without a response;
    `escalation` the score from which the project manager is told.
    """

    medium: int = 5
    high: int = 10
    critical: int = 16
    appetite: int = 9
    escalation: int = 15

    def __post_init__(self) -> None:
        if not 1 < self.medium < self.high < self.critical <= MAX_SCORE:
            raise ScaleError(
                "Thresholds must rise: 1 < medium < high < critical <= 25 "
                f"(got {self.medium}, {self.high}, {self.critical})."
            )
        for name in ("appetite", "escalation"):
            value = getattr(self, name)
            if not 1 <= value <= MAX_SCORE:
                raise ScaleError(f"The {name} score must be from 1 to 25, not {value}.")


def score(probability: int, impact: int) -> int:
    return check_rating(probability, "probability") * check_rating(impact, "impact")


def risk_score(probability: int, impacts: Impacts) -> int:
    """Probability x the worst impact dimension."""
    return score(probability, impacts.worst())


def level(value: int, thresholds: Thresholds) -> Level:
    if not 1 <= value <= MAX_SCORE:
        raise ScaleError(f"A score is from 1 to 25, not {value}.")
    if value >= thresholds.critical:
        return Level.CRITICAL
    if value >= thresholds.high:
        return Level.HIGH
    if value >= thresholds.medium:
        return Level.MEDIUM
    return Level.LOW


def within_appetite(value: int, thresholds: Thresholds) -> bool:
    return value <= thresholds.appetite


def needs_escalation(value: int, thresholds: Thresholds) -> bool:
    return value >= thresholds.escalation


def crossed_escalation(previous: int | None, current: int, thresholds: Thresholds) -> bool:
    """The score went from below the escalation threshold (or nothing) to at or above it."""
    was = previous is not None and needs_escalation(previous, thresholds)
    return needs_escalation(current, thresholds) and not was


_CENTS = Decimal("0.01")


def probability_fraction(probability: int) -> Decimal:
    return Decimal(PROBABILITY_PERCENT[check_rating(probability, "probability")]) / 100


def expected_monetary_value(
    probability: int, cost_impact: Decimal, *, opportunity: bool
) -> Decimal:
    """Probability x cost impact, to the cent; negative for an opportunity (a saving)."""
    if cost_impact < 0:
        raise ScaleError("The cost impact is an amount of money and cannot be negative.")
    value = (probability_fraction(probability) * cost_impact).quantize(_CENTS, ROUND_HALF_UP)
    return -value if opportunity else value


def expected_schedule_days(probability: int, days: int, *, opportunity: bool) -> Decimal:
    """Probability x schedule impact in days, to a tenth; negative for an opportunity."""
    if days < 0:
        raise ScaleError("The schedule impact is a number of days and cannot be negative.")
    value = (probability_fraction(probability) * days).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return -value if opportunity else value


Cell = tuple[int, int]  # (probability, impact)


def heat_map(cells: Iterable[Cell]) -> dict[Cell, int]:
    """Counts per (probability, impact) cell of the 5x5 grid; every cell present."""
    counts = {(p, i): 0 for p in SCALE for i in SCALE}
    for probability, impact in cells:
        counts[(check_rating(probability, "probability"), check_rating(impact, "impact"))] += 1
    return counts


def heat_map_rows(
    counts: dict[Cell, int], thresholds: Thresholds
) -> list[list[tuple[Cell, int, Level]]]:
    """The grid as drawn: probability 5 on top, impact 1 on the left; each cell with its level."""
    return [
        [((p, i), counts.get((p, i), 0), level(p * i, thresholds)) for i in SCALE]
        for p in reversed(SCALE)
    ]

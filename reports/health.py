"""Project health (RAG): each dimension's facts -> red, amber or green, with the reasons in words.

Pure domain code (no Django): dataclasses in, dataclasses out. A dimension whose app has no data
for the project (its facts are None) is "no data yet": it has no colour and does not count in
the overall colour, so a project without budgets is never red (or green) on cost.

The overall colour is the worst colour among the dimensions that have one. A manager may
override any dimension or the overall colour with a written reason; the override replaces the
computed colour (both are kept, so pages show "Amber (overridden; rules say red)").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum


class Colour(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()


_RANK = {Colour.GREEN: 0, Colour.AMBER: 1, Colour.RED: 2}


def worst(colours: list[Colour]) -> Colour | None:
    return max(colours, key=lambda colour: colour.rank, default=None)


class Dimension(StrEnum):
    SCHEDULE = "schedule"
    COST = "cost"
    SCOPE = "scope"
    RISK = "risk"
    QUALITY = "quality"

    @property
    def label(self) -> str:
        return self.value.capitalize()


OVERALL = "overall"  # the key an override of the overall colour uses


# --- thresholds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """Where amber and red start. Each organisation may change them (reports.HealthThresholds).

    Indices (SPI, CPI) are bad when low: amber below `*_amber`, red below `*_red`.
    Counts and percentages are bad when high: amber from `*_amber`, red from `*_red`.
    """

    spi_amber: Decimal = Decimal("0.95")
    spi_red: Decimal = Decimal("0.85")
    milestone_slip_amber_days: int = 3
    milestone_slip_red_days: int = 10
    late_critical_amber: int = 1
    late_critical_red: int = 3
    negative_float_amber: int = 1
    negative_float_red: int = 5
    cpi_amber: Decimal = Decimal("0.95")
    cpi_red: Decimal = Decimal("0.85")
    forecast_over_budget_amber_percent: Decimal = Decimal("5")
    forecast_over_budget_red_percent: Decimal = Decimal("10")
    pending_changes_amber: int = 3
    pending_changes_red: int = 6
    approved_changes_amber: int = 5
    approved_changes_red: int = 10
    escalated_risks_amber: int = 1
    escalated_risks_red: int = 3
    overdue_risk_reviews_amber: int = 1
    overdue_risk_reviews_red: int = 5
    failed_gates_amber: int = 1
    failed_gates_red: int = 1
    overdue_gates_amber: int = 1
    overdue_gates_red: int = 2


LOW_IS_BAD = ("spi", "cpi")


def threshold_pairs() -> list[tuple[str, str]]:
    """(amber field, red field) for every rule."""
    names = [f.name for f in fields(Thresholds)]
    return [(name, name.replace("_amber", "_red")) for name in names if "_amber" in name]


def threshold_errors(values: Mapping[str, object]) -> dict[str, str]:
    """Why a set of thresholds makes no sense, by field: red must be at least as strict as amber."""
    errors: dict[str, str] = {}
    for amber, red in threshold_pairs():
        low, high = values.get(amber), values.get(red)
        if low is None or high is None:
            continue
        if any(key in amber for key in LOW_IS_BAD):
            if high > low:  # type: ignore[operator]
                errors[red] = "Red must start at or below where amber starts."
        elif high < low:  # type: ignore[operator]
            errors[red] = "Red must start at or above where amber starts."
        if low < 0:  # type: ignore[operator]
            errors[amber] = "Must not be negative."
    return errors


# --- facts: what each source reports for one project ---------------------------------------------


@dataclass(frozen=True)
class MilestoneSlip:
    name: str
    days: int  # calendar days later than the baseline (negative: early)


@dataclass(frozen=True)
class ScheduleFacts:
    spi: Decimal | None = None  # from earned value (issue 5); None until budgets exist
    milestone_slips: tuple[MilestoneSlip, ...] = ()  # milestones not yet done, against baseline
    has_baseline: bool = False
    late_critical_tasks: int = 0  # critical, not finished, finish already passed
    negative_float_tasks: int = 0


@dataclass(frozen=True)
class CostFacts:
    cpi: Decimal | None = None
    budget: Decimal | None = None  # budget at completion
    forecast: Decimal | None = None  # estimate at completion
    currency: str = ""


@dataclass(frozen=True)
class ScopeFacts:
    pending_changes: int = 0
    approved_changes: int = 0  # approved since the last baseline


@dataclass(frozen=True)
class RiskFacts:
    escalated_open_risks: int = 0  # open threats whose score is at or above the escalation score
    overdue_reviews: int = 0  # open risks whose next review date has passed
    escalation_score: int | None = None  # the organisation's, for the reason's wording
    escalated: tuple[str, ...] = ()  # "R-3 Vendor API late", highest score first
    overdue: tuple[str, ...] = ()  # the same for the overdue reviews, longest overdue first


@dataclass(frozen=True)
class QualityFacts:
    failed_gates: int = 0
    overdue_gates: int = 0


@dataclass(frozen=True)
class HealthInputs:
    schedule: ScheduleFacts | None = None
    cost: CostFacts | None = None
    scope: ScopeFacts | None = None
    risk: RiskFacts | None = None
    quality: QualityFacts | None = None


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    colour: Colour
    reason: str
    by: str = ""  # who set it, for display
    on: str = ""  # ISO date it was set


@dataclass(frozen=True)
class Assessment:
    """One dimension (or the overall): the rules' colour, the override, and the reasons."""

    key: str  # a Dimension value or OVERALL
    computed: Colour | None  # None: no data yet
    reasons: tuple[str, ...]
    override: Override | None = None

    @property
    def colour(self) -> Colour | None:
        return self.override.colour if self.override else self.computed

    @property
    def has_data(self) -> bool:
        return self.computed is not None

    @property
    def label(self) -> str:
        return self.key.capitalize()


@dataclass(frozen=True)
class ProjectHealth:
    dimensions: tuple[Assessment, ...]
    overall: Assessment

    def dimension(self, key: str) -> Assessment:
        return next(item for item in self.dimensions if item.key == key)


@dataclass
class _Verdict:
    colour: Colour = Colour.GREEN
    reasons: list[str] = field(default_factory=list)

    def flag(self, colour: Colour, reason: str) -> None:
        if colour.rank > self.colour.rank:
            self.colour = colour
        self.reasons.append(reason)


def _level_high(value: float | Decimal, amber: float | Decimal, red: float | Decimal) -> Colour:
    if value >= red:
        return Colour.RED
    if value >= amber:
        return Colour.AMBER
    return Colour.GREEN


def _level_low(value: Decimal, amber: Decimal, red: Decimal) -> Colour:
    if value < red:
        return Colour.RED
    if value < amber:
        return Colour.AMBER
    return Colour.GREEN


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _days(n: int) -> str:
    return _count(n, "day")


def assess_schedule(facts: ScheduleFacts, t: Thresholds) -> _Verdict:
    verdict = _Verdict()
    if facts.spi is not None:
        level = _level_low(facts.spi, t.spi_amber, t.spi_red)
        if level != Colour.GREEN:
            verdict.flag(level, f"SPI is {facts.spi:.2f} (amber below {t.spi_amber}).")
    late = [slip for slip in facts.milestone_slips if slip.days > 0]
    if late:
        worst_slip = max(late, key=lambda slip: slip.days)
        level = _level_high(worst_slip.days, t.milestone_slip_amber_days, t.milestone_slip_red_days)
        others = f" ({_count(len(late), 'milestone')} late)" if len(late) > 1 else ""
        text = f"Milestone “{worst_slip.name}” is {_days(worst_slip.days)} later than the baseline"
        verdict.flag(level, f"{text}{others}.")
    if facts.late_critical_tasks:
        level = _level_high(facts.late_critical_tasks, t.late_critical_amber, t.late_critical_red)
        verdict.flag(level, f"{_count(facts.late_critical_tasks, 'critical task')} past due.")
    if facts.negative_float_tasks:
        level = _level_high(
            facts.negative_float_tasks, t.negative_float_amber, t.negative_float_red
        )
        verdict.flag(
            level,
            f"{_count(facts.negative_float_tasks, 'task')} with negative float "
            "(a deadline or constraint cannot be met).",
        )
    if not verdict.reasons:
        checked = "against the baseline" if facts.has_baseline else "(no baseline saved yet)"
        verdict.reasons.append(f"On plan {checked}: no late milestones or critical tasks.")
    return verdict


def assess_cost(facts: CostFacts, t: Thresholds) -> _Verdict:
    verdict = _Verdict()
    if facts.cpi is not None:
        level = _level_low(facts.cpi, t.cpi_amber, t.cpi_red)
        if level != Colour.GREEN:
            verdict.flag(level, f"CPI is {facts.cpi:.2f} (amber below {t.cpi_amber}).")
    if facts.budget and facts.forecast is not None and facts.budget > 0:
        over = (facts.forecast - facts.budget) / facts.budget * 100
        if over > 0:
            level = _level_high(
                over, t.forecast_over_budget_amber_percent, t.forecast_over_budget_red_percent
            )
            verdict.flag(level, f"Forecast is {over:.1f}% over the budget.")
    if not verdict.reasons:
        verdict.reasons.append("Spending to budget.")
    return verdict


def assess_scope(facts: ScopeFacts, t: Thresholds) -> _Verdict:
    verdict = _Verdict()
    if facts.pending_changes:
        level = _level_high(facts.pending_changes, t.pending_changes_amber, t.pending_changes_red)
        verdict.flag(level, f"{_count(facts.pending_changes, 'change request')} awaiting decision.")
    if facts.approved_changes:
        level = _level_high(
            facts.approved_changes, t.approved_changes_amber, t.approved_changes_red
        )
        verdict.flag(
            level,
            f"{_count(facts.approved_changes, 'change')} approved since the baseline.",
        )
    if not verdict.reasons:
        verdict.reasons.append("Scope is stable: no pending or approved changes.")
    return verdict


NAMED_RISKS = 3  # risks a reason names before it says "and N more"


def _named(labels: tuple[str, ...], total: int) -> str:
    """The names in brackets, e.g. ' (R-3 Vendor API late, R-7 Key engineer leaves and 2 more)'."""
    if not labels:
        return ""
    shown = ", ".join(labels[:NAMED_RISKS])
    more = total - min(len(labels), NAMED_RISKS)
    return f" ({shown}{f' and {more} more' if more > 0 else ''})"


def assess_risk(facts: RiskFacts, t: Thresholds) -> _Verdict:
    verdict = _Verdict()
    where = (
        f"the escalation score of {facts.escalation_score}"
        if facts.escalation_score is not None
        else "the escalation score"
    )
    if facts.escalated_open_risks:
        level = _level_high(
            facts.escalated_open_risks, t.escalated_risks_amber, t.escalated_risks_red
        )
        names = _named(facts.escalated, facts.escalated_open_risks)
        verdict.flag(
            level,
            f"{_count(facts.escalated_open_risks, 'open risk')} at or above {where}{names}.",
        )
    if facts.overdue_reviews:
        level = _level_high(
            facts.overdue_reviews, t.overdue_risk_reviews_amber, t.overdue_risk_reviews_red
        )
        names = _named(facts.overdue, facts.overdue_reviews)
        verdict.flag(level, f"{_count(facts.overdue_reviews, 'risk review')} overdue{names}.")
    if not verdict.reasons:
        verdict.reasons.append(f"No open risk at or above {where}; reviews up to date.")
    return verdict


def assess_quality(facts: QualityFacts, t: Thresholds) -> _Verdict:
    verdict = _Verdict()
    if facts.failed_gates:
        level = _level_high(facts.failed_gates, t.failed_gates_amber, t.failed_gates_red)
        verdict.flag(level, f"{_count(facts.failed_gates, 'quality gate')} failed.")
    if facts.overdue_gates:
        level = _level_high(facts.overdue_gates, t.overdue_gates_amber, t.overdue_gates_red)
        verdict.flag(level, f"{_count(facts.overdue_gates, 'quality gate')} overdue.")
    if not verdict.reasons:
        verdict.reasons.append("Quality gates passed or not yet due.")
    return verdict


_RULES = {
    Dimension.SCHEDULE: assess_schedule,
    Dimension.COST: assess_cost,
    Dimension.SCOPE: assess_scope,
    Dimension.RISK: assess_risk,
    Dimension.QUALITY: assess_quality,
}

NO_DATA = "No data yet."


def assess(
    inputs: HealthInputs,
    thresholds: Thresholds | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> ProjectHealth:
    """Every dimension's colour with its reasons, and the overall (the worst one shown)."""
    thresholds = thresholds or Thresholds()
    overrides = overrides or {}
    results: list[Assessment] = []
    for dimension, rule in _RULES.items():
        facts = getattr(inputs, dimension.value)
        if facts is None:
            results.append(Assessment(dimension.value, None, (NO_DATA,)))
            continue
        verdict = rule(facts, thresholds)  # type: ignore[operator]
        results.append(
            Assessment(
                dimension.value,
                verdict.colour,
                tuple(verdict.reasons),
                overrides.get(dimension.value),
            )
        )
    return ProjectHealth(tuple(results), _overall(results, overrides.get(OVERALL)))


def _overall(results: list[Assessment], override: Override | None) -> Assessment:
    shown = [item for item in results if item.colour is not None]
    colour = worst([item.colour for item in shown if item.colour is not None])
    if colour is None:
        return Assessment(OVERALL, None, ("No dimension has data yet.",), override)
    reasons = [
        f"{item.label} is {item.colour.value}: {item.reasons[0]}"
        if not item.override
        else f"{item.label} is {item.colour.value} (set by the manager: {item.override.reason})"
        for item in shown
        if item.colour == colour and item.colour is not None
    ]
    if colour == Colour.GREEN:
        reasons = [f"Every dimension with data is green ({', '.join(i.key for i in shown)})."]
    return Assessment(OVERALL, colour, tuple(reasons), override)


# --- plain data for snapshots and the API ---------------------------------------------------------


def assessment_to_json(item: Assessment) -> dict[str, object]:
    return {
        "key": item.key,
        "colour": item.colour.value if item.colour else None,
        "computed": item.computed.value if item.computed else None,
        "reasons": list(item.reasons),
        "override": (
            {
                "colour": item.override.colour.value,
                "reason": item.override.reason,
                "by": item.override.by,
                "on": item.override.on,
            }
            if item.override
            else None
        ),
    }


def health_to_json(health: ProjectHealth) -> dict[str, object]:
    return {
        "overall": assessment_to_json(health.overall),
        "dimensions": [assessment_to_json(item) for item in health.dimensions],
    }

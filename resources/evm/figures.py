"""The earned-value figures and what they mean (pure: no Django imports).

`EvmFigures` holds the four measured amounts of a project or a branch (BAC, PV, EV, AC, measured
by resources/evm/engine.py); every other figure derives from them.

Rounding
    Everything is computed *exactly*, with `fractions.Fraction` (money comes in as `Decimal` and
    converts without loss); nothing is rounded inside the engine, so branch figures add up to
    the project's exactly and PV at the end of the plan is exactly BAC. Only for display,
    `EvmFigures.rounded()` rounds money half-even to the currency's minor unit (cents for USD
    and EUR, none for JPY: `currency_places`) and ratios (SPI, CPI, TCPI) half-even to
    `RATIO_PLACES` = 2 decimals unless asked otherwise (the API asks for 4).

Not defined yet
    A figure that needs a division by zero (SPI with no planned value, CPI with no actual cost,
    an EAC from a CPI of 0, a TCPI when the budget is spent) is `None` ("not defined yet"), never
    an error and never a made-up 0 or infinity.

The formulas (`EvmFigures`): SV = EV - PV, CV = EV - AC, SPI = EV / PV, CPI = EV / AC;
three estimates at completion, each labelled: EAC by CPI = AC + (BAC - EV) / CPI (= BAC / CPI:
the current cost efficiency continues), EAC by CPI x SPI = AC + (BAC - EV) / (CPI x SPI) (both
cost and schedule performance weigh on the rest), EAC by remaining budget = AC + (BAC - EV) (the
rest goes to plan); ETC = EAC - AC and VAC = BAC - EAC for each; TCPI to BAC =
(BAC - EV) / (BAC - AC), TCPI to EAC = (BAC - EV) / (EAC - AC).

The forecast (`EvmFigures.eac`, the one every page, PDF and the API show as "EAC")
    EAC by CPI; while CPI is not defined or 0 (nothing spent, or nothing earned yet) EAC by
    remaining budget. Never below AC: money spent stays spent. The headline ETC and VAC use it.

Budget, reserves and variance (`BudgetFigures`, the one home of these words)
    BAC, the performance measurement baseline: what earned value is measured against; the
    baseline cost of the tasks (time-phased by the baseline's schedule) plus the planned spend
    of the non-labour budget lines (time-phased by their month plans; labour is budgeted on the
    tasks). Cost baseline = BAC + contingency reserve (for known risks, the manager's). Approved
    budget = cost baseline + management reserve (for unknown risks, outside the cost
    baseline). Variance at completion VAC = BAC - EAC (negative: over), against BAC, never
    against a budget that includes reserves.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

ZERO = Fraction(0)
RATIO_PLACES = 2
# ISO 4217 currencies without a minor unit (the rest of the project's list uses cents).
_ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "CLP", "ISK", "VND", "XAF", "XOF", "UGX"})


def currency_places(currency: str) -> int:
    """Decimal places of a currency's minor unit: 2 (cents), 0 for JPY and the like."""
    return 0 if currency.upper() in _ZERO_DECIMAL_CURRENCIES else 2


def round_half_even(value: Fraction | None, places: int) -> Decimal | None:
    """`value` rounded half-even to `places` decimals, exactly (no float, no double rounding)."""
    if value is None:
        return None
    if value.denominator == 1:  # whole amounts (the usual budget figures): nothing to round
        return Decimal(value.numerator).scaleb(-places) * 10**places
    scaled = round(value * 10**places)  # Fraction.__round__ rounds half to even, exactly
    return Decimal(scaled).scaleb(-places)


def _ratio(numerator: Fraction, denominator: Fraction) -> Fraction | None:
    return numerator / denominator if denominator else None


def forecast(bac: Fraction, ev: Fraction, ac: Fraction, cpi: Fraction | None) -> Fraction:
    """EAC = AC + (BAC - EV) / CPI; AC + (BAC - EV) while CPI is not defined or 0; never < AC."""
    rest = bac - ev
    eac = ac + (rest / cpi if cpi else rest)
    return max(eac, ac)


FIGURE_LABELS: dict[str, str] = {
    "bac": "Budget at completion (BAC)",
    "pv": "Planned value (PV)",
    "ev": "Earned value (EV)",
    "ac": "Actual cost, cumulative to the status date (AC)",
    "sv": "Schedule variance (SV = EV - PV)",
    "cv": "Cost variance (CV = EV - AC)",
    "spi": "Schedule performance index (SPI = EV / PV)",
    "cpi": "Cost performance index (CPI = EV / AC)",
    "eac": "Estimate at completion (EAC = AC + (BAC - EV) / CPI; AC + BAC - EV while CPI is"
    " not defined; never below AC)",
    "etc": "Estimate to complete (ETC = EAC - AC)",
    "vac": "Variance at completion (VAC = BAC - EAC)",
    "eac_cpi": "EAC by CPI (AC + (BAC - EV) / CPI = BAC / CPI)",
    "eac_cpi_spi": "EAC by CPI x SPI (AC + (BAC - EV) / (CPI x SPI))",
    "eac_remaining_budget": "EAC by remaining budget (AC + BAC - EV)",
    "tcpi_bac": "To-complete performance index to BAC ((BAC - EV) / (BAC - AC))",
    "tcpi_eac": "To-complete performance index to EAC ((BAC - EV) / (EAC - AC))",
}
MONEY_FIGURES = (
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "eac",
    "etc",
    "vac",
    "eac_cpi",
    "eac_cpi_spi",
    "eac_remaining_budget",
)
RATIO_FIGURES = ("spi", "cpi", "tcpi_bac", "tcpi_eac")


@dataclass(frozen=True)
class Estimate:
    """One way of forecasting the cost at completion, with its ETC and VAC."""

    method: str  # "cpi", "cpi_spi", "remaining_budget"
    label: str
    eac: Fraction | None
    etc: Fraction | None
    vac: Fraction | None


@dataclass(frozen=True)
class EvmFigures:
    """The four measured amounts; everything else derives from them, exactly."""

    bac: Fraction = ZERO
    pv: Fraction = ZERO
    ev: Fraction = ZERO
    ac: Fraction = ZERO  # cumulative to the status date

    def __add__(self, other: EvmFigures) -> EvmFigures:
        return EvmFigures(
            self.bac + other.bac, self.pv + other.pv, self.ev + other.ev, self.ac + other.ac
        )

    @property
    def sv(self) -> Fraction:
        return self.ev - self.pv

    @property
    def cv(self) -> Fraction:
        return self.ev - self.ac

    @property
    def spi(self) -> Fraction | None:
        return _ratio(self.ev, self.pv)

    @property
    def cpi(self) -> Fraction | None:
        return _ratio(self.ev, self.ac)

    @property
    def eac_cpi(self) -> Fraction | None:
        cpi = self.cpi
        return self.bac / cpi if cpi else None

    @property
    def eac_cpi_spi(self) -> Fraction | None:
        cpi, spi = self.cpi, self.spi
        if not cpi or not spi:
            return None
        return self.ac + (self.bac - self.ev) / (cpi * spi)

    @property
    def eac_remaining_budget(self) -> Fraction:
        return self.ac + self.bac - self.ev

    @property
    def eac(self) -> Fraction:
        """The forecast: EAC by CPI, else by remaining budget; never below AC."""
        return forecast(self.bac, self.ev, self.ac, self.cpi)

    @property
    def etc(self) -> Fraction:
        return self.eac - self.ac

    @property
    def vac(self) -> Fraction:
        return self.bac - self.eac

    @property
    def tcpi_bac(self) -> Fraction | None:
        return _ratio(self.bac - self.ev, self.bac - self.ac)

    @property
    def tcpi_eac(self) -> Fraction | None:
        return _ratio(self.bac - self.ev, self.etc)

    @property
    def estimates(self) -> tuple[Estimate, ...]:
        result = []
        for method, key in (
            ("cpi", "eac_cpi"),
            ("cpi_spi", "eac_cpi_spi"),
            ("remaining_budget", "eac_remaining_budget"),
        ):
            eac = getattr(self, key)
            result.append(
                Estimate(
                    method=method,
                    label=FIGURE_LABELS[key],
                    eac=eac,
                    etc=None if eac is None else eac - self.ac,
                    vac=None if eac is None else self.bac - eac,
                )
            )
        return tuple(result)

    def exact(self) -> dict[str, Fraction | None]:
        """Every figure by name (see FIGURE_LABELS), exact: the properties' formulas, each
        intermediate computed once (a page of 5,000 branches asks for all of them)."""
        bac, pv, ev, ac = self.bac, self.pv, self.ev, self.ac
        spi, cpi = _ratio(ev, pv), _ratio(ev, ac)
        eac = forecast(bac, ev, ac, cpi)
        etc = eac - ac
        by_both = ac + (bac - ev) / (cpi * spi) if cpi and spi else None
        return {
            "bac": bac,
            "pv": pv,
            "ev": ev,
            "ac": ac,
            "sv": ev - pv,
            "cv": ev - ac,
            "spi": spi,
            "cpi": cpi,
            "eac": eac,
            "etc": etc,
            "vac": bac - eac,
            "eac_cpi": bac / cpi if cpi else None,
            "eac_cpi_spi": by_both,
            "eac_remaining_budget": ac + bac - ev,
            "tcpi_bac": _ratio(bac - ev, bac - ac),
            "tcpi_eac": _ratio(bac - ev, etc),
        }

    def rounded(
        self, *, money_places: int = 2, ratio_places: int = RATIO_PLACES
    ) -> dict[str, Decimal | None]:
        """For display: money half-even to `money_places`, ratios half-even to `ratio_places`."""
        values = self.exact()
        result: dict[str, Decimal | None] = {}
        for name in FIGURE_LABELS:
            places = ratio_places if name in RATIO_FIGURES else money_places
            result[name] = round_half_even(values[name], places)
        return result


# -- budget, reserves and forecast: the words every page, PDF and the API use -------------------

# (key, term, how it is computed): the definition list the pages print under their figures.
BUDGET_DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    (
        "bac",
        "Budget at completion (BAC)",
        "The performance measurement baseline: the baseline cost of the tasks, spread over their"
        " baseline dates, plus the non-labour budget lines, spread over their month plans."
        " Earned value is measured against it.",
    ),
    (
        "contingency",
        "Contingency reserve",
        "For known risks; managed by the project manager. Inside the cost baseline, outside BAC.",
    ),
    ("cost_baseline", "Cost baseline", "BAC + contingency reserve."),
    (
        "management_reserve",
        "Management reserve",
        "For unknown risks; outside the cost baseline, released by the sponsor.",
    ),
    ("approved_budget", "Approved budget", "Cost baseline + management reserve."),
    (
        "ac",
        "Actual cost (AC)",
        "Spent to the status date: approved time x each person's rate on the day, costs entered"
        " on tasks nobody logged time on, and paid expenses (not committed ones).",
    ),
    (
        "eac",
        "Forecast at completion (EAC)",
        "AC + (BAC - EV) / CPI: the rest of the work at the cost efficiency so far; while CPI is"
        " not defined (nothing earned or spent yet), AC + (BAC - EV). Never below AC.",
    ),
    ("etc", "Estimate to complete (ETC)", "EAC - AC: what the rest is forecast to cost."),
    (
        "vac",
        "Variance at completion (VAC)",
        "BAC - EAC, against BAC, not against a budget that includes reserves;"
        " negative means a forecast overrun.",
    ),
)
BUDGET_TERMS = {key: term for key, term, _ in BUDGET_DEFINITIONS}


@dataclass(frozen=True)
class BudgetFigures:
    """A project's budget, reserves and forecast, from its earned value and its finance."""

    evm: EvmFigures
    contingency: Fraction = ZERO
    management_reserve: Fraction = ZERO
    budget_lines: Fraction = ZERO  # every budget line, labour included (the manager's split)
    lines_in_bac: Fraction = ZERO  # the non-labour lines, measured in BAC

    @property
    def bac(self) -> Fraction:
        return self.evm.bac

    @property
    def tasks_in_bac(self) -> Fraction:
        """The baseline cost of the tasks: labour (and whatever else the tasks carry)."""
        return self.evm.bac - self.lines_in_bac

    @property
    def cost_baseline(self) -> Fraction:
        return self.bac + self.contingency

    @property
    def approved_budget(self) -> Fraction:
        return self.cost_baseline + self.management_reserve

    def exact(self) -> dict[str, Fraction]:
        eac = self.evm.eac
        return {
            "bac": self.bac,
            "contingency": self.contingency,
            "cost_baseline": self.cost_baseline,
            "management_reserve": self.management_reserve,
            "approved_budget": self.approved_budget,
            "ac": self.evm.ac,
            "eac": eac,
            "etc": eac - self.evm.ac,
            "vac": self.bac - eac,
            "budget_lines": self.budget_lines,
            "lines_in_bac": self.lines_in_bac,
            "tasks_in_bac": self.tasks_in_bac,
        }

    def rounded(self, *, money_places: int = 2) -> dict[str, Decimal]:
        result = {}
        for name, value in self.exact().items():
            shown = round_half_even(value, money_places)
            assert shown is not None
            result[name] = shown
        return result


def budget_rows(shown: dict[str, Decimal]) -> list[dict[str, object]]:
    """The figures of `BudgetFigures.rounded()` with their terms and definitions, in order:
    what templates/resources/partials/money_figures.html prints on every page and PDF."""
    return [
        {
            "name": name,
            "term": term,
            "definition": text,
            "value": shown[name],
            "negative": name == "vac" and shown[name] < 0,
        }
        for name, term, text in BUDGET_DEFINITIONS
    ]

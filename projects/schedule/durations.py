"""Durations typed by people, as working minutes of a calendar, and back: the one rule.

* A duration is stored in whole working minutes of the calendar that measures it. A number of
  days is days x minutes_per_day, computed exactly (Fraction, never float) and rounded HALF UP
  to a whole minute, halves away from zero so a lead rounds like the same lag: 0.25 d on a
  450-minute day is 112.5 -> 113, and -0.25 d is -113.
* An hour is 60 minutes; a week is `minutes_per_week` (5 working days unless the calendar says
  otherwise); a month is 20 working days, Microsoft Project's default.
* Elapsed units (`em`, `eh`, `ed`, `ew`, `emo`) count calendar time whatever the calendar:
  1 ed = 1440 minutes, 1 ew = 10080, 1 emo = 30 ed. `Duration.elapsed` says so, so the
  scheduler lays them on the clock rather than on working time.
* Back to days: 2 decimals, half up, trailing zeros stripped (2, 0.5, 1.25).
* `format_duration` shows days whenever reading them back gives the same minutes, else exact
  hours, else minutes, so parse_duration(format_duration(m)) is m for every whole m;
  `editable_duration` is the same without the `d`, for a field labelled in days.
* MS Project XML (MSPDI) writes durations as ISO 8601 working time (`PT8H0M0S`) and lags and
  slack in tenths of a minute; they become whole minutes by the same half-up rule.
* No duration or lag is longer than `MAX_MINUTES` (a hundred years of clock time, either way):
  every parser here refuses one that is (DurationTooLong, a DurationError); plain arithmetic
  (`days_to_minutes`) stays exact at any size, and what arrives as a number (the API's minutes
  and days) is checked with `check_minutes`. So the scheduler never runs dates past the
  calendar's end, and every value fits a PostgreSQL integer column.

Pure: no Django, dataclasses in and out.
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

MINUTES_PER_HOUR = 60
TENTHS_PER_MINUTE = 10  # MSPDI's unit of lags and slack
MINUTES_PER_ELAPSED_DAY = 1440
DAYS_PER_WEEK = 5
DAYS_PER_MONTH = 20  # MS Project's default "days per month"
ELAPSED_DAYS_PER_MONTH = 30
LINK_TYPES = ("FS", "SS", "FF", "SF")
MAX_MINUTES = 100 * 365 * MINUTES_PER_ELAPSED_DAY  # 52,560,000: a hundred years of clock time

Days = Decimal | int | float | str | None

# Canonical unit -> the other spellings; an `e` in front of any of them makes it elapsed.
_ALIASES = {
    "m": ("min", "mins", "minute", "minutes"),
    "h": ("hr", "hrs", "hour", "hours"),
    "d": ("day", "days"),
    "w": ("wk", "wks", "week", "weeks"),
    "mo": ("mon", "mons", "month", "months"),
}
_CANONICAL = {alias: unit for unit, aliases in _ALIASES.items() for alias in (unit, *aliases)}
_UNIT_NAMES = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks", "mo": "months"}
_EXAMPLES = "4h, 2d, 1w, 2ed"

# re.ASCII: \d must not accept other scripts' digits, nor [a-z] the Kelvin sign.
_FLAGS = re.IGNORECASE | re.ASCII
_NUMBER = r"\d+(?:\.\d*)?|\.\d+"
# A trailing "?" is MS Project's "estimated" mark; pasted durations carry it, we drop it.
_DURATION = re.compile(rf"([+-]?)\s*({_NUMBER})\s*([a-z]*)\s*\??", _FLAGS)
_ISO_DURATION = re.compile(
    r"PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?", _FLAGS
)
_LINK = re.compile(
    r"(?P<ref>\d+(?:\.\d+)*)\s*(?P<type>FS|SS|FF|SF)?"
    r"(?:\s*(?P<sign>[+-])\s*(?P<lag>.*?)\s*(?P<percent>%)?)?",
    _FLAGS,
)


class DurationError(ValueError):
    """Text that is not a duration (or a link); the message can be shown to the user as is."""


class DurationTooLong(DurationError):
    """A duration or lag longer than MAX_MINUTES."""


@dataclass(frozen=True)
class Duration:
    minutes: int  # working minutes of the calendar, or clock minutes when elapsed
    elapsed: bool = False


@dataclass(frozen=True)
class LinkSpec:
    """A predecessor as typed in MS Project's notation (`12SS+2d`).

    `ref` is the task's row number or WBS code as typed. A percent lag (`+50%`) is a share of
    the predecessor's duration, unknown here: it is kept in `lag_percent` (negative for a
    lead) and `lag` stays zero; `lag_minutes` resolves it once that duration is known.
    """

    ref: str
    type: str = "FS"
    lag: Duration = Duration(0)
    lag_percent: Decimal | None = None

    def __post_init__(self) -> None:
        if self.type not in LINK_TYPES:
            raise ValueError(f"Link type must be one of {', '.join(LINK_TYPES)}: {self.type!r}")

    def lag_minutes(self, predecessor_minutes: int) -> int:
        """The lag in minutes; a percent lag is that share of the predecessor, half up."""
        if self.lag_percent is None:
            return self.lag.minutes
        return round_half_up(Fraction(self.lag_percent) * predecessor_minutes / 100)


def check_minutes(minutes: int) -> int:
    """`minutes` if no longer than MAX_MINUTES either way, else DurationError."""
    if abs(minutes) > MAX_MINUTES:
        raise DurationTooLong(
            f"{abs(minutes):,} minutes is longer than a hundred years "
            f"(at most {MAX_MINUTES:,} minutes)"
        )
    return minutes


def round_half_up(value: Fraction) -> int:
    """The nearest whole number, halves away from zero (symmetric for leads)."""
    whole = math.floor(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def days_to_minutes(days: Days, minutes_per_day: int) -> int:
    """Days (as typed, possibly negative) in whole minutes of a `minutes_per_day` calendar.

    None and blank text are 0. A float is read as the decimal it prints as (1.13, not
    1.12999...), so code passing floats gets the same answer as a person typing them.
    """
    if minutes_per_day < 0:
        raise ValueError(f"minutes_per_day must not be negative: {minutes_per_day}")
    return round_half_up(_exact(days) * minutes_per_day)


def minutes_to_days(minutes: int | None, minutes_per_day: int) -> Decimal:
    """Minutes as days to 2 decimals (half up), without trailing zeros: 2, 0.5, 1.25."""
    if not minutes or not minutes_per_day:
        return Decimal(0)
    return _hundredths(round_half_up(Fraction(minutes * 100, minutes_per_day)))


def parse_duration(
    text: str,
    *,
    minutes_per_day: int,
    minutes_per_week: int | None = None,
    default_unit: str = "d",
) -> Duration:
    """What people type (`3`, `0.5d`, `4 hrs`, `1w`, `2ed`, `-1d`) as a `Duration`.

    A bare number is in `default_unit` (any unit below, `ed` included). Raises DurationError
    naming the text when it is not a duration.
    """
    default = _unit(default_unit)
    if default is None:
        raise ValueError(f"Unknown default unit: {default_unit!r}")
    stripped = text.strip()
    match = _DURATION.fullmatch(stripped)
    unit = None
    if match:
        unit = _unit(match[3]) if match[3] else default
    if match is None or unit is None:
        example = f"a number of {'elapsed ' if default[1] else ''}{_UNIT_NAMES[default[0]]}"
        if not stripped:
            raise DurationError(f"Type a duration: {example}, or {_EXAMPLES}")
        raise DurationError(f"{_quote(stripped)} is not a duration: use {example}, or {_EXAMPLES}")
    name, elapsed = unit
    per_unit = _unit_minutes(name, elapsed, minutes_per_day, minutes_per_week)
    minutes = check_minutes(round_half_up(Fraction(Decimal(match[2])) * per_unit))
    return Duration(-minutes if match[1] == "-" else minutes, elapsed)


def format_duration(minutes: int, *, minutes_per_day: int, elapsed: bool = False) -> str:
    """The short form people read: `3d`, `0.5d`, `-1d`, `2ed`.

    Days (up to 2 decimals) whenever parsing them back gives the same minutes, which includes
    what was typed in days (0.25d on a 450-minute day is 113 minutes and shows as 0.25d);
    otherwise hours if exact to 2 decimals (60 minutes of an 8-hour day is `1h`, not `0.13d`);
    otherwise whole minutes (`113m`). Never weeks or months.
    """
    _check_positive(minutes_per_day)
    prefix = "e" if elapsed else ""
    per_day = MINUTES_PER_ELAPSED_DAY if elapsed else minutes_per_day
    days = minutes_to_days(minutes, per_day)
    if days_to_minutes(days, per_day) == minutes:
        return f"{days}{prefix}d"
    if minutes * 100 % MINUTES_PER_HOUR == 0:
        return f"{_hundredths(minutes * 100 // MINUTES_PER_HOUR)}{prefix}h"
    return f"{minutes}{prefix}m"


def editable_duration(minutes: int | None, *, minutes_per_day: int) -> str:
    """What a field labelled in days shows for stored minutes: the bare number of days when
    reading it back gives the same minutes (`2`, `0.25`), else the duration with its unit
    (`1h`, `113m`), so a form saved unchanged keeps its minutes."""
    text = format_duration(minutes or 0, minutes_per_day=minutes_per_day)
    return text.removesuffix("d")  # never elapsed here, so a `d` is always working days


def parse_link(text: str, *, minutes_per_day: int) -> LinkSpec:
    """MS Project's predecessor notation: `12`, `12FS`, `12SS+2d`, `3FF-1d`, `4SF+50%`.

    The type is FS when left out (also before a lag: `12+2d`); a lag without a unit is in
    days; spaces anywhere between the parts. Raises DurationError naming the text.
    """
    _check_positive(minutes_per_day)
    stripped = text.strip()
    match = _LINK.fullmatch(stripped)
    try:
        if match is None:
            raise DurationError(stripped)
        link_type = (match["type"] or "FS").upper()
        if match["sign"] is None:
            return LinkSpec(match["ref"], link_type)
        if match["percent"]:
            if not re.fullmatch(_NUMBER, match["lag"], re.ASCII):
                raise DurationError(stripped)
            percent = Decimal(match["sign"] + match["lag"])
            return LinkSpec(match["ref"], link_type, Duration(0), percent)
        lag = parse_duration(match["sign"] + match["lag"], minutes_per_day=minutes_per_day)
        return LinkSpec(match["ref"], link_type, lag)
    except DurationTooLong:
        raise
    except DurationError:
        raise DurationError(
            f"{_quote(stripped)} is not a predecessor: use a row number or WBS code, then "
            "optionally a type (FS, SS, FF, SF) and a lag, like 12, 12SS+2d, 3FF-1d or 4FS+50%"
        ) from None


def format_link(spec: LinkSpec, *, minutes_per_day: int) -> str:
    """`12` for a plain FS link, else the type and any lag: `12SS`, `12SS+2d`, `4SF+50%`."""
    lag = ""
    if spec.lag_percent is not None:
        sign = "-" if spec.lag_percent < 0 else "+"
        lag = f"{sign}{_plain(abs(spec.lag_percent))}%"
    elif spec.lag.minutes or spec.lag.elapsed:  # a zero elapsed lag is kept: it says "elapsed"
        sign = "-" if spec.lag.minutes < 0 else "+"
        lag = sign + format_duration(
            abs(spec.lag.minutes), minutes_per_day=minutes_per_day, elapsed=spec.lag.elapsed
        )
    if spec.type == "FS" and not lag:
        return spec.ref
    return f"{spec.ref}{spec.type}{lag}"


def parse_iso_duration(text: str) -> int:
    """MSPDI's working time in whole minutes, half up: `PT8H0M0S` is 480, `PT1H52M30S` 113."""
    stripped = text.strip()
    match = _ISO_DURATION.fullmatch(stripped)
    if match is None:
        raise DurationError(f"{_quote(stripped)} is not a duration such as PT8H0M0S")
    hours, minutes, seconds = (Fraction(Decimal(part or 0)) for part in match.groups())
    return check_minutes(round_half_up(hours * MINUTES_PER_HOUR + minutes + seconds / 60))


def format_iso_duration(minutes: int) -> str:
    """Whole working minutes as MSPDI writes them: 960 is `PT16H0M0S`."""
    if minutes < 0:
        raise ValueError(f"A duration cannot be negative: {minutes}")
    hours, rest = divmod(minutes, MINUTES_PER_HOUR)
    return f"PT{hours}H{rest}M0S"


def tenths_to_minutes(tenths: int) -> int:
    """MSPDI's lags and slack (tenths of a minute) in whole minutes, half up: -1125 is -113."""
    return check_minutes(round_half_up(Fraction(tenths, TENTHS_PER_MINUTE)))


def elapsed_tenths_to_minutes(tenths: int, *, minutes_per_day: int) -> int:
    """An elapsed MSPDI lag (clock time, in tenths of a minute) as working minutes: the same
    share of a working day as of a 24-hour one (2 ed on an 8-hour day is 960). Approximate,
    since the scheduler has no elapsed lags; half up like every other conversion."""
    _check_positive(minutes_per_day)
    per_elapsed_day = TENTHS_PER_MINUTE * MINUTES_PER_ELAPSED_DAY
    return check_minutes(round_half_up(Fraction(tenths * minutes_per_day, per_elapsed_day)))


def minutes_to_tenths(minutes: int) -> int:
    """Whole minutes in MSPDI's tenths of a minute (lags and slack)."""
    return minutes * TENTHS_PER_MINUTE


def _exact(days: Days) -> Fraction:
    if days is None:
        return Fraction(0)
    if isinstance(days, int):
        return Fraction(days)
    if isinstance(days, float):
        if not math.isfinite(days):
            raise DurationError(f"{_quote(repr(days))} is not a number of days")
        return Fraction(Decimal(repr(days)))
    if isinstance(days, str):
        text = days.strip()
        if not text:
            return Fraction(0)
        try:
            days = Decimal(text)
        except InvalidOperation:
            raise DurationError(f"{_quote(text)} is not a number of days") from None
    if not days.is_finite():
        raise DurationError(f"{_quote(str(days))} is not a number of days")
    return Fraction(days)


def _unit(word: str) -> tuple[str, bool] | None:
    """(canonical unit, elapsed) for a spelling, or None."""
    word = word.lower()
    if word in _CANONICAL:
        return _CANONICAL[word], False
    if word.startswith("e") and word[1:] in _CANONICAL:
        return _CANONICAL[word[1:]], True
    return None


def _unit_minutes(unit: str, elapsed: bool, per_day: int, per_week: int | None) -> int:
    _check_positive(per_day)
    if per_week is not None:
        _check_positive(per_week)
    if elapsed:
        per_day, per_week = MINUTES_PER_ELAPSED_DAY, 7 * MINUTES_PER_ELAPSED_DAY
        per_month = ELAPSED_DAYS_PER_MONTH * MINUTES_PER_ELAPSED_DAY
    else:
        per_week = DAYS_PER_WEEK * per_day if per_week is None else per_week
        per_month = DAYS_PER_MONTH * per_day
    return {"m": 1, "h": MINUTES_PER_HOUR, "d": per_day, "w": per_week, "mo": per_month}[unit]


def _check_positive(minutes: int) -> None:
    # A calendar with no working time cannot measure days; that is the caller's bug.
    if minutes <= 0:
        raise ValueError(f"Minutes per day or week must be positive: {minutes}")


def _hundredths(count: int) -> Decimal:
    """count / 100 as a plain Decimal without trailing zeros, exact at any size (no context)."""
    whole, cents = divmod(abs(count), 100)
    digits = f"{whole}.{cents:02d}".rstrip("0").rstrip(".")
    return Decimal(f"-{digits}" if count < 0 else digits)


def _plain(number: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 50, 12.5."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _quote(text: str) -> str:
    """The user's text in quotes, cut short when someone pasted a paragraph."""
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"

"""Days on which date arithmetic tends to break, for tests that read the clock: every weekday,
the ends of a month and a year, a leap day, and the nights Europe's clocks change (in Paris
time, late in the evening, so "today" there is not today in UTC).

    @pytest.mark.parametrize("moment", TRICKY_DAYS, ids=str)
    def test_something(world, moment, time_machine, settings):
        today = frozen_at(moment, time_machine, settings)
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Moment:
    at: str  # a wall-clock time in `zone`
    zone: str = "UTC"

    def instant(self) -> datetime:
        return datetime.fromisoformat(self.at).replace(tzinfo=ZoneInfo(self.zone))

    def __str__(self) -> str:
        day = self.instant()
        return f"{day:%a}-{self.at}-{self.zone}"


# Monday 4 to Sunday 10 January 2027
EVERY_WEEKDAY = [Moment(f"2027-01-{day:02d}T10:00") for day in range(4, 11)]

BOUNDARIES = [
    Moment("2026-12-31T12:00"),  # a Thursday, the last day of the year
    Moment("2027-01-31T23:30", "Europe/Paris"),  # a Sunday at a month's end; UTC is still on it
    Moment("2027-02-28T12:00"),  # the last day of February in a common year
    Moment("2028-02-29T12:00"),  # a leap day (a Tuesday)
    Moment("2027-03-28T03:30", "Europe/Paris"),  # a Sunday of 23 hours, just after 02:00 -> 03:00
    Moment("2027-10-31T02:30", "Europe/Paris"),  # a Sunday of 25 hours, inside the repeated hour
    Moment("2027-10-30T23:30", "Europe/Paris"),  # a Saturday night before the clocks go back
]

TRICKY_DAYS = EVERY_WEEKDAY + BOUNDARIES


def frozen_at(moment: Moment, time_machine, settings) -> date:
    """Stop the clock at `moment` with Django's zone set to its zone; returns the local date."""
    settings.TIME_ZONE = moment.zone
    # given in UTC, so time-machine leaves the process's TZ to Django's setting
    time_machine.move_to(moment.instant().astimezone(UTC), tick=False)
    return moment.instant().date()

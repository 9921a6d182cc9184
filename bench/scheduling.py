"""Time the scheduling engine on random networks: `python -m bench.scheduling`.

Networks of 1,000 / 10,000 / 100,000 tasks with about 2.5 links per task (mostly FS, some SS,
FF and SF, some leads and lags), a few constraints and a deadline, on the standard calendar with
holidays. Prints the median seconds of a full schedule (forward and backward pass, floats,
critical path) per size. Pure Python: no database, no Django.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta

from projects.calendars.timeline import CalendarException, WorkingCalendar
from projects.schedule.engine import schedule
from projects.schedule.network import (
    Constraint,
    LinkType,
    ScheduleInput,
    ScheduleLink,
    ScheduleTask,
)

SIZES = (1_000, 10_000, 100_000)
LINKS_PER_TASK = 2.5
DAY = 480  # working minutes in a standard day
START = datetime(2025, 1, 6, 8, 0)
LINK_TYPES = (LinkType.FS,) * 7 + (LinkType.SS, LinkType.FF, LinkType.SF)


def _calendar() -> WorkingCalendar:
    holidays = [
        CalendarException.holiday(date(year, month, day))
        for year in range(2025, 2035)
        for month, day in ((1, 1), (5, 1), (12, 25), (12, 26))
    ]
    return WorkingCalendar.standard(holidays)


def _task(index: int, rng: random.Random) -> ScheduleTask:
    roll = rng.random()
    if roll < 0.01:
        return ScheduleTask(
            id=index,
            duration=rng.randint(1, 10) * DAY,
            constraint=Constraint.SNET,
            constraint_date=START + timedelta(days=rng.randint(0, 200)),
        )
    if roll < 0.015:
        return ScheduleTask(
            id=index,
            duration=rng.randint(1, 10) * DAY,
            constraint=Constraint.FNLT,
            constraint_date=START + timedelta(days=rng.randint(100, 400)),
        )
    milestone = roll > 0.97
    return ScheduleTask(id=index, duration=0 if milestone else rng.randint(1, 20) * DAY)


def network(size: int, seed: int = 7) -> ScheduleInput:
    """A random acyclic network: links only go from a lower to a higher id, mostly nearby."""
    rng = random.Random(seed)
    tasks = [_task(index, rng) for index in range(size)]
    links = []
    for _ in range(int(size * LINKS_PER_TASK)):
        successor = rng.randrange(1, size)
        predecessor = max(0, successor - rng.randint(1, 50))
        lag = rng.choice((0, 0, 0, 0, DAY, 2 * DAY, -DAY))
        links.append(ScheduleLink(predecessor, successor, rng.choice(LINK_TYPES), lag))
    return ScheduleInput(tasks=tasks, links=links, project_start=START, calendar=_calendar())


def measure(size: int, repeats: int) -> float:
    data = network(size)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        schedule(data)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    print(f"{'tasks':>8} {'links':>8} {'median s':>9}")
    for size in SIZES:
        seconds = measure(size, repeats=5 if size < 100_000 else 3)
        print(f"{size:>8} {int(size * LINKS_PER_TASK):>8} {seconds:>9.3f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

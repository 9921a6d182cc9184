"""The big organisation's waterfall plan (bench.bigorg): an outline, its links, time and money.

Phases of work packages of leaf tasks, the last leaf of each package a milestone. Inside a
package the leaves follow each other and some leaves also wait for earlier ones of the package;
each phase runs its packages in a few parallel streams, and each phase starts after the first
package of the one before. Links only ever point from an earlier leaf to a later one, so there
is no loop however many are drawn. Scheduled once by the real scheduler, then baselined, with
costs, progress up to today and approved time from the team.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

STREAMS = 4  # packages of a phase run in this many parallel streams
DURATIONS = (240, 480, 480, 960)  # working minutes of a leaf: half a day to two days


@dataclass(frozen=True)
class PlanShape:
    phases: int
    packages: int  # per phase
    leaves: int  # per package, the last one a milestone
    links: int  # wanted in all; capped by what the packages can hold

    @property
    def tasks(self) -> int:
        return self.phases * (1 + self.packages * (1 + self.leaves))

    def fixed_links(self) -> int:
        """The chain inside each package, the streams inside each phase, the phase stagger."""
        chain = self.phases * self.packages * (self.leaves - 1)
        streams = self.phases * max(0, self.packages - STREAMS)
        stagger = (self.phases - 1) * min(STREAMS, self.packages)
        return chain + streams + stagger

    def link_count(self) -> int:
        # Extra links join two leaves of one package at least two apart (the chain has the rest).
        room = self.phases * self.packages * (self.leaves - 1) * (self.leaves - 2) // 2
        return self.fixed_links() + max(0, min(self.links - self.fixed_links(), room))


def _leaf_rows(shape: PlanShape) -> list[tuple[int, int, int]]:
    """(phase, package, leaf) of every leaf in outline order."""
    return [
        (phase, package, leaf)
        for phase in range(shape.phases)
        for package in range(shape.packages)
        for leaf in range(shape.leaves)
    ]


def link_pairs(shape: PlanShape, rng: random.Random) -> list[tuple[int, int, str, int]]:
    """(predecessor leaf index, successor leaf index, type, lag minutes), exactly link_count()."""
    per_package = shape.leaves
    per_phase = shape.packages * per_package

    def first(phase: int, package: int) -> int:
        return phase * per_phase + package * per_package

    pairs: set[tuple[int, int]] = set()
    links: list[tuple[int, int, str, int]] = []
    for phase in range(shape.phases):
        for package in range(shape.packages):
            start = first(phase, package)
            for leaf in range(1, per_package):
                pairs.add((start + leaf - 1, start + leaf))
                links.append((start + leaf - 1, start + leaf, "FS", 0))
            if package >= STREAMS:  # the stream's previous package finishes first
                before = first(phase, package - STREAMS) + per_package - 1
                pairs.add((before, start))
                links.append((before, start, "FS", 0))
            if phase and package < STREAMS:  # after the previous phase's first package
                before = first(phase - 1, 0) + per_package - 1
                pairs.add((before, start))
                links.append((before, start, "FS", 0))
    extra = shape.link_count() - len(links)
    packages = [(ph, pk) for ph in range(shape.phases) for pk in range(shape.packages)]
    turn = 0
    while extra > 0:
        phase, package = packages[turn % len(packages)]
        turn += 1
        start = first(phase, package)
        candidates = [
            (start + a, start + b)
            for b in range(2, per_package)
            for a in range(b - 1)
            if (start + a, start + b) not in pairs
        ]
        if not candidates:
            continue
        before, after = rng.choice(candidates)
        pairs.add((before, after))
        kind, lag = rng.choice((("FS", 0), ("FS", 0), ("FS", 480), ("SS", 240), ("FF", 0)))
        links.append((before, after, kind, lag))
        extra -= 1
    return links


def build_plan(project: Any, shape: PlanShape, rng: random.Random) -> list[Any]:
    """The outline and its links, renumbered and scheduled once; returns the leaves in order."""
    from projects.models import Dependency, Task
    from projects.schedule import services as schedule_services
    from tpm.db_statistics import refresh_statistics

    phases = Task.objects.bulk_create(
        Task(project=project, name=f"Phase {n + 1}", position=n) for n in range(shape.phases)
    )
    packages = Task.objects.bulk_create(
        (
            Task(
                project=project,
                parent=phase,
                position=n,
                name=f"{phase.name}: work package {n + 1}",
            )
            for phase in phases
            for n in range(shape.packages)
        ),
        batch_size=1000,
    )
    leaves = []
    for package in packages:
        for n in range(shape.leaves):
            milestone = n == shape.leaves - 1
            leaves.append(
                Task(
                    project=project,
                    parent=package,
                    position=n,
                    name=f"{package.name} done" if milestone else f"{package.name}, step {n + 1}",
                    is_milestone=milestone,
                    duration_minutes=0 if milestone else rng.choice(DURATIONS),
                    task_type="task",
                )
            )
    leaves = Task.objects.bulk_create(leaves, batch_size=1000)
    Dependency.objects.bulk_create(
        (
            Dependency(
                predecessor=leaves[before], successor=leaves[after], type=kind, lag_minutes=lag
            )
            for before, after, kind, lag in link_pairs(shape, rng)
        ),
        batch_size=2000,
    )
    refresh_statistics(Task, Dependency)  # as the imports do after a bulk load
    schedule_services.renumber(project)
    schedule_services.project_reschedule(project=project)
    return list(
        Task.objects.filter(project=project, is_summary=False).order_by("outline_key", "pk")
    )


def progress_and_money(
    project: Any, manager: Any, team: list[Any], entries: int, today: date, rng: random.Random
) -> None:
    """Costs and a baseline, progress up to today, and `entries` approved time entries from the
    team (people with a resource and a rate) on the tasks that have started."""
    from django.db.models import F

    from projects.baselines import services as baseline_services
    from projects.models import Task
    from projects.schedule import services as schedule_services
    from resources.models import BudgetLine, BudgetLinePlan, Expense, ProjectFinance, TimeEntry

    work = Task.objects.filter(project=project, is_summary=False, is_milestone=False)
    work.update(cost=Decimal(1200), effort_hours=Decimal(16))
    baseline_services.baseline_save(project=project, actor=manager, name="Approved plan")
    # Progress as reported on `today` against the plan as first scheduled (no status date yet),
    # then the status date set and the plan rescheduled around it, as a manager would.
    leaves = Task.objects.filter(project=project, is_summary=False)
    leaves.filter(finish__date__lt=today).update(
        percent_complete=100, status="completed", actual_start=F("start"), actual_finish=F("finish")
    )
    leaves.filter(start__date__lte=today, finish__date__gte=today).update(
        percent_complete=50, status="in_progress", actual_start=F("start")
    )
    project.status_date = today
    project.save(update_fields=["status_date"])
    schedule_services.project_reschedule(project=project)
    started = list(
        Task.objects.filter(
            project=project, is_summary=False, is_milestone=False, start__date__lte=today
        )
        .order_by("outline_key")
        .values_list("pk", "start")
    )
    rows = []
    if started:
        # One (person, task) pair per entry block, days counted on from the task's start: every
        # entry is a distinct cell of someone's week, and none is in the future.
        for n in range(entries):
            task_id, start = started[n % len(started)]
            assert start is not None  # scheduled
            person = team[(n // len(started)) % len(team)]
            offset = n // (len(started) * len(team))
            # forward from the start while that is not in the future, else backward: distinct
            day = start.date() + timedelta(days=offset)
            if day > today:
                day = start.date() - timedelta(days=offset)
            rows.append(
                TimeEntry(
                    task_id=task_id,
                    user_id=person.user_id,
                    resource=person,
                    date=day,
                    hours=Decimal(rng.choice((2, 4, 6, 8))),
                    status="approved",
                    approved_by=manager,
                )
            )
    TimeEntry.objects.bulk_create(rows, batch_size=5000)
    ProjectFinance.objects.update_or_create(
        project=project,
        defaults={"contingency": Decimal(250_000), "management_reserve": Decimal(100_000)},
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            category=category,
            name=name,
            amount=Decimal(amount),
            currency=project.currency,
        )
        for category, name, amount in (
            ("labour", "Delivery team", 5_500_000),
            ("hardware", "Test rigs", 400_000),
            ("software", "Licences", 150_000),
            ("travel", "Site visits", 60_000),
        )
    )
    first = today.replace(day=1)
    BudgetLinePlan.objects.bulk_create(
        BudgetLinePlan(line=line, month=_month(first, n), amount=line.amount / 12)
        for line in lines
        for n in range(-6, 6)
    )
    Expense.objects.bulk_create(
        Expense(
            project=project,
            budget_line=lines[1 + n % 3],
            vendor=f"Vendor {n % 7}",
            amount=Decimal(1_000 + 250 * (n % 9)),
            date=today - timedelta(days=3 * n),
            currency=project.currency,
            status=("paid", "committed")[n % 2],
            created_by=manager,
        )
        for n in range(60)
    )


def _month(first: date, shift: int) -> date:
    months = first.year * 12 + first.month - 1 + shift
    return date(months // 12, months % 12 + 1, 1)

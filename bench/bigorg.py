"""The standard big organisation: `make bench-data` (`python -m bench.bigorg [--scale S]`).

Builds, in the database of DATABASE_URL (default: PostgreSQL, database linchpin_bench, created if
missing and migrated), one organisation "Big" with bulk inserts, wiping the previous one first
(every row of the apps' tables: the database is the benchmark's own):

* 200 projects; one waterfall plan of 5,010 tasks (an outline of phases and work packages) with
  12,081 links, scheduled once by the real scheduler, baselined, with costs, budget lines,
  expenses and 50,000 approved time entries; a 3,000-card agile board (bench.board's builder);
* 300 people in the resource pool with rates, time off and allocations, and 24,500 assignments
  over 26 weeks; one person (member@big.example) with 545 open tasks across 20 projects;
* risks and RAID entries on every project, money on every other one (bench.reports' builder),
  and a draft status report of the big plan (its PDF renders on every request).

Sign in as admin@, tpm@ (manager of every project), member@ (the 545 tasks) or viewer@
big.example with the password PASSWORD. `--scale` shrinks every count (the tests build 1 %).
"""

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import django

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/linchpin_bench"
if __name__ == "__main__":  # imported by the tests: their database stays
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.bigplan import PlanShape, build_plan, progress_and_money  # noqa: E402
from bench.bigrest import pool_extras, risks_and_raid  # noqa: E402

PASSWORD = "big-organisation-bench-2027"
DOMAIN = "big.example"
SLUG = "big"
WEEKS = 26
APPS = ("tpm", "projects", "resources", "risks", "reports")


@dataclass(frozen=True)
class Sizes:
    projects: int
    plan: PlanShape
    entries: int
    cards: int
    people: int
    assignments: int
    my_tasks: int
    my_projects: int
    tasks_per_project: int  # on each project other than the plan and the board
    risks_per_project: int

    @classmethod
    def at(cls, scale: float = 1.0) -> "Sizes":
        def n(full: int, least: int = 1) -> int:
            return max(least, round(full * scale))

        my_projects, tasks_per_project = n(20), n(101, 5)
        return cls(
            projects=max(n(200, 4), my_projects + 2),
            plan=PlanShape(phases=n(10), packages=n(20, 2), leaves=n(24, 4), links=n(12_081)),
            entries=n(50_000),
            cards=n(3_000, 8),
            people=n(300, 6),
            assignments=n(24_500),
            my_tasks=min(n(545), my_projects * tasks_per_project),
            my_projects=my_projects,
            tasks_per_project=tasks_per_project,
            risks_per_project=n(5),
        )

    def others(self) -> int:
        """Projects other than the plan and the board."""
        return self.projects - 2

    def assignment_count(self) -> int:
        leaves = self.plan.phases * self.plan.packages * (self.plan.leaves - 1)  # no milestones
        return min(self.assignments, leaves + self.others() * self.tasks_per_project)


@dataclass
class Big:
    organisation: Any
    admin: Any
    tpm: Any
    member: Any
    viewer: Any
    plan: Any
    board: Any
    others: list[Any]
    pool: list[Any]
    laps: list[tuple[str, float]] = field(default_factory=list)


def _user_rows(sizes: Sizes) -> list[Any]:
    from django.contrib.auth.hashers import make_password

    from tpm.models import User

    password = make_password(PASSWORD)  # hashed once, shared by every bench user
    known = [("admin", "Ada Admin"), ("tpm", "Tom Manager"), ("member", "Mia Member")]
    known.append(("viewer", "Vic Viewer"))
    rows = [
        User(email=f"{name}@{DOMAIN}", full_name=full, password=password) for name, full in known
    ]
    rows += [
        User(email=f"person{n:03d}@{DOMAIN}", full_name=f"Person {n:03d}", password=password)
        for n in range(1, sizes.people)
    ]
    return User.objects.bulk_create(rows, batch_size=1000)


def _organisation(sizes: Sizes, today: date) -> Big:
    from projects.agile.services import workflow as workflow_services
    from projects.models import Project
    from resources.models import Resource
    from tpm.models import Membership, Organisation
    from tpm.signals import organisation_created

    organisation = Organisation.objects.create(name="Big", slug=SLUG)
    users = _user_rows(sizes)
    admin, tpm, member, viewer = users[:4]
    organisation_created.send(sender=Organisation, organisation=organisation, actor=admin)
    Membership.objects.bulk_create(
        Membership(
            organisation=organisation, user=user, role="admin" if user is admin else "member"
        )
        for user in users
    )
    start = _monday(today) - timedelta(weeks=20)
    specs = [("PLAN", "Big waterfall plan", "waterfall", start)]
    specs.append(("BOARD", "Big agile board", "agile", _monday(today) - timedelta(weeks=8)))
    specs += [
        (f"P{n:03d}", f"Project {n:03d}", ("hybrid", "waterfall", "agile")[n % 3], start)
        for n in range(1, sizes.others() + 1)
    ]
    projects = Project.objects.bulk_create(
        Project(
            organisation=organisation,
            key=key,
            name=name,
            methodology=methodology,
            status="active",
            start_date=begins,
            target_date=begins + timedelta(weeks=72),
            # the plan's comes with its progress (bench.bigplan)
            status_date=None if key == "PLAN" else today,
            created_by=admin,
        )
        for key, name, methodology, begins in specs
    )
    for project in projects:
        workflow_services.ensure_workflow(project)  # as project_create does
    # The pool: member@ is its first person; the other known users are not in it.
    people = [member, *users[4:]]
    pool = Resource.objects.bulk_create(
        Resource(
            organisation=organisation,
            user=user,
            name=user.full_name,
            email=user.email,
            unit_cost=Decimal(60 + n % 5 * 15),
        )
        for n, user in enumerate(people)
    )
    return Big(
        organisation, admin, tpm, member, viewer, projects[0], projects[1], projects[2:], pool
    )


def _memberships(big: Big, sizes: Sizes) -> None:
    from projects.models import ProjectMembership

    rows = [
        ProjectMembership(project=project, user=big.tpm, role="manager")
        for project in [big.plan, big.board, *big.others]
    ]
    for project in (big.plan, big.board):
        rows.append(ProjectMembership(project=project, user=big.viewer, role="viewer"))
    rows += [
        ProjectMembership(project=project, user=big.member, role="member")
        for project in [big.plan, big.board, *big.others[: sizes.my_projects]]
    ]
    team = _plan_team(big)
    rows += [
        ProjectMembership(project=big.plan, user_id=person.user_id, role="member")
        for person in team
        if person.user_id != big.member.pk
    ]
    for n, project in enumerate(big.others):
        members = {big.pool[(n * 5 + k) % len(big.pool)].user_id for k in range(5)}
        members.discard(big.member.pk)
        if n >= sizes.my_projects:
            rows += [ProjectMembership(project=project, user_id=u, role="member") for u in members]
    ProjectMembership.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def _plan_team(big: Big) -> list[Any]:
    """Forty of the pool (not member@, whose open tasks are counted elsewhere)."""
    return big.pool[1:41]


def _rates_and_time_off(big: Big, today: date) -> None:
    from resources.models import Allocation, CostRate, TimeOff

    CostRate.objects.bulk_create(
        CostRate(
            organisation=big.organisation,
            resource=person,
            effective_from=date(2020, 1, 1),
            hourly_rate=person.unit_cost,
            currency="USD",
            created_by=big.admin,
        )
        for person in big.pool
    )
    monday = _monday(today)
    TimeOff.objects.bulk_create(
        TimeOff(
            resource=person,
            start_date=monday + timedelta(weeks=n % WEEKS),
            end_date=monday + timedelta(weeks=n % WEEKS, days=4),
            reason="Holiday",
        )
        for n, person in enumerate(big.pool)
    )
    projects = [big.plan, big.board, *big.others]
    Allocation.objects.bulk_create(
        Allocation(
            project=projects[(n * 7 + k) % len(projects)],
            resource=person,
            start_date=monday - timedelta(weeks=2),
            end_date=monday + timedelta(weeks=WEEKS),
            percent=50,
        )
        for n, person in enumerate(big.pool)
        for k in range(2)
    )


def _other_tasks(big: Big, sizes: Sizes, today: date, rng: random.Random) -> list[Any]:
    """Each other project's flat list of tasks with stored dates in the workload window; the
    first `my_tasks` open ones of the first `my_projects` projects go to member@."""
    from projects.models import Task

    zone = timezone.get_current_timezone()
    monday = _monday(today)
    rows = []
    for project in big.others:
        for n in range(sizes.tasks_per_project):
            begins = monday + timedelta(days=rng.randint(-14, 7 * WEEKS))
            ends = begins + timedelta(days=rng.randint(0, 41))
            milestone = n % 10 == 9
            rows.append(
                Task(
                    project=project,
                    name=f"{project.key} task {n + 1}",
                    position=n,
                    wbs_code=str(n + 1),
                    outline_key=f"{n + 1:05d}",
                    is_milestone=milestone,
                    duration_minutes=0
                    if milestone
                    else 480 * max(1, (ends - begins).days * 5 // 7),
                    start=datetime.combine(begins, datetime.min.time(), zone).replace(hour=8),
                    finish=datetime.combine(
                        begins if milestone else ends, datetime.min.time(), zone
                    ).replace(hour=17),
                    deadline=ends if n % 4 == 0 else None,
                    percent_complete=50 if begins <= today else 0,
                    status="in_progress" if begins <= today else "not_started",
                    story_points=(n % 8) + 1,
                )
            )
    return Task.objects.bulk_create(rows, batch_size=2000)


def _assignments(big: Big, sizes: Sizes, plan_leaves: list[Any], others: list[Any]) -> None:
    """Pool assignments: each leaf of the plan to one of its team, then the other projects'
    tasks in turn to the pool; the users of those people as the tasks' assignees; member@'s
    open tasks."""
    from projects.models import Task
    from resources.models import Assignment

    team = _plan_team(big)
    chosen: list[tuple[Any, Any]] = [
        (task, team[n % len(team)])
        for n, task in enumerate(t for t in plan_leaves if not t.is_milestone)
    ]
    pool = big.pool[1:] or big.pool  # member@'s tasks are theirs alone (below)
    chosen += [(task, pool[n % len(pool)]) for n, task in enumerate(others)]
    chosen = chosen[: sizes.assignment_count()]
    Assignment.objects.bulk_create(
        (
            Assignment(
                task=task, resource=person, units=Decimal(100), work_hours=Decimal(8 * (1 + n % 5))
            )
            for n, (task, person) in enumerate(chosen)
        ),
        batch_size=2000,
    )
    mine = [
        task
        for task in others
        if task.project_id in {p.pk for p in big.others[: sizes.my_projects]}
    ][: sizes.my_tasks]
    through = Task.assignees.through
    taken = {task.pk for task in mine}
    rows = [through(task_id=task.pk, user_id=big.member.pk) for task in mine]
    rows += [
        through(task_id=task.pk, user_id=person.user_id)
        for task, person in chosen
        if task.pk not in taken and person.user_id
    ]
    through.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    Task.objects.filter(pk__in=taken).update(status="in_progress", percent_complete=20)


def _other_money(big: Big, others: list[Any]) -> None:
    """bench.reports' money on every other project (a budget, time, expenses; some baselines)."""
    from bench.reports import _money

    by_project: dict[int, list[Any]] = {}
    for task in others:
        by_project.setdefault(task.project_id, []).append(task)
    person = big.pool[-1]
    for n, project in enumerate(big.others):
        if n % 2 == 0 and by_project.get(project.pk):
            _money(project, by_project[project.pk], person, with_baseline=n % 4 == 0)


def _notifications(big: Big, sizes: Sizes) -> None:
    from tpm.models import Notification

    Notification.objects.bulk_create(
        Notification(
            recipient=big.member,
            organisation=big.organisation,
            kind="assigned",
            title=f"You were assigned task {n}",
            dedupe_key=f"bench-big:{n}",
        )
        for n in range(max(1, sizes.my_tasks // 10))
    )


def build(sizes: Sizes, today: date | None = None) -> Big:
    """The big organisation in the current database (which holds no other "Big")."""
    from bench import board as board_bench
    from projects.models import ProjectMembership
    from reports import services as report_services

    today = today or timezone.localdate()
    rng = random.Random(14)
    clock = _Clock()
    big = _organisation(sizes, today)
    _memberships(big, sizes)
    _rates_and_time_off(big, today)
    pool_extras(big, today)
    clock.lap("organisation, people, projects")
    plan_leaves = build_plan(big.plan, sizes.plan, rng)
    clock.lap("plan built and scheduled")
    progress_and_money(big.plan, big.tpm, _plan_team(big), sizes.entries, today, rng)
    clock.lap("plan baseline, progress, rescheduled, time, money")
    board_people = big.pool[1:6]
    ProjectMembership.objects.bulk_create(
        (
            ProjectMembership(project=big.board, user_id=p.user_id, role="member")
            for p in board_people
        ),
        ignore_conflicts=True,
    )
    board_users = [person.user for person in board_people]
    board_bench.build(sizes.cards, project=big.board, people=board_users, spread=True)
    clock.lap("board built and scheduled")
    others = _other_tasks(big, sizes, today, rng)
    _assignments(big, sizes, plan_leaves, others)
    _other_money(big, others)
    risks_and_raid(big, sizes, today)
    _notifications(big, sizes)
    clock.lap("other projects, assignments, money, risks")
    report_services.report_create(project=big.plan, actor=big.tpm, summary="Bench report")
    clock.lap("draft status report")
    big.laps = clock.laps
    return big


class _Clock:
    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self.started = time.perf_counter()

    def lap(self, label: str) -> None:
        now = time.perf_counter()
        self.laps.append((label, now - self.started))
        self.started = now


def counts(organisation: Any) -> dict[str, int]:
    """What the organisation holds, for the printout and the tests."""
    from projects.models import Dependency, Project, Task
    from resources.models import Assignment, Resource, TimeEntry
    from risks.models import Risk

    in_org = {"project__organisation": organisation}
    plan = Project.objects.get(organisation=organisation, key="PLAN")
    board = Project.objects.get(organisation=organisation, key="BOARD")
    member = Task.assignees.through.objects.filter(
        user__email=f"member@{DOMAIN}", task__status__in=("not_started", "in_progress")
    )
    return {
        "projects": Project.objects.filter(organisation=organisation).count(),
        "tasks": Task.objects.filter(**in_org).count(),
        "plan tasks": Task.objects.filter(project=plan).count(),
        "plan links": Dependency.objects.filter(successor__project=plan).count(),
        "plan entries": TimeEntry.objects.filter(task__project=plan).count(),
        "board cards": Task.objects.filter(project=board).count(),
        "member's open": member.filter(task__project__organisation=organisation).count(),
        "links": Dependency.objects.filter(successor__project__organisation=organisation).count(),
        "time entries": TimeEntry.objects.filter(task__project__organisation=organisation).count(),
        "people": Resource.objects.filter(organisation=organisation).count(),
        "assignments": Assignment.objects.filter(resource__organisation=organisation).count(),
        "risks": Risk.objects.filter(**in_org).count(),
    }


def wipe() -> None:
    """Empty every table of the apps (and the sessions): the database is the benchmark's own."""
    from django.apps import apps

    tables = [
        model._meta.db_table
        for name in APPS
        for model in apps.get_app_config(name).get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]
    tables.append("django_session")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(_quoted(t) for t in tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {_quoted(table)}")


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def ensure_database() -> None:
    """Create the PostgreSQL database of DATABASE_URL if it is missing."""
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    # Django's own way in when the database may not exist: a cursor on the "postgres" one.
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {_quoted(name)}")
            print(f"created database {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every count (0-1]")
    parser.add_argument(
        "--any-database", action="store_true", help="wipe a database not named *bench* too"
    )
    args = parser.parse_args()
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and not args.any_database:
        # every table of the apps is emptied first: never someone's real data by a stray URL
        parser.error(f"{name} is not a benchmark database (no 'bench' in its name)")
    from django.core.management import call_command
    from django.db import transaction

    started = time.perf_counter()
    ensure_database()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    sizes = Sizes.at(args.scale)
    with transaction.atomic():
        wipe()
        big = build(sizes)
    from projects.models import Dependency, Task
    from resources.models import Assignment, TimeEntry
    from tpm.db_statistics import refresh_statistics

    refresh_statistics(Task, Dependency, TimeEntry, Assignment)
    # what the beat job does within a minute of any change in production: without it the
    # portfolio and dashboards would measure the live fallback, not the stored figures
    from django.utils import timezone

    from reports.sources import cost

    stored = cost.refresh_all(today=timezone.localdate())
    print(f"  cost figures stored for {stored} projects")
    seconds = time.perf_counter() - migrated
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for label, lap in big.laps:
        print(f"  {label:<52}{lap:>6.1f} s")
    for label, value in counts(big.organisation).items():
        print(f"  {label:<16}{value:>9,}")
    print(f"  plan {big.plan.pk} ({sizes.plan.tasks:,} tasks), board {big.board.pk}")
    print(f"  sign in as admin@, tpm@, member@, viewer@{DOMAIN} with {PASSWORD}")
    print(f"built in {seconds:.0f} s (migrate {migrated - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

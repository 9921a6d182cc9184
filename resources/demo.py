"""The resources part of `manage.py seed_demo`: a pool of 25 people with roles, skills, rates
(one raise) and time off; allocations that over-book two people; the plans' tasks assigned and
costed; weeks of approved timesheets; budget lines planned by month, reserves and expenses.

Runs after the plans are seeded (and before later seeds that re-baseline): it gives each leaf
task a planned cost (its assignee's share of their working days x their rate) and prices the
rows of the projects' existing baselines the same way, so earned value has a budget from the
start. Idempotent: an organisation that already has a pool is left as it is. Fast: bulk inserts
for assignments and time entries, then one actual-cost refresh per project (the same service
an approval calls).
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from projects.models import BaselineTask, Project, Task
from projects.schedule import services as schedule_services
from resources.budgets import services as budget_services
from resources.models import Assignment, Resource, TimeEntry, TimeEntryStatus
from resources.pool.services import allocations as allocation_services
from resources.pool.services import people as pool_services
from resources.pool.services import rates as rate_services
from resources.timesheets import services as time_services
from tpm.demo import DemoPeople
from tpm.models import Organisation, User

DAY_HOURS = Decimal(8)
QUARTER = Decimal("0.25")
CENT = Decimal("0.01")
RATE_CHANGE_DAYS_AGO = 45  # Sam Okafor's raise
# How much more (or less) time the work really takes than planned: PAY runs over, MOB to plan.
# PAY runs over its cost plan (CPI amber): more hours than planned, and a contractor top-up
EFFORT_FACTOR = {"PAY": Decimal("1.10"), "MOB": Decimal("0.98")}

ROLES = {  # role: default hourly rate (EUR)
    "Engineering manager": 110,
    "Backend engineer": 95,
    "Frontend engineer": 90,
    "Mobile engineer": 92,
    "QA engineer": 75,
    "Site reliability engineer": 100,
    "Data engineer": 95,
    "Product designer": 85,
    "Security engineer": 115,
}
SKILLS = ("Python", "Go", "Kotlin", "Swift", "React", "Terraform", "PCI DSS", "PostgreSQL", "Figma")

# (name, role, skills, hours per day, own rate or None) for people without an account.
CONTRACTORS = [
    ("Aisha Karimi", "Backend engineer", ("Go", "PostgreSQL"), 8, None),
    ("Bruno Costa", "Backend engineer", ("Python",), 8, 105),
    ("Chen Wei", "Data engineer", ("Python", "PostgreSQL"), 8, None),
    ("Dara O'Neill", "Frontend engineer", ("React",), 8, None),
    ("Elif Demir", "Mobile engineer", ("Kotlin",), 8, None),
    ("Femi Adeyemi", "Mobile engineer", ("Swift",), 8, 98),
    ("Greta Lund", "QA engineer", (), 6, None),
    ("Hiro Tanaka", "Site reliability engineer", ("Terraform", "Go"), 8, None),
    ("Ines Moreau", "Product designer", ("Figma",), 8, None),
    ("Jonas Berg", "Security engineer", ("PCI DSS",), 8, 125),
    ("Kavya Rao", "Data engineer", ("Python",), 8, None),
    ("Luca Bianchi", "Site reliability engineer", ("Terraform",), 8, None),
    ("Maya Cohen", "Frontend engineer", ("React", "Figma"), 6, None),
    ("Nils Ekström", "Backend engineer", ("Go",), 8, None),
    ("Olu Bello", "QA engineer", (), 8, None),
    ("Backend engineer #2 (to hire)", "Backend engineer", (), 8, None),
    ("Mobile engineer #2 (to hire)", "Mobile engineer", (), 8, None),
    ("Load-test rig", None, (), 8, None),  # equipment
    ("Payment HSM lease", None, (), 8, None),  # equipment
]
# The demo users' roles and own rates (engineers first, as tpm.demo lists them).
USER_ROLES = [
    ("Backend engineer", ("Python", "Go", "PCI DSS"), 92),  # Sam Okafor: raise to 98 below
    ("Mobile engineer", ("Kotlin", "Swift"), 95),  # Lena Fischer
    ("QA engineer", ("Python",), 78),  # Diego Ramos
    ("Site reliability engineer", ("Terraform", "Go"), 102),  # Hana Sato
]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _quarter(value: Decimal) -> Decimal:
    return (value / QUARTER).quantize(Decimal(1), rounding=ROUND_HALF_UP) * QUARTER


def _working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _pool(organisation: Organisation, people: DemoPeople, today: date) -> dict[int, Resource]:
    """Roles, skills, 25 resources with rates and time off; returns user id -> resource."""
    admin = people.admin
    roles = {
        name: pool_services.role_create(organisation=organisation, actor=admin, name=name)
        for name in ROLES
    }
    skills = {
        name: pool_services.skill_create(organisation=organisation, actor=admin, name=name)
        for name in SKILLS
    }
    long_ago = today - timedelta(days=400)
    for name, rate in ROLES.items():
        rate_services.rate_create(
            organisation=organisation,
            actor=admin,
            role=roles[name],
            effective_from=long_ago,
            hourly_rate=Decimal(rate),
            currency="EUR",
        )
    by_user: dict[int, Resource] = {}
    staff = list(zip(people.engineers, USER_ROLES, strict=True))
    staff += [(people.manager, ("Engineering manager", (), 110))]
    staff += [(people.second_manager, ("Engineering manager", (), 108))]
    for user, (role, skill_names, rate) in staff:
        resource = pool_services.resource_create(
            organisation=organisation,
            actor=admin,
            name=user.full_name,
            user=user,
            role=roles[role],
            skills=[skills[s] for s in skill_names],
        )
        rate_services.rate_create(
            organisation=organisation,
            actor=admin,
            resource=resource,
            effective_from=long_ago,
            hourly_rate=Decimal(rate),
            currency="EUR",
        )
        by_user[user.pk] = resource
    sam = by_user[people.engineers[0].pk]
    rate_services.rate_create(  # a raise: time from this day on costs the new rate
        organisation=organisation,
        actor=admin,
        resource=sam,
        effective_from=today - timedelta(days=RATE_CHANGE_DAYS_AGO),
        hourly_rate=Decimal(98),
        currency="EUR",
    )
    for name, kind_of_work, wanted, hours, own_rate in CONTRACTORS:
        fields: dict[str, Any] = {"hours_per_day": Decimal(hours)}
        if kind_of_work is None:
            fields |= {"kind": "equipment", "unit_cost": Decimal(450), "unit_label": "week"}
        else:
            fields |= {"role": roles[kind_of_work], "skills": [skills[s] for s in wanted]}
        resource = pool_services.resource_create(
            organisation=organisation, actor=admin, name=name, **fields
        )
        if own_rate is not None:
            rate_services.rate_create(
                organisation=organisation,
                actor=admin,
                resource=resource,
                effective_from=long_ago,
                hourly_rate=Decimal(own_rate),
                currency="EUR",
            )
    _time_off(by_user, people, today)
    return by_user


def _time_off(by_user: dict[int, Resource], people: DemoPeople, today: date) -> None:
    monday = today - timedelta(days=today.weekday())
    plans = [
        (people.engineers[1], monday + timedelta(weeks=3), 10, None, "Summer holiday"),
        (people.engineers[0], monday - timedelta(weeks=3), 2, None, "Moving house"),
        (people.engineers[2], monday + timedelta(weeks=1), 5, Decimal(4), "Part-time: course"),
        (people.engineers[3], monday + timedelta(weeks=6), 5, None, "Conference"),
        (people.manager, monday + timedelta(weeks=8), 5, None, "Holiday"),
    ]
    for user, first, days, hours, reason in plans:
        pool_services.time_off_create(
            resource=by_user[user.pk],
            actor=people.admin,
            start_date=first,
            end_date=first + timedelta(days=days - 1),
            hours_per_day=hours,
            reason=reason,
        )


def _allocate(
    projects: dict[str, Project], by_user: dict[int, Resource], people: DemoPeople
) -> None:
    """Each engineer on the running projects; Sam and Hana over-booked (140 % and 150 %)."""
    plans = [
        ("PAY", people.engineers[0], 80),
        ("MOB", people.engineers[0], 60),  # Sam: 140 % while both run
        ("PAY", people.engineers[1], 40),
        ("MOB", people.engineers[1], 60),
        ("PAY", people.engineers[2], 50),
        ("MOB", people.engineers[2], 50),
        ("PAY", people.engineers[3], 50),
        ("DC", people.engineers[3], 100),  # Hana: 150 % once the exit starts
    ]
    for key, user, percent in plans:
        project = projects[key]
        assert project.start_date is not None and project.target_date is not None
        allocation_services.allocation_create(
            project=project,
            actor=people.admin,
            resource=by_user[user.pk],
            start_date=project.start_date,
            end_date=project.target_date,
            percent=percent,
        )


def _rates_by_user(by_user: dict[int, Resource], today: date) -> dict[int, Decimal]:
    return {
        user_id: resource.rates.filter(effective_from__lte=today)
        .order_by("-effective_from")
        .values_list("hourly_rate", flat=True)
        .first()
        or Decimal(95)
        for user_id, resource in by_user.items()
    }


def _daily_shares(tasks: list[dict[str, Any]], zone_today: date) -> dict[tuple[int, date], int]:
    """How many tasks each person works on each working day (their 8 hours are shared)."""
    load: dict[tuple[int, date], int] = defaultdict(int)
    for task in tasks:
        for day in _working_days(task["first"], task["last"]):
            load[(task["user_id"], day)] += 1
    return load


def _leaf_tasks(project: Project) -> list[dict[str, Any]]:
    through = Task.assignees.through
    owner = dict(through.objects.filter(task__project=project).values_list("task_id", "user_id"))
    rows = []
    tasks = Task.objects.alive().filter(
        project=project, is_summary=False, is_milestone=False, start__isnull=False
    )
    for task in tasks.values("pk", "start", "finish", "duration_minutes"):
        if task["pk"] not in owner:
            continue
        rows.append(
            {
                "pk": task["pk"],
                "user_id": owner[task["pk"]],
                "first": timezone.localtime(task["start"]).date(),
                "last": timezone.localtime(task["finish"]).date(),
                "minutes": task["duration_minutes"],
            }
        )
    return rows


def _cost_and_log(
    project: Project,
    by_user: dict[int, Resource],
    people: DemoPeople,
    today: date,
    load: dict[tuple[int, date], int],
) -> int:
    """Assign, cost the plan and its baselines, and log the time worked until yesterday
    (approved; Sam's current week is submitted, waiting for the manager)."""
    tasks = _leaf_tasks(project)
    rates = _rates_by_user(by_user, today)
    Assignment.objects.bulk_create(
        [
            Assignment(task_id=t["pk"], resource=by_user[t["user_id"]], units=Decimal(100))
            for t in tasks
            if t["user_id"] in by_user
        ],
        batch_size=500,
    )
    planned: dict[int, Decimal] = {}
    entries: list[TimeEntry] = []
    # the last week Sam worked in is waiting for approval: the week of Sam's last working day
    # before today (in any project), so there is one whatever the weekday the demo is seeded on
    waiting = people.engineers[0].pk
    worked = [day for user_id, day in load if user_id == waiting and day < today]
    last = max(worked, default=today - timedelta(days=1))
    monday = last - timedelta(days=last.weekday())
    factor = EFFORT_FACTOR.get(project.key)
    manager = people.manager if project.key != "MOB" else people.second_manager
    for task in tasks:
        hours = Decimal(0)
        for day in _working_days(task["first"], task["last"]):
            share = DAY_HOURS / load[(task["user_id"], day)]
            hours += share
            if factor is not None and day < today:
                pending = day >= monday and task["user_id"] == waiting
                entries.append(
                    TimeEntry(
                        task_id=task["pk"],
                        user_id=task["user_id"],
                        resource=by_user.get(task["user_id"]),
                        date=day,
                        hours=max(QUARTER, _quarter(share * factor)),
                        status=TimeEntryStatus.SUBMITTED if pending else TimeEntryStatus.APPROVED,
                        approved_by=None if pending else manager,
                        approved_at=None if pending else timezone.now(),
                    )
                )
        planned[task["pk"]] = _money(hours * rates.get(task["user_id"], Decimal(95)))
    for task_id, cost in planned.items():
        Task.objects.filter(pk=task_id).update(cost=cost)
    schedule_services.project_reschedule(project=project, cascade=False)  # summaries add costs up
    _price_baselines(project, planned, {t["pk"]: t["minutes"] for t in tasks})
    TimeEntry.objects.bulk_create(entries, batch_size=1000)
    time_services.project_actuals_refresh(
        project=project, task_ids={e.task_id for e in entries}, actor=manager
    )
    return len(entries)


def _price_baselines(
    project: Project, planned: dict[int, Decimal], minutes: dict[int, int]
) -> None:
    """The baselines saved before costs existed get the cost the plan had when approved: each
    leaf row's planned cost scaled to its baselined duration; summary rows add their leaves."""
    rows = list(BaselineTask.objects.filter(baseline__project=project).select_related("baseline"))
    leaves = [r for r in rows if not r.is_summary and r.task_id in planned]
    for row in leaves:
        now = minutes.get(row.task_id or 0) or row.duration_minutes or 1
        row.cost = _money(planned[row.task_id or 0] * Decimal(row.duration_minutes) / Decimal(now))
    for row in rows:
        if row.is_summary:
            row.cost = sum(
                (
                    leaf.cost or Decimal(0)
                    for leaf in leaves
                    if leaf.baseline_id == row.baseline_id
                    and leaf.outline_key.startswith(row.outline_key)
                ),
                Decimal(0),
            )
    BaselineTask.objects.bulk_update(rows, ["cost"], batch_size=500)


BUDGETS: dict[str, list[tuple[str, str, int]]] = {  # category, line, amount (EUR)
    "PAY": [
        ("labour", "Payments team", 0),  # 0: the plan's labour cost, plus 5 %
        ("contractors", "PCI QSA assessment", 38000),
        ("software", "Payment gateway sandbox and licences", 12000),
        ("hardware", "HSM lease", 9000),
        ("travel", "Acquirer workshops", 4000),
    ],
    "MOB": [
        ("labour", "App team", 0),
        ("software", "App stores, device cloud, design tools", 6500),
        ("contractors", "Accessibility audit", 8000),
    ],
    "DC": [
        ("labour", "Migration team", 0),
        ("contractors", "Colocation exit and decommissioning", 60000),
        ("hardware", "Data wiping and disposal", 7000),
        ("other", "Contract break fee reserve", 15000),
    ],
}
EXPENSES: dict[str, list[tuple[str, str, int, int, str]]] = {  # line, vendor, EUR, days ago, status
    "PAY": [
        ("Payment gateway sandbox and licences", "Adyen", 4800, 50, "paid"),
        ("PCI QSA assessment", "Cobalt Assurance", 19000, 3, "committed"),
        ("HSM lease", "Thales", 1500, 40, "paid"),
        ("Acquirer workshops", "Lufthansa", 1350, 25, "paid"),
        ("Payments team", "Nordic Contractors", 5000, 30, "paid"),  # labour over the tasks' cost
    ],
    "MOB": [
        ("App stores, device cloud, design tools", "Apple", 99, 28, "paid"),
        ("App stores, device cloud, design tools", "BrowserStack", 1490, 20, "paid"),
        ("Accessibility audit", "a11y Partners", 8000, 2, "committed"),
    ],
    "DC": [("Colocation exit and decommissioning", "Equinix", 25000, 1, "committed")],
}


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _budget(project: Project, actor: User, today: date) -> None:
    """Budget lines spread evenly over the project's months, reserves, and invoices."""
    assert project.start_date is not None and project.target_date is not None
    months = _months(project.start_date, project.target_date)
    costs = Task.objects.alive().filter(project=project, is_summary=False)
    planned_labour = sum(
        (c or Decimal(0) for c in costs.values_list("cost", flat=True)), Decimal(0)
    )
    lines = {}
    for category, name, amount in BUDGETS[project.key]:
        total = Decimal(amount) if amount else _money(planned_labour * Decimal("1.05"))
        each = _money(total / len(months))
        plan = dict.fromkeys(months[:-1], each)
        plan[months[-1]] = total - each * (len(months) - 1)
        lines[name] = budget_services.budget_line_create(
            project=project,
            actor=actor,
            category=category,
            name=name,
            amount=total,
            reason="Budget approved at kick-off.",
            months=plan,
        )
    finance = budget_services.finance_of(project)
    budget_services.finance_update(
        project=project,
        actor=actor,
        version=finance.version,
        reason="Reserves agreed with the sponsor.",
        contingency=_money(sum((line.amount for line in lines.values()), Decimal(0)) / 10),
        management_reserve=Decimal(20000),
    )
    for line, vendor, amount, days_ago, status in EXPENSES[project.key]:
        budget_services.expense_create(
            project=project,
            actor=actor,
            vendor=vendor,
            amount=Decimal(amount),
            date=today - timedelta(days=days_ago),
            status=status,
            budget_line=lines[line],
            invoice_number=f"{project.key}-{vendor[:3].upper()}-{days_ago:03d}",
        )


@transaction.atomic
def seed_resources(projects: list[Project], people: DemoPeople, today: date) -> int:
    """The pool, allocations, costs, timesheets and budgets of the demo; returns how many time
    entries were logged (0 when the organisation already has a pool)."""
    if not projects:
        return 0
    organisation = projects[0].organisation
    if Resource.objects.filter(organisation=organisation).exists():
        return 0
    by_user = _pool(organisation, people, today)
    by_key = {project.key: project for project in projects}
    _allocate(by_key, by_user, people)
    # A person's 8 hours a day are shared among their tasks in every project.
    load = _daily_shares([t for project in projects for t in _leaf_tasks(project)], today)
    logged = 0
    for project in projects:
        project.refresh_from_db()
        manager = people.manager if project.key != "MOB" else people.second_manager
        logged += _cost_and_log(project, by_user, people, today, load)
        _budget(project, manager, today)
    return logged

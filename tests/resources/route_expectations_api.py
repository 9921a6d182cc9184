"""Permission-matrix entries for the resources API (see tests/permission_matrix.py).

The pool belongs to the organisation: every member reads it, its admins change it and alone see
rates. Allocations and assignments: everyone with a role in WEB reads them, planners change them.
Time: people log and change their own time; managers (and org admins, who act as managers)
approve, reject and reopen it. Money (budget lines, expenses, budget changes, EVM): managers and
stakeholders read it, managers change it; members and viewers get 403, people outside the project
404. Anonymous callers get 401 everywhere.
"""

from datetime import date, timedelta
from decimal import Decimal

from resources.models import (
    Allocation,
    Assignment,
    BudgetChange,
    BudgetLine,
    CostRate,
    Expense,
    Resource,
    ResourceRole,
    Skill,
    TimeEntry,
    TimeOff,
)
from tests.factories import TaskFactory
from tests.permission_matrix import Case, expect, project_manage, project_read

SIGNED_IN = expect(200, anonymous=401)
ORG_READ = expect(200, anonymous=401, outsider=404)
PROJECT_READ = project_read(anonymous=401)
MONEY_READ = expect(
    403, anonymous=401, outsider=404, bystander=404, stakeholder=200, manager=200, admin=200
)
MONEY_EDIT = expect(403, anonymous=401, outsider=404, bystander=404, manager=200, admin=200)
LAST_MONDAY = date(2027, 1, 4)


def _org_admin(ok: int) -> dict[str, int]:
    return expect(403, anonymous=401, outsider=404, admin=ok)


def _if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


def _resource(world) -> Resource:
    return Resource.objects.get_or_create(
        organisation=world.organisation, name="Contractor #1", defaults={"email": "c1@acme.test"}
    )[0]


def _resource_pk(world):
    return {"pk": _resource(world).pk}


def _role_pk(world):
    return {
        "pk": ResourceRole.objects.get_or_create(organisation=world.organisation, name="QA")[0].pk
    }


def _skill_pk(world):
    return {"pk": Skill.objects.get_or_create(organisation=world.organisation, name="Go")[0].pk}


def _time_off_pk(world):
    row = TimeOff.objects.create(
        resource=_resource(world), start_date=LAST_MONDAY, end_date=LAST_MONDAY + timedelta(days=2)
    )
    return {"pk": row.pk}


def _rate_pk(world):
    row, _ = CostRate.objects.get_or_create(
        organisation=world.organisation,
        resource=_resource(world),
        effective_from=LAST_MONDAY,
        defaults={"hourly_rate": Decimal("80.00"), "currency": "USD"},
    )
    return {"pk": row.pk}


def _task(world):
    task = world.project.tasks.filter(name="Build").first()
    return task or TaskFactory(project=world.project, name="Build")


def _allocation_pk(world):
    row = Allocation.objects.create(
        project=world.project,
        resource=_resource(world),
        start_date=LAST_MONDAY,
        end_date=LAST_MONDAY + timedelta(days=30),
        percent=50,
    )
    return {"pk": row.pk}


def _assignment(world) -> Assignment:
    return Assignment.objects.get_or_create(task=_task(world), resource=_resource(world))[0]


def _entry(world, status: str = "draft", day: date = LAST_MONDAY) -> TimeEntry:
    entry = TimeEntry.objects.filter(user=world.member, date=day).first()
    return entry or TimeEntry.objects.create(
        task=_task(world), user=world.member, date=day, hours=Decimal(4), status=status
    )


def _entry_pk(world):
    return {"pk": _entry(world).pk}


def _line(world) -> BudgetLine:
    return BudgetLine.objects.get_or_create(
        project=world.project,
        name="Cloud",
        defaults={"category": "software", "amount": Decimal(1000), "currency": "USD"},
    )[0]


def _expense(world) -> Expense:
    return Expense.objects.get_or_create(
        project=world.project,
        vendor="AWS",
        defaults={"amount": Decimal(100), "currency": "USD", "date": LAST_MONDAY},
    )[0]


def _change_pk(world):
    row = BudgetChange.objects.create(
        project=world.project, field="amount", old_value="1", new_value="2", reason="Scope"
    )
    return {"pk": row.pk}


def _project(world):
    return {"pk": world.project.pk}


def _week(world, status):
    _entry(world, status)
    return {"project": world.project.pk, "person": world.member.pk, "week": "2027-01-04"}


ROUTES = [
    # the pool
    Case("api:resource-list", "get", SIGNED_IN, json=True),
    Case(
        "api:resource-list",
        "post",
        _org_admin(201),
        data=lambda world: {"organisation": world.organisation.pk, "name": "Backend #2"},
        json=True,
    ),
    Case("api:resource-detail", "get", ORG_READ, kwargs=_resource_pk, json=True),
    Case(
        "api:resource-detail",
        "patch",
        _org_admin(200),
        kwargs=_resource_pk,
        data=lambda world: {"hours_per_day": "6", "version": _resource(world).version},
        json=True,
    ),
    Case("api:resource-role-list", "get", SIGNED_IN, json=True),
    Case(
        "api:resource-role-list",
        "post",
        _org_admin(201),
        data=lambda world: {"organisation": world.organisation.pk, "name": "Designer"},
        json=True,
    ),
    Case("api:resource-role-detail", "get", ORG_READ, kwargs=_role_pk, json=True),
    Case("api:skill-list", "get", SIGNED_IN, json=True),
    Case(
        "api:skill-list",
        "post",
        _org_admin(201),
        data=lambda world: {"organisation": world.organisation.pk, "name": "Rust"},
        json=True,
    ),
    Case("api:skill-detail", "get", ORG_READ, kwargs=_skill_pk, json=True),
    Case("api:time-off-list", "get", SIGNED_IN, json=True),
    Case(
        "api:time-off-list",
        "post",
        _org_admin(201),
        data=lambda world: {
            "resource": _resource(world).pk,
            "start_date": "2027-02-01",
            "end_date": "2027-02-05",
            "reason": "Holiday",
        },
        json=True,
    ),
    Case("api:time-off-detail", "get", ORG_READ, kwargs=_time_off_pk, json=True),
    Case("api:time-off-detail", "delete", _org_admin(204), kwargs=_time_off_pk, json=True),
    Case("api:cost-rate-list", "get", SIGNED_IN, json=True),
    Case(
        "api:cost-rate-list",
        "post",
        _org_admin(201),
        data=lambda world: {
            "resource": _resource(world).pk,
            "effective_from": "2027-03-01",
            "hourly_rate": "95.00",
            "currency": "USD",
        },
        json=True,
    ),
    Case("api:cost-rate-detail", "get", _org_admin(200), kwargs=_rate_pk, json=True),
    Case("api:cost-rate-detail", "delete", _org_admin(204), kwargs=_rate_pk, json=True),
    # who works where
    Case("api:allocation-list", "get", SIGNED_IN, json=True),
    Case(
        "api:allocation-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {
            "project": world.project.pk,
            "resource": _resource(world).pk,
            "start_date": "2027-01-04",
            "end_date": "2027-03-31",
            "percent": 50,
        },
        json=True,
    ),
    Case("api:allocation-detail", "get", PROJECT_READ, kwargs=_allocation_pk, json=True),
    Case(
        "api:allocation-detail",
        "patch",
        project_manage(anonymous=401),
        kwargs=_allocation_pk,
        data=lambda world: {"percent": 80, "version": 1},
        json=True,
    ),
    Case(
        "api:allocation-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_allocation_pk,
        json=True,
    ),
    Case("api:assignment-list", "get", SIGNED_IN, json=True),
    Case(
        "api:assignment-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {"task": _task(world).pk, "resource": _resource(world).pk, "units": 50},
        json=True,
    ),
    Case(
        "api:assignment-detail",
        "get",
        PROJECT_READ,
        kwargs=lambda world: {"pk": _assignment(world).pk},
        json=True,
    ),
    Case(
        "api:assignment-detail",
        "patch",
        project_manage(anonymous=401),
        kwargs=lambda world: {"pk": _assignment(world).pk},
        data=lambda world: {"units": 75, "version": _assignment(world).version},
        json=True,
    ),
    Case(
        "api:assignment-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=lambda world: {"pk": _assignment(world).pk},
        json=True,
    ),
    # time
    Case("api:time-entry-list", "get", SIGNED_IN, json=True),
    Case(
        "api:time-entry-list",
        "post",
        expect(403, anonymous=401, outsider=404, bystander=404, member=201, manager=201, admin=201),
        data=lambda world: {"task": _task(world).pk, "date": "2027-01-05", "hours": "3.5"},
        json=True,
    ),
    Case(
        "api:time-entry-detail",
        "get",
        expect(404, anonymous=401, member=200, manager=200, admin=200),
        kwargs=_entry_pk,
        json=True,
    ),
    Case(
        "api:time-entry-detail",
        "patch",
        expect(404, anonymous=401, member=200, manager=403, admin=403),
        kwargs=_entry_pk,
        data=lambda world: {"hours": "5", "version": _entry(world).version},
        json=True,
    ),
    Case(
        "api:time-entry-detail",
        "delete",
        expect(404, anonymous=401, member=204, manager=403, admin=403),
        kwargs=_entry_pk,
        json=True,
    ),
    Case(
        "api:time-entry-submit",
        "post",
        expect(400, anonymous=401, outsider=404, member=200),
        data=lambda world: (
            _entry(world),
            {"organisation": world.organisation.pk, "week": "2027-01-04"},
        )[1],
        json=True,
    ),
    Case(
        "api:time-entry-approve",
        "post",
        project_manage(anonymous=401),
        data=lambda world: _week(world, "submitted"),
        json=True,
    ),
    Case(
        "api:time-entry-reject",
        "post",
        project_manage(anonymous=401),
        data=lambda world: {**_week(world, "submitted"), "reason": "Split by task, please."},
        json=True,
    ),
    Case(
        "api:time-entry-reopen",
        "post",
        project_manage(anonymous=401),
        data=lambda world: {**_week(world, "approved"), "reason": "Wrong task."},
        json=True,
    ),
    # money
    Case("api:budget-line-list", "get", SIGNED_IN, json=True),
    Case(
        "api:budget-line-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {
            "project": world.project.pk,
            "category": "travel",
            "name": "Site visits",
            "amount": "5000.00",
            "reason": "Customer workshops",
            "plan": [{"month": "2027-02-01", "amount": "2500.00"}],
        },
        json=True,
    ),
    Case(
        "api:budget-line-detail",
        "get",
        MONEY_READ,
        kwargs=lambda world: {"pk": _line(world).pk},
        json=True,
    ),
    Case(
        "api:budget-line-detail",
        "patch",
        MONEY_EDIT,
        kwargs=lambda world: {"pk": _line(world).pk},
        data=lambda world: {"amount": "1200.00", "reason": "More seats", "version": 1},
        json=True,
    ),
    Case(
        "api:budget-line-detail",
        "delete",
        {**MONEY_EDIT, "manager": 204, "admin": 204},
        kwargs=lambda world: {"pk": _line(world).pk},
        query="?reason=Cancelled",
        json=True,
    ),
    Case(
        "api:budget-line-plan",
        "post",
        MONEY_EDIT,
        kwargs=lambda world: {"pk": _line(world).pk},
        data=lambda world: {
            "plan": [{"month": "2027-01-01", "amount": "500.00"}],
            "reason": "Phasing",
            "version": 1,
        },
        json=True,
    ),
    Case("api:expense-list", "get", SIGNED_IN, json=True),
    Case(
        "api:expense-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {
            "project": world.project.pk,
            "vendor": "Hetzner",
            "amount": "320.00",
            "date": "2027-01-06",
        },
        json=True,
    ),
    Case(
        "api:expense-detail",
        "get",
        MONEY_READ,
        kwargs=lambda world: {"pk": _expense(world).pk},
        json=True,
    ),
    Case(
        "api:expense-detail",
        "patch",
        MONEY_EDIT,
        kwargs=lambda world: {"pk": _expense(world).pk},
        data=lambda world: {"status": "paid", "version": 1},
        json=True,
    ),
    Case("api:budget-change-list", "get", SIGNED_IN, json=True),
    Case("api:budget-change-detail", "get", MONEY_READ, kwargs=_change_pk, json=True),
    Case("api:project-evm", "get", MONEY_READ, kwargs=_project, json=True),
    Case(
        "api:organisation-workload",
        "get",
        ORG_READ,
        kwargs=lambda world: {"pk": world.organisation.pk},
        json=True,
    ),
]

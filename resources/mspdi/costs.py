"""The resources side of a Microsoft Project import: the pool, cost rates and assignments.

`projects/mspdi/importer.py` stores the plan (tasks with percent complete, planned and actual
cost, baselines with their cost, the status date, and who is assigned) and then sends
`projects.signals.mspdi_imported` inside its transaction; `resources/mspdi/receivers.py` calls
`costs_import` here, so the projects app never imports this one. An error here rolls the whole
import back.

What is stored:
- **Resources** of the organisation's pool, one per resource of the file. A resource already in
  the pool (same e-mail, else the exact same name) is reused, so importing a second plan does not
  duplicate people. A new work resource is linked to the organisation member with its e-mail (else
  its exact full name) unless that member already has a resource. Kinds: work -> person,
  material -> equipment (its rate becomes the unit cost, its label the unit), cost -> equipment
  without a unit cost (the pool has no "cost" kind; the cost is on the assignment). Capacity:
  `MaxUnits` x the file's hours per day. A new resource's `Group` becomes its role.
- **Cost rates** from each work resource's rate table A (the one assignments use by default),
  effective-dated, in the project's currency. Project's "from the beginning" entry starts at the
  project's start date. A date the resource already has a rate for is left as it is (rates are
  never rewritten).
- **Assignments** with units (a work assignment's 0.5 becomes 50 %; material and cost
  assignments are stored at 100 % with their cost), work, cost, actual work and actual cost as
  the file says.
- The project's **currency** becomes the file's `CurrencyCode` when Linchpin knows it.

Earned value of the imported plan then needs nothing more: BAC is the baselines' cost, EV uses
the tasks' percent complete, and AC the tasks' actual cost (all stored by the projects import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from projects import services as project_services
from projects.models import CURRENCIES, Project
from projects.mspdi.document import MspdiError
from resources.models import Assignment, CostRate, Resource, ResourceKind, ResourceRole
from resources.mspdi.read import (
    MspdiAssignment,
    MspdiCosts,
    MspdiPoolResource,
    MspdiResourceKind,
    read_costs,
)
from tpm import history
from tpm.models import Membership, User

CENT = Decimal("0.01")
MAX_UNITS_PERCENT = Decimal(1000)
KNOWN_CURRENCIES = {code for code, _ in CURRENCIES}
KINDS = {
    MspdiResourceKind.WORK: ResourceKind.PERSON,
    MspdiResourceKind.MATERIAL: ResourceKind.EQUIPMENT,
    MspdiResourceKind.COST: ResourceKind.EQUIPMENT,
}


@dataclass
class CostImportReport:
    resources: int = 0  # resources of the file stored (new or reused)
    created: int = 0  # of which new in the pool
    rates: int = 0
    assignments: int = 0
    notes: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        if not self.resources:
            return ""
        text = (
            f"Resources: {self.resources} ({self.created} new in the pool), "
            f"{self.rates} cost rates and {self.assignments} assignments with their costs."
        )
        return " ".join([text, *self.notes])


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass
class _Pool:
    """The organisation's resources and members, for matching the file's resources."""

    by_email: dict[str, Resource]
    by_name: dict[str, Resource]
    users_by_email: dict[str, User]
    users_by_name: dict[str, User]
    users_with_resource: set[int]

    @classmethod
    def load(cls, project: Project) -> _Pool:
        resources = list(Resource.objects.filter(organisation_id=project.organisation_id))
        users = [
            membership.user
            for membership in Membership.objects.filter(
                organisation_id=project.organisation_id
            ).select_related("user")
        ]
        return cls(
            by_email={r.email.lower(): r for r in resources if r.email},
            by_name={r.name: r for r in resources},
            users_by_email={u.email.lower(): u for u in users},
            users_by_name={u.full_name: u for u in users if u.full_name},
            users_with_resource={r.user_id for r in resources if r.user_id},
        )

    def existing(self, source: MspdiPoolResource) -> Resource | None:
        found = self.by_email.get(source.email) if source.email else None
        return found or self.by_name.get(source.name)

    def person(self, source: MspdiPoolResource) -> User | None:
        if source.kind != MspdiResourceKind.WORK:
            return None
        user = self.users_by_email.get(source.email) if source.email else None
        user = user or self.users_by_name.get(source.name)
        if user is None or user.pk in self.users_with_resource:
            return None
        self.users_with_resource.add(user.pk)
        return user


def _hours_per_day(source: MspdiPoolResource, minutes_per_day: int) -> Decimal:
    hours = Decimal(minutes_per_day) / 60 * (source.max_units or Decimal(1))
    return min(max(hours.quantize(CENT), Decimal("0.25")), Decimal(24))


def _new_resource(
    project: Project, source: MspdiPoolResource, costs: MspdiCosts, pool: _Pool
) -> Resource:
    user = pool.person(source)
    role = None
    if source.group and source.kind == MspdiResourceKind.WORK:
        role, _ = ResourceRole.objects.get_or_create(
            organisation_id=project.organisation_id, name=source.group[:100]
        )
    material = source.kind == MspdiResourceKind.MATERIAL
    rate = source.rates[-1].standard_rate if source.rates else None
    resource = Resource(
        organisation_id=project.organisation_id,
        kind=KINDS[source.kind],
        user=user,
        name=source.name[:160],
        email=source.email if "@" in source.email else "",
        role=role,
        hours_per_day=_hours_per_day(source, costs.minutes_per_day),
        unit_cost=_money(rate) if material and rate is not None else None,
        unit_label=(source.material_label or ("unit" if material else ""))[:40],
    )
    resource.full_clean(validate_unique=False, validate_constraints=False)
    resource.save()
    return resource


def _rates(
    project: Project,
    sources: dict[str, MspdiPoolResource],
    stored: dict[str, Resource],
    actor: User,
) -> int:
    """Table A of every work resource, effective-dated; existing dates are kept as they are."""
    start = project.start_date or date.today()
    taken = set(
        CostRate.objects.filter(resource__in=list(stored.values())).values_list(
            "resource_id", "effective_from"
        )
    )
    rows = []
    for uid, source in sources.items():
        if source.kind != MspdiResourceKind.WORK:
            continue
        resource = stored[uid]
        dated = [rate.effective_from for rate in source.rates if rate.effective_from is not None]
        for rate in source.rates:
            day = rate.effective_from or start
            if rate.effective_from is None and dated and dated[0] <= start:
                continue  # a dated entry already covers the project's start
            if (resource.pk, day) in taken:
                continue
            taken.add((resource.pk, day))
            rows.append(
                CostRate(
                    organisation_id=project.organisation_id,
                    resource=resource,
                    effective_from=day,
                    hourly_rate=_money(rate.standard_rate),
                    currency=project.currency,
                    created_by=actor,
                )
            )
    CostRate.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _assignment(
    source: MspdiAssignment, kind: MspdiResourceKind, task_id: int, resource: Resource
) -> Assignment:
    work = kind == MspdiResourceKind.WORK
    units = min(source.units * 100, MAX_UNITS_PERCENT) if work else Decimal(100)
    return Assignment(
        task_id=task_id,
        resource=resource,
        units=max(units.quantize(CENT), CENT),
        work_hours=(Decimal(source.work_minutes) / 60).quantize(CENT) if work else None,
        cost=source.cost,
        actual_work_hours=(Decimal(source.actual_work_minutes) / 60).quantize(CENT)
        if work
        else None,
        actual_cost=source.actual_cost,
    )


def _assignments(
    costs: MspdiCosts,
    stored: dict[str, Resource],
    task_ids: dict[int, int],
    report: CostImportReport,
) -> None:
    kinds = {resource.uid: resource.kind for resource in costs.resources}
    rows: dict[tuple[int, int], Assignment] = {}
    for source in costs.assignments:
        task_id = task_ids.get(source.task_uid)
        if task_id is None:
            continue  # the project summary row (UID 0) is not a task here
        kind = kinds[source.resource_uid]
        resource = stored[source.resource_uid]
        if kind == MspdiResourceKind.WORK and source.units * 100 > MAX_UNITS_PERCENT:
            report.notes.append(f"Assignment UID {source.uid}: units capped at 1000 %.")
        rows.setdefault((task_id, resource.pk), _assignment(source, kind, task_id, resource))
    Assignment.objects.bulk_create(rows.values(), batch_size=500)
    report.assignments = len(rows)


def _currency(project: Project, costs: MspdiCosts, actor: User, report: CostImportReport) -> None:
    if not costs.currency or costs.currency == project.currency:
        return
    if costs.currency not in KNOWN_CURRENCIES:
        report.notes.append(
            f"The file's currency {costs.currency} is not one Linchpin knows; its amounts are "
            f"read as {project.currency}."
        )
        return
    updated = project_services.project_update(
        project=project, actor=actor, version=project.version, currency=costs.currency
    )
    project.currency, project.version = updated.currency, updated.version


def costs_import(
    *, project: Project, actor: User, data: bytes, task_ids: dict[int, int]
) -> CostImportReport:
    """Store the file's resources, rates and assignments for the just-imported `project`
    (inside the import's transaction)."""
    try:
        costs = read_costs(data, max_bytes=settings.MSPDI_MAX_BYTES)
    except MspdiError as error:
        raise ValidationError({"file": str(error)}) from error
    report = CostImportReport(notes=list(costs.notes))
    if not costs.resources:
        return report
    _currency(project, costs, actor, report)
    pool = _Pool.load(project)
    stored: dict[str, Resource] = {}
    for source in costs.resources:
        found = pool.existing(source)
        if found is None:
            found = _new_resource(project, source, costs, pool)
            pool.by_name.setdefault(found.name, found)
            report.created += 1
        stored[source.uid] = found
    report.resources = len(stored)
    report.rates = _rates(project, {r.uid: r for r in costs.resources}, stored, actor)
    _assignments(costs, stored, task_ids, report)
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=project,
        action="updated",
        scope=f"project:{project.pk}",
        changes={"resources": [None, report.sentence()]},
    )
    return report

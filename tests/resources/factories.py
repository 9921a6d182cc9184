"""factory-boy factories for every model of the resources app (issue 5).

Rows only: the services (pool_services, rate_services, timesheet and budget services) check
the rules and record history; tests of those go through the services.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from resources.models import (
    Allocation,
    Assignment,
    BudgetChange,
    BudgetLine,
    BudgetLinePlan,
    CostRate,
    Expense,
    ProjectFinance,
    Resource,
    ResourceKind,
    ResourceRole,
    Skill,
    TimeEntry,
    TimeOff,
    Timesheet,
)
from tests.factories import (
    OrganisationFactory,
    ProjectFactory,
    TaskFactory,
    UserFactory,
)
from tpm.models import Organisation, User


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class ResourceRoleFactory(factory.django.DjangoModelFactory[ResourceRole]):
    class Meta:
        model = ResourceRole
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Role {n}")


class SkillFactory(factory.django.DjangoModelFactory[Skill]):
    class Meta:
        model = Skill
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")


class ResourceFactory(factory.django.DjangoModelFactory[Resource]):
    """A person without a user account (a contractor or a placeholder); pass `user=` to link
    one (see `person_for`)."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ResourceKind.PERSON
    name = factory.Sequence(lambda n: f"Resource {n}")
    email = factory.Sequence(lambda n: f"resource{n}@example.com")
    hours_per_day = Decimal(8)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)


class EquipmentFactory(ResourceFactory):
    kind = ResourceKind.EQUIPMENT
    name = factory.Sequence(lambda n: f"Test rig {n}")
    email = factory.Sequence(lambda n: "")
    unit_cost = Decimal("150.00")
    unit_label = "day"


def person_for(user: User, organisation: Organisation | None = None, **fields: Any) -> Resource:
    """The resource of an existing user in `organisation` (default: their first one)."""
    if organisation is None:
        membership = user.memberships.first()
        assert membership is not None, "the user belongs to no organisation"
        organisation = membership.organisation
    fields.setdefault("name", user.full_name or user.email)
    fields.setdefault("email", user.email)
    return ResourceFactory.create(organisation=organisation, user=user, **fields)


class TimeOffFactory(factory.django.DjangoModelFactory[TimeOff]):
    class Meta:
        model = TimeOff

    resource = factory.SubFactory(ResourceFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=4))
    reason = "Holiday"


class CostRateFactory(factory.django.DjangoModelFactory[CostRate]):
    """A person's own rate; pass `resource=None, role=...` for a role's default."""

    class Meta:
        model = CostRate

    resource = factory.SubFactory(ResourceFactory)
    role = None
    organisation = factory.LazyAttribute(lambda o: (o.resource or o.role).organisation)
    effective_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    hourly_rate = Decimal("100.00")
    currency = "USD"


class AllocationFactory(factory.django.DjangoModelFactory[Allocation]):
    class Meta:
        model = Allocation

    project = factory.SubFactory(ProjectFactory)
    resource = factory.SubFactory(
        ResourceFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=90))
    percent = 100


class AssignmentFactory(factory.django.DjangoModelFactory[Assignment]):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    resource = factory.SubFactory(
        ResourceFactory, organisation=factory.SelfAttribute("..task.project.organisation")
    )
    units = Decimal(100)


class TimesheetFactory(factory.django.DjangoModelFactory[Timesheet]):
    class Meta:
        model = Timesheet

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    week_start = factory.LazyFunction(lambda: monday_of(timezone.localdate()))


class TimeEntryFactory(factory.django.DjangoModelFactory[TimeEntry]):
    """A draft entry; pass `status="approved", approved_by=...` for an approved one."""

    class Meta:
        model = TimeEntry

    task = factory.SubFactory(TaskFactory)
    user = factory.SubFactory(UserFactory)
    resource = None
    date = factory.LazyFunction(timezone.localdate)
    hours = Decimal("4.00")
    note = ""
    status = "draft"


class ProjectFinanceFactory(factory.django.DjangoModelFactory[ProjectFinance]):
    class Meta:
        model = ProjectFinance
        django_get_or_create = ("project",)

    project = factory.SubFactory(ProjectFactory)
    contingency = Decimal("5000.00")
    management_reserve = Decimal("2000.00")


class BudgetLineFactory(factory.django.DjangoModelFactory[BudgetLine]):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    category = "labour"
    name = factory.Sequence(lambda n: f"Budget line {n}")
    amount = Decimal("10000.00")
    currency = factory.LazyAttribute(lambda o: o.project.currency)


class BudgetLinePlanFactory(factory.django.DjangoModelFactory[BudgetLinePlan]):
    class Meta:
        model = BudgetLinePlan

    line = factory.SubFactory(BudgetLineFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    amount = Decimal("2500.00")


class ExpenseFactory(factory.django.DjangoModelFactory[Expense]):
    class Meta:
        model = Expense

    project = factory.SubFactory(ProjectFactory)
    budget_line = None
    vendor = factory.Sequence(lambda n: f"Vendor {n}")
    description = "Invoice"
    invoice_number = factory.Sequence(lambda n: f"INV-{n:05d}")
    amount = Decimal("1200.00")
    currency = factory.LazyAttribute(lambda o: o.project.currency)
    date = factory.LazyFunction(timezone.localdate)
    status = "committed"


class BudgetChangeFactory(factory.django.DjangoModelFactory[BudgetChange]):
    class Meta:
        model = BudgetChange

    project = factory.SubFactory(ProjectFactory)
    budget_line = None
    field = "amount"
    old_value = "10000.00"
    new_value = "12000.00"
    reason = "Scope added by change request"
    author = factory.SubFactory(UserFactory)

"""The resources tables hold their own rules: the database refuses what no service may write."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import TaskFactory, UserFactory, member_of
from tests.resources.factories import (
    AllocationFactory,
    AssignmentFactory,
    BudgetChangeFactory,
    BudgetLinePlanFactory,
    CostRateFactory,
    EquipmentFactory,
    ExpenseFactory,
    ProjectFinanceFactory,
    ResourceFactory,
    ResourceRoleFactory,
    SkillFactory,
    TimeEntryFactory,
    TimeOffFactory,
    TimesheetFactory,
    person_for,
)

pytestmark = pytest.mark.django_db


def test_every_factory_builds_a_valid_row():
    # given / when
    rows = [
        ResourceRoleFactory(),
        SkillFactory(),
        ResourceFactory(skills=[SkillFactory()]),
        EquipmentFactory(),
        TimeOffFactory(),
        CostRateFactory(),
        AllocationFactory(),
        AssignmentFactory(),
        TimesheetFactory(),
        TimeEntryFactory(),
        ProjectFinanceFactory(),
        BudgetLinePlanFactory(),
        ExpenseFactory(),
        BudgetChangeFactory(),
    ]
    # then
    assert all(row.pk for row in rows)


def test_a_rate_belongs_to_a_resource_or_a_role_not_both():
    # given
    resource = ResourceFactory()
    role = ResourceRoleFactory(organisation=resource.organisation)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        CostRateFactory(resource=resource, role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        CostRateFactory(resource=None, role=None, organisation=resource.organisation)


def test_one_resource_per_user_in_an_organisation():
    # given
    user = UserFactory()
    organisation = member_of(ResourceFactory().organisation).memberships.first().organisation
    person_for(user, organisation)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        person_for(user, organisation)


def test_time_entries_hold_between_0_and_24_hours():
    task = TaskFactory()
    for hours in (Decimal(0), Decimal("-1"), Decimal("24.5")):
        with pytest.raises(IntegrityError), transaction.atomic():
            TimeEntryFactory(task=task, hours=hours)


def test_allocation_percent_is_1_to_200():
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationFactory(percent=201)

"""Rates are history: a new rate applies from its date on and never re-prices approved time."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from resources.evm.costs import actual_labour_cost
from resources.models import CostRate, TimeEntry
from resources.pool.services import rates as rate_services
from tests.factories import TaskFactory
from tests.resources.factories import (
    CostRateFactory,
    EquipmentFactory,
    ResourceFactory,
    ResourceRoleFactory,
    TimeEntryFactory,
)

D = Decimal


def _add(world, **fields) -> CostRate:
    values = {"effective_from": date(2026, 7, 1), "hourly_rate": D(120), "currency": "USD"}
    return rate_services.rate_create(
        organisation=world.organisation, actor=world.admin, **(values | fields)
    )


def test_a_rate_dated_before_approved_time_is_refused_so_costs_never_change(world):
    # given 100/h since January and approved time on 2 July
    person = ResourceFactory(organisation=world.organisation)
    CostRateFactory(resource=person, effective_from=date(2026, 1, 1), hourly_rate=D(100))
    task = TaskFactory(project=world.project)
    TimeEntryFactory(task=task, resource=person, date=date(2026, 7, 2), status="approved")
    before = actual_labour_cost(TimeEntry.objects.all()).total
    # when a rate from 1 July is added
    with pytest.raises(ValidationError, match="Approved time up to 02 Jul 2026"):
        _add(world, resource=person)
    # then the approved cost is what it was; a rate from after that day is accepted
    assert actual_labour_cost(TimeEntry.objects.all()).total == before == D(400)
    _add(world, resource=person, effective_from=date(2026, 7, 3))
    assert actual_labour_cost(TimeEntry.objects.all()).total == D(400)


def test_a_role_rate_is_refused_when_it_would_reprice_a_members_approved_time(world):
    role = ResourceRoleFactory(organisation=world.organisation)
    person = ResourceFactory(organisation=world.organisation, role=role)
    TimeEntryFactory(
        task=TaskFactory(project=world.project),
        resource=person,
        date=date(2026, 3, 2),
        status="approved",
    )
    with pytest.raises(ValidationError, match="already costed"):
        _add(world, role=role, effective_from=date(2026, 1, 1))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"effective_from": None}, "A rate needs the date it applies from"),
        ({"hourly_rate": D(-5)}, "A rate cannot be negative."),
        ({"currency": "XYZ"}, "XYZ is not a currency"),
    ],
)
def test_bad_rates_are_refused_with_a_clear_message(world, fields, message):
    person = ResourceFactory(organisation=world.organisation)
    with pytest.raises(ValidationError, match=message):
        _add(world, resource=person, **fields)


def test_two_rates_on_the_same_day_are_refused(world):
    person = ResourceFactory(organisation=world.organisation)
    _add(world, resource=person)
    with pytest.raises(ValidationError, match="There is already a rate from 01 Jul 2026"):
        _add(world, resource=person, hourly_rate=D(130))


def test_equipment_has_a_unit_cost_not_a_rate(world):
    rig = EquipmentFactory(organisation=world.organisation)
    with pytest.raises(ValidationError, match="cost per unit"):
        _add(world, resource=rig)


def test_a_rate_of_another_organisation_is_refused(world):
    stranger = ResourceFactory(organisation=world.other_organisation)
    with pytest.raises(ValidationError, match="of this organisation"):
        _add(world, resource=stranger)


def test_a_rate_no_approved_time_uses_can_be_removed_one_that_costs_time_cannot(world):
    person = ResourceFactory(organisation=world.organisation)
    used = _add(world, resource=person, effective_from=date(2026, 1, 1))
    unused = _add(world, resource=person, effective_from=date(2027, 1, 1))
    TimeEntryFactory(
        task=TaskFactory(project=world.project),
        resource=person,
        date=date(2026, 5, 4),
        status="approved",
    )
    rate_services.rate_delete(rate=unused, actor=world.admin)
    with pytest.raises(ValidationError, match="stays"):
        rate_services.rate_delete(rate=used, actor=world.admin)
    assert list(CostRate.objects.values_list("pk", flat=True)) == [used.pk]

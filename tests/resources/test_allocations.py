"""A project's team allocation: who gives what share of their capacity over which dates."""

from datetime import date

import pytest
from django.urls import reverse

from resources.models import Allocation
from resources.pool.services import allocations as allocation_services
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.resources.factories import AllocationFactory, ResourceFactory
from tests.tpm.querycount import assert_same_count, queries_for_get


def _team_url(world) -> str:
    return reverse("project-team", args=[world.project.pk])


def _post(world, **data):
    form = {"start_date": "2026-01-05", "end_date": "2026-03-27", "percent": "50"} | data
    return client_for(world.manager).post(
        reverse("project-allocation-add", args=[world.project.pk]), form
    )


def test_a_manager_allocates_a_person_and_the_team_sees_it(world):
    # given a contractor in the pool
    dana = ResourceFactory(organisation=world.organisation, name="Dana")
    # when the manager allocates her at 50 % for a quarter
    response = _post(world, resource=dana.pk)
    # then the team allocation tab lists her for everyone with a role
    assert response.status_code == 302
    page = client_for(world.viewer).get(_team_url(world)).text
    assert "Dana" in page and "50 %" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"percent": "0"}, "Allocate between 1 and 200 % of their capacity."),
        ({"percent": "250"}, "Allocate between 1 and 200 % of their capacity."),
        ({"end_date": "2025-12-31"}, "The last day is before the first."),
    ],
)
def test_bad_allocations_are_refused_with_a_clear_message(world, data, message):
    dana = ResourceFactory(organisation=world.organisation)
    response = _post(world, resource=dana.pk, **data)
    assert response.status_code == 422
    assert message in response.text
    assert not Allocation.objects.exists()


def test_a_resource_of_another_organisation_cannot_be_allocated(world):
    # given a resource of Globex
    stranger = ResourceFactory(organisation=world.other_organisation)
    # when Acme's manager sends its id
    response = _post(world, resource=stranger.pk)
    # then the choice is refused as if it did not exist
    assert response.status_code == 422
    assert not Allocation.objects.exists()


def test_overlapping_allocations_of_one_person_to_one_project_are_refused(world):
    dana = ResourceFactory(organisation=world.organisation, name="Dana")
    _post(world, resource=dana.pk)
    response = _post(world, resource=dana.pk, start_date="2026-03-02", end_date="2026-04-30")
    assert response.status_code == 422
    assert "Dana is already allocated to this project from 05 Jan 2026" in response.text


def test_the_team_tab_flags_a_person_over_allocated_across_projects(world):
    # given Dana at 60 % here and 70 % on another project over the same weeks
    dana = ResourceFactory(organisation=world.organisation, name="Dana")
    other = ProjectFactory(organisation=world.organisation)
    AllocationFactory(
        project=world.project,
        resource=dana,
        percent=60,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
    )
    AllocationFactory(
        project=other,
        resource=dana,
        percent=70,
        start_date=date(2026, 2, 1),
        end_date=date(2026, 2, 28),
    )
    # when the team tab is read
    page = client_for(world.manager).get(_team_url(world)).text
    # then her peak total is 130 %, flagged
    assert "130 % · over-allocated" in page


def test_a_stale_allocation_edit_is_a_409_and_nothing_is_overwritten(world):
    # given an allocation changed by someone else after the manager opened it
    allocation = AllocationFactory(project=world.project, percent=50)
    opened = allocation.version
    allocation_services.allocation_update(
        allocation=allocation, actor=world.admin, version=opened, percent=80
    )
    # when the manager saves
    response = client_for(world.manager).post(
        reverse("project-allocation-edit", args=[world.project.pk, allocation.pk]),
        {
            "resource": allocation.resource_id,
            "start_date": allocation.start_date.isoformat(),
            "end_date": allocation.end_date.isoformat(),
            "percent": "20",
            "version": opened,
        },
    )
    # then
    assert response.status_code == 409
    assert Allocation.objects.get(pk=allocation.pk).percent == 80


def test_the_team_tab_costs_the_same_queries_for_few_and_many(world):
    client = client_for(world.member)
    AllocationFactory(project=world.project)
    few = queries_for_get(client, _team_url(world))
    other = ProjectFactory(organisation=world.organisation)
    for _ in range(12):
        allocation = AllocationFactory(project=world.project)
        AllocationFactory(project=other, resource=allocation.resource)
    many = queries_for_get(client, _team_url(world))
    assert_same_count(few, many)


def test_an_allocation_of_another_project_is_a_404_in_this_one(world):
    # given an allocation of another project (the org admin manages both)
    elsewhere = AllocationFactory(project=ProjectFactory(organisation=world.organisation))
    # when addressed through this project's URL, then it does not exist here
    response = client_for(world.admin).get(
        reverse("project-allocation-edit", args=[world.project.pk, elsewhere.pk])
    )
    assert response.status_code == 404

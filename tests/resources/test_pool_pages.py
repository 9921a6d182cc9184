"""The resource pool pages: the organisation's people, equipment and licences, their roles,
skills, capacity, time off and rates."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from resources.models import Resource, TimeOff
from resources.pool.services import people as pool_services
from resources.pool.services import rates as rate_services
from tests.conftest import client_for
from tests.factories import ProjectFactory, TaskFactory
from tests.resources.factories import (
    AssignmentFactory,
    CostRateFactory,
    EquipmentFactory,
    ResourceFactory,
    ResourceRoleFactory,
    SkillFactory,
    person_for,
)
from tests.tpm.querycount import assert_same_count, queries_for_get

POOL = reverse("resource-pool")


def _pool_of(world, count: int) -> None:
    role = ResourceRoleFactory(organisation=world.organisation, name="Engineer")
    skill = SkillFactory(organisation=world.organisation, name="Python")
    for _ in range(count):
        resource = ResourceFactory(organisation=world.organisation, role=role, skills=[skill])
        CostRateFactory(resource=resource, effective_from=date(2020, 1, 1))
    CostRateFactory(resource=None, role=role, organisation=world.organisation)


def test_every_member_sees_the_pool_but_only_admins_see_rates(world):
    # given a contractor with a rate of 120/h
    contractor = ResourceFactory(organisation=world.organisation, name="Dana Contractor")
    CostRateFactory(resource=contractor, hourly_rate=Decimal(120), effective_from=date(2020, 1, 1))
    # when a member and an admin open the pool
    as_member = client_for(world.member).get(POOL)
    as_admin = client_for(world.admin).get(POOL)
    # then both see the contractor; only the admin sees the rate
    assert "Dana Contractor" in as_member.text and "Dana Contractor" in as_admin.text
    assert "120.00 USD/h" in as_admin.text
    assert "120.00" not in as_member.text


def test_the_pool_filters_by_role_and_skill(world):
    # given a backend engineer who knows Go and a designer
    backend = ResourceRoleFactory(organisation=world.organisation, name="Backend")
    go = SkillFactory(organisation=world.organisation, name="Go")
    ResourceFactory(organisation=world.organisation, name="Gopher", role=backend, skills=[go])
    ResourceFactory(organisation=world.organisation, name="Painter")
    client = client_for(world.member)
    # when filtering by role, then by skill
    by_role = client.get(POOL, {"role": backend.pk})
    by_skill = client.get(POOL, {"skill": go.pk})
    # then only the engineer is listed
    for response in (by_role, by_skill):
        assert "Gopher" in response.text and "Painter" not in response.text


def test_the_pool_list_costs_the_same_queries_for_few_and_many(world):
    # given an admin (who sees rates, the costlier view)
    client = client_for(world.admin)
    _pool_of(world, 2)
    few = queries_for_get(client, POOL)
    # when the pool grows
    _pool_of_more = 15
    role = ResourceRoleFactory(organisation=world.organisation, name="Engineer")
    for _ in range(_pool_of_more):
        resource = ResourceFactory(organisation=world.organisation, role=role, skills=[])
        CostRateFactory(resource=resource, effective_from=date(2020, 1, 1))
    EquipmentFactory(organisation=world.organisation)
    many = queries_for_get(client, POOL)
    # then
    assert_same_count(few, many)


def test_roles_page_costs_the_same_queries_for_few_and_many(world):
    client = client_for(world.admin)
    ResourceRoleFactory(organisation=world.organisation)
    few = queries_for_get(client, reverse("resource-roles"))
    for _ in range(10):
        role = ResourceRoleFactory(organisation=world.organisation)
        CostRateFactory(resource=None, role=role, organisation=world.organisation)
        SkillFactory(organisation=world.organisation)
    many = queries_for_get(client, reverse("resource-roles"))
    assert_same_count(few, many)


def test_resource_page_costs_the_same_queries_for_few_and_many(world):
    client = client_for(world.admin)
    resource = ResourceFactory(organisation=world.organisation)
    url = reverse("resource-detail", args=[resource.pk])
    AssignmentFactory(task=TaskFactory(project=world.project), resource=resource)
    few = queries_for_get(client, url)
    for month in range(1, 8):
        CostRateFactory(resource=resource, effective_from=date(2025, month, 1))
        TimeOff.objects.create(
            resource=resource, start_date=date(2026, month, 1), end_date=date(2026, month, 2)
        )
        AssignmentFactory(task=TaskFactory(project=world.project), resource=resource)
    many = queries_for_get(client, url)
    assert_same_count(few, many)


def test_an_admin_adds_a_placeholder_person_without_an_account(world):
    # when an admin adds "Backend engineer #2"
    response = client_for(world.admin).post(
        reverse("resource-create"),
        {"kind": "person", "name": "Backend engineer #2", "hours_per_day": "6"},
    )
    # then it is in the pool, without a user, with 6 hours a day
    resource = Resource.objects.get(name="Backend engineer #2")
    assert response.status_code == 302
    assert resource.user is None and resource.hours_per_day == Decimal(6)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hours_per_day": "25"}, "hours_per_day", "A day has at most 24 hours."),
        ({"hours_per_day": "-1"}, "hours_per_day", "Hours per day must be more than 0."),
        ({"unit_cost": "10"}, "unit_cost", "A person costs by hourly rate"),
    ],
)
def test_bad_resource_input_is_refused_with_a_clear_message(world, data, field, message):
    # when an admin sends a person with bad capacity or a unit cost
    response = client_for(world.admin).post(
        reverse("resource-create"), {"kind": "person", "name": "Sam"} | data
    )
    # then the form comes back with the message next to the field, nothing saved
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not Resource.objects.filter(name="Sam").exists()


def test_one_user_has_one_resource_in_an_organisation(world):
    # given the member already in the pool
    person_for(world.member, world.organisation, name="Member")
    # when an admin adds them again
    response = client_for(world.admin).post(
        reverse("resource-create"), {"kind": "person", "name": "Again", "user": world.member.pk}
    )
    # then it is refused, naming the existing resource
    assert response.status_code == 422
    assert "already has a resource in the pool: Member" in response.text


def test_a_stale_edit_is_refused_and_shows_the_current_values(world):
    # given an admin who opened the edit form, and someone renaming the resource meanwhile
    resource = ResourceFactory(organisation=world.organisation, name="Old name")
    opened_version = resource.version
    pool_services.resource_update(
        resource=resource, actor=world.admin, version=opened_version, name="Renamed"
    )
    # when the admin saves their form
    response = client_for(world.admin).post(
        reverse("resource-edit", args=[resource.pk]),
        {"kind": "person", "name": "Mine", "version": opened_version},
    )
    # then 409, nothing overwritten, and the form shows the current name
    assert response.status_code == 409
    assert Resource.objects.get(pk=resource.pk).name == "Renamed"
    assert response.context["form"].initial["name"] == "Renamed"


def test_a_rate_without_a_date_is_refused_with_a_clear_message(world):
    resource = ResourceFactory(organisation=world.organisation)
    response = client_for(world.admin).post(
        reverse("resource-rate-add", args=[resource.pk]),
        {"hourly_rate": "100", "currency": "USD"},
    )
    assert response.status_code == 422
    assert "A rate needs the date it applies from" in response.text
    assert not resource.rates.exists()


def test_a_new_rate_applies_from_its_date_and_keeps_the_history(world):
    # given a rate of 100 from 2026
    resource = ResourceFactory(organisation=world.organisation)
    CostRateFactory(resource=resource, hourly_rate=Decimal(100), effective_from=date(2026, 1, 1))
    # when the admin adds 110 from July
    client_for(world.admin).post(
        reverse("resource-rate-add", args=[resource.pk]),
        {"effective_from": "2026-07-01", "hourly_rate": "110", "currency": "USD"},
    )
    # then both rates are kept, in date order
    assert list(
        resource.rates.order_by("effective_from").values_list("hourly_rate", flat=True)
    ) == [
        Decimal(100),
        Decimal(110),
    ]


def test_members_cannot_see_a_persons_rates_on_their_page(world):
    resource = ResourceFactory(organisation=world.organisation)
    CostRateFactory(resource=resource, hourly_rate=Decimal("123.45"))
    url = reverse("resource-detail", args=[resource.pk])
    assert "123.45" not in client_for(world.member).get(url).text
    assert "123.45" in client_for(world.admin).get(url).text


def test_time_off_that_overlaps_is_refused(world):
    # given a week off
    resource = ResourceFactory(organisation=world.organisation)
    pool_services.time_off_create(
        resource=resource, actor=world.admin, start_date=date(2026, 8, 3), end_date=date(2026, 8, 7)
    )
    # when another week overlapping it is added
    response = client_for(world.admin).post(
        reverse("resource-time-off-add", args=[resource.pk]),
        {"start_date": "2026-08-06", "end_date": "2026-08-12"},
    )
    # then
    assert response.status_code == 422
    assert "overlaps time off already recorded from 03 Aug 2026" in response.text


def test_deactivating_keeps_the_resource_and_hides_it_from_the_pool(world):
    # given an active resource
    resource = ResourceFactory(organisation=world.organisation, name="Leaver")
    # when an admin deactivates it
    client_for(world.admin).post(
        reverse("resource-active", args=[resource.pk]), {"active": "0", "version": resource.version}
    )
    # then it is kept, hidden by default and shown with "include inactive"
    client = client_for(world.member)
    assert Resource.objects.get(pk=resource.pk).is_active is False
    assert "Leaver" not in client.get(POOL).text
    assert "Leaver" in client.get(POOL, {"inactive": "on"}).text


def test_role_default_rate_and_the_persons_own_rate(world):
    # given a role with a default rate and a person in it
    role = pool_services.role_create(organisation=world.organisation, actor=world.admin, name="QA")
    rate_services.rate_create(
        organisation=world.organisation,
        actor=world.admin,
        role=role,
        effective_from=date(2026, 1, 1),
        hourly_rate=Decimal(70),
        currency="USD",
    )
    ResourceFactory(organisation=world.organisation, name="Quinn", role=role)
    # when an admin opens the pool
    text = client_for(world.admin).get(POOL).text
    # then Quinn's rate today is the role's
    assert '70.00 USD/h <span class="muted">(role)</span>' in text


def test_a_role_rate_without_a_date_is_refused_next_to_that_role(world):
    # given a role
    role = pool_services.role_create(organisation=world.organisation, actor=world.admin, name="QA")
    # when an admin adds its default rate without a date
    response = client_for(world.admin).post(
        reverse("resource-role-rate-add", args=[role.pk]),
        {f"role{role.pk}-hourly_rate": "70", f"role{role.pk}-currency": "USD"},
    )
    # then the roles page comes back with the message, the role's form open
    assert response.status_code == 422
    assert "A rate needs the date it applies from" in response.text
    assert "<details open>" in response.text
    assert not role.rates.exists()


def test_a_duplicate_role_name_is_refused(world):
    pool_services.role_create(organisation=world.organisation, actor=world.admin, name="QA")
    response = client_for(world.admin).post(reverse("resource-role-add"), {"role-name": "qa"})
    assert response.status_code == 422
    assert "There is already a role called “qa”." in response.text


def test_a_persons_page_lists_their_open_tasks_in_projects_the_viewer_sees(world):
    # given the member's resource, assigned on WEB and an assignee on a task of another project
    person = person_for(world.member, world.organisation, name="Mia")
    AssignmentFactory(
        task=TaskFactory(project=world.project, name="Checkout"), resource=person, units=60
    )
    board_task = TaskFactory(project=world.project, name="Fix login")
    board_task.assignees.add(world.member)
    hidden = TaskFactory(
        project=ProjectFactory(organisation=world.organisation), name="Secret work"
    )
    AssignmentFactory(task=hidden, resource=person)
    # when a viewer of WEB opens Mia's page
    page = client_for(world.viewer).get(reverse("resource-detail", args=[person.pk])).text
    # then both WEB tasks are listed with their units, nothing of the project they cannot see
    assert "Checkout" in page and "60 %" in page
    assert "Fix login" in page and "(assignee)" in page
    assert "Secret work" not in page

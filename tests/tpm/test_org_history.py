"""The organisation's history page: who changed what, from what to what."""

from django.urls import reverse

from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm import services
from tpm.models import Membership

HISTORY = "/org/history/"


def test_history_shows_a_role_change(world):
    # given the admin made the bystander an admin through the members page
    membership = Membership.objects.get(user=world.bystander)
    client = client_for(world.admin)
    client.post(reverse("org-member-role", args=[membership.pk]), {"role": "admin", "version": 1})
    # when the admin opens the history
    response = client.get(HISTORY)
    # then the change is listed first: who, what, from -> to
    assert response.status_code == 200
    entry = response.context["page"][0]
    assert (entry.actor, entry.action, entry.changes) == (
        world.admin,
        "updated",
        {"role": ["member", "admin"]},
    )
    assert "role: member → admin" in response.text
    assert world.admin.display_name in response.text


def test_history_shows_only_this_organisation(world):
    services.organisation_update(
        organisation=world.other_organisation, actor=world.outsider, version=1, name="Globex 2"
    )
    response = client_for(world.admin).get(HISTORY)
    assert "Globex 2" not in response.text


def test_history_is_paginated_by_50(db):
    # given 60 changes
    organisation = OrganisationFactory(name="Busy")
    admin = member_of(organisation, "admin")
    for n in range(60):
        services.organisation_update(
            organisation=organisation, actor=admin, version=n + 1, name=f"Busy {n}"
        )
    client = client_for(admin)
    # then the first page holds the newest 50, the second the rest
    first = client.get(HISTORY)
    assert len(first.context["page"]) == 50
    assert "Busy 58 → Busy 59" in first.text.replace("name: ", "")
    second = client.get(HISTORY + "?page=2")
    assert len(second.context["page"]) == 10


def test_members_cannot_read_the_history(world):
    assert client_for(world.member).get(HISTORY).status_code == 403


def test_history_query_count_does_not_grow(db, django_assert_max_num_queries):
    # given one organisation with 3 people joined (3 entries), another with 30
    def organisation_of(size: int):
        organisation = services.organisation_create(name="Org", actor=UserFactory())
        admin = Membership.objects.get(organisation=organisation).user
        for _ in range(size - 1):
            person = UserFactory()
            membership = MembershipFactory(organisation=organisation, user=person)
            services.membership_change_role(
                membership=membership, role="admin", version=1, actor=admin
            )
        return client_for(admin)

    small, large = organisation_of(3), organisation_of(30)
    few = queries_for_get(small, HISTORY)
    with django_assert_max_num_queries(8):
        many = queries_for_get(large, HISTORY)
    assert_same_count(few, many)

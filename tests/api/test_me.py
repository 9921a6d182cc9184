"""GET /api/v1/me/: who am I, and where do I belong."""

from tests.factories import MembershipFactory, OrganisationFactory, member_of
from tpm.roles import OrgRole


def test_me_lists_my_organisations_with_my_role(world, api):
    # given the organisation's admin also belongs to the other organisation as a member
    MembershipFactory(organisation=world.other_organisation, user=world.admin, role=OrgRole.MEMBER)
    # when they ask who they are
    response = api(world.admin).get("/api/v1/me/")
    # then they see themselves and both organisations, with their role in each
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "admin@acme.test"
    assert {(o["name"], o["role"]) for o in body["organisations"]} == {
        ("Acme", "admin"),
        ("Globex", "member"),
    }


def test_me_shows_nothing_of_other_people(world, api):
    # when the bystander asks
    body = api(world.bystander).get("/api/v1/me/").json()
    # then only their own membership is there
    assert [o["name"] for o in body["organisations"]] == ["Acme"]
    assert set(body) == {"id", "email", "full_name", "display_name", "organisations"}


def test_me_costs_the_same_however_many_organisations(world, api, django_assert_num_queries):
    # given someone in one organisation, then in ten more
    person = member_of(world.organisation)
    client = api(person)
    # when they ask who they are, with one and with eleven organisations
    with django_assert_num_queries(4):  # session, user, user again with filter, memberships
        assert client.get("/api/v1/me/").status_code == 200
    for _ in range(10):
        MembershipFactory(organisation=OrganisationFactory(), user=person)
    # then the cost does not change
    with django_assert_num_queries(4):
        body = client.get("/api/v1/me/").json()
    assert len(body["organisations"]) == 11

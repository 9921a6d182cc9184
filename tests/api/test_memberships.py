"""Organisation memberships: members see their colleagues; admins change roles and remove people."""

from projects.models import ProjectMembership
from tests.api.conftest import if_match
from tpm.models import Membership
from tpm.roles import OrgRole


def _membership(user) -> Membership:
    return Membership.objects.get(user=user)


def test_members_see_the_memberships_of_their_organisations_only(world, api):
    # when a viewer lists memberships
    body = api(world.viewer).get("/api/v1/memberships/?page_size=100").json()
    # then they see everyone in Acme and nobody from Globex
    emails = {m["user"]["email"] for m in body["results"]}
    assert "admin@acme.test" in emails
    assert "bystander@acme.test" in emails
    assert not any(e.endswith("globex.test") for e in emails)
    assert {m["organisation"] for m in body["results"]} == {world.organisation.pk}


def test_memberships_filter_by_role_and_order(world, api):
    # when the admin lists the admins, and everyone ordered by email descending
    client = api(world.admin)
    admins = client.get("/api/v1/memberships/?role=admin").json()["results"]
    ordered = client.get("/api/v1/memberships/?ordering=-user__email").json()["results"]
    # then the filter and the ordering apply
    assert [m["user"]["email"] for m in admins] == ["admin@acme.test"]
    expected = Membership.objects.filter(organisation=world.organisation).order_by("-user__email")
    assert [m["user"]["email"] for m in ordered] == [m.user.email for m in expected]


def test_filtering_by_another_organisation_gives_an_empty_page(world, api):
    # when a member filters by the other organisation's id
    body = api(world.member).get(f"/api/v1/memberships/?organisation={world.other_organisation.pk}")
    # then there is nothing to see (and no hint it exists)
    assert body.status_code == 200
    assert body.json()["count"] == 0


def test_an_admin_changes_a_role(world, api):
    # when the admin makes the bystander an admin
    membership = _membership(world.bystander)
    response = api(world.admin).patch(
        f"/api/v1/memberships/{membership.pk}/", {"role": "admin"}, headers=if_match(1)
    )
    # then the role changes and the version moves on
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert response["ETag"] == '"2"'


def test_the_last_admin_cannot_step_down(world, api):
    # when the only admin demotes themselves
    membership = _membership(world.admin)
    response = api(world.admin).patch(
        f"/api/v1/memberships/{membership.pk}/", {"role": "member", "version": 1}
    )
    # then the rule refuses it, naming the role
    assert response.status_code == 400
    assert "role" in response.json()["errors"]
    membership.refresh_from_db()
    assert membership.role == OrgRole.ADMIN


def test_an_unknown_role_is_a_400_on_role(world, api):
    # when the admin sends a role that does not exist
    membership = _membership(world.bystander)
    response = api(world.admin).patch(
        f"/api/v1/memberships/{membership.pk}/", {"role": "owner"}, headers=if_match(1)
    )
    # then the field is named
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]


def test_a_stale_role_change_is_a_conflict(world, api):
    # given the membership moved on to version 2
    membership = _membership(world.bystander)
    client = api(world.admin)
    client.patch(f"/api/v1/memberships/{membership.pk}/", {"role": "admin"}, headers=if_match(1))
    # when an edit based on version 1 arrives
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}/", {"role": "member"}, headers=if_match(1)
    )
    # then it is a conflict, and the current role is kept
    assert response.status_code == 409
    assert response.json()["current"]["role"] == "admin"
    membership.refresh_from_db()
    assert membership.role == OrgRole.ADMIN


def test_an_admin_removes_someone_and_their_project_roles_go(world, api):
    # when the admin removes the viewer from the organisation
    membership = _membership(world.viewer)
    response = api(world.admin).delete(f"/api/v1/memberships/{membership.pk}/")
    # then they are gone from the organisation and its projects
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not ProjectMembership.objects.filter(user=world.viewer).exists()


def test_the_last_admin_cannot_be_removed(world, api):
    # when the only admin removes themselves
    membership = _membership(world.admin)
    response = api(world.admin).delete(f"/api/v1/memberships/{membership.pk}/")
    # then the rule refuses it
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_members_cannot_remove_each_other(world, api):
    # when the manager (an org member) removes the viewer
    membership = _membership(world.viewer)
    response = api(world.manager).delete(f"/api/v1/memberships/{membership.pk}/")
    # then they are refused
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()

"""Organisations: yours only, create one (you become admin), admins rename it (versioned)."""

from tests.api.conftest import if_match
from tpm.models import HistoryEntry, Membership, Organisation
from tpm.roles import OrgRole


def test_list_shows_only_my_organisations_with_my_role(world, api):
    # when the outsider and a project member list organisations
    outsider = api(world.outsider).get("/api/v1/organisations/").json()
    member = api(world.member).get("/api/v1/organisations/").json()
    # then each sees their own, with their role
    assert [(o["name"], o["my_role"]) for o in outsider["results"]] == [("Globex", "admin")]
    assert [(o["name"], o["my_role"]) for o in member["results"]] == [("Acme", "member")]
    assert member["count"] == 1


def test_detail_of_my_organisation_carries_its_version_as_etag(world, api):
    # when the admin reads their organisation
    response = api(world.admin).get(f"/api/v1/organisations/{world.organisation.pk}/")
    # then the ETag is the version
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_another_organisation_is_not_found(world, api):
    # when the admin asks for the other organisation
    response = api(world.admin).get(f"/api/v1/organisations/{world.other_organisation.pk}/")
    # then it does not exist for them
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_creating_an_organisation_makes_me_its_admin(world, api):
    # when the bystander creates an organisation
    response = api(world.bystander).post("/api/v1/organisations/", {"name": "  Initech "})
    # then it exists, with them as admin, and the creation is in its history
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Initech"
    assert body["slug"] == "initech"
    assert body["my_role"] == "admin"
    organisation = Organisation.objects.get(pk=body["id"])
    assert Membership.objects.get(organisation=organisation).user == world.bystander
    assert HistoryEntry.objects.filter(organisation=organisation, action="created").exists()


def test_a_taken_slug_is_a_400_on_slug(world, api):
    # when someone asks for the slug another organisation has
    response = api(world.bystander).post(
        "/api/v1/organisations/", {"name": "Acme 2", "slug": world.organisation.slug}
    )
    # then the slug is refused
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["slug"]


def test_an_admin_renames_the_organisation(world, api):
    # when the admin renames it with the version they read
    response = api(world.admin).patch(
        f"/api/v1/organisations/{world.organisation.pk}/",
        {"name": "Acme Ltd"},
        headers=if_match(1),
    )
    # then it is renamed and its version moves on
    assert response.status_code == 200
    assert response.json()["name"] == "Acme Ltd"
    assert response["ETag"] == '"2"'
    world.organisation.refresh_from_db()
    assert (world.organisation.name, world.organisation.version) == ("Acme Ltd", 2)


def test_a_member_cannot_rename_it(world, api):
    # when a non-admin member tries
    response = api(world.manager).put(
        f"/api/v1/organisations/{world.organisation.pk}/", {"name": "Mine"}, headers=if_match(1)
    )
    # then they are refused and nothing changes
    assert response.status_code == 403
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Acme"


def test_a_stale_rename_is_a_conflict_with_the_current_state(world, api):
    # given someone renamed the organisation after the admin read it
    client = api(world.admin)
    client.patch(
        f"/api/v1/organisations/{world.organisation.pk}/", {"name": "First"}, headers=if_match(1)
    )
    # when the admin saves their edit based on version 1
    response = client.patch(
        f"/api/v1/organisations/{world.organisation.pk}/", {"name": "Second"}, headers=if_match(1)
    )
    # then it is refused with the current state, which is left as it was
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["current"]["name"] == "First"
    assert body["current"]["my_role"] == OrgRole.ADMIN
    assert response["ETag"] == '"2"'
    world.organisation.refresh_from_db()
    assert world.organisation.name == "First"


def test_an_edit_without_a_version_is_428(world, api):
    # when the admin renames without saying which version they edited
    response = api(world.admin).patch(
        f"/api/v1/organisations/{world.organisation.pk}/", {"name": "Blind"}
    )
    # then the server asks for one
    assert response.status_code == 428
    assert response.json()["code"] == "version_required"


def test_the_slug_cannot_be_changed_through_an_update(world, api):
    # when the admin sends a slug in an update
    response = api(world.admin).patch(
        f"/api/v1/organisations/{world.organisation.pk}/",
        {"slug": "new-slug", "version": 1},
    )
    # then the field is named as not accepted
    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": ["This field is not accepted here."]}


def test_organisations_cannot_be_deleted(world, api):
    # when the admin tries to delete their organisation
    response = api(world.admin).delete(f"/api/v1/organisations/{world.organisation.pk}/")
    # then the method is not offered
    assert response.status_code == 405

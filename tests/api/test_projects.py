"""Projects: scoped lists with filters, create, versioned edits, soft delete and restore."""

from datetime import date

from projects.models import Project, ProjectMembership
from tests.api.conftest import if_match
from tests.factories import ProjectFactory, on_project
from tpm.models import HistoryEntry
from tpm.roles import ProjectRole


def _keys(response) -> list[str]:
    return [p["key"] for p in response.json()["results"]]


def test_people_see_the_projects_they_have_a_role_in(world, api):
    # given a second Acme project the viewer has no role in
    ProjectFactory(organisation=world.organisation, key="API", name="Public API")
    # when the viewer, the admin, the bystander and the outsider list projects
    viewer = api(world.viewer).get("/api/v1/projects/")
    admin = api(world.admin).get("/api/v1/projects/")
    bystander = api(world.bystander).get("/api/v1/projects/")
    outsider = api(world.outsider).get("/api/v1/projects/")
    # then each sees their own (admins all of the organisation's live ones, not the trash)
    assert _keys(viewer) == ["WEB"]
    assert viewer.json()["results"][0]["my_role"] == "viewer"
    assert _keys(admin) == ["API", "WEB"]
    assert _keys(bystander) == []
    assert _keys(outsider) == ["GLX"]


def test_projects_filter_search_and_order(world, api):
    # given more Acme projects
    ProjectFactory(
        organisation=world.organisation,
        key="API",
        name="Public API",
        status="on_hold",
        methodology="agile",
        target_date=date(2030, 1, 1),
    )
    ProjectFactory(
        organisation=world.organisation, key="OPS", name="Ops", target_date=date(2029, 1, 1)
    )
    client = api(world.admin)
    # when the admin filters, searches and orders
    on_hold = client.get("/api/v1/projects/?status=on_hold")
    agile = client.get("/api/v1/projects/?methodology=agile")
    searched = client.get("/api/v1/projects/?search=web")
    by_target = client.get("/api/v1/projects/?ordering=-target_date&search=p")
    by_org = client.get(f"/api/v1/projects/?organisation={world.organisation.pk}")
    # then each answer holds what was asked for
    assert _keys(on_hold) == ["API"]
    assert _keys(agile) == ["API"]
    assert _keys(searched) == ["WEB"]
    assert _keys(by_target) == ["API", "OPS"]
    assert sorted(_keys(by_org)) == ["API", "OPS", "WEB"]


def test_an_unknown_filter_value_is_a_400(world, api):
    # when someone filters on a status that does not exist
    response = api(world.admin).get("/api/v1/projects/?status=sleeping")
    # then the parameter is named
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_pages_have_a_size(world, api):
    # given five projects the admin sees
    for n in range(4):
        ProjectFactory(organisation=world.organisation, key=f"PG{n}")
    # when they ask for pages of two
    body = api(world.admin).get("/api/v1/projects/?page_size=2&page=2").json()
    # then they get the second page of two, and the total
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is not None and body["next"] is not None


def test_a_member_creates_a_project_and_becomes_its_manager(world, api):
    # when the bystander creates a project with a lower-case key
    response = api(world.bystander).post(
        "/api/v1/projects/",
        {
            "organisation": world.organisation.pk,
            "key": "crm",
            "name": "CRM",
            "methodology": "agile",
            "start_date": "2030-01-01",
        },
    )
    # then it exists with the key in capitals and they manage it
    assert response.status_code == 201
    body = response.json()
    assert (body["key"], body["my_role"], body["methodology"]) == ("CRM", "manager", "agile")
    assert body["start_date"] == "2030-01-01"
    assert response["ETag"] == '"1"'
    assert ProjectMembership.objects.get(project_id=body["id"]).user == world.bystander


def test_a_duplicate_key_is_a_400_on_key(world, api):
    # when the admin reuses the key WEB
    response = api(world.admin).post(
        "/api/v1/projects/", {"organisation": world.organisation.pk, "key": "WEB", "name": "Dup"}
    )
    # then the key is refused
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["key"]


def test_a_key_of_a_trashed_project_is_still_taken(world, api):
    # when the admin reuses the trashed project's key
    response = api(world.admin).post(
        "/api/v1/projects/", {"organisation": world.organisation.pk, "key": "OLD", "name": "New"}
    )
    # then the key is refused, with a hint about the trash
    assert response.status_code == 400
    assert "trash" in response.json()["errors"]["key"][0]


def test_an_invalid_key_and_dates_are_named(world, api):
    # when the key is malformed, or the target date comes before the start
    client = api(world.admin)
    bad_key = client.post(
        "/api/v1/projects/", {"organisation": world.organisation.pk, "key": "1X", "name": "A"}
    )
    bad_dates = client.post(
        "/api/v1/projects/",
        {
            "organisation": world.organisation.pk,
            "key": "DATES",
            "name": "B",
            "start_date": "2030-02-01",
            "target_date": "2030-01-01",
        },
    )
    # then the offending fields are named
    assert bad_key.status_code == bad_dates.status_code == 400
    assert "key" in bad_key.json()["errors"]
    assert list(bad_dates.json()["errors"]) == ["target_date"]


def test_creating_in_another_organisation_is_404_and_creates_nothing(world, api):
    # when Acme's admin names Globex in the body
    response = api(world.admin).post(
        "/api/v1/projects/",
        {"organisation": world.other_organisation.pk, "key": "SPY", "name": "Spy"},
    )
    # then Globex is not found for them, the field is named, and nothing is created
    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["organisation"]
    assert not Project.objects.filter(key="SPY").exists()


def test_an_unknown_field_is_a_400_naming_it(world, api):
    # when a body carries fields the endpoint does not take
    response = api(world.admin).post(
        "/api/v1/projects/",
        {
            "organisation": world.organisation.pk,
            "key": "UNK",
            "name": "Unknown",
            "budget": 100,
            "my_role": "manager",
        },
    )
    # then each is named and nothing is created
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "budget": ["This field is not accepted here."],
        "my_role": ["This field is not accepted here."],
    }
    assert not Project.objects.filter(key="UNK").exists()


def test_a_wrong_type_is_a_400_naming_the_field(world, api):
    # when fields carry the wrong types
    response = api(world.admin).post(
        "/api/v1/projects/",
        {
            "organisation": "acme",
            "key": "TYPE",
            "name": "Types",
            "start_date": "next week",
        },
    )
    # then the fields are named in the one error shape
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"organisation", "start_date"}


def test_malformed_json_is_a_400(world, api):
    # when the body is not JSON
    response = api(world.admin).generic(
        "POST", "/api/v1/projects/", '{"name": "Half', content_type="application/json"
    )
    # then it is refused as unparseable
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert body["errors"] == {}


def test_a_body_that_is_not_an_object_is_a_400(world, api):
    # when the body is a JSON list
    response = api(world.admin).post("/api/v1/projects/", [1, 2], format="json")
    # then it is refused
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_detail_has_an_etag_and_a_manager_edits_with_it(world, api):
    # given the manager read the project
    client = api(world.manager)
    url = f"/api/v1/projects/{world.project.pk}/"
    etag = client.get(url)["ETag"]
    # when they edit it with that ETag
    response = client.patch(url, {"status": "on_hold", "name": "Web"}, headers={"If-Match": etag})
    # then the change is saved, recorded, and the version moves on
    assert response.status_code == 200
    assert response.json()["status"] == "on_hold"
    assert response["ETag"] == '"2"'
    assert HistoryEntry.objects.filter(scope=f"project:{world.project.pk}", action="updated")


def test_a_bare_if_match_and_a_body_version_work_too(world, api):
    # when the manager sends the version bare, and then in the body
    client = api(world.manager)
    url = f"/api/v1/projects/{world.project.pk}/"
    bare = client.patch(url, {"name": "One"}, headers={"If-Match": "1"})
    in_body = client.put(url, {"name": "Two", "version": 2})
    # then both are accepted
    assert bare.status_code == in_body.status_code == 200
    assert in_body.json()["version"] == 3


def test_a_stale_edit_is_409_with_the_current_state_and_nothing_overwritten(world, api):
    # given the admin saved a change after the manager read version 1
    api(world.admin).patch(
        f"/api/v1/projects/{world.project.pk}/", {"name": "Admin's name"}, headers=if_match(1)
    )
    # when the manager saves their edit based on version 1
    response = api(world.manager).patch(
        f"/api/v1/projects/{world.project.pk}/", {"name": "Manager's name"}, headers=if_match(1)
    )
    # then they get the current state, and the admin's change stands
    assert response.status_code == 409
    current = response.json()["current"]
    assert (current["name"], current["version"], current["my_role"]) == (
        "Admin's name",
        2,
        "manager",
    )
    world.project.refresh_from_db()
    assert world.project.name == "Admin's name"


def test_an_edit_without_a_version_is_428_and_changes_nothing(world, api):
    # when the manager edits without a version
    response = api(world.manager).patch(f"/api/v1/projects/{world.project.pk}/", {"name": "X"})
    # then the server asks for one
    assert response.status_code == 428
    world.project.refresh_from_db()
    assert world.project.name == "Website"


def test_a_malformed_if_match_or_disagreeing_versions_are_400(world, api):
    # when If-Match is not a version, or disagrees with the body
    client = api(world.manager)
    url = f"/api/v1/projects/{world.project.pk}/"
    malformed = client.patch(url, {"name": "X"}, headers={"If-Match": "*"})
    disagree = client.patch(url, {"name": "X", "version": 2}, headers=if_match(1))
    # then each names what is wrong
    assert malformed.status_code == disagree.status_code == 400
    assert list(malformed.json()["errors"]) == ["If-Match"]
    assert list(disagree.json()["errors"]) == ["version"]


def test_the_key_cannot_be_changed(world, api):
    # when the manager sends a new key in an update
    response = api(world.manager).patch(
        f"/api/v1/projects/{world.project.pk}/", {"key": "NEWKEY"}, headers=if_match(1)
    )
    # then the key is named as not accepted
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["key"]


def test_a_member_cannot_edit_and_a_bystander_cannot_see(world, api):
    # when a project member and the bystander try to edit
    url = f"/api/v1/projects/{world.project.pk}/"
    member = api(world.member).patch(url, {"name": "X"}, headers=if_match(1))
    bystander = api(world.bystander).patch(url, {"name": "X"}, headers=if_match(1))
    # then the member is refused and the bystander does not see it
    assert member.status_code == 403
    assert bystander.status_code == 404


def test_delete_moves_to_the_trash_and_an_admin_restores_it(world, api):
    # given the manager deletes the project
    url = f"/api/v1/projects/{world.project.pk}/"
    deleted = api(world.manager).delete(url)
    assert deleted.status_code == 204
    # then it is gone from lists and details, but kept
    assert api(world.manager).get(url).status_code == 404
    assert _keys(api(world.admin).get("/api/v1/projects/")) == []
    world.project.refresh_from_db()
    assert world.project.is_deleted
    # when the manager and then the admin restore it
    manager_restore = api(world.manager).post(f"{url}restore/")
    admin_restore = api(world.admin).post(f"{url}restore/")
    # then only the admin can, and it is back with its members
    assert manager_restore.status_code == 404
    assert admin_restore.status_code == 200
    assert admin_restore.json()["key"] == "WEB"
    assert admin_restore.json()["member_count"] == 4
    assert api(world.manager).get(url).status_code == 200


def test_restoring_a_live_project_is_404(world, api):
    # when the admin "restores" a project that is not in the trash
    response = api(world.admin).post(f"/api/v1/projects/{world.project.pk}/restore/")
    # then there is no such deleted project
    assert response.status_code == 404


def test_an_organisation_admin_without_a_project_role_manages_it(world, api):
    # given a project only its creator has a role in
    project = ProjectFactory(organisation=world.organisation, key="SOLO")
    on_project(project, ProjectRole.MANAGER)
    # when the admin edits it
    response = api(world.admin).patch(
        f"/api/v1/projects/{project.pk}/", {"status": "completed"}, headers=if_match(1)
    )
    # then they may (admins act as managers)
    assert response.status_code == 200
    assert response.json()["my_role"] == "manager"

"""Project members: who has which role; managers give, change and take roles."""

from projects.models import ProjectInvitation, ProjectMembership
from tests.api.conftest import if_match
from tests.factories import MembershipFactory, ProjectFactory, on_project
from tpm.models import Invitation
from tpm.roles import ProjectRole


def _role_of(user, project) -> ProjectMembership:
    return ProjectMembership.objects.get(user=user, project=project)


def test_project_members_are_listed_for_people_with_a_role(world, api):
    # when the viewer lists project members, and the bystander too
    viewer = api(world.viewer).get("/api/v1/project-members/").json()
    bystander = api(world.bystander).get("/api/v1/project-members/").json()
    # then the viewer sees WEB's team and nothing of Globex; the bystander sees nobody
    emails = {m["user"]["email"] for m in viewer["results"]}
    assert emails == {
        "manager@acme.test",
        "member@acme.test",
        "stakeholder@acme.test",
        "viewer@acme.test",
    }
    assert bystander["count"] == 0


def test_project_members_filter_by_project_role_and_user(world, api):
    # given a second project where the member is a viewer
    other = ProjectFactory(organisation=world.organisation, key="API")
    ProjectMembership.objects.create(project=other, user=world.member, role=ProjectRole.VIEWER)
    client = api(world.admin)
    # when the admin filters
    by_project = client.get(f"/api/v1/project-members/?project={other.pk}").json()
    by_role = client.get("/api/v1/project-members/?role=viewer").json()
    by_user = client.get(f"/api/v1/project-members/?user={world.member.pk}").json()
    # then the filters apply
    assert [m["user"]["email"] for m in by_project["results"]] == ["member@acme.test"]
    assert {m["user"]["email"] for m in by_role["results"]} == {
        "member@acme.test",
        "viewer@acme.test",
    }
    assert {m["project"] for m in by_user["results"]} == {world.project.pk, other.pk}


def test_a_manager_gives_an_organisation_member_a_role(world, api):
    # when the manager gives the bystander a role by id
    response = api(world.manager).post(
        "/api/v1/project-members/",
        {"project": world.project.pk, "user": world.bystander.pk, "role": "stakeholder"},
    )
    # then they have it
    assert response.status_code == 201
    body = response.json()
    assert (body["user"]["email"], body["role"]) == ("bystander@acme.test", "stakeholder")
    assert _role_of(world.bystander, world.project).role == ProjectRole.STAKEHOLDER


def test_giving_a_second_role_is_a_400_on_user(world, api):
    # when the manager adds the viewer again
    response = api(world.manager).post(
        "/api/v1/project-members/", {"project": world.project.pk, "user": world.viewer.pk}
    )
    # then the user field is named
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["user"]


def test_by_email_a_member_gets_the_role_and_a_stranger_is_invited(world, api):
    # when the manager adds the bystander and a stranger by email
    client = api(world.manager)
    known = client.post(
        "/api/v1/project-members/",
        {"project": world.project.pk, "email": "Bystander@acme.test", "role": "viewer"},
    )
    stranger = client.post(
        "/api/v1/project-members/",
        {"project": world.project.pk, "email": "new.hire@acme.test", "role": "member"},
    )
    # then the member has the role at once, and the stranger has an invitation waiting
    assert known.status_code == 201
    assert known.json()["role"] == "viewer"
    assert stranger.status_code == 202
    body = stranger.json()
    assert (body["email"], body["role"]) == ("new.hire@acme.test", "member")
    assert ProjectInvitation.objects.filter(project=world.project, pk=body["id"]).exists()
    assert Invitation.objects.get(pk=body["invitation"]).organisation == world.organisation


def test_an_email_that_already_has_a_role_is_a_400_on_email(world, api):
    # when the manager adds the viewer by email
    response = api(world.manager).post(
        "/api/v1/project-members/", {"project": world.project.pk, "email": "viewer@acme.test"}
    )
    # then the email field (the one sent) is named
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


def test_user_or_email_is_required_but_not_both(world, api):
    # when neither, then both, are sent
    client = api(world.manager)
    neither = client.post("/api/v1/project-members/", {"project": world.project.pk})
    both = client.post(
        "/api/v1/project-members/",
        {"project": world.project.pk, "user": world.bystander.pk, "email": "x@acme.test"},
    )
    # then each is refused
    assert neither.status_code == both.status_code == 400


def test_a_project_of_another_organisation_in_the_body_is_404(world, api):
    # when Acme's admin names Globex's project
    before = ProjectMembership.objects.count()
    response = api(world.admin).post(
        "/api/v1/project-members/",
        {"project": world.other_project.pk, "user": world.bystander.pk},
    )
    # then it is not found, the field is named, nothing is created
    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["project"]
    assert ProjectMembership.objects.count() == before


def test_a_user_of_another_organisation_in_the_body_is_404(world, api):
    # when Acme's manager names Globex's admin
    before = ProjectMembership.objects.count()
    response = api(world.manager).post(
        "/api/v1/project-members/", {"project": world.project.pk, "user": world.outsider.pk}
    )
    # then that person is not found for them, the field is named, nothing is created
    assert response.status_code == 404
    body = response.json()
    assert body["detail"] == f"No user with id {world.outsider.pk} is visible to you."
    assert list(body["errors"]) == ["user"]
    assert ProjectMembership.objects.count() == before


def test_a_colleague_from_another_of_my_organisations_is_a_400_on_user(world, api):
    # given the admin also belongs to Globex, where the outsider is
    MembershipFactory(organisation=world.other_organisation, user=world.admin)
    # when the admin gives the outsider (visible to them) a role on an Acme project
    response = api(world.admin).post(
        "/api/v1/project-members/", {"project": world.project.pk, "user": world.outsider.pk}
    )
    # then the service refuses: they are not in the project's organisation
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["user"]
    assert not ProjectMembership.objects.filter(user=world.outsider).exists()


def test_a_member_cannot_give_roles(world, api):
    # when a project member tries
    response = api(world.member).post(
        "/api/v1/project-members/", {"project": world.project.pk, "user": world.bystander.pk}
    )
    # then they are refused
    assert response.status_code == 403


def test_a_manager_changes_a_role_with_the_version(world, api):
    # when the manager makes the viewer a member
    membership = _role_of(world.viewer, world.project)
    response = api(world.manager).patch(
        f"/api/v1/project-members/{membership.pk}/", {"role": "member"}, headers=if_match(1)
    )
    # then the role changes and the version moves on
    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert response["ETag"] == '"2"'


def test_a_stale_role_change_is_409_and_428_without_version(world, api):
    # given the viewer's role moved on to version 2
    membership = _role_of(world.viewer, world.project)
    url = f"/api/v1/project-members/{membership.pk}/"
    client = api(world.manager)
    client.patch(url, {"role": "member"}, headers=if_match(1))
    # when an edit based on version 1 arrives, and one without a version
    stale = client.patch(url, {"role": "stakeholder"}, headers=if_match(1))
    missing = client.patch(url, {"role": "stakeholder"})
    # then the first is a conflict with the current role, the second asks for a version
    assert stale.status_code == 409
    assert stale.json()["current"]["role"] == "member"
    assert missing.status_code == 428
    membership.refresh_from_db()
    assert membership.role == ProjectRole.MEMBER


def test_the_last_manager_keeps_the_role(world, api):
    # when the only manager steps down, or is removed
    membership = _role_of(world.manager, world.project)
    url = f"/api/v1/project-members/{membership.pk}/"
    demote = api(world.manager).patch(url, {"role": "member"}, headers=if_match(1))
    remove = api(world.admin).delete(url)
    # then both are refused
    assert demote.status_code == remove.status_code == 400
    assert list(demote.json()["errors"]) == ["role"]
    membership.refresh_from_db()
    assert membership.role == ProjectRole.MANAGER


def test_with_a_second_manager_the_first_can_leave(world, api):
    # given a second manager
    second = on_project(world.project, ProjectRole.MANAGER)
    membership = _role_of(world.manager, world.project)
    # when the first is removed
    response = api(second).delete(f"/api/v1/project-members/{membership.pk}/")
    # then they are gone
    assert response.status_code == 204
    assert not ProjectMembership.objects.filter(pk=membership.pk).exists()

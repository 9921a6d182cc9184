"""Project members: who sees them, adding, inviting, changing roles and removing.

Every action works as a plain POST (redirect) and through htmx (the members panel comes back).
"""

from django.urls import reverse

from projects.models import ProjectInvitation, ProjectMembership
from tests.conftest import client_for
from tests.factories import InvitationFactory, ProjectMembershipFactory, member_of, on_project
from tests.projects.helpers import HTMX, assert_same_count, queries_for, text
from tpm import services as tpm_services
from tpm.models import Invitation
from tpm.roles import ProjectRole


def _members(world):
    return reverse("project-members", args=[world.project.pk])


def _add(world):
    return reverse("project-member-add", args=[world.project.pk])


def _membership(world, user) -> ProjectMembership:
    return ProjectMembership.objects.get(project=world.project, user=user)


def _role_url(membership):
    return reverse("project-member-role", args=[membership.pk])


def _remove_url(membership):
    return reverse("project-member-remove", args=[membership.pk])


def test_everyone_with_a_role_sees_the_members_but_only_managers_get_controls(world):
    # given a viewer and the manager
    viewer_page = client_for(world.viewer).get(_members(world))
    manager_page = client_for(world.manager).get(_members(world))
    # then both see names, emails and roles
    assert viewer_page.status_code == manager_page.status_code == 200
    for email in ("manager@acme.test", "member@acme.test", "viewer@acme.test"):
        assert email in text(viewer_page)
    # and only the manager gets the forms
    assert _add(world) not in text(viewer_page)
    assert _add(world) in text(manager_page)
    assert 'name="role"' not in text(viewer_page)


def test_manager_adds_an_organisation_member(world):
    # given the bystander is addable (in the organisation, no role yet)
    client = client_for(world.manager)
    page = client.get(_members(world))
    addable = page.context["add_form"].fields["member"].queryset
    bystander = addable.get(user=world.bystander)
    assert not addable.filter(user=world.viewer).exists()
    # when the manager adds them as stakeholder
    response = client.post(_add(world), {"member": bystander.pk, "role": "stakeholder"})
    # then they have the role, and the page says so
    assert response.status_code == 302
    assert _membership(world, world.bystander).role == ProjectRole.STAKEHOLDER
    assert "is now a stakeholder of WEB" in text(client.get(response["Location"]))


def test_add_needs_a_member_or_an_email(world):
    # when the manager submits the form empty
    response = client_for(world.manager).post(_add(world), {"role": "member"})
    # then the form explains, with a 422
    assert response.status_code == 422
    assert "Choose a member" in response.context["add_form"].errors["member"][0]


def test_invite_by_email_of_someone_new_creates_an_invitation(
    world, django_capture_on_commit_callbacks
):
    # given the manager
    client = client_for(world.manager)
    # when they invite an address outside the organisation
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(_add(world), {"email": "Newbie@Example.com", "role": "member"})
    # then an organisation invitation waits with the project role attached
    assert response.status_code == 302
    pending = ProjectInvitation.objects.get(project=world.project)
    assert pending.invitation.email == "newbie@example.com"
    assert pending.role == ProjectRole.MEMBER
    # and it is listed as pending
    page = text(client.get(response["Location"]))
    assert "Invited newbie@example.com" in page
    assert "Pending invitations" in page and "newbie@example.com" in page


def test_accepting_the_invitation_grants_the_project_role(
    world, django_capture_on_commit_callbacks
):
    # given an invitation sent from the members page
    with django_capture_on_commit_callbacks(execute=False):
        client_for(world.manager).post(
            _add(world), {"email": "newbie@example.com", "role": "viewer"}
        )
    invitation = Invitation.objects.get(email="newbie@example.com")
    # when the invitee accepts it
    user = tpm_services.invitation_accept(
        invitation=invitation, full_name="New Bie", password="a-long-password-1"
    )
    # then they are a viewer of WEB
    assert _membership(world, user).role == ProjectRole.VIEWER
    assert "newbie@example.com" in text(client_for(world.viewer).get(_members(world)))


def test_invite_by_email_of_an_organisation_member_adds_them_at_once(world):
    # when the manager types the bystander's address
    response = client_for(world.manager).post(
        _add(world), {"email": "bystander@acme.test", "role": "member"}
    )
    # then they join straight away, without an invitation
    assert response.status_code == 302
    assert _membership(world, world.bystander).role == ProjectRole.MEMBER
    assert not ProjectInvitation.objects.exists()


def test_invite_of_someone_already_on_the_project_is_a_field_error(world):
    # when the manager invites the viewer again
    response = client_for(world.manager).post(
        _add(world), {"email": "viewer@acme.test", "role": "member"}, headers=HTMX
    )
    # then the htmx fragment comes back with a 422 and the error on the email field
    assert response.status_code == 422
    assert "already has a role in WEB" in response.context["add_form"].errors["email"][0]
    assert '<div id="members-panel"' in text(response)
    assert "<html" not in text(response)


def test_change_role_plain_post(world):
    # given the member's membership
    membership = _membership(world, world.member)
    # when the manager makes them a stakeholder
    response = client_for(world.manager).post(
        _role_url(membership), {"role": "stakeholder", "version": membership.version}
    )
    # then it is saved
    assert response.status_code == 302
    assert response["Location"] == _members(world)
    assert _membership(world, world.member).role == ProjectRole.STAKEHOLDER


def test_change_role_with_htmx_returns_the_panel(world):
    # given the member's membership
    membership = _membership(world, world.member)
    # when the manager changes it through htmx
    response = client_for(world.manager).post(
        _role_url(membership), {"role": "viewer", "version": membership.version}, headers=HTMX
    )
    # then the panel comes back with the news and the new role selected
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<div id="members-panel"')
    assert "is now a viewer of the project" in body
    assert _membership(world, world.member).role == ProjectRole.VIEWER


def test_stale_role_change_is_a_409(world):
    # given a colleague changed the member's role after the page was loaded
    membership = _membership(world, world.member)
    client_for(world.admin).post(
        _role_url(membership), {"role": "stakeholder", "version": membership.version}
    )
    # when the manager submits the old version
    response = client_for(world.manager).post(
        _role_url(membership), {"role": "viewer", "version": membership.version}, headers=HTMX
    )
    # then nothing is overwritten and the row says what happened
    assert response.status_code == 409
    assert "Someone else changed" in text(response)
    assert "it is now stakeholder" in text(response)
    assert _membership(world, world.member).role == ProjectRole.STAKEHOLDER


def test_the_last_manager_cannot_be_demoted(world):
    # given WEB has one manager
    membership = _membership(world, world.manager)
    # when they try to make themselves a member
    response = client_for(world.manager).post(
        _role_url(membership), {"role": "member", "version": membership.version}
    )
    # then the page comes back with a 422 explaining why
    assert response.status_code == 422
    assert "A project needs at least one manager." in text(response)
    assert _membership(world, world.manager).role == ProjectRole.MANAGER


def test_the_last_manager_cannot_be_removed(world):
    # given WEB has one manager
    membership = _membership(world, world.manager)
    # when an org admin tries to remove them through htmx
    response = client_for(world.admin).post(_remove_url(membership), headers=HTMX)
    # then it is refused with the reason
    assert response.status_code == 422
    assert "A project needs at least one manager" in text(response)
    assert ProjectMembership.objects.filter(pk=membership.pk).exists()


def test_remove_a_member(world):
    # given the viewer's membership
    membership = _membership(world, world.viewer)
    client = client_for(world.manager)
    # when the manager removes them
    response = client.post(_remove_url(membership))
    # then they are gone and can no longer see the project
    assert response.status_code == 302
    assert not ProjectMembership.objects.filter(pk=membership.pk).exists()
    assert "Removed" in text(client.get(response["Location"]))
    detail = reverse("project-detail", args=[world.project.pk])
    assert client_for(world.viewer).get(detail).status_code == 404


def test_a_manager_who_removes_themselves_goes_back_to_the_list(world):
    # given a second manager, so the first may leave
    on_project(world.project, ProjectRole.MANAGER)
    membership = _membership(world, world.manager)
    # when the first removes their own role through htmx
    response = client_for(world.manager).post(_remove_url(membership), headers=HTMX)
    # then htmx is told to load the project list
    assert response["HX-Redirect"] == reverse("project-list")


def test_members_cannot_change_roles(world):
    # given the viewer's membership
    membership = _membership(world, world.viewer)
    # when a member tries to promote the viewer or remove them
    client = client_for(world.member)
    role = client.post(_role_url(membership), {"role": "manager", "version": 1})
    remove = client.post(_remove_url(membership))
    # then both are refused
    assert (role.status_code, remove.status_code) == (403, 403)
    assert _membership(world, world.viewer).role == ProjectRole.VIEWER


def _grow(world, count: int):
    """`count` more members, organisation members who could be added, and pending invitations."""
    for _ in range(count):
        ProjectMembershipFactory(project=world.project, user=member_of(world.organisation))
        member_of(world.organisation)
        ProjectInvitation.objects.create(
            project=world.project,
            invitation=InvitationFactory(organisation=world.organisation),
            role="member",
        )


def test_members_page_query_count_does_not_grow(world):
    # given a few members, addable people and invitations
    client = client_for(world.manager)
    _grow(world, 3)
    few = queries_for(client, "get", _members(world))
    # when there are many more
    _grow(world, 27)
    many = queries_for(client, "get", _members(world))
    # then the page costs the same
    assert len(many.response.context["members"]) == 4 + 30
    assert_same_count(few, many)


def test_htmx_role_change_query_count_does_not_grow(world):
    # given a few members
    client = client_for(world.manager)
    membership = _membership(world, world.member)
    _grow(world, 3)
    few = queries_for(
        client, "post", _role_url(membership), data={"role": "viewer", "version": 1}, headers=HTMX
    )
    # when there are many more and the role changes back
    _grow(world, 27)
    many = queries_for(
        client, "post", _role_url(membership), data={"role": "member", "version": 2}, headers=HTMX
    )
    # then the fragment costs the same
    assert_same_count(few, many)


def test_htmx_remove_query_count_does_not_grow(world):
    # given a few members
    client = client_for(world.manager)
    _grow(world, 3)
    few = queries_for(client, "post", _remove_url(_membership(world, world.viewer)), headers=HTMX)
    # when there are many more
    _grow(world, 27)
    many = queries_for(
        client, "post", _remove_url(_membership(world, world.stakeholder)), headers=HTMX
    )
    # then the fragment costs the same
    assert_same_count(few, many)


def test_htmx_add_query_count_does_not_grow(world):
    # given a few members and addable people
    client = client_for(world.manager)
    _grow(world, 3)
    few = queries_for(
        client,
        "post",
        _add(world),
        data={"email": "viewer@acme.test", "role": "member"},
        headers=HTMX,
        expect_status=422,
    )
    # when there are many more
    _grow(world, 27)
    many = queries_for(
        client,
        "post",
        _add(world),
        data={"email": "viewer@acme.test", "role": "member"},
        headers=HTMX,
        expect_status=422,
    )
    # then the fragment with the error costs the same
    assert_same_count(few, many)


def test_htmx_invite_returns_the_panel_with_the_invitation(
    world, django_capture_on_commit_callbacks
):
    # given the manager on the members page
    client = client_for(world.manager)
    # when they invite someone through htmx
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            _add(world), {"email": "newbie@example.com", "role": "stakeholder"}, headers=HTMX
        )
    # then the panel comes back listing the pending invitation, and the form is empty again
    assert response.status_code == 200
    body = text(response)
    assert "Invited newbie@example.com; they become a stakeholder of WEB" in body
    assert [p.invitation.email for p in response.context["invitations"]] == ["newbie@example.com"]
    assert not response.context["add_form"].is_bound

"""Invitations: the organisation's admins invite, list and revoke; the token is never shown."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import InvitationFactory
from tpm.models import Invitation


def test_admins_list_their_organisations_invitations_with_their_state(world, api):
    # given an expired and a revoked invitation besides the pending one
    InvitationFactory(
        organisation=world.organisation,
        email="late@acme.test",
        expires_at=timezone.now() - timedelta(days=1),
    )
    InvitationFactory(
        organisation=world.organisation, email="gone@acme.test", revoked_at=timezone.now()
    )
    # when the admin lists invitations
    body = api(world.admin).get("/api/v1/invitations/").json()
    # then they see Acme's, each with its state, and never a token
    states = {i["email"]: i["state"] for i in body["results"]}
    assert states == {
        "new@acme.test": "pending",
        "late@acme.test": "expired",
        "gone@acme.test": "revoked",
    }
    assert all("token" not in i for i in body["results"])


def test_invitations_filter_by_state(world, api):
    # given a revoked invitation besides the pending one
    InvitationFactory(
        organisation=world.organisation, email="gone@acme.test", revoked_at=timezone.now()
    )
    # when the admin asks for pending ones only
    body = api(world.admin).get("/api/v1/invitations/?state=pending").json()
    # then only the pending one is listed
    assert [i["email"] for i in body["results"]] == ["new@acme.test"]


def test_members_see_no_invitations(world, api):
    # when a project manager (not an org admin) lists invitations
    body = api(world.manager).get("/api/v1/invitations/").json()
    # then the list is empty
    assert body["count"] == 0


def test_a_member_gets_403_and_an_outsider_404_on_an_invitation(world, api):
    # when a member and an outsider ask for Acme's invitation
    url = f"/api/v1/invitations/{world.invitation.pk}/"
    member = api(world.member).get(url)
    outsider = api(world.outsider).get(url)
    # then the member is refused and the outsider told it does not exist
    assert member.status_code == 403
    assert outsider.status_code == 404


def test_an_admin_invites_someone(world, api):
    # when the admin invites a new address as admin
    response = api(world.admin).post(
        "/api/v1/invitations/",
        {"organisation": world.organisation.pk, "email": "Dana@Acme.test", "role": "admin"},
    )
    # then a pending invitation exists for the normalised address
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["state"]) == ("dana@acme.test", "admin", "pending")
    assert body["invited_by"]["email"] == "admin@acme.test"
    assert "token" not in body
    assert Invitation.objects.filter(email="dana@acme.test", organisation=world.organisation)


def test_inviting_an_existing_member_is_a_400_on_email(world, api):
    # when the admin invites someone already in the organisation
    response = api(world.admin).post(
        "/api/v1/invitations/",
        {"organisation": world.organisation.pk, "email": "viewer@acme.test"},
    )
    # then the email is refused
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


def test_inviting_to_another_organisation_is_404_and_creates_nothing(world, api):
    # given how many invitations there are
    before = Invitation.objects.count()
    # when Acme's admin names Globex in the body
    response = api(world.admin).post(
        "/api/v1/invitations/",
        {"organisation": world.other_organisation.pk, "email": "spy@acme.test"},
    )
    # then Globex does not exist for them, the field is named, nothing is created
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["detail"] == (
        f"No organisation with id {world.other_organisation.pk} is visible to you."
    )
    assert list(body["errors"]) == ["organisation"]
    assert Invitation.objects.count() == before


def test_a_member_cannot_invite(world, api):
    # when a non-admin member invites someone
    response = api(world.manager).post(
        "/api/v1/invitations/", {"organisation": world.organisation.pk, "email": "x@acme.test"}
    )
    # then they are refused
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@acme.test").exists()


def test_revoking_an_invitation(world, api):
    # when the admin revokes the pending invitation
    client = api(world.admin)
    response = client.delete(f"/api/v1/invitations/{world.invitation.pk}/")
    # then it is revoked (kept, with its state) and cannot be revoked twice
    assert response.status_code == 204
    world.invitation.refresh_from_db()
    assert world.invitation.state() == "revoked"
    again = client.delete(f"/api/v1/invitations/{world.invitation.pk}/")
    assert again.status_code == 400

"""Inviting people to the organisation and withdrawing invitations."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import client_for
from tpm import services
from tpm.models import Invitation

INVITE = "/org/invitations/new/"


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_invite_sends_the_email_after_commit(world, django_capture_on_commit_callbacks):
    # when the admin invites someone as admin
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.admin).post(
            INVITE, {"email": "Zoe@Example.com", "role": "admin"}
        )
    # then the invitation is pending and the email carries a working link
    assert response.url == reverse("org-members")
    invitation = Invitation.objects.get(email="zoe@example.com")
    assert (invitation.organisation, invitation.role) == (world.organisation, "admin")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zoe@example.com"]
    assert services.invitation_url(invitation) in mail.outbox[0].body
    page = client_for(world.admin).get(reverse("org-members"))
    assert "zoe@example.com" in page.text


def test_invite_with_htmx_returns_the_invitations_section(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.admin).post(
            INVITE, {"email": "zoe@example.com", "role": "member"}, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200
    assert response.text.strip().startswith('<section id="invitations"')
    assert "An invitation is on its way to zoe@example.com." in response.text
    assert len(mail.outbox) == 1


def test_inviting_a_member_is_422_next_to_the_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.admin).post(
            INVITE, {"email": world.member.email, "role": "member"}
        )
    assert response.status_code == 422
    assert "is already a member of Acme" in response.context["invite_form"].errors["email"][0]
    assert mail.outbox == []


def test_invalid_email_is_422(world):
    response = client_for(world.admin).post(INVITE, {"email": "not an email", "role": "member"})
    assert response.status_code == 422
    assert response.context["invite_form"].errors["email"]


def test_admin_withdraws_an_invitation(world):
    response = client_for(world.admin).post(
        reverse("invitation-revoke", args=[world.invitation.pk])
    )
    assert response.url == reverse("org-members")
    world.invitation.refresh_from_db()
    assert world.invitation.state() == "revoked"


def test_withdrawing_twice_says_so(world):
    client = client_for(world.admin)
    client.post(reverse("invitation-revoke", args=[world.invitation.pk]))
    response = client.post(reverse("invitation-revoke", args=[world.invitation.pk]))
    assert response.status_code == 422
    assert "This invitation is already revoked." in response.text


def test_another_organisations_invitation_is_404(world):
    response = client_for(world.admin).post(
        reverse("invitation-revoke", args=[world.other_invitation.pk])
    )
    assert response.status_code == 404
    world.other_invitation.refresh_from_db()
    assert world.other_invitation.is_usable()

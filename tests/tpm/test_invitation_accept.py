"""Accepting an invitation from the emailed link, in each situation a person can be in."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import InvitationFactory, UserFactory
from tpm import services
from tpm.models import Invitation, Membership, User

NEW_PASSWORD = "a-long-unusual-passphrase-7"


def _url(invitation: Invitation) -> str:
    return reverse("invitation-accept", args=[services.invitation_token(invitation)])


def _sign_up(client, invitation, **overrides):
    data = {"full_name": "Nina New", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(_url(invitation), {**data, **overrides})


def test_new_person_creates_an_account_joins_and_is_signed_in(world, client):
    # given an invitation to new@acme.test, who has no account
    page = client.get(_url(world.invitation))
    assert page.status_code == 200
    assert "Create your account to accept" in page.text
    # when they fill in the form
    response = _sign_up(client, world.invitation)
    # then the account exists, belongs to Acme, is signed in and acting in Acme
    assert response.url == reverse("home")
    user = User.objects.get(email="new@acme.test")
    assert user.full_name == "Nina New"
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).organisation == world.organisation
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["organisation_id"] == world.organisation.pk
    world.invitation.refresh_from_db()
    assert world.invitation.accepted_by == user


def test_weak_password_errors_show_next_to_the_field_and_nothing_is_created(world, client):
    # when the new person picks a short, common password, and mistypes the confirmation
    response = _sign_up(client, world.invitation, password1="password", password2="passw0rd")
    # then the validators' messages are on the fields, and nothing is created
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "This password is too common." in errors["password1"]
    assert any("too short" in message for message in errors["password1"])
    assert errors["password2"] == ["The two passwords differ."]
    assert 'id="id_password1_error"' in response.text
    assert not User.objects.filter(email="new@acme.test").exists()
    assert world.invitation.is_usable()


def test_password_like_the_email_is_refused(world, client):
    response = _sign_up(
        client, world.invitation, password1="new@acme.test1", password2="new@acme.test1"
    )
    assert response.status_code == 422
    assert any("too similar" in m for m in response.context["form"].errors["password1"])


def test_existing_account_not_signed_in_is_asked_to_sign_in(world, client, password):
    # given an invitation for the bystander's address (say, to rejoin after leaving)
    invitation = InvitationFactory(organisation=world.other_organisation, email=world.member.email)
    # when they open the link without being signed in
    response = client.get(_url(invitation))
    # then they are told to sign in, with a way back to the invitation
    assert response.status_code == 200
    assert "You already have an account" in response.text
    href = re.search(r'href="([^"]+)">Sign in to accept', response.text).group(1)
    assert href == f"{reverse('login')}?next={quote(_url(invitation), safe='')}"
    # and posting without signing in creates nothing
    refused = _sign_up(client, invitation)
    assert refused.status_code == 403
    assert not Membership.objects.filter(
        user=world.member, organisation=world.other_organisation
    ).exists()
    # and signing in from that link comes back to the invitation
    login_page = client.get(href)
    assert f'name="next" value="{_url(invitation)}"' in login_page.text
    signed_in = client.post(
        reverse("login"),
        {"email": world.member.email, "password": password, "next": _url(invitation)},
    )
    assert signed_in.url == _url(invitation)


def test_signed_in_with_the_matching_email_accepts(world):
    # given the member is invited to Globex too
    invitation = InvitationFactory(
        organisation=world.other_organisation, email=world.member.email.upper()
    )
    client = client_for(world.member)
    page = client.get(_url(invitation))
    assert "Accept and join Globex" in page.text
    # when they accept
    response = client.post(_url(invitation))
    # then they are a member of Globex, working in it now
    assert response.url == reverse("home")
    membership = Membership.objects.get(user=world.member, organisation=world.other_organisation)
    assert membership.role == invitation.role
    assert client.session["organisation_id"] == world.other_organisation.pk


def test_signed_in_with_another_email_is_told_and_offered_sign_out(world):
    # when the member opens an invitation addressed to new@acme.test
    client = client_for(world.member)
    page = client.get(_url(world.invitation))
    # then they learn why they cannot accept, with a sign-out button
    assert page.status_code == 200
    assert "but this invitation is for <strong>new@acme.test</strong>" in page.text
    assert f'action="{reverse("logout")}"' in page.text
    # and posting is refused with nothing created
    response = client.post(_url(world.invitation))
    assert response.status_code == 403
    world.invitation.refresh_from_db()
    assert world.invitation.is_usable()
    assert not User.objects.filter(email="new@acme.test").exists()
    # when they sign out from there, they come back to the invitation, signed out
    signed_out = client.post(reverse("logout"), {"next": _url(world.invitation)})
    assert signed_out.url == _url(world.invitation)
    assert "Create your account to accept" in client.get(signed_out.url).text


@pytest.mark.parametrize(
    ("change", "state", "words"),
    [
        ({"accepted_at": timezone.now()}, "accepted", "already used"),
        ({"revoked_at": timezone.now()}, "revoked", "withdrawn"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired", "expired"),
    ],
)
def test_used_revoked_or_expired_is_410_and_nothing_is_created(world, client, change, state, words):
    # given an invitation that can no longer be used
    Invitation.objects.filter(pk=world.invitation.pk).update(**change)
    # when the new person opens it and posts the sign-up form anyway
    page = client.get(_url(world.invitation))
    response = _sign_up(client, world.invitation)
    # then both say which, with 410, and no account is created
    assert page.status_code == response.status_code == 410
    assert words in page.text
    assert not User.objects.filter(email="new@acme.test").exists()


@pytest.mark.parametrize(
    "token",
    ["nonsense", "00000000-0000-0000-0000-000000000000:forgedsignature"],
)
def test_forged_or_unknown_link_is_404_and_nothing_is_created(world, client, token):
    url = reverse("invitation-accept", args=[token])
    people = User.objects.count()
    page = client.get(url)
    response = client.post(
        url, {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert page.status_code == response.status_code == 404
    assert "This invitation link does not work" in page.text
    assert User.objects.count() == people


def test_unknown_but_correctly_signed_token_is_404(world, client):
    # given a well-signed link to an invitation that was deleted
    url = _url(world.invitation)
    world.invitation.delete()
    assert client.get(url).status_code == 404


def test_invitation_page_does_not_leak_the_link_as_referrer(world, client):
    assert client.get(_url(world.invitation))["Referrer-Policy"] == "same-origin"


def test_account_with_the_address_created_meanwhile_is_asked_to_sign_in(world, client):
    # given someone registered new@acme.test after the form was shown
    client.get(_url(world.invitation))
    UserFactory(email="new@acme.test")
    # when the form is posted
    response = _sign_up(client, world.invitation)
    # then the person is told to sign in instead; nothing is joined
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="new@acme.test").exists()

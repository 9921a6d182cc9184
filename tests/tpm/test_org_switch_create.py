"""Choosing the current organisation, and starting a new one."""

from django.urls import reverse

from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tpm.models import HistoryEntry, Membership, Organisation


def test_switch_to_an_organisation_i_belong_to(world):
    # given the outsider, who also belongs to Acme
    MembershipFactory(organisation=world.organisation, user=world.outsider)
    client = client_for(world.outsider)
    # when they switch to Acme
    response = client.post(reverse("org-switch"), {"organisation": world.organisation.pk})
    # then Acme is the current organisation from now on
    assert response.url == reverse("home")
    assert client.session["organisation_id"] == world.organisation.pk
    profile = client.get(reverse("profile"))
    assert profile.context["current_membership"].organisation == world.organisation


def test_switch_follows_a_safe_next_only(world):
    client = client_for(world.admin)
    data = {"organisation": world.organisation.pk}
    inside = client.post(reverse("org-switch"), {**data, "next": "/accounts/profile/"})
    outside = client.post(reverse("org-switch"), {**data, "next": "https://evil.example/"})
    assert inside.url == "/accounts/profile/"
    assert outside.url == reverse("home")


def test_switch_to_an_organisation_i_am_not_in_is_404(world):
    # when the member tries to switch to Globex
    client = client_for(world.member)
    response = client.post(reverse("org-switch"), {"organisation": world.other_organisation.pk})
    # then there is no such organisation for them, and nothing changes
    assert response.status_code == 404
    assert "organisation_id" not in client.session


def test_switch_with_garbage_is_404(world):
    response = client_for(world.member).post(reverse("org-switch"), {"organisation": "x"})
    assert response.status_code == 404


def test_create_organisation_makes_me_admin_and_current(db):
    # given a person without any organisation
    ann = UserFactory()
    client = client_for(ann)
    # who is sent to create one when opening the organisation pages
    assert client.get(reverse("org-members")).url == reverse("org-create")
    # when they create Initech
    response = client.post(reverse("org-create"), {"name": "  Initech  "})
    # then they are its admin, it is current, and its creation is in the history
    organisation = Organisation.objects.get(name="Initech")
    assert response.url == reverse("org-members")
    assert Membership.objects.get(organisation=organisation, user=ann).role == "admin"
    assert client.session["organisation_id"] == organisation.pk
    assert HistoryEntry.objects.filter(organisation=organisation, action="created").exists()
    assert client.get(reverse("org-members")).status_code == 200


def test_create_organisation_without_a_name_is_422(db):
    response = client_for(UserFactory()).post(reverse("org-create"), {"name": "   "})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    assert not Organisation.objects.exists()


def test_the_switcher_appears_only_for_people_in_several_organisations(world):
    # given the manager, in one organisation
    page = client_for(world.manager).get(reverse("profile")).content.decode()
    # then the header names it without a switcher
    assert 'id="org-switch-select"' not in page
    assert 'class="org-name">Acme<' in page
    # when they join a second organisation
    MembershipFactory(organisation=world.other_organisation, user=world.manager)
    page = client_for(world.manager).get(reverse("profile")).content.decode()
    # then both are offered, with a button to switch (no switching on mere arrow keys)
    assert 'id="org-switch-select"' in page
    assert ">Acme</option>" in page and ">Globex</option>" in page
    assert ">Switch</button>" in page

"""The profile page: name, organisations with role, links to password and tokens."""

from django.urls import reverse

from tests.conftest import client_for


def test_profile_lists_organisations_with_role(world):
    # given the outsider, who also joins Acme as a member
    from tests.factories import MembershipFactory

    MembershipFactory(organisation=world.organisation, user=world.outsider, role="member")
    # when they open their profile
    response = client_for(world.outsider).get(reverse("profile"))
    # then both organisations show, with their role in each
    assert response.status_code == 200
    rows = {org.name: org.my_role for org in response.context["organisations"]}
    assert rows == {"Acme": "member", "Globex": "admin"}
    assert world.outsider.email in response.text
    assert reverse("password-change") in response.text
    assert reverse("tokens") in response.text


def test_profile_saves_the_full_name(world):
    # when the member renames themselves
    client = client_for(world.member)
    response = client.post(reverse("profile"), {"full_name": "  Mira Member  "})
    # then the name is saved, trimmed
    assert response.url == reverse("profile")
    world.member.refresh_from_db()
    assert world.member.full_name == "Mira Member"


def test_profile_name_too_long_is_422_next_to_the_field(world):
    response = client_for(world.member).post(reverse("profile"), {"full_name": "x" * 151})
    assert response.status_code == 422
    assert response.context["form"].errors["full_name"]
    assert 'id="id_full_name_error"' in response.text

"""Organisation members: roles, removal, the last admin, concurrent edits, query counts."""

from django.urls import reverse

from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm import services
from tpm.models import Membership

MEMBERS = "/org/members/"
HTMX = {"HX-Request": "true"}


def _membership(world, user) -> Membership:
    return Membership.objects.get(organisation=world.organisation, user=user)


def _role_url(membership: Membership) -> str:
    return reverse("org-member-role", args=[membership.pk])


def test_admin_sees_members_with_their_roles(world):
    response = client_for(world.admin).get(MEMBERS)
    assert response.status_code == 200
    rows = {
        row["membership"].user.email: row["membership"].role for row in response.context["rows"]
    }
    assert rows["admin@acme.test"] == "admin"
    assert rows["bystander@acme.test"] == "member"
    assert "outsider@globex.test" not in rows
    assert 'for="member-' in response.text  # each role select has its own label


def test_admin_promotes_a_member(world):
    # when the admin makes the bystander an admin
    membership = _membership(world, world.bystander)
    response = client_for(world.admin).post(
        _role_url(membership), {"role": "admin", "version": membership.version}
    )
    # then the role is changed
    assert response.url == reverse("org-members")
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_role_change_with_htmx_returns_the_row(world):
    membership = _membership(world, world.bystander)
    response = client_for(world.admin).post(
        _role_url(membership), {"role": "admin", "version": 1}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="member-{membership.pk}"')
    assert '<option value="admin" selected>' in response.text


def test_demoting_the_last_admin_is_refused_with_the_reason(world):
    # when the only admin demotes themselves
    membership = _membership(world, world.admin)
    response = client_for(world.admin).post(_role_url(membership), {"role": "member", "version": 1})
    # then the page comes back with the reason next to that member, and nothing changes
    assert response.status_code == 422
    assert "An organisation needs at least one admin." in response.text
    membership.refresh_from_db()
    assert (membership.role, membership.version) == ("admin", 1)


def test_demoting_the_last_admin_with_htmx_is_a_422_row(world):
    membership = _membership(world, world.admin)
    response = client_for(world.admin).post(
        _role_url(membership), {"role": "member", "version": 1}, headers=HTMX
    )
    assert response.status_code == 422
    assert response.text.strip().startswith("<tr")
    assert "An organisation needs at least one admin." in response.text


def test_removing_the_last_admin_is_refused(world):
    membership = _membership(world, world.admin)
    response = client_for(world.admin).post(reverse("org-member-remove", args=[membership.pk]))
    assert response.status_code == 422
    assert "An organisation needs at least one admin; appoint another first." in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_stale_role_change_is_409_and_keeps_the_newer_role(world):
    # given another admin who promoted the bystander after our admin loaded the page
    membership = _membership(world, world.bystander)
    services.membership_change_role(
        membership=membership, role="admin", version=1, actor=world.admin
    )
    # when our admin, still on version 1, sets the bystander to member
    response = client_for(world.admin).post(_role_url(membership), {"role": "member", "version": 1})
    # then it is refused with the current role shown, and not overwritten
    assert response.status_code == 409
    assert "Your change was not applied" in response.text
    assert "their role is now admin" in response.text
    failed = next(row for row in response.context["rows"] if row["membership"].pk == membership.pk)
    assert failed["form"]["role"].value() == "admin"
    assert int(failed["form"]["version"].value()) == 2
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_stale_role_change_with_htmx_is_a_409_row(world):
    membership = _membership(world, world.bystander)
    services.membership_change_role(
        membership=membership, role="admin", version=1, actor=world.admin
    )
    response = client_for(world.admin).post(
        _role_url(membership), {"role": "member", "version": 1}, headers=HTMX
    )
    assert response.status_code == 409
    assert 'name="version" value="2"' in response.text


def test_admin_who_demotes_themselves_leaves_the_admin_pages(world):
    # given a second admin
    membership = _membership(world, world.bystander)
    membership.role, membership.version = "admin", 2
    membership.save()
    # when the first admin steps down
    mine = _membership(world, world.admin)
    response = client_for(world.admin).post(_role_url(mine), {"role": "member", "version": 1})
    # then they are sent home, no longer an admin
    assert response.url == reverse("home")
    mine.refresh_from_db()
    assert mine.role == "member"


def test_admin_removes_a_member(world):
    membership = _membership(world, world.bystander)
    response = client_for(world.admin).post(reverse("org-member-remove", args=[membership.pk]))
    assert response.url == reverse("org-members")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_remove_with_htmx_swaps_the_row_out(world):
    membership = _membership(world, world.bystander)
    response = client_for(world.admin).post(
        reverse("org-member-remove", args=[membership.pk]), headers=HTMX
    )
    assert response.status_code == 200
    assert response.content == b""


def test_another_organisations_member_is_404(world):
    # when the admin of Acme tries to change a Globex membership
    theirs = Membership.objects.get(user=world.outsider)
    response = client_for(world.admin).post(_role_url(theirs), {"role": "member", "version": 1})
    # then it does not exist for them
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == "admin"


def test_members_without_admin_role_get_403(world):
    assert client_for(world.manager).get(MEMBERS).status_code == 403


def test_members_page_query_count_does_not_grow(db, django_assert_max_num_queries):
    # given an organisation of 3 people with 3 invitations, and one of 30 with 30
    from tests.factories import InvitationFactory

    def organisation_of(size: int):
        organisation = OrganisationFactory()
        admin = member_of(organisation, "admin")
        for _ in range(size - 1):
            MembershipFactory(organisation=organisation, user=UserFactory())
        InvitationFactory.create_batch(size, organisation=organisation, invited_by=admin)
        return client_for(admin)

    small, large = organisation_of(3), organisation_of(30)
    # when each admin opens the members page
    few = queries_for_get(small, MEMBERS)
    with django_assert_max_num_queries(8):
        many = queries_for_get(large, MEMBERS)
    # then both cost the same
    assert_same_count(few, many)

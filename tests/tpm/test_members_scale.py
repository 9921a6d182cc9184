"""The members page of a big organisation: paged, searchable, and as costly for 300 people as
for 30."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm.models import Membership
from tpm.views import members

pytestmark = pytest.mark.django_db

MEMBERS = reverse("org-members")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(members, "MEMBERS_PAGE_SIZE", 4)


def _organisation(size: int):
    """An organisation of `size` people: an admin (admin@…) and people p00@… onwards."""
    organisation = OrganisationFactory.create()
    admin = member_of(organisation, "admin", email=f"admin@{organisation.slug}.test")
    for n in range(size - 1):
        user = UserFactory(email=f"p{n:02d}@{organisation.slug}.test", full_name=f"Person {n:02d}")
        MembershipFactory(organisation=organisation, user=user)
    return organisation, admin


def _emails(response) -> list[str]:
    return [row["membership"].user.email for row in response.context["rows"]]


def test_the_members_are_paged_in_email_order():
    # given an organisation of ten
    organisation, admin = _organisation(10)
    client = client_for(admin)
    # when the admin opens the first and the last page
    first, last = client.get(MEMBERS), client.get(MEMBERS + "?page=3")
    # then each shows its part, with the way to the next and the count of everyone
    domain = f"@{organisation.slug}.test"
    assert _emails(first) == ["admin" + domain, "p00" + domain, "p01" + domain, "p02" + domain]
    assert _emails(last) == ["p07" + domain, "p08" + domain]
    assert 'href="?page=2"' in first.text and "10 members, 1 to 4 shown" in first.text


def test_the_search_finds_people_by_name_or_email():
    organisation, admin = _organisation(10)
    client = client_for(admin)
    by_name = client.get(MEMBERS + "?q=person+05")
    by_email = client.get(MEMBERS + "?q=P07@")
    assert _emails(by_name) == [f"p05@{organisation.slug}.test"]
    assert _emails(by_email) == [f"p07@{organisation.slug}.test"]
    assert "1 member matching “person 05”" in by_name.text


def test_a_refused_change_shows_the_page_that_holds_the_member():
    # given a member on the third page whose role changed meanwhile
    organisation, admin = _organisation(10)
    membership = Membership.objects.get(user__email=f"p08@{organisation.slug}.test")
    Membership.objects.filter(pk=membership.pk).update(version=2)
    # when the admin changes it without htmx from the old version
    response = client_for(admin).post(
        reverse("org-member-role", args=[membership.pk]), {"role": "admin", "version": 1}
    )
    # then the page that holds the row comes back, with the reason next to it
    assert response.status_code == 409
    assert response.context["page"].number == 3
    assert "Your change was not applied" in response.text


def test_page_bytes_and_queries_do_not_grow_with_people():
    few_admin = _organisation(8)[1]
    many_admin = _organisation(40)[1]
    few_client, many_client = client_for(few_admin), client_for(many_admin)
    few = queries_for_get(few_client, MEMBERS + "?page=2")
    many = queries_for_get(many_client, MEMBERS + "?page=2")
    assert_same_count(few, many)
    few_bytes = len(few_client.get(MEMBERS + "?page=2").content)
    many_bytes = len(many_client.get(MEMBERS + "?page=2").content)
    assert abs(many_bytes - few_bytes) < 300, (few_bytes, many_bytes)

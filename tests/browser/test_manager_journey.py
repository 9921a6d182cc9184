"""A TPM's first minutes, in a real browser: sign in, create a project, invite a member."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from projects.models import Project, ProjectInvitation
from tests.factories import PASSWORD, OrganisationFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_signs_in_creates_a_project_and_invites_a_member(page):
    # given a member of an organisation
    organisation = OrganisationFactory(name="Northwind")
    member_of(organisation, email="tpm@northwind.test", full_name="Priya Natarajan")

    # when she signs in
    page.goto("/")
    page.get_by_label("Email address").fill("tpm@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Projects"))).to_be_visible()

    # and creates a project
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Key").fill("pay")
    page.get_by_label("Name").fill("Payments migration")
    page.get_by_label("Methodology").select_option("hybrid")
    page.get_by_label("Start date").fill("2027-01-04")
    page.get_by_label("Target date").fill("2027-06-30")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name=re.compile("Payments migration"))).to_be_visible()

    # and invites a colleague from the members tab (htmx swaps the panel in place)
    page.get_by_role("link", name="Members", exact=True).click()
    add_someone = page.get_by_role("region", name="Add someone")
    add_someone.get_by_label("Or invite by email").fill("sam@northwind.test")
    add_someone.get_by_label("Role").select_option("member")
    add_someone.get_by_role("button", name="Add to project").click()

    # then the invitation is pending on the page, stored, and emailed
    invitations = page.get_by_role("table", name="Pending invitations")
    expect(invitations).to_contain_text("sam@northwind.test")
    project = Project.objects.get(organisation=organisation, key="PAY")
    assert project.name == "Payments migration"
    assert ProjectInvitation.objects.filter(
        project=project, invitation__email="sam@northwind.test"
    ).exists()
    assert [m.to for m in mail.outbox] == [["sam@northwind.test"]]

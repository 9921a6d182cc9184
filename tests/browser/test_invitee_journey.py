"""Someone invited by email follows the link, creates an account and finds their project."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from projects import services
from tests.factories import OrganisationFactory, ProjectFactory, member_of
from tpm.models import Membership
from tpm.roles import OrgRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invitee_accepts_by_email_link_and_sees_the_project(page):
    # given a manager who invited sam to a project by email
    organisation = OrganisationFactory(name="Northwind")
    manager = member_of(organisation, OrgRole.ADMIN)
    project = ProjectFactory(organisation=organisation, key="PAY", name="Payments migration")
    services.project_invite(
        project=project, email="sam@northwind.test", role="member", actor=manager
    )
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)

    # when sam opens the link from the email and creates an account
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("heading", name="Join Northwind")).to_be_visible()
    page.get_by_label("Full name").fill("Sam Okafor")
    page.get_by_label("Password", exact=True).fill("a-long-enough-passphrase")
    page.get_by_label("Confirm password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create account and join").click()

    # then sam is signed in, in the organisation, and sees the project with the invited role
    expect(page.get_by_role("link", name="Payments migration")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("PAY"))).to_contain_text("Member")
    assert Membership.objects.filter(organisation=organisation, user__email="sam@northwind.test")

    # and the link cannot be used a second time
    page.context.clear_cookies()
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("heading", name="This invitation was already used")).to_be_visible()

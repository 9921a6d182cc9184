"""Money in what leaves Linchpin: scheduled status reports (email and PDF) carry budgets and
costs only to recipients who may see them (ProjectAction.VIEW_MONEY) and to external addresses
the manager chose; share links show them only when the manager included them."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from projects.models import ProjectMembership
from projects.mspdi.importer import project_import_mspdi
from reports import delivery, rendering, services
from reports.models import Delivery, DeliveryStatus, ReportDocument, ShareLink, StatusReport
from reports.share import token_for
from reports.tasks import send_due_reports
from tests.conftest import client_for
from tests.projects.helpers import text
from tests.resources.mspdi_money_samples import money_document
from tpm.models import Membership
from tpm.roles import OrgRole, ProjectRole

pytestmark = pytest.mark.django_db

HIDDEN = "Budgets and costs are shown to the project's managers and stakeholders."
# "Office move" (tests/resources/mspdi_money_samples.py): BAC 1,630, AC 1,365 at its status date.
AMOUNTS = ("1,630.00", "1630.00", "1,365.00", "1365.00")
SPONSOR = "sponsor@example.org"


@pytest.fixture
def office(world):
    """The imported plan with money; the world's people get their roles on it."""
    project = project_import_mspdi(
        organisation=world.organisation, actor=world.admin, key="OFF", data=money_document()
    ).project
    for user, role in (
        (world.manager, ProjectRole.MANAGER),
        (world.member, ProjectRole.MEMBER),
        (world.stakeholder, ProjectRole.STAKEHOLDER),
        (world.viewer, ProjectRole.VIEWER),
    ):
        ProjectMembership.objects.create(project=project, user=user, role=role)
    return project


def _due_schedule(world, project, **values):
    """A weekly schedule of the full report whose period came round an hour ago."""
    now = timezone.now()
    sent_at = now - timedelta(hours=1)
    schedule = services.schedule_create(
        project=project,
        actor=world.manager,
        name="Weekly status",
        frequency="weekly",
        weekday=sent_at.weekday(),
        time_of_day=time(sent_at.hour, sent_at.minute),
        time_zone="UTC",
        starts_on=sent_at.date() - timedelta(days=7),
        recipient_roles=values.pop(
            "recipient_roles", ["manager", "member", "stakeholder", "viewer"]
        ),
        external_emails=values.pop("external_emails", SPONSOR.upper()),
        audience=values.pop("audience", "full"),
        **values,
    )
    type(schedule).objects.filter(pk=schedule.pk).update(created_at=now - timedelta(days=1))
    return schedule


def _published_earlier(world, project):
    """A report published before, when the forecast and the spending were lower, so "what
    changed" names amounts (1,630 and 1,365 now)."""
    report = services.report_create(project=project, actor=world.manager, summary="Earlier")
    snapshot = report.snapshot
    snapshot["sections"]["cost"]["forecast"] = "1500.00"
    snapshot["sections"]["cost"]["figures"]["ac"] = "1000.00"
    StatusReport.objects.filter(pk=report.pk).update(
        snapshot=snapshot, generated_at=timezone.now() - timedelta(days=7)
    )
    report.refresh_from_db()
    services.report_publish(report=report, actor=world.manager, version=report.version)


def _messages_by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def _shows_amounts(content: str) -> bool:
    return any(amount in content for amount in AMOUNTS)


def test_members_and_viewers_get_the_report_without_budgets_and_costs(world, office):
    # given a published report before, and a schedule to every role and the sponsor
    _published_earlier(world, office)
    _due_schedule(world, office)
    rendered: list[str] = []
    real = rendering.render_pdf

    def render_pdf(html: str) -> bytes:
        rendered.append(html)
        return real(html)

    # when the due job runs
    with mock.patch("reports.rendering.render_pdf", side_effect=render_pdf):
        assert send_due_reports.delay().get() == 1
    # then the member's and the viewer's email say the cost section exists, with no amounts
    by_recipient = _messages_by_recipient()
    assert sorted(by_recipient) == [
        "admin@acme.test",  # the importer manages the project
        "manager@acme.test",
        "member@acme.test",
        SPONSOR,
        "stakeholder@acme.test",
        "viewer@acme.test",
    ]
    for reader in ("member@acme.test", "viewer@acme.test"):
        html = by_recipient[reader].alternatives[0][0]
        assert HIDDEN in html and "Cost" in html
        assert not _shows_amounts(html), reader
        assert "Forecast at completion moved" not in html and "Actual cost grew" not in html
    # and the manager, the stakeholder and the sponsor's address read the amounts
    for reader in ("admin@acme.test", "manager@acme.test", "stakeholder@acme.test", SPONSOR):
        html = by_recipient[reader].alternatives[0][0]
        assert "1,630.00" in html and HIDDEN not in html, reader
        assert "Forecast at completion moved from 1500.00 to 1630.00 EUR." in html
    # and two PDFs were rendered, one per variant, the one without money has no amounts
    assert len(rendered) == 2
    without, whole = sorted(rendered, key=_shows_amounts)
    assert HIDDEN in without and not _shows_amounts(without)
    assert "1,630.00" in whole and HIDDEN not in whole
    # and each recipient's attachment is their variant's PDF
    report = StatusReport.objects.get(project=office, schedule__isnull=False)
    documents = {d.with_money: bytes(d.pdf) for d in ReportDocument.objects.filter(report=report)}
    for reader, message in by_recipient.items():
        _name, content, _mimetype = message.attachments[0]
        sees_money = reader not in ("member@acme.test", "viewer@acme.test")
        assert content == documents[sees_money], reader


def test_running_the_due_job_twice_still_sends_one_email_per_recipient(world, office):
    # given a schedule to every role and the sponsor
    _due_schedule(world, office)
    # when beat runs the job twice
    assert send_due_reports.delay().get() == 1
    assert send_due_reports.delay().get() == 0
    # then each of the six got one email, and each variant was rendered once
    assert sorted(message.to[0] for message in mail.outbox) == [
        "admin@acme.test",  # the importer manages the project
        "manager@acme.test",
        "member@acme.test",
        SPONSOR,
        "stakeholder@acme.test",
        "viewer@acme.test",
    ]
    report = StatusReport.objects.get(project=office, schedule__isnull=False)
    assert report.deliveries.filter(status=DeliveryStatus.SENT).count() == 6
    assert sorted(report.documents.values_list("with_money", flat=True)) == [False, True]
    assert dict(report.deliveries.values_list("email", "with_money")) == {
        "admin@acme.test": True,
        "manager@acme.test": True,
        "member@acme.test": False,
        SPONSOR: True,
        "stakeholder@acme.test": True,
        "viewer@acme.test": False,
    }


def test_a_resend_sends_the_variant_decided_when_the_delivery_was_made(world, office):
    # given the member's delivery was made (without money) but not sent
    schedule = _due_schedule(world, office, recipient_roles=["member"], external_emails="")
    due = delivery.due_schedules(timezone.now())[0]
    [pending] = delivery.prepare_period(schedule.pk, due.period)
    # when the member becomes a stakeholder before it goes out
    ProjectMembership.objects.filter(project=office, user=world.member).update(
        role=ProjectRole.STAKEHOLDER
    )
    assert delivery.delivery_send(pending, final=False) == delivery.SendOutcome.SENT
    # then they get the variant the row was made with: still without amounts
    html = mail.outbox[0].alternatives[0][0]
    assert HIDDEN in html and not _shows_amounts(html)
    assert Delivery.objects.get(pk=pending).with_money is False


def test_an_address_of_someone_on_the_project_follows_their_role(world, office):
    # given the viewer's address typed among the external ones, and an organisation admin
    # who is a viewer on the project
    ProjectMembership.objects.filter(project=office, user=world.admin).update(
        role=ProjectRole.VIEWER
    )
    assert Membership.objects.get(user=world.admin).role == OrgRole.ADMIN
    emails = ["viewer@acme.test", "admin@acme.test", "cfo@example.org", "bystander@acme.test"]
    # when the rights to money are decided
    rights = delivery.money_rights(office.pk, world.organisation.pk, emails)
    # then the viewer still gets no money; the admin (a manager everywhere), the external
    # address and someone without a role on the project (an explicit choice) get it
    assert rights == {
        "viewer@acme.test": False,
        "admin@acme.test": True,
        "cfo@example.org": True,
        "bystander@acme.test": True,
    }


def test_a_share_link_shows_money_only_when_the_manager_included_it(world, office):
    manager = client_for(world.manager)
    links_url = reverse("report-share-links", args=[office.pk])
    # given one link made without money (the default) and one with it
    assert manager.post(links_url, {"label": "Team", "days": 7}).status_code == 302
    response = manager.post(links_url, {"label": "Sponsor", "days": 7, "with_money": "on"})
    assert response.status_code == 302
    plain = ShareLink.objects.get(project=office, label="Team")
    sponsor = ShareLink.objects.get(project=office, label="Sponsor")
    assert (plain.with_money, sponsor.with_money) == (False, True)
    # when someone without an account opens each
    hidden = text(Client().get(reverse("report-share", args=[token_for(plain.pk)])))
    shown = text(Client().get(reverse("report-share", args=[token_for(sponsor.pk)])))
    # then the link without money says costs exist and shows no amounts
    assert HIDDEN in hidden and "Cost" in hidden
    assert not _shows_amounts(hidden)
    # and the sponsor's link shows them
    assert "1,630.00" in shown and HIDDEN not in shown
    # and the manager's list says which link shows money
    page = text(manager.get(links_url))
    assert "Include budgets and costs" in page
    assert "Hidden" in page and "Shown" in page


def test_a_members_report_page_and_pdf_leave_the_amounts_out(world, office):
    # given two published reports, the later one with higher forecast and spending
    _published_earlier(world, office)
    report = services.report_create(project=office, actor=world.manager, summary="Now")
    report = services.report_publish(report=report, actor=world.manager, version=report.version)
    detail = reverse("report-detail", args=[office.pk, report.pk])
    pdf = reverse("report-pdf", args=[office.pk, report.pk])
    # when the member and the stakeholder read it in Linchpin
    member_page = text(client_for(world.member).get(detail))
    stakeholder_page = text(client_for(world.stakeholder).get(detail))
    # then "what changed" names the amounts only to the stakeholder
    assert "Forecast at completion moved from 1500.00 to 1630.00 EUR." in stakeholder_page
    assert "Forecast at completion moved" not in member_page
    assert not _shows_amounts(member_page)
    # and the PDF download is the member's variant
    rendered: list[str] = []
    real = rendering.render_pdf

    def render_pdf(html: str) -> bytes:
        rendered.append(html)
        return real(html)

    with mock.patch("reports.rendering.render_pdf", side_effect=render_pdf):
        assert client_for(world.member).get(pdf).status_code == 200
        assert client_for(world.stakeholder).get(pdf).status_code == 200
    assert len(rendered) == 2
    assert HIDDEN in rendered[0] and not _shows_amounts(rendered[0])
    assert "1,630.00" in rendered[1]


def test_the_report_api_leaves_the_cost_section_out_for_members(world, office):
    # given a published report with a cost section
    report = services.report_create(project=office, actor=world.manager, summary="Now")
    report = services.report_publish(report=report, actor=world.manager, version=report.version)
    url = f"/api/v1/status-reports/{report.pk}/"

    def cost_of(user):
        client = APIClient()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, response.content
        return response.json()["snapshot"]["sections"]["cost"]

    # when a member and the stakeholder read it through the API
    # then the member gets the hidden section, the stakeholder the figures
    assert cost_of(world.member) == {"hidden": True}
    assert cost_of(world.stakeholder).get("figures")

"""Scheduled delivery (tasks run in-process here; the integration test runs a real worker)."""

from datetime import time, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reports import delivery, services
from reports.models import Delivery, DeliveryStatus, StatusReport
from reports.tasks import send_due_reports
from tests.conftest import client_for
from tests.projects.helpers import text
from tests.reports.helpers import plan


def _due_schedule(world, **values):
    """A weekly schedule whose period came round an hour ago (it existed before then)."""
    now = timezone.now()
    sent_at = now - timedelta(hours=1)
    schedule = services.schedule_create(
        project=world.project,
        actor=world.manager,
        name="Weekly status",
        frequency="weekly",
        weekday=sent_at.weekday(),
        time_of_day=time(sent_at.hour, sent_at.minute),
        time_zone="UTC",
        starts_on=sent_at.date() - timedelta(days=7),
        recipient_roles=values.pop("recipient_roles", ["stakeholder", "manager"]),
        external_emails=values.pop("external_emails", "Board@Example.org\nboard@example.org"),
        audience=values.pop("audience", "executive"),
        **values,
    )
    type(schedule).objects.filter(pk=schedule.pk).update(created_at=now - timedelta(days=1))
    return schedule


def test_the_due_job_sends_one_email_per_recipient_with_the_pdf(world):
    # given a plan and a schedule that is due
    plan(world.project, today=timezone.localdate())
    _due_schedule(world)
    # when beat runs the job twice
    assert send_due_reports.delay().get() == 1
    assert send_due_reports.delay().get() == 0
    # then each recipient got exactly one email, with the PDF attached
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["board@example.org", "manager@acme.test", "stakeholder@acme.test"]
    message = mail.outbox[0]
    assert message.subject.startswith("[WEB] WEB Weekly status")
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content[:5] == b"%PDF-"
    html = message.alternatives[0][0]
    assert "Health" in html
    # and one published report and three sent deliveries are recorded
    report = StatusReport.objects.get(project=world.project)
    assert report.is_published and report.schedule is not None
    assert report.deliveries.filter(status=DeliveryStatus.SENT).count() == 3


def test_running_the_period_again_after_a_crash_sends_only_what_is_left(world):
    plan(world.project, today=timezone.localdate())
    schedule = _due_schedule(world)
    due = delivery.due_schedules(timezone.now())[0]
    # given the worker died after preparing the deliveries and sending one of them
    pending = delivery.prepare_period(schedule.pk, due.period)
    delivery.delivery_send(pending[0], final=False)
    assert len(mail.outbox) == 1
    # when the job comes round again
    send_due_reports.delay()
    # then only the other two are sent
    assert len(mail.outbox) == 3
    assert StatusReport.objects.filter(schedule=schedule).count() == 1


def test_a_mail_failure_is_retried_then_shown_and_can_be_resent(
    world, django_capture_on_commit_callbacks
):
    plan(world.project, today=timezone.localdate())
    _due_schedule(world, recipient_roles=["stakeholder"], external_emails="")
    # given the mail server refuses everything
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException("451 try later")
    ):
        send_due_reports.delay()
    # then after its retries the delivery is failed with the error
    failed = Delivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == delivery.MAX_ATTEMPTS
    assert "451 try later" in failed.error
    # and the manager sees it with a resend button
    client = client_for(world.manager)
    page = text(client.get(reverse("report-schedules", args=[world.project.pk])))
    assert "451 try later" in page and "Resend" in page
    # when the manager resends with the server back up
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report-delivery-resend", args=[world.project.pk, failed.pk])
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["stakeholder@acme.test"]]


def test_a_new_schedule_does_not_send_the_period_before_it_existed(world):
    now = timezone.now()
    past = now - timedelta(hours=1)
    services.schedule_create(
        project=world.project,
        actor=world.manager,
        weekday=past.weekday(),
        time_of_day=time(past.hour, past.minute),
        time_zone="UTC",
        starts_on=past.date() - timedelta(days=7),
        recipient_roles=["stakeholder"],
    )
    assert delivery.due_schedules(now) == []


def test_a_schedule_without_recipients_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.schedule_create(project=world.project, actor=world.manager, recipient_roles=[])
    assert "recipient_roles" in error.value.message_dict


def test_the_manager_schedules_weekly_delivery_in_the_app(world):
    client = client_for(world.manager)
    url = reverse("report-schedules", args=[world.project.pk])
    response = client.post(
        url,
        {
            "name": "Weekly to the board",
            "frequency": "weekly",
            "weekday": "4",
            "time_of_day": "16:00",
            "time_zone": "Europe/Berlin",
            "starts_on": "2026-01-01",
            "recipient_roles": ["stakeholder"],
            "external_emails": "cfo@example.org",
            "audience": "executive",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    page = text(client.get(url))
    assert "Weekly to the board" in page and "Friday 16:00 (Europe/Berlin)" in page
    # and a bad address is a form error naming it
    response = client.post(
        url,
        {
            "name": "Bad",
            "frequency": "weekly",
            "weekday": "4",
            "time_of_day": "16:00",
            "time_zone": "Mars/Olympus",
            "starts_on": "2026-01-01",
            "recipient_roles": ["stakeholder"],
            "external_emails": "not-an-address",
            "audience": "full",
        },
    )
    assert response.status_code == 422
    assert "is not a time zone" in text(response) or "not an email address" in text(response)


def test_recipients_are_unique_and_lower_case(world):
    schedule = _due_schedule(world, recipient_roles=["stakeholder", "viewer"])
    assert delivery.recipients(schedule) == [
        "stakeholder@acme.test",
        "viewer@acme.test",
        "board@example.org",
    ]


def test_the_dashboard_warns_the_manager_of_failed_deliveries(world):
    report = services.report_create(project=world.project, actor=world.manager, summary="s")
    report = services.report_publish(report=report, actor=world.manager, version=report.version)
    Delivery.objects.create(report=report, email="cfo@example.org", status=DeliveryStatus.FAILED)
    url = reverse("project-dashboard", args=[world.project.pk])
    assert "1 report delivery failed" in text(client_for(world.manager).get(url))
    assert "delivery failed" not in text(client_for(world.stakeholder).get(url))

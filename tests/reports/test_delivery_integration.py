"""Scheduled delivery over the real parts: Redis, a separate `celery worker` process, WeasyPrint,
and an SMTP server (aiosmtpd) inside the test. The beat job runs twice; each recipient gets one
email with the PDF attached. Runs when REDIS_URL is set and the database is PostgreSQL (the
worker process must share the test database), like tests/tpm/test_celery_worker.py."""

import email
import email.policy
import os
import socket
import time
import uuid
from datetime import time as time_of_day
from datetime import timedelta
from email.message import Message

import pytest
from django.utils import timezone

from reports import services
from reports.models import Delivery, DeliveryStatus, ReportSchedule, StatusReport
from reports.tasks import send_due_reports
from tests.celery_worker import running_worker, worker_database_url
from tests.reports.helpers import plan

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
        reason="a worker process needs a database server it can share with the tests",
    ),
]


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def report_worker(_celery_runs_inline, smtp_server):
    """A worker on a queue of its own, sending mail to the test's SMTP server."""
    _celery_runs_inline.conf.task_always_eager = False
    _inbox, port = smtp_server
    queue = f"test-reports-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DB_CONN_MAX_AGE": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
    }
    with running_worker(queue, env):
        yield queue


def _wait_for(condition, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError("timed out waiting for the worker")


@pytest.mark.django_db(transaction=True)
def test_due_reports_reach_each_recipient_once_with_the_pdf(world, report_worker, smtp_server):
    inbox, _port = smtp_server
    # given a plan and a weekly schedule whose sending time passed an hour ago
    plan(world.project, today=timezone.localdate(), late_critical=1)
    sent_at = timezone.now() - timedelta(hours=1)
    schedule = services.schedule_create(
        project=world.project,
        actor=world.manager,
        name="Weekly status",
        weekday=sent_at.weekday(),
        time_of_day=time_of_day(sent_at.hour, sent_at.minute),
        time_zone="UTC",
        starts_on=sent_at.date() - timedelta(days=7),
        recipient_roles=["stakeholder"],
        external_emails="sponsor@example.org",
        audience="full",
    )
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    # when the beat job runs in the worker, and runs again once the first run finished
    assert send_due_reports.apply_async(queue=report_worker).get(timeout=60) == 1
    _wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2)
    assert send_due_reports.apply_async(queue=report_worker).get(timeout=60) == 0
    time.sleep(2)  # anything a second run queued would have arrived by now
    # then the SMTP server received one email per recipient, each with the PDF
    recipients = sorted(rcpt for rcpts, _ in inbox.messages for rcpt in rcpts)
    assert recipients == ["sponsor@example.org", "stakeholder@acme.test"]
    for _rcpts, message in inbox.messages:
        assert str(message["Subject"]).strip().startswith("[WEB] WEB Weekly status")
        parts = {part.get_content_type(): part for part in message.walk()}
        assert "text/html" in parts
        pdf = parts["application/pdf"].get_payload(decode=True)
        assert pdf[:5] == b"%PDF-"
    # and one published report records the period
    report = StatusReport.objects.get(schedule=schedule)
    assert report.is_published and report.deliveries.count() == 2

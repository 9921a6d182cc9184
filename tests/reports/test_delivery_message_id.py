"""Every attempt at one report delivery carries the same Message-ID, derived from the delivery:
a copy re-sent after a crash between the mail server accepting it and the row being marked sent
can be recognised (and is dropped by mail systems that de-duplicate on it)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from reports import delivery
from reports.models import Delivery, DeliveryStatus
from reports.tasks import send_due_reports
from tests.reports.helpers import plan
from tests.reports.test_delivery import _due_schedule


def test_a_resend_after_a_crash_carries_the_first_messages_id(world, settings):
    settings.SITE_URL = "https://linchpin.example.com"
    plan(world.project, today=timezone.localdate())
    _due_schedule(world, recipient_roles=["stakeholder"], external_emails="board@example.org")
    # when the due job sends the report to both recipients
    send_due_reports.delay()
    rows = {row.email: row.pk for row in Delivery.objects.all()}
    ids = {message.to[0]: message.extra_headers["Message-ID"] for message in mail.outbox}
    # then each message's id names its delivery, and no two are alike
    assert ids == {
        email: f"<linchpin-delivery-{pk}@linchpin.example.com>" for email, pk in rows.items()
    }
    assert all(message.message()["Message-ID"] == ids[message.to[0]] for message in mail.outbox)
    # given the worker had died after the server took the board's copy, before recording it
    board = Delivery.objects.get(email="board@example.org")
    Delivery.objects.filter(pk=board.pk).update(
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now() - delivery.CLAIM_TIMEOUT - timedelta(minutes=1),
    )
    # when the due job takes the stale claim over and sends again
    send_due_reports.delay()
    # then the duplicate carries the same Message-ID as the first copy
    copies = [m.extra_headers["Message-ID"] for m in mail.outbox if m.to == [board.email]]
    assert copies == [ids[board.email]] * 2

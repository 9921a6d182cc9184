"""Sending a delivery: claim in one short transaction, send with none open, record in another.

Two workers never send one delivery twice (the second sees the claim and skips it), and a claim
left by a worker that stopped is taken over once it is older than CLAIM_TIMEOUT.
"""

import threading
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections
from django.utils import timezone

from reports import delivery, services
from reports.models import Audience, Delivery, DeliveryStatus
from reports.tasks import send_due_reports
from tpm.models import HistoryEntry


def _delivery(world, **values) -> Delivery:
    """A published report (no schedule, so the beat job's due periods leave it alone) and one
    delivery of it."""
    report = services.report_create(project=world.project, actor=world.manager, summary="s")
    report = services.report_publish(report=report, actor=world.manager, version=report.version)
    return Delivery.objects.create(
        report=report, email="cfo@example.org", audience=Audience.FULL, **values
    )


def _in_another_worker(function, *args, **kwargs):
    """Run `function` in a thread of its own, so on a database connection of its own, as a
    second worker would; waiting for a lock the first worker held would time out here."""
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = function(*args, **kwargs)
        except BaseException as exc:  # handed back to the test below
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the second worker waited on a lock the first one held"
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]


@pytest.mark.django_db(transaction=True)
def test_the_email_goes_out_with_no_transaction_open_and_a_second_worker_skips_it(
    world, monkeypatch
):
    # given a delivery, and a mail server that looks at the database while it is talked to
    row = _delivery(world)
    seen: dict[str, object] = {}
    original = EmailBackend.send_messages

    def send_messages(backend, messages):
        seen["in_atomic_block"] = connection.in_atomic_block
        seen["autocommit"] = connection.get_autocommit()
        seen["status"] = Delivery.objects.get(pk=row.pk).status
        # a second worker takes the same delivery while the first is sending it
        seen["second"] = _in_another_worker(delivery.delivery_send, row.pk, final=False)
        return original(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    # when the first worker sends it
    outcome = delivery.delivery_send(row.pk, final=False)
    # then no transaction was open while the email went out: the claim was committed
    assert seen["in_atomic_block"] is False and seen["autocommit"] is True
    assert seen["status"] == DeliveryStatus.SENDING
    # and the second worker skipped the claimed delivery instead of waiting or sending
    assert seen["second"] == delivery.SendOutcome.IN_PROGRESS
    # and exactly one email went, recorded as sent after one attempt
    assert outcome == delivery.SendOutcome.SENT
    assert [m.to for m in mail.outbox] == [["cfo@example.org"]]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (DeliveryStatus.SENT, 1, "")
    assert row.sent_at is not None and row.claimed_at is not None
    assert row.claimed_at <= row.sent_at


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_is_recorded_in_a_transaction_of_its_own(world, monkeypatch):
    # given a mail server that refuses, looked at while it is talked to
    row = _delivery(world)
    seen: dict[str, object] = {}

    def send_messages(backend, messages):
        seen["in_atomic_block"] = connection.in_atomic_block
        raise SMTPException("451 try later")

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    # when a worker sends it (not the last try)
    outcome = delivery.delivery_send(row.pk, final=False)
    # then nothing was open during the attempt, and the row waits for the retry
    assert seen["in_atomic_block"] is False
    assert outcome == delivery.SendOutcome.RETRY
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
    assert "451 try later" in row.error


def test_a_delivery_another_worker_is_sending_is_skipped(world):
    # given a delivery a worker claimed a minute ago
    claimed_at = timezone.now() - timedelta(minutes=1)
    row = _delivery(world, status=DeliveryStatus.SENDING, attempts=1, claimed_at=claimed_at)
    # when another worker, the beat job and the manager's Resend come to it
    assert delivery.delivery_send(row.pk, final=True) == delivery.SendOutcome.IN_PROGRESS
    send_due_reports.delay()
    delivery.delivery_resend(delivery=row, actor=world.manager)
    # then nothing is sent and the claim is untouched
    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == (
        DeliveryStatus.SENDING,
        1,
        claimed_at,
    )


def test_a_claim_left_by_a_worker_that_stopped_is_sent_by_the_beat_job(world):
    # given a delivery whose worker died after claiming it, longer ago than the timeout
    stale = timezone.now() - delivery.CLAIM_TIMEOUT - timedelta(minutes=1)
    row = _delivery(world, status=DeliveryStatus.SENDING, attempts=1, claimed_at=stale)
    # when the beat job runs
    send_due_reports.delay()
    # then the delivery is claimed again and sent once; the lost attempt counts
    assert [m.to for m in mail.outbox] == [["cfo@example.org"]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert row.claimed_at > stale
    # and a second run sends nothing more
    send_due_reports.delay()
    assert len(mail.outbox) == 1


def test_a_delivery_whose_worker_stops_every_time_is_failed_after_max_attempts(world):
    # given a delivery whose every attempt so far ended with its worker gone
    stale = timezone.now() - delivery.CLAIM_TIMEOUT - timedelta(minutes=1)
    row = _delivery(
        world, status=DeliveryStatus.SENDING, attempts=delivery.MAX_ATTEMPTS, claimed_at=stale
    )
    # when a worker comes to it again
    outcome = delivery.delivery_send(row.pk, final=False)
    # then it is failed for the manager to see and resend, without another try
    assert outcome == delivery.SendOutcome.FAILED
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED
    assert "worker stopped" in row.error
    entry = HistoryEntry.objects.get(action="failed")
    assert entry.scope == f"project:{world.project.pk}" and entry.actor is None
    assert entry.changes["status"] == ["sending", "failed"]


def test_giving_up_records_the_failure_in_the_projects_history(world, monkeypatch):
    # given a mail server that refuses
    row = _delivery(world)
    monkeypatch.setattr(
        EmailBackend,
        "send_messages",
        lambda backend, messages: (_ for _ in ()).throw(SMTPException("550 no such user")),
    )
    # when the last try fails
    assert delivery.delivery_send(row.pk, final=True) == delivery.SendOutcome.FAILED
    # then the row is failed and the project's history says so, with the error
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 1)
    entry = HistoryEntry.objects.get(action="failed")
    assert entry.scope == f"project:{world.project.pk}"
    assert entry.target_id == str(row.pk)
    assert "550 no such user" in entry.changes["error"][1]


def test_an_outcome_is_not_recorded_over_a_newer_claim(world):
    # given a worker claimed a delivery, then stalled past the timeout, and another worker
    # took it over
    row = _delivery(world)
    _outcome, first = delivery.delivery_claim(row.pk, now=timezone.now() - timedelta(hours=1))
    assert first is not None
    _outcome, second = delivery.delivery_claim(row.pk, now=timezone.now())
    assert second is not None and second.attempts == 2
    # when the first worker's send fails after all
    outcome = delivery.delivery_record_failure(claimed=first, error="late", final=True)
    # then the row stays the second worker's
    assert outcome == delivery.SendOutcome.IN_PROGRESS
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (DeliveryStatus.SENDING, 2, "")
    # and the second worker's success is recorded
    assert delivery.delivery_record_sent(claimed=second, now=timezone.now()) == "sent"
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT


def test_a_claim_outlasts_any_live_attempt():
    # A live worker's claim must never look abandoned: Celery kills a task at its hard time
    # limit, and SMTP waits at most EMAIL_TIMEOUT per operation.
    assert settings.EMAIL_TIMEOUT > 0
    assert timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) < delivery.CLAIM_TIMEOUT
    assert timedelta(seconds=settings.EMAIL_TIMEOUT) < delivery.CLAIM_TIMEOUT

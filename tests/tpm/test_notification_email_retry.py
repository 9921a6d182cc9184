"""Notification emails survive a mail-server outage: the email's state is on the notification,
a periodic job sends what is due again with back-off, and a claim before each send keeps two
workers (or two runs of the job) from sending one notification twice."""

from datetime import UTC, datetime, timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail

from tpm import notifications
from tpm.models import Notification
from tpm.models_collab import Delivery, NotificationPreference
from tpm.notifications import (
    CLAIM_TIMEOUT,
    MAX_EMAIL_ATTEMPTS,
    notification_email_send,
    notification_emails_resend,
    notify,
)
from tpm.periodic import BEAT_SCHEDULE

START = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def _smtp_down():
    return mock.patch.object(
        notifications,
        "send_mail",
        side_effect=SMTPServerDisconnected("Connection unexpectedly closed"),
    )


def _notify(world, key="n1"):
    return notify(
        recipient=world.member,
        organisation=world.organisation,
        kind="mentioned",
        title=f"Mentioned {key}",
        dedupe_key=key,
    )


def test_an_email_refused_for_an_hour_is_sent_once_the_server_is_back(
    world, clock, django_capture_on_commit_callbacks
):
    # given the mail server is down when the notification is made
    with _smtp_down(), django_capture_on_commit_callbacks(execute=True):
        note = _notify(world)
    note.refresh_from_db()
    assert note.emailed_at is None and note.email_attempts == 1
    assert "Connection unexpectedly closed" in note.email_error
    # it stays down for an hour: each due retry fails, backing off (1, 2, 4 ... minutes)
    waits = []
    with _smtp_down():
        while datetime.now(UTC) < START + timedelta(hours=1):
            note.refresh_from_db()
            waits.append(note.email_due_at - datetime.now(UTC))
            clock.move_to(note.email_due_at, tick=False)
            assert notification_emails_resend(now=datetime.now(UTC)) == 0
    assert waits[:5] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert mail.outbox == []
    # when the server is back and the job comes round at the due time, the email goes once
    note.refresh_from_db()
    clock.move_to(note.email_due_at, tick=False)
    assert notification_emails_resend(now=datetime.now(UTC)) == 1
    clock.shift(timedelta(days=1))
    assert notification_emails_resend(now=datetime.now(UTC)) == 0
    assert [message.subject for message in mail.outbox] == ["Mentioned n1"]
    note.refresh_from_db()
    assert note.emailed_at is not None and note.email_due_at is None


def test_nothing_is_resent_before_its_back_off_is_over(world, clock):
    with _smtp_down():
        notification_email_send(_notify(world).pk, now=datetime.now(UTC))
    clock.shift(timedelta(seconds=30))
    assert notification_emails_resend(now=datetime.now(UTC)) == 0
    assert mail.outbox == []


def test_a_claimed_email_is_not_sent_by_another_worker_until_the_claim_expires(world, clock):
    note = _notify(world)
    # given a worker claimed the email and stopped (its SMTP step never ended)
    Notification.objects.filter(pk=note.pk).update(
        email_claimed_at=datetime.now(UTC), email_attempts=1
    )
    # then another run leaves it alone while the claim is live
    clock.shift(CLAIM_TIMEOUT - timedelta(seconds=1))
    assert notification_emails_resend(now=datetime.now(UTC)) == 0
    # and takes it over once the claim is older than CLAIM_TIMEOUT
    clock.shift(timedelta(seconds=2))
    assert notification_emails_resend(now=datetime.now(UTC)) == 1
    assert notification_email_send(note.pk, now=datetime.now(UTC)) == notifications.NOT_SENT
    assert len(mail.outbox) == 1


def test_the_job_stops_at_the_first_failure_and_spends_no_attempt_of_the_others(world, clock):
    first, second = _notify(world, "a"), _notify(world, "b")
    with _smtp_down():
        assert notification_emails_resend(now=datetime.now(UTC)) == 0
    attempts = dict(Notification.objects.values_list("pk", "email_attempts"))
    assert attempts == {first.pk: 1, second.pk: 0}


def test_it_gives_up_after_the_last_attempt(world, clock):
    note = _notify(world)
    with _smtp_down():
        for _ in range(MAX_EMAIL_ATTEMPTS):
            note.refresh_from_db()
            clock.move_to(note.email_due_at, tick=False)
            notification_emails_resend(now=datetime.now(UTC))
    note.refresh_from_db()
    assert note.email_attempts == MAX_EMAIL_ATTEMPTS
    assert note.email_due_at is None and note.emailed_at is None and note.email_error
    # about a day of trying, then the in-app notification is all there is
    assert datetime.now(UTC) - START > timedelta(hours=20)
    clock.shift(timedelta(days=2))
    assert notification_emails_resend(now=datetime.now(UTC)) == 0
    assert mail.outbox == []


def test_a_digest_notification_is_left_to_the_digest(world, clock):
    NotificationPreference.objects.create(
        user=world.member, kind="mentioned", delivery=Delivery.DIGEST
    )
    note = _notify(world)
    assert notification_emails_resend(now=datetime.now(UTC)) == 0
    note.refresh_from_db()
    assert note.email_due_at is None and note.emailed_at is None
    assert notifications.send_daily_digests() == 1
    assert len(mail.outbox) == 1


def test_the_resend_job_is_on_the_beat_schedule():
    tasks = {job["task"] for job in BEAT_SCHEDULE.values()}
    assert {"tpm.notifications.resend_due_emails", "tpm.tasks.requeue_pending_jobs"} <= tasks

"""tpm.notifications.notify: one row and one email per dedupe key."""

import pytest
from django.core import mail

from tpm.models import Notification
from tpm.notifications import notify

pytestmark = pytest.mark.django_db


def test_notify_twice_with_one_key_stores_and_emails_once(
    world, django_capture_on_commit_callbacks
):
    kwargs = {
        "recipient": world.manager,
        "organisation": world.organisation,
        "kind": "test.event",
        "title": "Something happened",
        "body": "Details",
        "url": "/projects/",
        "dedupe_key": "test-event:1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(**kwargs)
        second = notify(**kwargs)
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.manager.email]
    assert "/projects/" in mail.outbox[0].body
    first.refresh_from_db()
    assert first.emailed_at is not None and first.read_at is None


def test_nothing_is_emailed_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(
                    recipient=world.member,
                    organisation=world.organisation,
                    kind="test.event",
                    title="Never sent",
                    dedupe_key="test-event:2",
                )
                raise RuntimeError("the caller failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()

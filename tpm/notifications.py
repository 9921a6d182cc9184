"""Telling people things: one `Notification` row per person and event, emailed after commit.

`notify` is idempotent on `dedupe_key` (unique in the table): a job that runs twice, or two
workers racing, create one row and send one email. Issue 4 adds the bell and preferences.
"""

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, Organisation, User


def dedupe_key(*parts: object) -> str:
    return ":".join(str(part) for part in parts)[:200]


def notify(
    *,
    recipient: User,
    organisation: Organisation,
    kind: str,
    title: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
) -> Notification | None:
    """Create the notification unless one with `dedupe_key` exists; None when it did."""
    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a racing duplicate must not break the caller
            notification = Notification.objects.create(
                recipient=recipient,
                organisation=organisation,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:500],
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notify_many(
    *,
    recipients: Iterable[User],
    organisation: Organisation,
    kind: str,
    title: str,
    key: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """One notification per distinct recipient; the key is made per person from `key`."""
    sent = []
    seen: set[int] = set()
    for person in recipients:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        made = notify(
            recipient=person,
            organisation=organisation,
            kind=kind,
            title=title,
            body=body,
            url=url,
            dedupe_key=dedupe_key(key, "user", person.pk),
        )
        if made is not None:
            sent.append(made)
    return sent


# The task lives here, beside `notify`, so the app that sends a notification registers it.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    """Email a notification once: a retried or repeated run finds `emailed_at` set."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    send_mail(
        subject=notification.title,
        message=f"{notification.body}{link}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True

"""Telling people things: one `Notification` row per person and event, emailed after commit.

`notify` is idempotent on `dedupe_key` (unique in the table): a job that runs twice, or two
workers racing, create one row and send one email.

Each person chooses, per kind of event, email at once, a daily digest or no email
(`NotificationPreference`; no row means at once). The in-app list shows every notification
whatever the choice.
"""

from collections.abc import Iterable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, Organisation, User
from .models_collab import Delivery, NotificationPreference

# The events people choose how to hear about (kind -> label); other kinds (risk escalations...)
# are emailed at once.
EVENTS = {
    "assigned": "A task is assigned to me",
    "mentioned": "Someone mentions me in a comment",
    "status_changed": "Someone else changes the status of my task",
    "due_tomorrow": "My task is due tomorrow",
    "overdue": "My task is overdue",
    "predecessor_slipped": "A predecessor slipped and moved my task's dates",
    "blocked": "A task of my project is flagged as blocked",
}
DIGEST_WINDOW = timedelta(days=2)


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
    if delivery_for(notification.recipient_id, notification.kind) != Delivery.IMMEDIATE:
        return False  # the daily digest, or nothing
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    send_mail(
        subject=notification.title,
        message=f"{notification.body}{link}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def delivery_for(user_id: int, kind: str) -> str:
    choice = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return choice or Delivery.IMMEDIATE


def preferences_of(user: User) -> dict[str, str]:
    """Every event with the user's choice (at once unless they chose otherwise)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Delivery.IMMEDIATE) for kind in EVENTS}


@transaction.atomic
def preferences_update(*, user: User, choices: dict[str, str]) -> dict[str, str]:
    unknown = set(choices) - set(EVENTS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "No such event."))
    bad = {kind for kind, value in choices.items() if value not in Delivery.values}
    if bad:
        raise ValidationError(
            dict.fromkeys(sorted(bad), f"Choose one of: {', '.join(Delivery.values)}.")
        )
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    return preferences_of(user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None); others' ids are
    ignored, so nobody can touch someone else's."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


@shared_task
def send_daily_digests() -> int:
    """One email per person with the notifications they chose to get as a digest and have not
    been emailed; marking them emailed in the same transaction makes a second run a no-op."""
    since = timezone.now() - DIGEST_WINDOW
    digest_kinds: dict[int, set[str]] = {}
    for user_id, kind in NotificationPreference.objects.filter(
        delivery=Delivery.DIGEST
    ).values_list("user_id", "kind"):
        digest_kinds.setdefault(user_id, set()).add(kind)
    sent = 0
    for user_id, kinds in digest_kinds.items():
        if _send_digest(user_id, kinds, since):
            sent += 1
    return sent


def _send_digest(user_id: int, kinds: set[str], since: object) -> bool:
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(
                recipient_id=user_id,
                kind__in=kinds,
                emailed_at__isnull=True,
                created_at__gte=since,
            )
            .order_by("created_at", "id")
        )
        if not rows:
            return False
        lines = []
        for row in rows:
            link = f" {settings.SITE_URL}{row.url}" if row.url else ""
            lines.append(f"- {row.title}{link}")
        count = len(rows)
        # Sent inside the transaction: a failed send rolls the marks back for the next run.
        send_mail(
            subject=f"Linchpin: {count} update{'s' if count != 1 else ''} for you",
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[rows[0].recipient.email],
        )
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            emailed_at=timezone.now()
        )
    return True

"""Telling people things: one `Notification` row per person and event, emailed after commit.

`notify` is idempotent on `dedupe_key` (unique in the table): a job that runs twice, or two
workers racing, create one row and send one email.

The email outlives a mail-server outage: each notification records its email's state
(`email_due_at`, `email_attempts`, `email_claimed_at`, `emailed_at` once sent). A send claims
the row with one UPDATE (no transaction open while SMTP is talked to), sends, then records the
outcome: sent, or due again after a back-off (1, 2, 4 ... minutes, at most RETRY_CAP apart, up
to MAX_EMAIL_ATTEMPTS, about a day). The beat job `resend_due_emails` sends what is due, so a
broker outage at `notify` time loses nothing either. A claim older than CLAIM_TIMEOUT belongs to
a worker that died and is taken over; as with report deliveries (reports/delivery.py), the one
window left is between the server accepting the message and the row being marked: a duplicate
rather than a loss.

Each person chooses, per kind of event, email at once, a daily digest or no email
(`NotificationPreference`; no row means at once). The in-app list shows every notification
whatever the choice.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import jobs
from .models import Notification, Organisation, User
from .models_collab import Delivery, NotificationPreference

log = logging.getLogger(__name__)

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
MAX_EMAIL_ATTEMPTS = 12
RETRY_CAP = timedelta(hours=6)
# Longer than any live attempt: EMAIL_TIMEOUT per SMTP step, CELERY_TASK_TIME_LIMIT per task.
CLAIM_TIMEOUT = timedelta(minutes=10)
RESEND_BATCH = 200


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
                # due at once; the send decides by the person's preference
                email_due_at=timezone.now(),
            )
    except IntegrityError:
        return None
    # Not kept on a broker outage: `resend_due_emails` finds it by its email_due_at.
    jobs.enqueue_on_commit(send_notification_email, notification.pk, keep=False)
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


# The tasks live here, beside `notify`, so the app that sends a notification registers them.
@shared_task
def send_notification_email(notification_id: int) -> bool:
    """Email a notification at once (one attempt; a failure is retried by `resend_due_emails`)."""
    return notification_email_send(notification_id, now=timezone.now()) == SENT


@shared_task
def resend_due_emails() -> int:
    """The beat job (tpm/periodic.py): send the notification emails that are due."""
    return notification_emails_resend(now=timezone.now())


SENT, NOT_SENT, FAILED = "sent", "not-sent", "failed"


def _retry_delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** min(attempts - 1, 16)), RETRY_CAP)


def _claimable(now: datetime) -> Q:
    return Q(emailed_at__isnull=True, email_due_at__lte=now) & (
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_TIMEOUT)
    )


def notification_email_send(notification_id: int, *, now: datetime) -> str:
    """Claim, send with no transaction open, record. SENT, NOT_SENT (not due, sent, claimed by
    another worker, or not emailed at once by the person's choice) or FAILED (due again later,
    or given up after MAX_EMAIL_ATTEMPTS)."""
    claimed = (
        Notification.objects.filter(_claimable(now), pk=notification_id).update(
            email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
        == 1
    )
    if not claimed:
        return NOT_SENT
    rows = Notification.objects.filter(pk=notification_id)
    notification = rows.select_related("recipient").get()
    if delivery_for(notification.recipient_id, notification.kind) != Delivery.IMMEDIATE:
        # the daily digest, or nothing: no email of its own
        rows.update(email_due_at=None, email_claimed_at=None)
        return NOT_SENT
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    try:
        send_mail(
            subject=notification.title,
            message=f"{notification.body}{link}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
    except Exception as exc:
        return _record_failure(notification, f"{type(exc).__name__}: {exc}", now)
    rows.update(emailed_at=timezone.now(), email_due_at=None, email_claimed_at=None, email_error="")
    return SENT


def _record_failure(notification: Notification, error: str, now: datetime) -> str:
    attempts = notification.email_attempts
    given_up = attempts >= MAX_EMAIL_ATTEMPTS
    log.warning(
        "Notification %s email to %s failed (attempt %s%s): %s",
        notification.pk,
        notification.recipient.email,
        attempts,
        ", given up" if given_up else "",
        error,
    )
    Notification.objects.filter(pk=notification.pk).update(
        email_due_at=None if given_up else now + _retry_delay(attempts),
        email_claimed_at=None,
        email_error=error[:500],
    )
    return FAILED


def notification_emails_resend(*, now: datetime) -> int:
    """Send the due notification emails, oldest first; stop at the first failure (the mail
    server is likely down: the others keep their turn for the next run). Returns the number
    sent."""
    due = list(
        Notification.objects.filter(_claimable(now))
        .order_by("email_due_at", "pk")
        .values_list("pk", flat=True)[:RESEND_BATCH]
    )
    sent = 0
    for notification_id in due:
        outcome = notification_email_send(notification_id, now=now)
        if outcome == FAILED:
            break
        sent += outcome == SENT
    return sent


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
            emailed_at=timezone.now(), email_due_at=None
        )
    return True

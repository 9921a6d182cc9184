"""Celery jobs of the tenancy core: thin, idempotent, by id."""

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.template.loader import render_to_string

from . import jobs, services, storage_sweep
from .models import Invitation
from .models_collab import Attachment


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> bool:
    """Email the link; does nothing for an invitation that was used or withdrawn meanwhile."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return False
    context = {"invitation": invitation, "url": services.invitation_url(invitation)}
    send_mail(
        subject=f"You are invited to {invitation.organisation.name} on Linchpin",
        message=render_to_string("tpm/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    return True


@shared_task
def purge_expired_invitations() -> int:
    return services.invitations_purge_expired()


@shared_task
def sweep_orphan_attachments() -> int:
    """Remove attachment files whose row was rolled back or never saved (tpm/storage_sweep.py)."""

    def known(names: Iterable[str]) -> set[str]:
        return set(Attachment.objects.filter(file__in=list(names)).values_list("file", flat=True))

    removed = storage_sweep.sweep_orphans(default_storage, "attachments", known)
    return len(removed)


@shared_task
def requeue_pending_jobs() -> int:
    """Queue again the jobs services could not queue while the broker was down (tpm/jobs.py)."""
    return jobs.requeue_pending_jobs()

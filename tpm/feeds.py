"""Secret calendar-feed URLs: create (the secret is shown once), revoke, look up."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Organisation, User
from .models_collab import FeedToken


@transaction.atomic
def feed_token_create(
    *, user: User, organisation: Organisation, name: str, project_id: int | None = None
) -> tuple[FeedToken, str]:
    """A new feed; returns the row and the raw secret, which is not stored anywhere."""
    name = (name or "").strip() or ("Project calendar" if project_id else "My work")
    if len(name) > 80:
        raise ValidationError({"name": "Keep the name under 80 characters."})
    raw = FeedToken.PREFIX + secrets.token_urlsafe(32)
    token = FeedToken.objects.create(
        user=user,
        organisation=organisation,
        project_id=project_id,
        name=name,
        key_prefix=raw[:12],
        key_digest=FeedToken.digest(raw),
    )
    return token, raw


def feed_token_revoke(*, token: FeedToken, actor: User) -> FeedToken:
    if token.user_id != actor.pk:
        raise ValidationError("Only its owner revokes a feed.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def feed_token_lookup(raw: str) -> FeedToken | None:
    """The active token for a raw secret, or None (wrong and revoked look the same)."""
    if not raw.startswith(FeedToken.PREFIX) or len(raw) > 100:
        return None
    token = (
        FeedToken.objects.select_related("user", "organisation")
        .filter(key_digest=FeedToken.digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token

"""Collaboration records of the tenancy core: comments, attachments, blockers, notification
preferences and calendar-feed tokens (issue 4).

Each points at its subject generically (content type + id) so that tasks, risks and deliverables
share them without `tpm` importing the apps above it. `scope` ("project:12") groups rows for a
project's activity stream, as `HistoryEntry.scope` does.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import Organisation


class Comment(models.Model):
    """A remark on a task (or any record); markdown, rendered once to sanitised HTML on save."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    body_html = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=("target_type", "target_id", "created_at"))]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id}"


class CommentRevision(models.Model):
    """What a comment said before an edit or a deletion (comments are versioned)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("comment", "version")
        constraints = [
            models.UniqueConstraint(fields=("comment", "version"), name="one_revision_per_version")
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} v{self.version}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the user: a random name under the organisation.
    return f"attachments/{instance.organisation_id}/{instance.storage_key}"


class Attachment(models.Model):
    """A file on a task (or any record), kept through `default_storage` (local or S3)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    storage_key = models.CharField(max_length=80)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=("target_type", "target_id"))]

    def __str__(self) -> str:
        return self.filename


class Blocker(models.Model):
    """A flag saying work cannot go on, with the reason; cleared rather than deleted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    reason = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-raised_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("target_type", "target_id"),
                condition=models.Q(cleared_at__isnull=True),
                name="one_open_blocker_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"Blocked: {self.reason[:40]}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email at once"
    DIGEST = "digest", "Daily digest"
    OFF = "off", "No email"


class NotificationPreference(models.Model):
    """How one person wants one kind of event emailed; no row means at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)

    class Meta:
        ordering = ("user", "kind")
        constraints = [
            models.UniqueConstraint(fields=("user", "kind"), name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class FeedToken(models.Model):
    """A secret iCal feed URL: the user's own work, or one project (`project_id`).

    Only a SHA-256 digest of the secret is kept, as for API tokens; revoking makes it a 404.
    """

    PREFIX = "cal_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # A plain id: tpm does not depend on projects; the feed view checks the role on every read.
    project_id = models.PositiveBigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=80)
    key_prefix = models.CharField(max_length=16)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def digest(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    def is_active(self, now: Any = None) -> bool:
        return self.revoked_at is None


__all__ = [
    "Attachment",
    "Blocker",
    "Comment",
    "CommentRevision",
    "Delivery",
    "FeedToken",
    "NotificationPreference",
]

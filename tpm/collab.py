"""Writes of the collaboration records (comments, attachments, blockers) and the markdown
renderer. Generic on purpose: the caller (projects, risks...) fetched and checked the target,
and says who may be mentioned, where the record lives (`scope`) and its page (`url`).
"""

import re
import secrets
from collections.abc import Iterable
from typing import Any

import nh3
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from markdown_it import MarkdownIt

from .concurrency import lock_current_version
from .models import Organisation, User
from .models_collab import Attachment, Blocker, Comment, CommentRevision
from .notifications import dedupe_key, notify

COMMENT_MAX_CHARS = 20_000
# Raw HTML in the source is escaped by the parser, and nh3 keeps only these tags afterwards:
# <script>, event handlers and javascript: links never reach the page.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def render_markdown(source: str) -> str:
    """Markdown to HTML that is safe to show as is."""
    return nh3.clean(
        _markdown.render(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def find_mentions(body: str, mentionable: Iterable[User]) -> list[User]:
    """People named `@email` or `@local-part` (when unambiguous) among `mentionable` only:
    anyone else's name stays plain text and notifies no one."""
    people = list(mentionable)
    by_email: dict[str, User] = {someone.email.lower(): someone for someone in people}
    by_local: dict[str, list[User]] = {}
    for someone in people:
        by_local.setdefault(someone.email.split("@")[0].lower(), []).append(someone)
    found: dict[int, User] = {}
    for handle in MENTION.findall(body):
        handle = handle.lower().rstrip(".")
        person = by_email.get(handle)
        if person is None and len(by_local.get(handle, [])) == 1:
            person = by_local[handle][0]
        if person is not None:
            found[person.pk] = person
    return list(found.values())


def _target_fields(target: models.Model) -> dict[str, Any]:
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"body": f"A comment holds at most {COMMENT_MAX_CHARS:,} characters."}
        )
    return body


def _notify_mentions(comment: Comment, people: list[User], actor: User, url: str, title: str):
    for person in people:
        if person.pk == actor.pk:
            continue
        notify(
            recipient=person,
            organisation=comment.organisation,
            kind="mentioned",
            title=f"{actor.display_name} mentioned you on {title}"[:200],
            body=comment.body[:1000],
            url=url,
            dedupe_key=dedupe_key("mentioned", comment.pk, person.pk),
        )


@transaction.atomic
def comment_create(
    *,
    organisation: Organisation,
    scope: str,
    target: models.Model,
    author: User,
    body: str,
    mentionable: Iterable[User] = (),
    url: str = "",
) -> Comment:
    """Post a comment; the people it mentions (among `mentionable`) are notified."""
    body = _clean_body(body)
    comment = Comment.objects.create(
        organisation=organisation,
        scope=scope,
        author=author,
        body=body,
        body_html=render_markdown(body),
        **_target_fields(target),
    )
    people = find_mentions(body, mentionable)
    if people:
        comment.mentions.set(people)
    _notify_mentions(comment, people, author, url, str(target))
    return comment


def _check_author(comment: Comment, actor: User) -> None:
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only its author changes or deletes a comment.")
    if comment.deleted_at is not None:
        raise ValidationError({"body": "This comment was deleted."})


@transaction.atomic
def comment_update(
    *,
    comment: Comment,
    actor: User,
    version: int | None,
    body: str,
    mentionable: Iterable[User] = (),
    url: str = "",
) -> Comment:
    """The author rewrites a comment; the old text is kept as a revision."""
    current = lock_current_version(comment, version)
    _check_author(current, actor)
    body = _clean_body(body)
    if body == current.body:
        return current
    CommentRevision.objects.create(comment=current, version=current.version, body=current.body)
    current.body = body
    current.body_html = render_markdown(body)
    current.edited_at = timezone.now()
    current.version += 1
    current.save()
    people = find_mentions(body, mentionable)
    current.mentions.set(people)
    _notify_mentions(current, people, actor, url, "a comment")  # keys skip those told before
    return current


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User, version: int | None) -> Comment:
    """The author takes a comment back; the text stays in its revisions, the thread shows
    that a comment was deleted."""
    current = lock_current_version(comment, version)
    _check_author(current, actor)
    CommentRevision.objects.create(comment=current, version=current.version, body=current.body)
    current.body = ""
    current.body_html = ""
    current.deleted_at = timezone.now()
    current.version += 1
    current.save()
    current.mentions.clear()
    return current


# Attachments ------------------------------------------------------------------------------


def attachment_limits() -> tuple[int, frozenset[str]]:
    """The largest file and the content types accepted (settings ATTACHMENT_MAX_BYTES and
    ATTACHMENT_CONTENT_TYPES, from the environment)."""
    return settings.ATTACHMENT_MAX_BYTES, frozenset(settings.ATTACHMENT_CONTENT_TYPES)


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def check_upload(upload: UploadedFile) -> str:
    """The upload's content type, or a ValidationError naming the limit it breaks."""
    max_bytes, types = attachment_limits()
    name = upload.name or "the file"
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": f"{name} is empty."})
    if upload.size > max_bytes:
        raise ValidationError(
            {"file": f"{name} is {_human(upload.size)}; files may be at most {_human(max_bytes)}."}
        )
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if content_type not in types:
        raise ValidationError(
            {
                "file": f"{name} is of type {content_type or 'unknown'}, which is not accepted "
                f"here. Accepted: {', '.join(sorted(types))}."
            }
        )
    return content_type


@transaction.atomic
def attachment_create(
    *,
    organisation: Organisation,
    scope: str,
    target: models.Model,
    actor: User,
    upload: UploadedFile,
) -> Attachment:
    """Check the limits first (a refused file is never stored), then store it."""
    content_type = check_upload(upload)
    attachment = Attachment(
        organisation=organisation,
        scope=scope,
        uploaded_by=actor,
        storage_key=secrets.token_hex(16),
        filename=(upload.name or "file")[-255:],
        content_type=content_type,
        size=upload.size or 0,
        **_target_fields(target),
    )
    attachment.file.save(attachment.storage_key, upload, save=False)
    name = attachment.file.name or ""
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(name)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    """Remove the row, then the stored file once the removal is committed."""
    storage, name = attachment.file.storage, attachment.file.name or ""
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


# Blockers ---------------------------------------------------------------------------------


def open_blocker(target: models.Model) -> Blocker | None:
    return Blocker.objects.filter(cleared_at__isnull=True, **_target_fields(target)).first()


@transaction.atomic
def blocker_raise(
    *,
    organisation: Organisation,
    scope: str,
    target: models.Model,
    actor: User,
    reason: str,
    notify_people: Iterable[User] = (),
    url: str = "",
) -> Blocker:
    """Flag the target as blocked (or change the reason of its open flag) and tell
    `notify_people` (a task's managers)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what blocks the work."})
    if len(reason) > 2000:
        raise ValidationError({"reason": "Keep the reason under 2,000 characters."})
    fields = _target_fields(target)
    blocker = Blocker.objects.select_for_update().filter(cleared_at__isnull=True, **fields).first()
    if blocker is None:
        blocker = Blocker.objects.create(
            organisation=organisation, scope=scope, raised_by=actor, reason=reason, **fields
        )
    else:
        blocker.reason = reason
        blocker.save(update_fields=["reason"])
    for person in notify_people:
        if person.pk == actor.pk:
            continue
        notify(
            recipient=person,
            organisation=organisation,
            kind="blocked",
            title=f"Blocked: {target} ({actor.display_name})"[:200],
            body=reason,
            url=url,
            dedupe_key=dedupe_key("blocked", blocker.pk, person.pk),
        )
    return blocker


@transaction.atomic
def blocker_clear(*, target: models.Model, actor: User) -> Blocker | None:
    blocker = (
        Blocker.objects.select_for_update()
        .filter(cleared_at__isnull=True, **_target_fields(target))
        .first()
    )
    if blocker is not None:
        blocker.cleared_at = timezone.now()
        blocker.cleared_by = actor
        blocker.save(update_fields=["cleared_at", "cleared_by"])
    return blocker

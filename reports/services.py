"""Writes for reports: thresholds, overrides, status reports, schedules and share links.

Each service is one transaction that checks the rules, saves, and records history; edits of
versioned records go through tpm.concurrency (a stale version raises StaleVersionError).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from projects.models import Project
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Organisation, User
from tpm.roles import ProjectRole

from . import health
from .models import (
    THRESHOLD_FIELDS,
    HealthOverride,
    HealthThresholds,
    OverrideTarget,
    ReportSchedule,
    ReportStatus,
    ShareLink,
    StatusReport,
)
from .snapshot import build_snapshot

NARRATIVE_FIELDS = ("title", "summary", "accomplishments", "next_steps", "asks")
SCHEDULE_FIELDS = (
    "name",
    "frequency",
    "weekday",
    "time_of_day",
    "time_zone",
    "starts_on",
    "recipient_roles",
    "external_emails",
    "audience",
    "is_active",
)
PUBLISHED_IS_FINAL = "A published report never changes; write a new one instead."


def _project_scope(project_id: int) -> str:
    return f"project:{project_id}"


# --- thresholds -----------------------------------------------------------------------------


@transaction.atomic
def thresholds_update(
    *, organisation: Organisation, actor: User, changes: dict[str, Any], version: int | None
) -> HealthThresholds:
    """Change where amber and red start for the organisation's projects."""
    row, created = HealthThresholds.objects.get_or_create(organisation=organisation)
    if not created or version not in (None, 1):
        row = lock_current_version(row, version)
    unknown = set(changes) - set(THRESHOLD_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Not a threshold."))
    before = history.snapshot(row, THRESHOLD_FIELDS)
    for name, value in changes.items():
        setattr(row, name, value)
    errors = health.threshold_errors({name: getattr(row, name) for name in THRESHOLD_FIELDS})
    if errors:
        raise ValidationError(errors)
    row.full_clean(exclude=["organisation"])
    row.version += 1
    row.save()
    after = history.snapshot(row, THRESHOLD_FIELDS)
    history.record(
        actor=actor,
        organisation=organisation,
        target=row,
        action="updated",
        scope=f"organisation:{organisation.pk}",
        changes=history.diff(before, after),
    )
    return row


# --- overrides ------------------------------------------------------------------------------


@transaction.atomic
def override_set(
    *, project: Project, actor: User, target: str, colour: str, reason: str
) -> HealthOverride:
    """The manager's colour for a dimension (or the overall), with the reason in words."""
    if target not in OverrideTarget.values:
        raise ValidationError({"target": "Choose overall or one of the health dimensions."})
    if colour not in {c.value for c in health.Colour}:
        raise ValidationError({"colour": "Choose red, amber or green."})
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Say why in a sentence (at least 10 characters)."})
    existing = (
        HealthOverride.objects.select_for_update().filter(project=project, target=target).first()
    )
    before = {"colour": existing.colour, "reason": existing.reason} if existing else {}
    if existing:
        existing.colour, existing.reason, existing.set_by = colour, reason, actor
        existing.version += 1
        existing.save()
        row = existing
    else:
        row = HealthOverride.objects.create(
            project=project, target=target, colour=colour, reason=reason, set_by=actor
        )
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=project,
        action="override set",
        scope=_project_scope(project.pk),
        changes={
            "target": [target, target],
            **history.diff(before, {"colour": colour, "reason": reason}),
        },
    )
    return row


@transaction.atomic
def override_clear(*, override: HealthOverride, actor: User) -> None:
    project = override.project
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=project,
        action="override cleared",
        scope=_project_scope(project.pk),
        changes={
            "target": [override.target, override.target],
            "colour": [override.colour, None],
            "reason": [override.reason, None],
        },
    )
    override.delete()


# --- status reports -------------------------------------------------------------------------


def _default_title(project: Project, when: datetime) -> str:
    return f"{project.key} status report, {timezone.localtime(when).date():%d %b %Y}"


@transaction.atomic
def report_create(
    *,
    project: Project,
    actor: User | None,
    title: str = "",
    now: datetime | None = None,
    schedule: ReportSchedule | None = None,
    period: date | None = None,
    **narrative: str,
) -> StatusReport:
    """A draft: the snapshot is taken now; the manager writes the narrative, then publishes."""
    now = now or timezone.now()
    unknown = set(narrative) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    report = StatusReport.objects.create(
        project=project,
        title=(title.strip() or _default_title(project, now))[:160],
        snapshot=build_snapshot(project, today=timezone.localtime(now).date(), now=now),
        generated_at=now,
        created_by=actor,
        schedule=schedule,
        period=period,
        **{name: value.strip() for name, value in narrative.items()},
    )
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=report,
        action="created",
        scope=_project_scope(project.pk),
        changes={"title": [None, report.title]},
    )
    return report


def _editable(report: StatusReport, version: int | None) -> StatusReport:
    locked = lock_current_version(report, version)
    if locked.status == ReportStatus.PUBLISHED:
        raise ValidationError(PUBLISHED_IS_FINAL)
    return locked


@transaction.atomic
def report_update(
    *, report: StatusReport, actor: User, changes: dict[str, str], version: int | None
) -> StatusReport:
    """Edit a draft's narrative (a published report refuses)."""
    locked = _editable(report, version)
    unknown = set(changes) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Not part of the narrative."))
    if "title" in changes and not changes["title"].strip():
        raise ValidationError({"title": "Give the report a title."})
    before = history.snapshot(locked, NARRATIVE_FIELDS)
    for name, value in changes.items():
        setattr(locked, name, value.strip())
    locked.version += 1
    locked.save()
    history.record(
        actor=actor,
        organisation=report.project.organisation,
        target=locked,
        action="updated",
        scope=_project_scope(locked.project_id),
        changes=history.diff(before, history.snapshot(locked, NARRATIVE_FIELDS)),
    )
    return locked


@transaction.atomic
def report_refresh(*, report: StatusReport, actor: User, version: int | None) -> StatusReport:
    """Retake a draft's snapshot (the plan moved on since it was started)."""
    locked = _editable(report, version)
    now = timezone.now()
    locked.snapshot = build_snapshot(report.project, today=timezone.localtime(now).date(), now=now)
    locked.generated_at = now
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def report_publish(
    *, report: StatusReport, actor: User | None, version: int | None, now: datetime | None = None
) -> StatusReport:
    """Freeze the report: from here on nothing about it changes."""
    locked = _editable(report, version)
    if not locked.summary.strip() and locked.schedule_id is None:
        raise ValidationError({"summary": "Write a summary before publishing."})
    locked.status = ReportStatus.PUBLISHED
    locked.published_at = now or timezone.now()
    locked.published_by = actor
    locked.version += 1
    locked.save()
    history.record(
        actor=actor,
        organisation=report.project.organisation,
        target=locked,
        action="published",
        scope=_project_scope(locked.project_id),
        changes={"status": [ReportStatus.DRAFT.value, ReportStatus.PUBLISHED.value]},
    )
    return locked


DRAFT_STEPS = ("save", "refresh", "publish")


@transaction.atomic(durable=True)
def report_save_draft(
    *,
    report: StatusReport,
    actor: User,
    changes: dict[str, str],
    version: int | None,
    then: str = "save",
) -> StatusReport:
    """The draft page's submit: save the narrative, then (`then`) retake the figures or publish.

    One transaction: a publish the rules refuse also undoes the save before it, so the form's
    version stays current for the next try. Durable: the page's whole use case, never part of
    another transaction.
    """
    if then not in DRAFT_STEPS:
        raise ValueError(f"Unknown step after saving a draft: {then!r}")
    saved = report_update(report=report, actor=actor, changes=changes, version=version)
    if then == "refresh":
        return report_refresh(report=saved, actor=actor, version=saved.version)
    if then == "publish":
        return report_publish(report=saved, actor=actor, version=saved.version)
    return saved


@transaction.atomic
def report_delete(*, report: StatusReport, actor: User) -> None:
    """Delete a draft (published reports stay)."""
    if report.status == ReportStatus.PUBLISHED:
        raise ValidationError(PUBLISHED_IS_FINAL)
    history.record(
        actor=actor,
        organisation=report.project.organisation,
        target=report,
        action="deleted",
        scope=_project_scope(report.project_id),
        changes={"title": [report.title, None]},
    )
    report.delete()


# --- schedules ------------------------------------------------------------------------------


def _clean_schedule(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    zone = values.get("time_zone")
    if zone is not None and zone not in available_timezones():
        errors["time_zone"] = f"“{zone}” is not a time zone (e.g. Europe/London)."
    roles = values.get("recipient_roles")
    if roles is not None:
        bad = [role for role in roles if role not in ProjectRole.values]
        if bad:
            errors["recipient_roles"] = f"Not project roles: {', '.join(map(str, bad))}."
    emails = values.get("external_emails")
    if emails is not None:
        lines = [line.strip() for line in str(emails).splitlines() if line.strip()]
        for line in lines:
            try:
                validate_email(line)
            except ValidationError:
                errors["external_emails"] = f"“{line}” is not an email address."
                break
        values["external_emails"] = "\n".join(dict.fromkeys(line.lower() for line in lines))
    if errors:
        raise ValidationError(errors)
    return values


def _schedule_state(schedule: ReportSchedule) -> dict[str, Any]:
    """The schedule's fields as JSON-able values for history (a time of day as "09:00")."""
    state = history.snapshot(schedule, SCHEDULE_FIELDS)
    if isinstance(schedule.time_of_day, time):
        state["time_of_day"] = schedule.time_of_day.strftime("%H:%M")
    return state


def _check_recipients(schedule: ReportSchedule) -> None:
    if not schedule.recipient_roles and not schedule.external_list():
        raise ValidationError(
            {"recipient_roles": "Choose at least one project role or add an email address."}
        )


@transaction.atomic
def schedule_create(*, project: Project, actor: User, **values: Any) -> ReportSchedule:
    values = _clean_schedule(values)
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    values.setdefault("starts_on", timezone.localdate())
    schedule = ReportSchedule(project=project, created_by=actor, **values)
    _check_recipients(schedule)
    schedule.full_clean(exclude=["project", "created_by"])
    schedule.save()
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=schedule,
        action="created",
        scope=_project_scope(project.pk),
        changes=history.diff({}, _schedule_state(schedule)),
    )
    return schedule


@transaction.atomic
def schedule_update(
    *, schedule: ReportSchedule, actor: User, changes: dict[str, Any], version: int | None
) -> ReportSchedule:
    locked = lock_current_version(schedule, version)
    changes = _clean_schedule(dict(changes))
    unknown = set(changes) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    before = _schedule_state(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_recipients(locked)
    locked.full_clean(exclude=["project", "created_by"])
    locked.version += 1
    locked.save()
    history.record(
        actor=actor,
        organisation=schedule.project.organisation,
        target=locked,
        action="updated",
        scope=_project_scope(locked.project_id),
        changes=history.diff(before, _schedule_state(locked)),
    )
    return locked


@transaction.atomic
def schedule_delete(*, schedule: ReportSchedule, actor: User) -> None:
    history.record(
        actor=actor,
        organisation=schedule.project.organisation,
        target=schedule,
        action="deleted",
        scope=_project_scope(schedule.project_id),
        changes={"name": [schedule.name, None]},
    )
    schedule.delete()


# --- share links ----------------------------------------------------------------------------

MAX_SHARE_DAYS = 90


@transaction.atomic
def share_link_create(
    *, project: Project, actor: User, days: int = 14, label: str = ""
) -> ShareLink:
    if not 1 <= days <= MAX_SHARE_DAYS:
        raise ValidationError({"days": f"Choose between 1 and {MAX_SHARE_DAYS} days."})
    link = ShareLink.objects.create(
        project=project,
        label=label.strip()[:120],
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=link,
        action="created",
        scope=_project_scope(project.pk),
        changes={"expires_at": [None, link.expires_at.isoformat()]},
    )
    return link


@transaction.atomic
def share_link_revoke(*, link: ShareLink, actor: User) -> ShareLink:
    locked = ShareLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        history.record(
            actor=actor,
            organisation=link.project.organisation,
            target=locked,
            action="revoked",
            scope=_project_scope(locked.project_id),
            changes={"revoked_at": [None, locked.revoked_at.isoformat()]},
        )
    return locked

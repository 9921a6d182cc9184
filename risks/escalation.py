"""Escalations and reminders, run by the periodic jobs in risks/tasks.py.

Each is idempotent: a notification's `dedupe_key` names the event (the risk and the review that
crossed the threshold, the review date that passed, the validate-by date that passed), so running
a job twice, or two workers at once, tells each person once.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projects.models import ProjectMembership
from tpm.models import User
from tpm.notifications import notify, notify_many
from tpm.roles import OrgRole, ProjectRole

from . import scoring
from .models import Assumption, AssumptionStatus, Risk, RiskSettings
from .models.risk import OPEN_STATUSES


def _settings_by_org() -> dict[int, scoring.Thresholds]:
    return {s.organisation_id: s.thresholds() for s in RiskSettings.objects.all()}


def _notify_stakeholders() -> set[int]:
    return set(
        RiskSettings.objects.filter(notify_stakeholders=True).values_list(
            "organisation_id", flat=True
        )
    )


def _risk_url(risk: Risk) -> str:
    return reverse("risk-detail", args=[risk.project_id, risk.pk])


def escalation_recipients(risk: Risk, *, stakeholders: bool) -> list[User]:
    """The project's managers (its org admins when it has none) and, if chosen, stakeholders."""
    roles = [ProjectRole.MANAGER, *([ProjectRole.STAKEHOLDER] if stakeholders else [])]
    members = list(
        ProjectMembership.objects.filter(project_id=risk.project_id, role__in=roles)
        .select_related("user")
        .order_by("user_id")
    )
    people = [m.user for m in members]
    if not any(m.role == ProjectRole.MANAGER for m in members):
        people += list(
            User.objects.filter(
                memberships__organisation_id=risk.project.organisation_id,
                memberships__role=OrgRole.ADMIN,
            ).order_by("pk")
        )
    return people


def risks_escalate() -> int:
    """Tell the managers about every open risk at or above its organisation's escalation score
    that has not been escalated since it got there. Returns the number of risks escalated."""
    thresholds = _settings_by_org()
    with_stakeholders = _notify_stakeholders()
    default = scoring.Thresholds()
    escalated = 0
    candidates = (
        Risk.objects.filter(
            status__in=OPEN_STATUSES, escalated_at__isnull=True, project__deleted_at__isnull=True
        )
        .filter(score__gte=min([default.escalation, *(t.escalation for t in thresholds.values())]))
        .select_related("project__organisation", "owner")
    )
    for risk in candidates:
        org_id = risk.project.organisation_id
        limits = thresholds.get(org_id, default)
        if not scoring.needs_escalation(risk.score, limits):
            continue
        escalated += _escalate(risk, stakeholders=org_id in with_stakeholders)
    return escalated


@transaction.atomic
def _escalate(risk: Risk, *, stakeholders: bool) -> int:
    locked = Risk.objects.select_for_update().filter(pk=risk.pk, escalated_at__isnull=True)
    if not locked.exists():  # another worker got there first
        return 0
    latest = risk.reviews.order_by("-reviewed_on", "-id").values_list("pk", flat=True).first()
    notify_many(
        recipients=escalation_recipients(risk, stakeholders=stakeholders),
        organisation=risk.project.organisation,
        kind="risk.escalated",
        title=f"{risk.project.key} {risk.ref} needs attention: score {risk.score}",
        body=f"The risk “{risk.title}” reached a score of {risk.score}, at or above the "
        "escalation threshold of its organisation.",
        url=_risk_url(risk),
        key=f"risk-escalated:{risk.pk}:{latest}",
    )
    locked.update(escalated_at=timezone.now())
    return 1


def reviews_remind_overdue(*, today: date) -> int:
    """Remind each owner of an open risk whose review date has passed (once per date)."""
    sent = 0
    overdue = Risk.objects.filter(
        status__in=OPEN_STATUSES,
        next_review_on__lt=today,
        owner__isnull=False,
        project__deleted_at__isnull=True,
    ).select_related("project__organisation", "owner")
    for risk in overdue:
        assert risk.owner is not None and risk.next_review_on is not None
        made = notify(
            recipient=risk.owner,
            organisation=risk.project.organisation,
            kind="risk.review_overdue",
            title=f"Review of {risk.project.key} {risk.ref} is overdue",
            body=f"“{risk.title}” was due for review on {risk.next_review_on:%d %b %Y}.",
            url=_risk_url(risk),
            dedupe_key=f"risk-review-overdue:{risk.pk}:{risk.next_review_on.isoformat()}",
        )
        sent += made is not None
    return sent


def assumptions_flag_overdue(*, today: date) -> int:
    """Flag open assumptions past their validate-by date, and tell their owners (once)."""
    flagged = 0
    overdue = Assumption.objects.filter(
        status=AssumptionStatus.OPEN,
        validate_by__lt=today,
        flagged_at__isnull=True,
        project__deleted_at__isnull=True,
    ).select_related("project__organisation", "owner")
    for assumption in overdue:
        with transaction.atomic():
            updated = Assumption.objects.filter(pk=assumption.pk, flagged_at__isnull=True).update(
                flagged_at=timezone.now()
            )
            if not updated:
                continue
            flagged += 1
            if assumption.owner is not None:
                notify(
                    recipient=assumption.owner,
                    organisation=assumption.project.organisation,
                    kind="assumption.overdue",
                    title=f"Validate assumption {assumption.project.key} {assumption.ref}",
                    body=f"“{assumption.title}” was to be validated by "
                    f"{assumption.validate_by:%d %b %Y}.",
                    url=reverse("raid-log", args=[assumption.project_id]),
                    dedupe_key=f"assumption-overdue:{assumption.pk}:{assumption.validate_by}",
                )
    return flagged

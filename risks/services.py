"""Writes to the risk register: each public function is one transaction with history.

Ratings are checked here with messages a person understands ("Probability must be from 1 to 5"),
scores come from risks/scoring.py, and every change of the ratings leaves a `RiskReview` row:
the score over time and the register as of a past date are read from those rows.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.models import Project, ProjectMembership, Task
from projects.plan import services as task_services
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Membership, Organisation, User
from tpm.roles import OrgRole

from . import scoring
from .models import (
    DEFAULT_CATEGORIES,
    Issue,
    IssueStatus,
    Priority,
    Risk,
    RiskCategory,
    RiskResponse,
    RiskReview,
    RiskSettings,
    RiskStatus,
)
from .models.risk import OPPORTUNITY_STRATEGIES, THREAT_STRATEGIES, RiskKind

DESCRIPTIVE_FIELDS = (
    "kind",
    "title",
    "cause",
    "event",
    "effect",
    "category",
    "owner",
    "status",
    "proximity",
    "trigger",
    "strategy",
    "response_plan",
    "contingency_plan",
    "next_review_on",
)
RATING_FIELDS = (
    "probability",
    "impact_schedule",
    "impact_cost",
    "impact_scope",
    "impact_quality",
    "residual_probability",
    "residual_impact",
)
AMOUNT_FIELDS = ("cost_impact", "schedule_impact_days")
ASSESSMENT_FIELDS = RATING_FIELDS + AMOUNT_FIELDS
EDITABLE_FIELDS = DESCRIPTIVE_FIELDS + ASSESSMENT_FIELDS
HISTORY_FIELDS = (*EDITABLE_FIELDS, "score", "residual_score")

RATING_LABELS = {
    "probability": "Probability",
    "impact_schedule": "Schedule impact",
    "impact_cost": "Cost impact",
    "impact_scope": "Scope impact",
    "impact_quality": "Quality impact",
    "residual_probability": "Residual probability",
    "residual_impact": "Residual impact",
}


def scope_of(project: Project) -> str:
    return f"project:{project.pk}"


def record(project: Project, actor: User | None, target: Any, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target,
        action=action,
        scope=scope_of(project),
        changes=changes,
    )


# --- organisation settings -----------------------------------------------------------------


def settings_for(organisation: Organisation) -> RiskSettings:
    """The organisation's settings; the defaults (unsaved) until someone changes them."""
    found = RiskSettings.objects.filter(organisation=organisation).first()
    return found or RiskSettings(organisation=organisation)


@transaction.atomic
def categories_ensure(*, organisation: Organisation) -> list[RiskCategory]:
    """The organisation's categories, created from the defaults if it has none (idempotent).

    Run when an organisation is created (risks.receivers); pages read `selectors.categories`.
    """
    existing = list(RiskCategory.objects.filter(organisation=organisation))
    if existing:
        return existing
    return RiskCategory.objects.bulk_create(
        RiskCategory(organisation=organisation, name=name, position=index)
        for index, name in enumerate(DEFAULT_CATEGORIES)
    )


SETTINGS_FIELDS = (
    "medium_from",
    "high_from",
    "critical_from",
    "appetite",
    "escalation_from",
    "notify_stakeholders",
)


@transaction.atomic
def risk_settings_update(
    *, organisation: Organisation, actor: User, version: int | None, **changes: Any
) -> RiskSettings:
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    current, _ = RiskSettings.objects.get_or_create(organisation=organisation)
    current = lock_current_version(current, version)
    before = history.snapshot(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    try:
        current.thresholds()
    except (scoring.ScaleError, TypeError) as error:
        raise ValidationError({"high_from": str(error)}) from error
    current.full_clean()
    current.version += 1
    current.save()
    diff = history.diff(before, history.snapshot(current, changes))
    if diff:
        history.record(
            actor=actor,
            organisation=organisation,
            target=current,
            action="updated",
            scope=f"organisation:{organisation.pk}",
            changes=diff,
        )
    return current


@transaction.atomic
def category_create(*, organisation: Organisation, actor: User, name: str) -> RiskCategory:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the category."})
    categories_ensure(organisation=organisation)
    if RiskCategory.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a category called “{name}”."})
    last = RiskCategory.objects.filter(organisation=organisation).aggregate(n=Max("position"))
    category = RiskCategory.objects.create(
        organisation=organisation, name=name, position=(last["n"] or 0) + 1
    )
    history.record(
        actor=actor,
        organisation=organisation,
        target=category,
        action="created",
        scope=f"organisation:{organisation.pk}",
        changes={"name": [None, name]},
    )
    return category


@transaction.atomic
def category_set_active(*, category: RiskCategory, actor: User, active: bool) -> RiskCategory:
    if category.is_active != active:
        category.is_active = active
        category.save(update_fields=["is_active"])
        history.record(
            actor=actor,
            organisation=category.organisation,
            target=category,
            action="updated",
            scope=f"organisation:{category.organisation_id}",
            changes={"is_active": [not active, active]},
        )
    return category


# --- checks ----------------------------------------------------------------------------------


def check_owner(project: Project, owner: User | None, field: str = "owner") -> None:
    """The owner must have a role in the project (an organisation admin always does)."""
    if owner is None:
        return
    in_project = ProjectMembership.objects.filter(project=project, user=owner).exists()
    admin = Membership.objects.filter(
        organisation_id=project.organisation_id, user=owner, role=OrgRole.ADMIN
    ).exists()
    if not (in_project or admin):
        raise ValidationError({field: f"{owner} has no role in {project.key}; choose a member."})


def _check_category(project: Project, category: RiskCategory | None) -> None:
    if category is None:
        raise ValidationError({"category": "Choose a category."})
    if category.organisation_id != project.organisation_id:
        raise ValidationError({"category": "Choose a category of this organisation."})


def _check_ratings(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name in RATING_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if value is None and name.startswith("residual"):
            continue
        if isinstance(value, str) and value.strip().isdigit():
            value = values[name] = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in scoring.SCALE:
            errors[name] = f"{RATING_LABELS[name]} must be a whole number from 1 to 5."
    if "cost_impact" in values:
        try:
            amount = Decimal(str(values["cost_impact"] or 0))
        except InvalidOperation:
            errors["cost_impact"] = "The cost impact must be an amount such as 25000.00."
        else:
            if amount < 0 or not amount.is_finite():
                errors["cost_impact"] = "The cost impact cannot be negative."
            values["cost_impact"] = amount
    if "schedule_impact_days" in values:
        days = values["schedule_impact_days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            errors["schedule_impact_days"] = "The schedule impact is a whole number of days, 0+."
    if errors:
        raise ValidationError(errors)
    return values


def _check_consistency(risk: Risk) -> None:
    """Rules that need the whole record: the strategy fits the kind; residual both or neither."""
    allowed = OPPORTUNITY_STRATEGIES if risk.kind == RiskKind.OPPORTUNITY else THREAT_STRATEGIES
    if risk.strategy not in allowed:
        kind = risk.get_kind_display().lower()
        raise ValidationError({"strategy": f"“{risk.get_strategy_display()}” is not for a {kind}."})
    if (risk.residual_probability is None) != (risk.residual_impact is None):
        raise ValidationError(
            {"residual_impact": "Give both the residual probability and the residual impact."}
        )
    if risk.next_review_on and risk.next_review_on < risk.raised_on:
        raise ValidationError(
            {"next_review_on": "The next review cannot be before the risk was raised."}
        )


def _review_from(risk: Risk, *, actor: User | None, on: date, note: str) -> RiskReview:
    review = RiskReview(risk=risk, reviewed_on=on, reviewed_by=actor, status=risk.status, note=note)
    for name in ASSESSMENT_FIELDS:
        setattr(review, name, getattr(risk, name))
    review.compute_scores()
    review.save()
    return review


def _clear_escalation_if_below(risk: Risk) -> None:
    """A risk that dropped under the escalation threshold may be escalated again later."""
    thresholds = settings_for(risk.project.organisation).thresholds()
    if risk.escalated_at and not scoring.needs_escalation(risk.score, thresholds):
        risk.escalated_at = None


# --- risks -----------------------------------------------------------------------------------


@transaction.atomic
def risk_create(
    *,
    project: Project,
    actor: User,
    title: str,
    category: RiskCategory | None = None,
    raised_on: date | None = None,
    note: str = "",
    **fields: Any,
) -> Risk:
    """Raise a risk; its first assessment is recorded as its first review."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    if category is None:
        choices = categories_ensure(organisation=project.organisation)
        category = next((c for c in choices if c.name == "Other"), choices[0])
    _check_category(project, category)
    check_owner(project, fields.get("owner"))
    _check_ratings(fields)
    today = timezone.localdate()
    raised_on = raised_on or today
    if raised_on > today:
        raise ValidationError({"raised_on": "A risk cannot be raised in the future."})
    Project.objects.select_for_update().filter(pk=project.pk).first()  # numbers one at a time
    last = Risk.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0
    risk = Risk(
        project=project,
        number=last + 1,
        title=(title or "").strip(),
        category=category,
        raised_on=raised_on,
        created_by=actor,
        **fields,
    )
    if risk.status == RiskStatus.CLOSED:
        risk.closed_on = raised_on
    risk.compute_scores()
    _check_consistency(risk)
    risk.full_clean(exclude=["number"])
    risk.save()
    _review_from(risk, actor=actor, on=raised_on, note=note or "Raised.")
    record(
        project, actor, risk, "created", {"title": [None, risk.title], "score": [None, risk.score]}
    )
    return risk


def _apply(risk: Risk, changes: dict[str, Any]) -> dict[str, list]:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if "category" in changes:
        _check_category(risk.project, changes["category"])
    if "owner" in changes:
        check_owner(risk.project, changes["owner"])
    _check_ratings(changes)
    before = history.snapshot(risk, HISTORY_FIELDS)
    for name, value in changes.items():
        setattr(risk, name, value)
    if "title" in changes:
        risk.title = (risk.title or "").strip()
    risk.compute_scores()
    if risk.status in (RiskStatus.CLOSED, RiskStatus.OCCURRED):
        risk.closed_on = risk.closed_on or timezone.localdate()
        risk.escalated_at = None  # reopened later, it is escalated afresh
    else:
        risk.closed_on = None
    _check_consistency(risk)
    risk.full_clean(exclude=["number", "project"])
    return history.diff(before, history.snapshot(risk, HISTORY_FIELDS))


def _reassessed(diff: dict[str, list]) -> bool:
    return any(name in diff for name in (*ASSESSMENT_FIELDS, "status"))


@transaction.atomic
def risk_update(*, risk: Risk, actor: User, version: int | None, **changes: Any) -> Risk:
    """Edit a risk. A change of its ratings or status is a reassessment: it leaves a review."""
    current = lock_current_version(risk, version)
    current.project = risk.project
    diff = _apply(current, changes)
    if not diff:
        return current
    _clear_escalation_if_below(current)
    current.version += 1
    current.save()
    if _reassessed(diff):
        _review_from(current, actor=actor, on=timezone.localdate(), note="Edited.")
    record(current.project, actor, current, "updated", diff)
    return current


@transaction.atomic
def risk_reassess(
    *,
    risk: Risk,
    actor: User,
    version: int | None,
    reviewed_on: date | None = None,
    note: str = "",
    **changes: Any,
) -> RiskReview:
    """Review a risk: new ratings (or the same ones, confirmed), a note, the next review date."""
    current = lock_current_version(risk, version)
    current.project = risk.project
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    if reviewed_on < current.raised_on:
        raise ValidationError(
            {
                "reviewed_on": f"A review cannot be before the risk was raised "
                f"({current.raised_on:%d %b %Y})."
            }
        )
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": "A review cannot be dated in the future."})
    allowed = (*ASSESSMENT_FIELDS, "status", "next_review_on", "strategy")
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if changes.get("status", current.status) == RiskStatus.IDENTIFIED:
        changes["status"] = RiskStatus.ASSESSED  # reviewed means assessed
    diff = _apply(current, changes)
    _clear_escalation_if_below(current)
    current.version += 1
    current.save()
    review = _review_from(current, actor=actor, on=reviewed_on, note=note)
    record(
        current.project,
        actor,
        current,
        "updated",
        {**diff, "reviewed_on": [None, str(reviewed_on)]},
    )
    return review


_LEVEL_PRIORITY = {
    scoring.Level.LOW: Priority.LOW,
    scoring.Level.MEDIUM: Priority.MEDIUM,
    scoring.Level.HIGH: Priority.HIGH,
    scoring.Level.CRITICAL: Priority.CRITICAL,
}


@transaction.atomic
def risk_mark_occurred(*, risk: Risk, actor: User, version: int | None, note: str = "") -> Issue:
    """The risk happened: it becomes an issue of the RAID log, linked back to the risk."""
    current = lock_current_version(risk, version)
    current.project = risk.project
    if Issue.objects.filter(risk=current).exists():
        raise ValidationError("This risk has already become an issue.")
    if current.is_opportunity:
        raise ValidationError("An opportunity that happens is good news, not an issue.")
    diff = _apply(current, {"status": RiskStatus.OCCURRED})
    current.version += 1
    current.save()
    _review_from(current, actor=actor, on=timezone.localdate(), note=note or "Occurred.")
    record(current.project, actor, current, "updated", diff)
    thresholds = settings_for(current.project.organisation).thresholds()
    from .raid.services import next_number  # one numbering rule for the RAID log

    issue = Issue.objects.create(
        project=current.project,
        number=next_number(Issue, current.project),
        title=current.title,
        description="\n\n".join(p for p in (current.event, current.effect, note) if p),
        owner=current.owner,
        priority=_LEVEL_PRIORITY[scoring.level(current.score, thresholds)],
        status=IssueStatus.OPEN,
        raised_on=timezone.localdate(),
        risk=current,
        created_by=actor,
    )
    record(
        current.project,
        actor,
        issue,
        "created",
        {"title": [None, issue.title], "risk": [None, current.ref]},
    )
    return issue


@transaction.atomic
def risk_add_response(
    *,
    risk: Risk,
    actor: User,
    name: str,
    duration_minutes: int = 480,
    assignees: list[User] | None = None,
    parent: Task | None = None,
) -> RiskResponse:
    """A response action is a real task of the plan (scheduled like any other)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the action, e.g. “Prototype the vendor API”."})
    task = task_services.task_create(
        project=risk.project,
        actor=actor,
        name=f"{risk.ref}: {name}"[:255],
        parent=parent,
        duration_minutes=duration_minutes,
        assignees=assignees or (),
        notes=f"Response to risk {risk.ref} “{risk.title}”.",
    )
    response = RiskResponse.objects.create(risk=risk, task=task, created_by=actor)
    Risk.objects.filter(pk=risk.pk, status__in=(RiskStatus.IDENTIFIED, RiskStatus.ASSESSED)).update(
        status=RiskStatus.RESPONDING
    )
    record(risk.project, actor, risk, "updated", {"responses": [None, task.name]})
    return response


@transaction.atomic
def risk_link_task(*, risk: Risk, actor: User, task: Task) -> None:
    if task.project_id != risk.project_id or task.deleted_at is not None:
        raise ValidationError({"task": "Link a task or milestone of the same project."})
    if risk.linked_tasks.filter(pk=task.pk).exists():
        raise ValidationError({"task": "This task is linked already."})
    risk.linked_tasks.add(task)
    record(risk.project, actor, risk, "updated", {"linked_tasks": [None, task.name]})


@transaction.atomic
def risk_unlink_task(*, risk: Risk, actor: User, task: Task) -> None:
    risk.linked_tasks.remove(task)
    record(risk.project, actor, risk, "updated", {"linked_tasks": [task.name, None]})

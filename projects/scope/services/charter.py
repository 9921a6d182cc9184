"""Writes for the charter and the objectives (KPIs) of a project (issue 7).

The charter is versioned: every save writes a `CharterVersion` snapshot, and only the sponsor
approves (the approval is recorded on the version: who and when). An objective's current value
is its latest measurement; measurements come from people or through the API.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.models import (
    CHARTER_TEXT_FIELDS,
    Charter,
    CharterVersion,
    Deliverable,
    Direction,
    MeasurementSource,
    Objective,
    ObjectiveMeasurement,
    Project,
    ProjectMembership,
)
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Membership, User
from tpm.roles import OrgRole

OBJECTIVE_FIELDS = (
    "title",
    "description",
    "metric",
    "unit",
    "baseline_value",
    "target_value",
    "target_date",
    "direction",
    "owner",
    "deliverables",
)


def _record(project: Project, actor: User | None, target: Any, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target,
        action=action,
        scope=f"project:{project.pk}",
        changes=changes,
    )


def check_person(project: Project, person: User | None, field: str) -> None:
    """Someone with a role in the project (an organisation admin always has one)."""
    if person is None:
        return
    in_project = ProjectMembership.objects.filter(project=project, user=person).exists()
    admin = Membership.objects.filter(
        organisation_id=project.organisation_id, user=person, role=OrgRole.ADMIN
    ).exists()
    if not (in_project or admin):
        raise ValidationError({field: f"{person} has no role in {project.key}; choose a member."})


# --- charter ----------------------------------------------------------------------------------


def _content(charter: Charter, stakeholder_ids: list[int]) -> dict[str, Any]:
    content: dict[str, Any] = {name: getattr(charter, name) for name in CHARTER_TEXT_FIELDS}
    content["sponsor"] = charter.sponsor_id
    content["stakeholders"] = sorted(stakeholder_ids)
    return content


@transaction.atomic
def charter_save(
    *,
    project: Project,
    actor: User,
    version: int | None,
    note: str = "",
    sponsor: User | None = None,
    stakeholders: Iterable[User] | None = None,
    **texts: str,
) -> Charter:
    """Write the charter (creating it the first time) and keep the text as a new version.

    `version` is the charter's version the editor started from (None only when creating).
    """
    unknown = set(texts) - set(CHARTER_TEXT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    existing = Charter.objects.filter(project=project).first()
    if existing is None:
        charter = Charter(project=project)
    else:
        charter = lock_current_version(existing, version)
    check_person(project, sponsor, "sponsor")
    people = list(stakeholders) if stakeholders is not None else None
    for person in people or []:
        check_person(project, person, "stakeholders")
    before = _content(
        charter, list(charter.stakeholders.values_list("pk", flat=True)) if charter.pk else []
    )
    for name, value in texts.items():
        setattr(charter, name, (value or "").strip())
    charter.sponsor = sponsor
    charter.updated_by = actor
    if charter.pk:
        charter.version += 1
    charter.save()
    if people is not None:
        charter.stakeholders.set(people)
    after = _content(
        charter, [p.pk for p in people] if people is not None else before["stakeholders"]
    )
    changes = history.diff(before, after)
    if not changes and charter.current_version_id:
        return charter
    last = charter.versions.aggregate(n=Max("number"))["n"] or 0
    snapshot = CharterVersion.objects.create(
        charter=charter, number=last + 1, content=after, note=note.strip()[:255], created_by=actor
    )
    charter.current_version = snapshot
    charter.save(update_fields=["current_version"])
    _record(
        project,
        actor,
        charter,
        "updated" if last else "created",
        {"charter version": [last or None, last + 1], **changes},
    )
    return charter


@transaction.atomic
def charter_approve(
    *, charter: Charter, actor: User, version_number: int, comment: str = ""
) -> CharterVersion:
    """The sponsor approves the version they read (it must still be the current one)."""
    # `of=("self",)`: PostgreSQL cannot lock the nullable side of the outer join.
    charter = (
        Charter.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=charter.pk)
    )
    if charter.sponsor_id is None:
        raise ValidationError(
            {"sponsor": "Name the charter's sponsor first; only they approve it."}
        )
    if charter.sponsor_id != actor.pk:
        raise ValidationError({"sponsor": "Only the charter's sponsor approves it."})
    current = charter.current_version
    if current is None:
        raise ValidationError({"charter": "Write the charter before approving it."})
    if current.number != version_number:
        raise ValidationError(
            {
                "charter": f"You read version {version_number}; the charter is at version "
                f"{current.number} now. Read it again."
            }
        )
    if current.approved_at is not None:
        raise ValidationError({"charter": f"Version {current.number} is already approved."})
    current.approved_by = actor
    current.approved_at = timezone.now()
    current.approval_comment = (comment or "").strip()
    current.save(update_fields=["approved_by", "approved_at", "approval_comment"])
    charter.approved_version = current
    charter.version += 1
    charter.save(update_fields=["approved_version", "version"])
    project = Project.objects.select_related("organisation").get(pk=charter.project_id)
    _record(project, actor, charter, "approved", {"approved version": [None, current.number]})
    return current


# --- objectives -------------------------------------------------------------------------------


def _decimal(value: Any, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: f"{label} is a number such as 42.5."}) from None
    if not number.is_finite():
        raise ValidationError({field: f"{label} is a number such as 42.5."})
    return number


def _apply_objective(objective: Objective, changes: dict[str, Any]) -> dict[str, list]:
    unknown = set(changes) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    deliverables = changes.pop("deliverables", None)
    for field, label in (("baseline_value", "The baseline"), ("target_value", "The target")):
        if field in changes:
            changes[field] = _decimal(changes[field], field, label)
    if "direction" in changes and changes["direction"] not in Direction.values:
        raise ValidationError({"direction": "Say whether higher or lower is better."})
    check_person(objective.project, changes.get("owner"), "owner")
    before = history.snapshot(objective, changes)
    for field, value in changes.items():
        setattr(objective, field, value.strip() if isinstance(value, str) else value)
    if not (objective.title or "").strip():
        raise ValidationError({"title": "Name the objective."})
    if not (objective.metric or "").strip():
        raise ValidationError({"metric": "Say what is measured."})
    if objective.baseline_value == objective.target_value:
        raise ValidationError({"target_value": "The target must differ from the baseline."})
    objective.full_clean(exclude=["project", "deliverables"])
    diff = history.diff(before, history.snapshot(objective, changes))
    if deliverables is not None:
        wrong = [d for d in deliverables if d.project_id != objective.project_id]
        if wrong:
            raise ValidationError({"deliverables": "Choose deliverables of this project."})
        objective._pending_deliverables = list(deliverables)  # type: ignore[attr-defined]
    return diff


def _set_deliverables(objective: Objective) -> dict[str, list]:
    pending: list[Deliverable] | None = getattr(objective, "_pending_deliverables", None)
    if pending is None:
        return {}
    before = sorted(objective.deliverables.values_list("number", flat=True))
    objective.deliverables.set(pending)
    after = sorted(d.number for d in pending)
    return {"deliverables": [before, after]} if before != after else {}


@transaction.atomic
def objective_create(*, project: Project, actor: User, **fields: Any) -> Objective:
    last = Objective.objects.filter(project=project).aggregate(n=Max("position"))["n"]
    objective = Objective(project=project, position=0 if last is None else last + 1)
    fields.setdefault("direction", Direction.HIGHER)
    for required in ("baseline_value", "target_value"):
        if fields.get(required) in (None, ""):
            raise ValidationError({required: "Give a number."})
    _apply_objective(objective, fields)
    objective.save()
    _set_deliverables(objective)
    _record(project, actor, objective, "created", {"title": [None, objective.title]})
    return objective


@transaction.atomic
def objective_update(
    *, objective: Objective, actor: User, version: int | None, **changes: Any
) -> Objective:
    current = lock_current_version(objective, version)
    current.project = objective.project
    diff = _apply_objective(current, changes)
    current.version += 1
    current.save()
    diff.update(_set_deliverables(current))
    if diff:
        _record(current.project, actor, current, "updated", diff)
    return current


@transaction.atomic
def objective_delete(*, objective: Objective, actor: User) -> None:
    _record(objective.project, actor, objective, "deleted", {"title": [objective.title, None]})
    objective.delete()


@transaction.atomic
def objective_measure(
    *,
    objective: Objective,
    actor: User,
    value: Any,
    measured_at: datetime | None = None,
    source: str = MeasurementSource.MANUAL,
    note: str = "",
) -> ObjectiveMeasurement:
    """Record a measured value; the latest measurement is the objective's current value."""
    number = _decimal(value, "value", "The value")
    now = timezone.now()
    measured_at = measured_at or now
    if measured_at > now + timedelta(minutes=5):
        raise ValidationError({"measured_at": "A measurement cannot be in the future."})
    if source not in MeasurementSource.values:
        raise ValidationError({"source": "Unknown source."})
    measurement = ObjectiveMeasurement(
        objective=objective,
        value=number,
        measured_at=measured_at,
        recorded_by=actor,
        source=source,
        note=(note or "").strip()[:255],
    )
    measurement.full_clean(exclude=["objective"])
    measurement.save()
    current = Objective.objects.select_for_update().get(pk=objective.pk)
    if current.current_at is None or measured_at >= current.current_at:
        old = current.current_value
        Objective.objects.filter(pk=current.pk).update(
            current_value=number, current_at=measured_at, version=current.version + 1
        )
        objective.current_value, objective.current_at = number, measured_at
        objective.version = current.version + 1
        _record(
            objective.project,
            actor,
            objective,
            "measured",
            {"current_value": [str(old) if old is not None else None, str(number)]},
        )
    return measurement

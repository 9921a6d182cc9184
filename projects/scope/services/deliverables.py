"""Writes for deliverables and their acceptance checklist (issue 7).

A deliverable is accepted by its named acceptor (a stakeholder the manager names) once every
acceptance criterion is met and no quality gate on it is left open; a refusal lists what is open.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.models import AcceptanceCriterion, Deliverable, DeliverableStatus, Project, Task
from projects.quality import rules as quality_rules
from projects.scope.services.charter import check_person
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import User

DELIVERABLE_FIELDS = (
    "name",
    "description",
    "owner",
    "due_date",
    "status",
    "milestone",
    "acceptor",
    "tasks",
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


def _check_tasks(project: Project, milestone: Task | None, tasks: Iterable[Task] | None) -> None:
    if milestone is not None:
        if milestone.project_id != project.pk or milestone.deleted_at is not None:
            raise ValidationError({"milestone": "Choose a milestone of this project."})
        if not milestone.is_milestone:
            raise ValidationError({"milestone": f"“{milestone.name}” is not a milestone."})
    for task in tasks or []:
        if task.project_id != project.pk or task.deleted_at is not None:
            raise ValidationError({"tasks": f"“{task.name}” is not a task of this project."})


def _apply(deliverable: Deliverable, changes: dict[str, Any]) -> dict[str, list]:
    unknown = set(changes) - set(DELIVERABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    tasks = changes.pop("tasks", None)
    project = deliverable.project
    _check_tasks(project, changes.get("milestone"), tasks)
    check_person(project, changes.get("owner"), "owner")
    check_person(project, changes.get("acceptor"), "acceptor")
    status = changes.get("status")
    if status == DeliverableStatus.ACCEPTED and deliverable.status != DeliverableStatus.ACCEPTED:
        raise ValidationError({"status": "A deliverable is accepted by its acceptor, not edited."})
    if status and status not in DeliverableStatus.values:
        raise ValidationError({"status": "Unknown status."})
    before = history.snapshot(deliverable, changes)
    for field, value in changes.items():
        setattr(deliverable, field, value.strip() if isinstance(value, str) else value)
    if not deliverable.name:
        raise ValidationError({"name": "Name the deliverable."})
    deliverable.full_clean(exclude=["project", "number", "tasks"])
    diff = history.diff(before, history.snapshot(deliverable, changes))
    deliverable._pending_tasks = tasks  # type: ignore[attr-defined]
    return diff


def _set_tasks(deliverable: Deliverable) -> dict[str, list]:
    tasks = getattr(deliverable, "_pending_tasks", None)
    if tasks is None:
        return {}
    before = sorted(deliverable.tasks.values_list("name", flat=True))
    deliverable.tasks.set(tasks)
    after = sorted(task.name for task in tasks)
    return {"tasks": [before, after]} if before != after else {}


@transaction.atomic
def deliverable_create(
    *, project: Project, actor: User, criteria: Iterable[str] = (), **fields: Any
) -> Deliverable:
    Project.objects.select_for_update().filter(pk=project.pk).first()  # numbers one at a time
    last = Deliverable.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0
    deliverable = Deliverable(project=project, number=last + 1, created_by=actor)
    _apply(deliverable, fields)
    deliverable.save()
    _set_tasks(deliverable)
    texts = [text.strip() for text in criteria if text and text.strip()]
    AcceptanceCriterion.objects.bulk_create(
        AcceptanceCriterion(deliverable=deliverable, text=text[:500], position=index)
        for index, text in enumerate(texts)
    )
    _record(project, actor, deliverable, "created", {"name": [None, deliverable.name]})
    return deliverable


@transaction.atomic
def deliverable_update(
    *, deliverable: Deliverable, actor: User, version: int | None, **changes: Any
) -> Deliverable:
    current = lock_current_version(deliverable, version)
    current.project = deliverable.project
    if current.status == DeliverableStatus.ACCEPTED and changes.get("status") not in (
        None,
        DeliverableStatus.ACCEPTED,
    ):
        # Reopening an accepted deliverable clears the acceptance (history keeps it).
        current.accepted_by, current.accepted_at = None, None
    diff = _apply(current, changes)
    current.version += 1
    current.save()
    diff.update(_set_tasks(current))
    if diff:
        _record(current.project, actor, current, "updated", diff)
    return current


@transaction.atomic
def deliverable_delete(*, deliverable: Deliverable, actor: User) -> None:
    _record(deliverable.project, actor, deliverable, "deleted", {"name": [deliverable.name, None]})
    deliverable.delete()


@transaction.atomic
def acceptance_criterion_add(
    *, deliverable: Deliverable, actor: User, text: str
) -> AcceptanceCriterion:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Say what must be true for it to be accepted."})
    if len(text) > 500:
        raise ValidationError({"text": "A criterion is at most 500 characters."})
    last = deliverable.criteria.aggregate(n=Max("position"))["n"]
    criterion = AcceptanceCriterion.objects.create(
        deliverable=deliverable, text=text, position=0 if last is None else last + 1
    )
    _record(deliverable.project, actor, deliverable, "updated", {"criterion added": [None, text]})
    return criterion


@transaction.atomic
def acceptance_criterion_set(
    *, criterion: AcceptanceCriterion, actor: User, version: int | None, is_met: bool
) -> AcceptanceCriterion:
    current = lock_current_version(criterion, version)
    deliverable = Deliverable.objects.select_related("project__organisation").get(
        pk=current.deliverable_id
    )
    if deliverable.status == DeliverableStatus.ACCEPTED:
        raise ValidationError(
            {"is_met": f"{deliverable.key} is accepted; its checklist is closed."}
        )
    if current.is_met != is_met:
        current.is_met = is_met
        current.checked_by = actor if is_met else None
        current.checked_at = timezone.now() if is_met else None
        _record(
            deliverable.project,
            actor,
            deliverable,
            "updated",
            {f"“{current.text}” met": [not is_met, is_met]},
        )
    current.version += 1
    current.save()
    return current


@transaction.atomic
def deliverable_accept(
    *, deliverable: Deliverable, actor: User, version: int | None, comment: str = ""
) -> Deliverable:
    """The named acceptor accepts it; refused with the open criteria while any is not met."""
    current = lock_current_version(deliverable, version)
    current.project = deliverable.project
    if current.status == DeliverableStatus.ACCEPTED:
        raise ValidationError({"deliverable": f"{current.key} is already accepted."})
    if current.acceptor_id is None:
        raise ValidationError(
            {"acceptor": "Name the stakeholder who accepts this deliverable first."}
        )
    if current.acceptor_id != actor.pk:
        raise ValidationError({"acceptor": "Only the named acceptor accepts this deliverable."})
    open_criteria = list(current.criteria.filter(is_met=False).values_list("text", flat=True))
    if open_criteria:
        listed = "; ".join(f"“{text}”" for text in open_criteria)
        raise ValidationError(
            {"deliverable": f"{current.key} cannot be accepted yet; criteria not met: {listed}."}
        )
    quality_rules.check_deliverable_gates(current)
    current.status = DeliverableStatus.ACCEPTED
    current.accepted_by = actor
    current.accepted_at = timezone.now()
    current.acceptance_comment = (comment or "").strip()
    current.version += 1
    current.save()
    _record(current.project, actor, current, "accepted", {"status": [None, "accepted"]})
    return current

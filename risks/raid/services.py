"""Writes to the RAID log's assumptions, issues, decisions and external dependencies.

The four share one shape, so one pair of services serves them; `FIELDS` says what a person may
set on each. Each call is one transaction with a version check and a history entry.
"""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.models import Project
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import User

from ..models import Assumption, Decision, ExternalDependency, Issue, Risk
from ..models.raid import RaidEntry
from ..services import check_owner, record

E = TypeVar("E", bound=RaidEntry)

_COMMON = ("title", "description", "owner")
FIELDS: dict[type[RaidEntry], tuple[str, ...]] = {
    Assumption: (*_COMMON, "validate_by", "status"),
    Issue: (*_COMMON, "priority", "status", "raised_on", "due_on", "resolution", "risk"),
    Decision: (*_COMMON, "rationale", "alternatives", "decided_by", "decided_on", "status"),
    ExternalDependency: (*_COMMON, "party", "party_kind", "due_on", "status"),
}


def next_number(model: type[RaidEntry], project: Project) -> int:
    last = model._default_manager.filter(project=project).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _check(entry: RaidEntry, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(FIELDS[type(entry)])
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    if "owner" in changes:
        check_owner(entry.project, changes["owner"])
    risk = changes.get("risk")
    if isinstance(risk, Risk) and risk.project_id != entry.project_id:
        raise ValidationError({"risk": "Link a risk of the same project."})
    if isinstance(entry, Issue) and risk is not None:
        taken = Issue.objects.filter(risk=risk).exclude(pk=entry.pk).exists()
        if taken:
            raise ValidationError({"risk": "That risk has an issue already."})
    if not (changes.get("title") or entry.title or "").strip():
        raise ValidationError({"title": "Give it a title."})


def _fields_of(entry: RaidEntry) -> tuple[str, ...]:
    return FIELDS[type(entry)]


@transaction.atomic
def raid_create(*, model: type[E], project: Project, actor: User, **fields: Any) -> E:
    entry = model(project=project, created_by=actor)
    _check(entry, fields)
    for name, value in fields.items():
        setattr(entry, name, value)
    if isinstance(entry, Issue) and entry.raised_on is None:
        entry.raised_on = timezone.localdate()
    entry.title = entry.title.strip()
    Project.objects.select_for_update().filter(pk=project.pk).first()  # numbers one at a time
    entry.number = next_number(model, project)
    entry.full_clean(exclude=["number"])
    entry.save()
    record(project, actor, entry, "created", {"title": [None, entry.title]})
    return entry


@transaction.atomic
def raid_update(*, entry: E, actor: User, version: int | None, **changes: Any) -> E:
    current = lock_current_version(entry, version)
    current.project = entry.project
    _check(current, changes)
    fields = _fields_of(current)
    before = history.snapshot(current, fields)
    for name, value in changes.items():
        setattr(current, name, value)
    current.title = current.title.strip()
    current.full_clean(exclude=["number", "project"])
    diff = history.diff(before, history.snapshot(current, fields))
    if not diff:
        return current
    current.version += 1
    current.save()
    record(current.project, actor, current, "updated", diff)
    return current

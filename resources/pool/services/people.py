"""Writes to the resource pool: resources, roles, skills and time off.

Each service runs in one transaction, checks the rules (anything from another organisation is
refused by name), saves and records history under `organisation:<id>`.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from projects.models import WorkCalendar
from resources.models import Resource, ResourceKind, ResourceRole, Skill, TimeOff
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Membership, Organisation, User

RESOURCE_FIELDS = (
    "kind",
    "name",
    "email",
    "user",
    "role",
    "skills",
    "hours_per_day",
    "calendar",
    "unit_cost",
    "unit_label",
)
_HISTORY_FIELDS = tuple(name for name in RESOURCE_FIELDS if name != "skills")


def _scope(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def _record(
    actor: User | None, organisation: Organisation, target: Any, action: str, changes: Any
) -> None:
    history.record(
        actor=actor,
        organisation=organisation,
        target=target,
        action=action,
        scope=_scope(organisation.pk),
        changes=changes,
    )


def _check_hours(hours: Decimal | None, field: str) -> None:
    if hours is None:
        return
    if hours <= 0:
        raise ValidationError({field: "Hours per day must be more than 0."})
    if hours > 24:
        raise ValidationError({field: "A day has at most 24 hours."})


def _check_resource(resource: Resource, skills: Iterable[Skill] | None) -> None:
    org_id = resource.organisation_id
    if not (resource.name or "").strip():
        raise ValidationError({"name": "Give the resource a name."})
    if resource.kind not in ResourceKind.values:
        raise ValidationError({"kind": "Choose person, equipment or licence."})
    _check_hours(resource.hours_per_day, "hours_per_day")
    if resource.user_id is not None:
        if resource.kind != ResourceKind.PERSON:
            raise ValidationError({"user": "Only a person is linked to a user account."})
        if not Membership.objects.filter(organisation_id=org_id, user_id=resource.user_id).exists():
            raise ValidationError({"user": "That person is not a member of this organisation."})
        other = (
            Resource.objects.filter(organisation_id=org_id, user_id=resource.user_id)
            .exclude(pk=resource.pk)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {"user": f"This person already has a resource in the pool: {other.name}."}
            )
    if resource.role is not None and resource.role.organisation_id != org_id:
        raise ValidationError({"role": "Choose a role of this organisation."})
    if resource.calendar is not None and (
        resource.calendar.organisation_id != org_id or resource.calendar.project_id is not None
    ):
        raise ValidationError({"calendar": "Choose one of the organisation's calendars."})
    if any(skill.organisation_id != org_id for skill in skills or ()):
        raise ValidationError({"skills": "Choose skills of this organisation."})
    if resource.kind == ResourceKind.PERSON:
        if resource.unit_cost is not None:
            raise ValidationError(
                {
                    "unit_cost": "A person costs by hourly rate; unit costs are for equipment "
                    "and licences."
                }
            )
    elif resource.unit_cost is not None and resource.unit_cost < 0:
        raise ValidationError({"unit_cost": "A unit cost cannot be negative."})


def _skill_names(skills: Iterable[Skill]) -> list[str]:
    return sorted(skill.name for skill in skills)


@transaction.atomic
def resource_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    kind: str = ResourceKind.PERSON,
    skills: Iterable[Skill] = (),
    **fields: Any,
) -> Resource:
    """Add a person (with or without a user account), equipment or a licence to the pool."""
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    user = fields.get("user")
    if user is not None and not fields.get("email"):
        fields["email"] = user.email
    if fields.get("hours_per_day") is None:
        fields.pop("hours_per_day", None)
    resource = Resource(organisation=organisation, name=(name or "").strip(), kind=kind, **fields)
    skills = list(skills)
    _check_resource(resource, skills)
    resource.save()
    if skills:
        resource.skills.set(skills)
    changes = history.snapshot(resource, _HISTORY_FIELDS) | {"skills": _skill_names(skills)}
    _record(actor, organisation, resource, "created", changes)
    return resource


@transaction.atomic
def resource_update(
    *, resource: Resource, actor: User, version: int | None, **changes: Any
) -> Resource:
    """Change a resource; a stale `version` raises StaleVersionError with the current row."""
    current = lock_current_version(resource, version)
    unknown = set(changes) - set(RESOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    skills = changes.pop("skills", None)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    if changes.get("hours_per_day", 0) is None:
        changes.pop("hours_per_day")
    before = history.snapshot(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    skill_list = list(skills) if skills is not None else None
    _check_resource(current, skill_list)
    diff = history.diff(before, history.snapshot(current, changes))
    if skill_list is not None:
        old = _skill_names(current.skills.all())
        new = _skill_names(skill_list)
        if old != new:
            current.skills.set(skill_list)
            diff["skills"] = [old, new]
    current.version += 1
    current.save()
    if diff:
        _record(actor, current.organisation, current, "updated", diff)
    return current


@transaction.atomic
def resource_set_active(
    *, resource: Resource, actor: User, active: bool, version: int | None
) -> Resource:
    """Deactivate (or reactivate) a resource: it keeps its history, rates and past time but
    is no longer offered for new allocations and assignments."""
    current = lock_current_version(resource, version)
    if current.is_active == active:
        return current
    current.is_active = active
    current.version += 1
    current.save(update_fields=["is_active", "version", "updated_at"])
    _record(
        actor,
        current.organisation,
        current,
        "reactivated" if active else "deactivated",
        {"is_active": [not active, active]},
    )
    return current


def _unique_name(
    model: type[ResourceRole] | type[Skill], organisation: Organisation, name: str
) -> str:
    clean = (name or "").strip()
    if not clean:
        raise ValidationError({"name": "Give it a name."})
    if len(clean) > 100:
        raise ValidationError({"name": "Use at most 100 characters."})
    if model.objects.filter(organisation=organisation, name__iexact=clean).exists():
        what = "role" if model is ResourceRole else "skill"
        raise ValidationError({"name": f"There is already a {what} called “{clean}”."})
    return clean


@transaction.atomic
def role_create(*, organisation: Organisation, actor: User, name: str) -> ResourceRole:
    role = ResourceRole.objects.create(
        organisation=organisation, name=_unique_name(ResourceRole, organisation, name)
    )
    _record(actor, organisation, role, "created", {"name": [None, role.name]})
    return role


@transaction.atomic
def skill_create(*, organisation: Organisation, actor: User, name: str) -> Skill:
    skill = Skill.objects.create(
        organisation=organisation, name=_unique_name(Skill, organisation, name)
    )
    _record(actor, organisation, skill, "created", {"name": [None, skill.name]})
    return skill


@transaction.atomic
def time_off_create(
    *,
    resource: Resource,
    actor: User,
    start_date: date | None,
    end_date: date | None,
    hours_per_day: Decimal | None = None,
    reason: str = "",
) -> TimeOff:
    """Record time off; `hours_per_day` empty means whole days. Overlaps are refused."""
    if start_date is None:
        raise ValidationError({"start_date": "Give the first day off."})
    end_date = end_date or start_date
    if end_date < start_date:
        raise ValidationError({"end_date": "The last day off is before the first."})
    _check_hours(hours_per_day, "hours_per_day")
    if hours_per_day is not None and hours_per_day > resource.hours_per_day:
        raise ValidationError(
            {
                "hours_per_day": f"{resource.name} works {resource.hours_per_day:g} hours a "
                "day; leave it empty for whole days off."
            }
        )
    clash = TimeOff.objects.filter(
        resource=resource, start_date__lte=end_date, end_date__gte=start_date
    ).first()
    if clash is not None:
        raise ValidationError(
            {
                "start_date": f"This overlaps time off already recorded from "
                f"{clash.start_date:%d %b %Y} to {clash.end_date:%d %b %Y}."
            }
        )
    time_off = TimeOff.objects.create(
        resource=resource,
        start_date=start_date,
        end_date=end_date,
        hours_per_day=hours_per_day,
        reason=(reason or "").strip()[:200],
    )
    _record(
        actor,
        resource.organisation,
        resource,
        "time_off_added",
        {"time_off": [None, f"{start_date}..{end_date}"]},
    )
    return time_off


@transaction.atomic
def time_off_delete(*, time_off: TimeOff, actor: User) -> None:
    resource = time_off.resource
    span = f"{time_off.start_date}..{time_off.end_date}"
    time_off.delete()
    _record(actor, resource.organisation, resource, "time_off_removed", {"time_off": [span, None]})


def calendars_for(organisation: Organisation) -> Any:
    """The calendars a resource may follow: the organisation's (not project-only ones)."""
    return WorkCalendar.objects.filter(organisation=organisation, project__isnull=True)

"""Writes to projects and their members. Each function is one transaction and records history."""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.agile.services import workflow as workflow_services
from projects.models import ProgressWeighting, Project, ProjectInvitation, ProjectMembership
from projects.schedule import services as schedule_services
from tpm import history
from tpm import services as tpm_services
from tpm.concurrency import lock_current_version
from tpm.models import Membership, Organisation, User
from tpm.roles import OrgRole, ProjectRole

EDITABLE_FIELDS = (
    "name",
    "description",
    "methodology",
    "status",
    "start_date",
    "target_date",
    "currency",
    "status_date",
    "progress_weighting",
)
RESCHEDULE_ON = frozenset({"start_date", "status_date", "progress_weighting"})
HISTORY_FIELDS = ("key", *EDITABLE_FIELDS)


def _scope(project: Project) -> str:
    return f"project:{project.pk}"


def _record(project: Project, actor: User | None, target: Any, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target,
        action=action,
        scope=_scope(project),
        changes=changes,
    )


def _validate(project: Project) -> None:
    # created_by is null (not blank) once its user is deleted; that must not block edits.
    project.full_clean(validate_unique=False, validate_constraints=False)
    clash = Project.objects.filter(organisation_id=project.organisation_id, key=project.key)
    if project.pk:
        clash = clash.exclude(pk=project.pk)
    taken = clash.first()
    if taken is not None:
        where = " (in the trash; restore it or pick another key)" if taken.is_deleted else ""
        raise ValidationError(
            {"key": f"The key {project.key} is already used by {taken.name}{where}."}
        )


@transaction.atomic
def project_create(
    *,
    organisation: Organisation,
    actor: User,
    key: str,
    name: str,
    description: str = "",
    methodology: str = "hybrid",
    status: str = "proposed",
    start_date: date | None = None,
    target_date: date | None = None,
    currency: str = "USD",
    status_date: date | None = None,
    progress_weighting: str = ProgressWeighting.DURATION,
) -> Project:
    """Create a project; its creator becomes its manager."""
    project = Project(
        organisation=organisation,
        key=key.strip().upper(),
        name=name.strip(),
        description=description,
        methodology=methodology,
        status=status,
        start_date=start_date,
        target_date=target_date,
        currency=currency,
        status_date=status_date,
        progress_weighting=progress_weighting,
        created_by=actor,
    )
    _validate(project)
    project.save()
    ProjectMembership.objects.create(project=project, user=actor, role=ProjectRole.MANAGER)
    workflow_services.ensure_workflow(project)  # the board's default statuses
    _record(
        project,
        actor,
        project,
        "created",
        history.diff({}, history.snapshot(project, HISTORY_FIELDS)),
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor: User, version: int | None, **changes: Any
) -> Project:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    current = lock_current_version(project, version)
    before = history.snapshot(current, HISTORY_FIELDS)
    for name, value in changes.items():
        setattr(
            current, name, value.strip() if isinstance(value, str) and name == "name" else value
        )
    _validate(current)
    current.version += 1
    current.save()
    diff = history.diff(before, history.snapshot(current, HISTORY_FIELDS))
    if diff:
        _record(current, actor, current, "updated", diff)
    if RESCHEDULE_ON & set(diff):
        schedule_services.project_reschedule(project=current)
    return current


@transaction.atomic
def project_delete(*, project: Project, actor: User) -> Project:
    """Move the project to the trash; an organisation admin can restore it for a while."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.deleted_at is None:
        project.deleted_at = timezone.now()
        project.deleted_by = actor
        project.version += 1
        project.save(update_fields=["deleted_at", "deleted_by", "version", "updated_at"])
        _record(project, actor, project, "deleted", {})
    return project


@transaction.atomic
def project_restore(*, project: Project, actor: User) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.deleted_at is not None:
        project.deleted_at = None
        project.deleted_by = None
        project.version += 1
        project.save(update_fields=["deleted_at", "deleted_by", "version", "updated_at"])
        _record(project, actor, project, "restored", {})
    return project


def projects_purge_deleted(*, now: datetime | None = None) -> int:
    """Remove projects that have been in the trash longer than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SOFT_DELETE_RETENTION_DAYS)
    count = 0
    for project in Project.objects.filter(deleted_at__lt=cutoff).select_related("organisation"):
        with transaction.atomic():
            history.record(
                actor=None,
                organisation=project.organisation,
                target=project,
                action="deleted",
                scope=f"organisation:{project.organisation_id}",
                changes={"purged": [False, True]},
            )
            project.delete()
            count += 1
    return count


def _check_role(role: str) -> None:
    if role not in ProjectRole.values:
        choices = ", ".join(ProjectRole.values)
        raise ValidationError({"role": f"“{role}” is not a project role; choose one of {choices}."})


def _keeps_a_manager(membership: ProjectMembership) -> bool:
    return (
        ProjectMembership.objects.filter(project_id=membership.project_id, role=ProjectRole.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def project_member_add(
    *, project: Project, user: User, role: str, actor: User
) -> ProjectMembership:
    _check_role(role)
    if not Membership.objects.filter(organisation_id=project.organisation_id, user=user).exists():
        raise ValidationError({"user": f"{user.email} is not a member of this organisation."})
    if ProjectMembership.objects.filter(project=project, user=user).exists():
        raise ValidationError({"user": f"{user.display_name} already has a role in {project.key}."})
    membership = ProjectMembership.objects.create(project=project, user=user, role=role)
    _record(
        project, actor, membership, "created", {"user": [None, user.email], "role": [None, role]}
    )
    return membership


@transaction.atomic
def project_member_change_role(
    *, membership: ProjectMembership, role: str, version: int | None, actor: User
) -> ProjectMembership:
    _check_role(role)
    current = lock_current_version(membership, version)
    if (
        current.role == ProjectRole.MANAGER
        and role != ProjectRole.MANAGER
        and not _keeps_a_manager(current)
    ):
        raise ValidationError({"role": "A project needs at least one manager."})
    old = current.role
    current.role = role
    current.version += 1
    current.save(update_fields=["role", "version"])
    if old != role:
        _record(membership.project, actor, current, "updated", {"role": [old, role]})
    return current


@transaction.atomic
def project_member_remove(*, membership: ProjectMembership, actor: User) -> None:
    current = (
        ProjectMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    )
    if current.role == ProjectRole.MANAGER and not _keeps_a_manager(current):
        raise ValidationError("A project needs at least one manager; appoint another first.")
    _record(
        membership.project,
        actor,
        current,
        "deleted",
        {"user": [current.user.email, None], "role": [current.role, None]},
    )
    current.delete()


@transaction.atomic
def project_invite(
    *, project: Project, email: str, role: str, actor: User
) -> ProjectMembership | ProjectInvitation:
    """Give `email` a role: at once for an organisation member, else through an invitation."""
    _check_role(role)
    email = email.strip().lower()
    existing = User.objects.filter(
        email__iexact=email, memberships__organisation_id=project.organisation_id
    ).first()
    if existing is not None:
        return project_member_add(project=project, user=existing, role=role, actor=actor)
    invitation = tpm_services.invitation_create(
        organisation=project.organisation, email=email, role=OrgRole.MEMBER, actor=actor
    )
    pending = ProjectInvitation.objects.create(project=project, invitation=invitation, role=role)
    _record(project, actor, pending, "created", {"invited": [None, email], "role": [None, role]})
    return pending


def project_invitations_accept(*, invitation: Any, user: User) -> int:
    """Turn the project roles waiting on an accepted invitation into memberships."""
    count = 0
    for pending in ProjectInvitation.objects.filter(
        invitation=invitation, project__deleted_at__isnull=True
    ).select_related("project__organisation"):
        _, created = ProjectMembership.objects.get_or_create(
            project=pending.project, user=user, defaults={"role": pending.role}
        )
        if created:
            _record(
                pending.project, user, pending.project, "updated", {"joined": [None, user.email]}
            )
            count += 1
    return count


def project_memberships_drop(*, organisation: Organisation, user: User) -> int:
    """Someone left the organisation: they keep no role in its projects."""
    deleted, _ = ProjectMembership.objects.filter(
        project__organisation=organisation, user=user
    ).delete()
    return deleted

"""Writes for the organisation's gate templates: the defaults every organisation starts with,
and the templates an organisation admin creates and edits (issue 7).

A template gives a new gate its criteria and required reviews (`projects.quality.services`).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import GateTemplate, GateTemplateCriterion
from projects.quality.services import check_roles, clean_texts
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Organisation, User
from tpm.roles import ProjectRole

# What every organisation starts with (created the first time its templates are needed).
DEFAULT_GATE_TEMPLATES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Design review",
        "The design is complete, reviewed and agreed before building starts.",
        (ProjectRole.MANAGER,),
        (
            "Requirements traced to the design",
            "Architecture and interfaces documented",
            "Non-functional requirements addressed (performance, security, accessibility)",
            "Open design questions resolved or logged as risks",
        ),
    ),
    (
        "Security review",
        "Security risks are understood and treated before release.",
        (ProjectRole.MANAGER, ProjectRole.MEMBER),
        (
            "Threat model updated",
            "Dependency and static analysis scans clean or triaged",
            "Penetration test findings fixed or accepted",
            "Secrets and access reviewed",
        ),
    ),
    (
        "Go-live readiness",
        "Everything needed to go live and to support the release is in place.",
        (ProjectRole.MANAGER, ProjectRole.STAKEHOLDER),
        (
            "Acceptance tests passed",
            "Rollback plan tested",
            "Monitoring and alerts in place",
            "Support team trained and runbook published",
            "Stakeholder sign-off obtained",
        ),
    ),
)


@transaction.atomic
def gate_templates_ensure(*, organisation: Organisation) -> list[GateTemplate]:
    """The organisation's templates, created from the defaults if it has none (idempotent).

    Run when an organisation is created (projects.receivers); pages only read the templates.
    """
    existing = list(GateTemplate.objects.filter(organisation=organisation))
    if existing:
        return existing
    created = []
    for name, description, roles, criteria in DEFAULT_GATE_TEMPLATES:
        template = GateTemplate.objects.create(
            organisation=organisation,
            name=name,
            description=description,
            required_reviewer_roles=[str(role) for role in roles],
        )
        GateTemplateCriterion.objects.bulk_create(
            GateTemplateCriterion(template=template, text=text, position=index)
            for index, text in enumerate(criteria)
        )
        created.append(template)
    return created


def _check_template_name(organisation: Organisation, name: str, exclude: int | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the template."})
    clash = GateTemplate.objects.filter(organisation=organisation, name__iexact=name)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": f"There is already a template called “{name}”."})
    return name


def _set_template_criteria(template: GateTemplate, criteria: list[str]) -> None:
    template.criteria.all().delete()
    GateTemplateCriterion.objects.bulk_create(
        GateTemplateCriterion(template=template, text=text, position=index)
        for index, text in enumerate(criteria)
    )


@transaction.atomic
def gate_template_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    description: str = "",
    criteria: Iterable[str] = (),
    reviewer_roles: Iterable[str] = (),
) -> GateTemplate:
    gate_templates_ensure(organisation=organisation)
    template = GateTemplate.objects.create(
        organisation=organisation,
        name=_check_template_name(organisation, name, None),
        description=description.strip(),
        required_reviewer_roles=check_roles(reviewer_roles),
    )
    _set_template_criteria(template, clean_texts(criteria))
    history.record(
        actor=actor,
        organisation=organisation,
        target=template,
        action="created",
        scope=f"organisation:{organisation.pk}",
        changes={"name": [None, template.name]},
    )
    return template


@transaction.atomic
def gate_template_update(
    *,
    template: GateTemplate,
    actor: User,
    version: int | None,
    name: str,
    description: str = "",
    criteria: Iterable[str] = (),
    reviewer_roles: Iterable[str] = (),
    archived: bool = False,
) -> GateTemplate:
    current = lock_current_version(template, version)
    before = history.snapshot(current, ["name", "description", "required_reviewer_roles"])
    before["criteria"] = list(current.criteria.values_list("text", flat=True))
    current.name = _check_template_name(current.organisation, name, current.pk)
    current.description = description.strip()
    current.required_reviewer_roles = check_roles(reviewer_roles)
    if archived != (current.archived_at is not None):
        before["archived"] = not archived
        current.archived_at = timezone.now() if archived else None
    current.version += 1
    current.save()
    texts = clean_texts(criteria)
    _set_template_criteria(current, texts)
    after = history.snapshot(current, ["name", "description", "required_reviewer_roles"])
    after["criteria"] = texts
    if "archived" in before:
        after["archived"] = archived
    changes = history.diff(before, after)
    if changes:
        history.record(
            actor=actor,
            organisation=current.organisation,
            target=current,
            action="updated",
            scope=f"organisation:{current.organisation_id}",
            changes=changes,
        )
    return current

"""Defaults that pages used to create on first GET, made for the rows that lack them.

Every project gets the default workflow (project_create makes it for new ones), and every
organisation the default gate templates (new ones get them through `organisation_created`).
Pages now only read. The defaults are frozen here as they were at this migration.
"""

from django.db import migrations

DEFAULT_STATUSES = (
    ("To do", "to_do"),
    ("In progress", "in_progress"),
    ("In review", "in_progress"),
    ("Done", "done"),
)
DEFAULT_GATE_TEMPLATES = (
    (
        "Design review",
        "The design is complete, reviewed and agreed before building starts.",
        ["manager"],
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
        ["manager", "member"],
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
        ["manager", "stakeholder"],
        (
            "Acceptance tests passed",
            "Rollback plan tested",
            "Monitoring and alerts in place",
            "Support team trained and runbook published",
            "Stakeholder sign-off obtained",
        ),
    ),
)


def workflows(apps, schema_editor):
    """Projects with no status get the four defaults (tasks show by their progress)."""
    Project = apps.get_model("projects", "Project")
    WorkflowStatus = apps.get_model("projects", "WorkflowStatus")
    missing = Project.objects.exclude(
        pk__in=WorkflowStatus.objects.values("project_id")
    ).values_list("pk", flat=True)
    WorkflowStatus.objects.bulk_create(
        WorkflowStatus(project_id=project_id, name=name, category=category, position=position)
        for project_id in list(missing)
        for position, (name, category) in enumerate(DEFAULT_STATUSES)
    )


def gate_templates(apps, schema_editor):
    """Organisations with no gate template get the three defaults with their criteria."""
    Organisation = apps.get_model("tpm", "Organisation")
    GateTemplate = apps.get_model("projects", "GateTemplate")
    GateTemplateCriterion = apps.get_model("projects", "GateTemplateCriterion")
    missing = Organisation.objects.exclude(
        pk__in=GateTemplate.objects.values("organisation_id")
    ).values_list("pk", flat=True)
    for organisation_id in list(missing):
        for name, description, roles, criteria in DEFAULT_GATE_TEMPLATES:
            template = GateTemplate.objects.create(
                organisation_id=organisation_id,
                name=name,
                description=description,
                required_reviewer_roles=list(roles),
            )
            GateTemplateCriterion.objects.bulk_create(
                GateTemplateCriterion(template=template, text=text, position=index)
                for index, text in enumerate(criteria)
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_scope_quality_change_requests")]

    operations = [
        migrations.RunPython(workflows, migrations.RunPython.noop),
        migrations.RunPython(gate_templates, migrations.RunPython.noop),
    ]

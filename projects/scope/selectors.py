"""Reads for the Scope tab: the charter and its versions, objectives, deliverables (issue 7).

Each costs a fixed number of queries whatever the number of rows.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from projects.models import (
    AcceptanceCriterion,
    Charter,
    CharterVersion,
    Deliverable,
    Objective,
    ObjectiveMeasurement,
    Project,
    ProjectMembership,
    QualityGate,
    Task,
)
from tpm.models import User


def charter_of(project: Project) -> Charter | None:
    return (
        Charter.objects.filter(project=project)
        .select_related("sponsor", "current_version", "approved_version__approved_by")
        .prefetch_related("stakeholders")
        .first()
    )


def charter_versions(charter: Charter) -> QuerySet[CharterVersion]:
    return charter.versions.select_related("created_by", "approved_by").order_by("-number")


def objectives(project: Project) -> QuerySet[Objective]:
    return (
        Objective.objects.filter(project=project)
        .select_related("owner")
        .prefetch_related(Prefetch("deliverables", Deliverable.objects.order_by("number")))
        .order_by("position", "pk")
    )


def objective_measurements(objective: Objective) -> QuerySet[ObjectiveMeasurement]:
    return objective.measurements.select_related("recorded_by").order_by("measured_at", "pk")


def with_criteria_counts(queryset: QuerySet[Deliverable]) -> QuerySet[Deliverable]:
    return queryset.annotate(
        criteria_total=Count("criteria", distinct=True),
        criteria_met=Count("criteria", filter=Q(criteria__is_met=True), distinct=True),
    )


def deliverables(project: Project) -> QuerySet[Deliverable]:
    return (
        with_criteria_counts(Deliverable.objects.filter(project=project))
        .select_related("owner", "acceptor", "accepted_by", "milestone")
        .prefetch_related(Prefetch("quality_gates", QualityGate.objects.order_by("number")))
        .order_by("due_date", "number")
    )


def deliverable_detail(deliverable_id: int) -> Deliverable:
    return (
        Deliverable.objects.select_related(
            "project__organisation", "owner", "acceptor", "accepted_by", "milestone"
        )
        .prefetch_related(
            Prefetch(
                "criteria",
                AcceptanceCriterion.objects.select_related("checked_by").order_by("position", "pk"),
            ),
            Prefetch("tasks", Task.objects.alive().order_by("outline_key")),
            Prefetch("objectives", Objective.objects.order_by("position")),
            Prefetch("quality_gates", QualityGate.objects.order_by("number")),
        )
        .get(pk=deliverable_id)
    )


def project_people(project: Project) -> QuerySet[User]:
    """People with a role in the project (for owner, sponsor and acceptor choices)."""
    ids = ProjectMembership.objects.filter(project=project).values("user_id")
    return (
        User.objects.filter(
            Q(pk__in=ids)
            | Q(memberships__organisation_id=project.organisation_id, memberships__role="admin")
        )
        .distinct()
        .order_by("full_name", "email")
    )


def plan_tasks(project: Project) -> QuerySet[Task]:
    return Task.objects.alive().filter(project=project).order_by("outline_key", "pk")


def milestones(project: Project) -> QuerySet[Task]:
    return plan_tasks(project).filter(is_milestone=True)


def task_deliverables(task: Task) -> list[Deliverable]:
    """The deliverables a task serves (linked to it, or produced at it as their milestone), with
    the objectives they serve, in two queries."""
    return list(
        Deliverable.objects.filter(Q(tasks=task) | Q(milestone=task))
        .distinct()
        .prefetch_related(Prefetch("objectives", Objective.objects.order_by("position", "pk")))
        .order_by("due_date", "number")
    )

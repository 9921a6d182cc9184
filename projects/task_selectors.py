"""Reads of the plan shaped for the outline, the task page, the Gantt and the API."""

from django.db.models import Prefetch, QuerySet

from .models import CalendarException, Dependency, Project, Task, WorkCalendar


def _links() -> QuerySet[Dependency]:
    return Dependency.objects.filter(predecessor__deleted_at__isnull=True).select_related(
        "predecessor__project"
    )


def project_outline(*, project: Project) -> QuerySet[Task]:
    """Every live task of the project in outline order, with assignees and predecessor links."""
    return (
        Task.objects.alive()
        .filter(project=project)
        .select_related("calendar")
        .prefetch_related(
            "assignees", Prefetch("predecessor_links", queryset=_links().order_by("pk"))
        )
        .order_by("outline_key", "pk")
    )


def task_detail(*, task_id: int) -> Task:
    """One task with what its page shows: links both ways, assignees, children."""
    return (
        Task.objects.select_related("project__organisation", "parent", "calendar")
        .prefetch_related(
            "assignees",
            Prefetch("predecessor_links", queryset=_links().order_by("pk")),
            Prefetch(
                "successor_links",
                queryset=Dependency.objects.filter(successor__deleted_at__isnull=True)
                .select_related("successor__project")
                .order_by("pk"),
            ),
            Prefetch("children", queryset=Task.objects.alive().order_by("outline_key")),
        )
        .get(pk=task_id)
    )


def organisation_calendars(*, organisation_id: int) -> QuerySet[WorkCalendar]:
    return (
        WorkCalendar.objects.filter(organisation_id=organisation_id)
        .prefetch_related(
            Prefetch("exceptions", queryset=CalendarException.objects.order_by("first_day"))
        )
        .order_by("-is_organisation_default", "name")
    )

"""Endpoints for the plan: tasks and the links between them (the schedule: schedule.py).

Thin as everywhere: fetch with the permission check, validate the body, call one service from
projects/plan/services.py (each reschedules the project), render the task as it is now.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import (
    access_dependency,
    access_task,
    access_task_progress,
    dependencies_for,
    row_access,
    tasks_for,
)
from projects.calendars.selectors import day_length
from projects.models import Dependency, Project, Task, TaskStatus, WorkCalendar
from projects.plan import services as task_services
from projects.plan.api.serializers import (
    DependencyCreateSerializer,
    DependencySerializer,
    DependencyUpdateSerializer,
    TaskCreateSerializer,
    TaskMoveSerializer,
    TaskProgressSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)
from projects.plan.changes import LinkChanges, ProgressChanges, TaskChanges
from projects.schedule.durations import DurationError, check_minutes, days_to_minutes
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    requested_version,
)
from tpm.roles import ProjectAction


def _predecessor_links() -> Prefetch:
    links = (
        Dependency.objects.filter(predecessor__deleted_at__isnull=True)
        .select_related("predecessor")
        .only(  # what PredecessorSerializer shows, not every column of every predecessor
            "successor_id",
            "type",
            "lag_minutes",
            "version",
            "predecessor__name",
            "predecessor__wbs_code",
            "predecessor__project_id",
        )
        .order_by("pk")
    )
    return Prefetch("predecessor_links", queryset=links)


def _days_to_minutes(data: dict[str, Any], project: Project, calendar: WorkCalendar | None) -> None:
    """Replace `duration_days` in a body by `duration_minutes` (the canonical value), in days
    of the task's calendar (`calendar`; None: the project's), by the one duration rule."""
    days = data.pop("duration_days", None)
    if days is None:
        return
    try:
        data["duration_minutes"] = check_minutes(
            days_to_minutes(days, day_length(calendar, project))
        )
    except DurationError as error:
        raise serializers.ValidationError({"duration_days": [str(error)]}) from None


def _require_plan(project_or_task: Project | Task) -> None:
    """A project or task named in a body: its scoped field loaded it with the user's role."""
    if not row_access(project_or_task).can(ProjectAction.PLAN):
        raise PermissionDenied("Your role in this project does not allow changing its plan.")


# --- tasks --------------------------------------------------------------------------------------


class TaskFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    parent = IdFilter(field_name="parent_id")
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label="Only tasks without a parent."
    )
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    is_critical = django_filters.BooleanFilter()
    is_milestone = django_filters.BooleanFilter()
    assignee = IdFilter(field_name="assignees", label="A user id.")

    class Meta:
        model = Task
        fields = (
            "project",
            "parent",
            "top_level",
            "status",
            "is_critical",
            "is_milestone",
            "assignee",
        )


_UPDATE_TASK = extend_schema(
    summary="Change what the plan says about a task (planners); its dates follow.",
    parameters=[IF_MATCH],
    request=TaskUpdateSerializer,
    responses={200: TaskSerializer, **errors(400, 403, 404, 409, 428)},
)


@extend_schema(tags=["plan"])
@extend_schema_view(
    list=extend_schema(
        summary="Tasks of the projects you have a role in, in outline order.",
        description="Filter with `project` to get one plan. Dates, floats and `is_critical` "
        "are computed by the scheduler on every change.",
    ),
    retrieve=extend_schema(summary="One task.", responses={200: TaskSerializer, **errors(404)}),
    create=extend_schema(
        summary="Add a task (planners): last among its parent's children.",
        description="`duration_minutes` (working minutes) is canonical; `duration_days` is "
        "converted with the calendar's working minutes per day. Milestones have no duration.",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, **errors(400, 403, 404)},
    ),
    update=_UPDATE_TASK,
    partial_update=_UPDATE_TASK,
    destroy=extend_schema(
        summary="Delete a task and its subtasks (planners; soft: it can be recovered).",
        responses={204: None, **errors(403, 404)},
    ),
)
class TaskViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = TaskSerializer
    input_serializers = {
        "create": TaskCreateSerializer,
        "update": TaskUpdateSerializer,
        "partial_update": TaskUpdateSerializer,
        "progress": TaskProgressSerializer,
        "move": TaskMoveSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = TaskFilter
    search_fields = ("name", "wbs_code")
    ordering_fields = (
        "outline_key",
        "name",
        "start",
        "finish",
        "total_float_minutes",
        "deadline",
        "created_at",
    )
    ordering = ("project_id", "outline_key", "pk")

    def get_queryset(self) -> QuerySet[Task]:
        return tasks_for(self.actor).prefetch_related("assignees", _predecessor_links())

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_plan(project)
        _days_to_minutes(data, project, data.get("calendar"))
        task = task_services.task_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(task.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Task:
        return access_task(self.actor, pk, write=True).obj

    def apply_update(self, instance: Task, changes: dict[str, Any], version: int | None) -> Task:
        calendar = changes.get("calendar", instance.calendar)
        _days_to_minutes(changes, instance.project, calendar)
        updated = task_services.task_update(
            task=instance, actor=self.actor, version=version, changes=TaskChanges.from_dict(changes)
        )
        return updated.task

    fetch_for_removal = fetch_for_update

    def apply_removal(self, instance: Task) -> None:
        task_services.task_delete(task=instance, actor=self.actor)

    @extend_schema(
        summary="Report progress: status, percent complete, actual dates.",
        description="Planners report on any task; team members on the tasks assigned to them. "
        "Done means 100% and an actual finish; started means an actual start.",
        parameters=[IF_MATCH],
        request=TaskProgressSerializer,
        responses={200: TaskSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str) -> Response:
        task = access_task_progress(self.actor, int(pk)).obj
        changes = self.validated_input()
        version = requested_version(request, changes)
        task_services.task_update_progress(
            task=task,
            actor=self.actor,
            version=version,
            changes=ProgressChanges.from_dict(changes),
        )
        return self.render(self.reload(task.pk))

    @extend_schema(
        summary="Move a task in the outline: a new parent and place (planners).",
        parameters=[IF_MATCH],
        request=TaskMoveSerializer,
        responses={200: TaskSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        task = access_task(self.actor, int(pk), write=True).obj
        data = self.validated_input()
        version = requested_version(request, data)
        task_services.task_move(
            task=task,
            actor=self.actor,
            parent=data["parent"],
            position=data.get("position", 1 << 30),
            version=version,
        )
        return self.render(self.reload(task.pk))


# --- dependencies -------------------------------------------------------------------------------


class DependencyFilter(django_filters.FilterSet):
    project = IdFilter(
        field_name="successor__project_id", label="Links whose successor is in this project."
    )
    predecessor = IdFilter(field_name="predecessor_id")
    successor = IdFilter(field_name="successor_id")
    task = IdFilter(method="filter_task", label="Links into or out of a task.")

    class Meta:
        model = Dependency
        fields = ("project", "predecessor", "successor", "task")

    def filter_task(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(Q(predecessor_id=value) | Q(successor_id=value))


_UPDATE_LINK = extend_schema(
    summary="Change a link's type or lag (planners of the successor's project).",
    parameters=[IF_MATCH],
    request=DependencyUpdateSerializer,
    responses={200: DependencySerializer, **errors(400, 403, 404, 409, 428)},
)


@extend_schema(tags=["plan"])
@extend_schema_view(
    list=extend_schema(summary="Links between tasks, seen through the successor's project."),
    retrieve=extend_schema(
        summary="One link.", responses={200: DependencySerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Link two tasks (planners of the successor's project).",
        description="The predecessor may be in another project of the same organisation. A link "
        "that would close a loop is a 400 naming the tasks in it; nothing is saved.",
        request=DependencyCreateSerializer,
        responses={201: DependencySerializer, **errors(400, 403, 404)},
    ),
    update=_UPDATE_LINK,
    partial_update=_UPDATE_LINK,
    destroy=extend_schema(
        summary="Remove a link (planners of the successor's project).",
        responses={204: None, **errors(403, 404)},
    ),
)
class DependencyViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = DependencySerializer
    input_serializers = {
        "create": DependencyCreateSerializer,
        "update": DependencyUpdateSerializer,
        "partial_update": DependencyUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = DependencyFilter
    ordering_fields = ("created_at", "lag_minutes")
    ordering = ("pk",)

    def get_queryset(self) -> QuerySet[Dependency]:
        return dependencies_for(self.actor).select_related("predecessor", "successor")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        _require_plan(data["successor"])
        link = task_services.dependency_create(actor=self.actor, **data)
        return self.render(self.reload(link.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Dependency:
        return access_dependency(self.actor, pk, write=True).obj

    def apply_update(
        self, instance: Dependency, changes: dict[str, Any], version: int | None
    ) -> Dependency:
        return task_services.dependency_update(
            link=instance,
            actor=self.actor,
            version=version,
            changes=LinkChanges.from_dict(changes),
        )

    fetch_for_removal = fetch_for_update

    def apply_removal(self, instance: Dependency) -> None:
        task_services.dependency_delete(link=instance, actor=self.actor)

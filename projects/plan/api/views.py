"""Endpoints for the plan: tasks, the links between them, and a project's computed schedule.

Thin as everywhere: fetch with the permission check, validate the body, call one service from
projects/plan/services.py (each reschedules the project), render the task as it is now.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, generics, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import (
    access_dependency,
    access_project,
    access_task,
    access_task_progress,
    dependencies_for,
    row_access,
    tasks_for,
)
from projects.calendars.selectors import day_length
from projects.models import Dependency, Project, Task, TaskStatus, WorkCalendar
from projects.plan import selectors as task_selectors
from projects.plan import services as task_services
from projects.plan.api.serializers import (
    DependencyCreateSerializer,
    DependencySerializer,
    DependencyUpdateSerializer,
    ProjectScheduleSerializer,
    TaskCreateSerializer,
    TaskMoveSerializer,
    TaskProgressSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
    hide_money,
    render_instant,
    schedule_task_data,
)
from projects.plan.changes import LinkChanges, ProgressChanges, TaskChanges
from projects.schedule import services as schedule_services
from projects.schedule.durations import DurationError, check_minutes, days_to_minutes
from tpm.access import Access
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    requested_version,
)
from tpm.models import User
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


# --- the schedule of one project ----------------------------------------------------------------


def schedule_body(access: Access[Project]) -> dict[str, Any]:
    """Every task with its computed dates, the critical path and the project's span.

    A fixed number of queries (the tasks, their links, their assignees, one calendar), and no
    model instance or serializer per task: at 5,000 tasks those cost seconds. The answer is the
    shape `ProjectScheduleSerializer` documents.
    """
    project = access.obj
    rows = task_selectors.outline_values(project=project)
    links = task_selectors.outline_links(project=project)
    people = task_selectors.outline_assignees(project=project)
    zone = timezone.get_current_timezone()
    starts = [row["start"] for row in rows if row["start"] is not None]
    finishes = [row["finish"] for row in rows if row["finish"] is not None]
    critical = sorted(
        (row for row in rows if row["is_critical"] and not row["is_summary"]),
        key=lambda row: (
            row["early_start"] is None,
            row["early_start"],
            row["outline_key"],
            row["id"],
        ),
    )
    return {
        "project": project.pk,
        "start": render_instant(min(starts, default=None), zone),
        "finish": render_instant(max(finishes, default=None), zone),
        "status_date": project.status_date.isoformat() if project.status_date else None,
        "minutes_per_day": day_length(None, project),
        "critical_path": [row["id"] for row in critical],
        "tasks": [
            hide_money(
                schedule_task_data(
                    row,
                    assignees=people.get(row["id"], []),
                    links=links.get(row["id"], []),
                    zone=zone,
                ),
                access.role,
            )
            for row in rows
        ],
    }


@extend_schema(tags=["plan"])
class ProjectScheduleView(generics.GenericAPIView):
    """`/projects/{id}/schedule/`: read the computed plan, or recompute it now."""

    serializer_class = ProjectScheduleSerializer
    queryset = Project.objects.none()  # names the model for the schema; reads go through access

    @property
    def actor(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def _render(self, access: Access[Project]) -> Response:
        # Already rendered (see schedule_body); the serializer class only documents it.
        return Response(schedule_body(access))

    @extend_schema(
        summary="The project's computed schedule: every task, the critical path, start/finish.",
        responses={200: ProjectScheduleSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return self._render(access_project(self.actor, pk))

    @extend_schema(
        summary="Reschedule the project now (planners), e.g. after moving its status date.",
        request=None,
        responses={200: ProjectScheduleSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = access_project(self.actor, pk, action=ProjectAction.PLAN)
        schedule_services.project_reschedule(project=access.obj)
        return self._render(access)

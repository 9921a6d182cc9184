"""Endpoints for the workflow, labels, the board, the backlog order and sprints.

Thin as everywhere: scoped querysets (another organisation's id is a 404), the permission
check, one service (workflow_services, board_services, sprint_services), the result rendered.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import access_project, access_task, row_access
from projects.agile.access import (
    access_sprint,
    access_status,
    labels_for,
    sprints_for,
    statuses_for,
)
from projects.agile.api.serializers import (
    BacklogMoveSerializer,
    BoardMoveSerializer,
    LabelCreateSerializer,
    LabelSerializer,
    SprintCloseSerializer,
    SprintCreateSerializer,
    SprintLoadSerializer,
    SprintPlanSerializer,
    SprintSerializer,
    SprintUpdateSerializer,
    SprintVersionSerializer,
    TaskAgileSerializer,
    WorkflowStatusCreateSerializer,
    WorkflowStatusSerializer,
    WorkflowStatusUpdateSerializer,
)
from projects.agile.selectors import board as board_selectors
from projects.agile.selectors import sprints as sprint_selectors
from projects.agile.services import board as board_services
from projects.agile.services import sprints as sprint_services
from projects.agile.services import workflow as workflow_services
from projects.models import Label, Project, Sprint, Task, WorkflowStatus
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


def _require(obj: Project, action: ProjectAction) -> None:
    """A project named in a body: its scoped field loaded it with the user's role."""
    if not row_access(obj).can(action):
        raise PermissionDenied("Your role in this project does not allow this.")


class ProjectFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")


class StatusFilter(ProjectFilter):
    class Meta:
        model = WorkflowStatus
        fields = ("project",)


class LabelFilter(ProjectFilter):
    class Meta:
        model = Label
        fields = ("project",)


class SprintFilter(ProjectFilter):
    state = django_filters.CharFilter()

    class Meta:
        model = Sprint
        fields = ("project", "state")


@extend_schema(tags=["board"])
@extend_schema_view(
    list=extend_schema(summary="Workflow statuses (board columns) of your projects, in order."),
    create=extend_schema(
        summary="Add a status to a project's workflow (managers).",
        request=WorkflowStatusCreateSerializer,
        responses={201: WorkflowStatusSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(
        summary="Change a status: name, category, order, WIP limit (managers).",
        parameters=[IF_MATCH],
        request=WorkflowStatusUpdateSerializer,
        responses={200: WorkflowStatusSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH],
        request=WorkflowStatusUpdateSerializer,
        responses={200: WorkflowStatusSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    destroy=extend_schema(
        summary="Remove a status; its cards move to another status of the same category.",
        responses={204: None, **errors(400, 403, 404)},
    ),
)
class WorkflowStatusViewSet(
    VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet
):
    serializer_class = WorkflowStatusSerializer
    input_serializers = {
        "create": WorkflowStatusCreateSerializer,
        "update": WorkflowStatusUpdateSerializer,
        "partial_update": WorkflowStatusUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = StatusFilter

    def get_queryset(self) -> QuerySet[WorkflowStatus]:
        return statuses_for(self.actor).order_by("project_id", "position", "pk")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require(project, ProjectAction.PLAN)
        created = workflow_services.status_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(created.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> WorkflowStatus:
        return access_status(self.actor, pk, write=True).obj

    def apply_update(
        self, instance: WorkflowStatus, changes: dict[str, Any], version: int | None
    ) -> WorkflowStatus:
        return workflow_services.status_update(
            status=instance, actor=self.actor, version=version, **changes
        )

    def fetch_for_removal(self, pk: int) -> WorkflowStatus:
        return access_status(self.actor, pk, write=True).obj

    def apply_removal(self, instance: WorkflowStatus) -> None:
        workflow_services.status_delete(status=instance, actor=self.actor)


@extend_schema(tags=["board"])
@extend_schema_view(
    list=extend_schema(summary="Labels of your projects."),
    create=extend_schema(
        summary="Add a label to a project (managers).",
        request=LabelCreateSerializer,
        responses={201: LabelSerializer, **errors(400, 403, 404)},
    ),
)
class LabelViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = LabelSerializer
    input_serializers = {"create": LabelCreateSerializer}
    filter_backends = [DjangoFilterBackend]
    filterset_class = LabelFilter

    def get_queryset(self) -> QuerySet[Label]:
        return labels_for(self.actor).order_by("project_id", "name")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require(project, ProjectAction.PLAN)
        label = workflow_services.label_create(project=project, actor=self.actor, **data)
        return Response(LabelSerializer(label).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["sprints"])
@extend_schema_view(
    list=extend_schema(summary="Sprints of your projects; filter with `project` and `state`."),
    create=extend_schema(
        summary="Create a sprint in an agile or hybrid project (managers).",
        request=SprintCreateSerializer,
        responses={201: SprintSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(
        parameters=[IF_MATCH],
        request=SprintUpdateSerializer,
        responses={200: SprintSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH],
        request=SprintUpdateSerializer,
        responses={200: SprintSerializer, **errors(400, 403, 404, 409, 428)},
    ),
)
class SprintViewSet(VersionedUpdateMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = SprintSerializer
    input_serializers = {
        "create": SprintCreateSerializer,
        "update": SprintUpdateSerializer,
        "partial_update": SprintUpdateSerializer,
        "start": SprintVersionSerializer,
        "close": SprintCloseSerializer,
        "plan": SprintPlanSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = SprintFilter

    def get_queryset(self) -> QuerySet[Sprint]:
        return sprints_for(self.actor).order_by("project_id", "start_date", "pk")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require(project, ProjectAction.PLAN)
        sprint = sprint_services.sprint_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(sprint.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Sprint:
        return access_sprint(self.actor, pk, write=True).obj

    def apply_update(
        self, instance: Sprint, changes: dict[str, Any], version: int | None
    ) -> Sprint:
        return sprint_services.sprint_update(
            sprint=instance, actor=self.actor, version=version, **changes
        )

    @extend_schema(
        summary="Start the sprint (managers): records the committed points and a snapshot.",
        parameters=[IF_MATCH],
        request=SprintVersionSerializer,
        responses={200: SprintSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def start(self, request: Request, pk: str) -> Response:
        sprint = access_sprint(self.actor, int(pk), write=True).obj
        data = self.validated_input()
        version = requested_version(request, data)
        started = sprint_services.sprint_start(sprint=sprint, actor=self.actor, version=version)
        return self.render(self.reload(started.pk))

    @extend_schema(
        summary="Close the sprint (managers); unfinished work to `move_to` or the backlog.",
        parameters=[IF_MATCH],
        request=SprintCloseSerializer,
        responses={200: SprintSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request: Request, pk: str) -> Response:
        sprint = access_sprint(self.actor, int(pk), write=True).obj
        data = self.validated_input()
        version = requested_version(request, data)
        closed = sprint_services.sprint_close(
            sprint=sprint, actor=self.actor, version=version, move_to=data.get("move_to")
        )
        return self.render(self.reload(closed.pk))

    @extend_schema(
        summary="Add tasks to the sprint or take them out; answers the load against capacity.",
        request=SprintPlanSerializer,
        responses={200: SprintLoadSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def plan(self, request: Request, pk: str) -> Response:
        sprint = access_sprint(self.actor, int(pk), write=True).obj
        data = self.validated_input()
        load = sprint_services.sprint_plan(
            sprint=sprint, actor=self.actor, add=data["add"], remove=data["remove"]
        )
        return Response(SprintLoadSerializer(_load_body(load)).data)

    @extend_schema(
        summary="Burndown and burnup figures per day (from the recorded snapshots).",
        responses={200: None, **errors(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def charts(self, request: Request, pk: str) -> Response:
        sprint = access_sprint(self.actor, int(pk)).obj
        charts = sprint_selectors.sprint_chart_data(sprint, timezone.localdate())
        return Response(
            {
                "unit": charts.unit,
                "days": charts.burndown.days,
                "burndown": charts.burndown.series,
                "burnup": charts.burnup.series,
            }
        )


def _load_body(load: sprint_services.SprintLoad) -> dict[str, Any]:
    return {
        "points": load.points,
        "hours": load.hours,
        "tasks": load.tasks,
        "capacity_points": load.capacity_points,
        "capacity_hours": load.capacity_hours,
        "warnings": load.warnings,
    }


def _same_project(task: Task, project_id: int, field: str) -> None:
    if task.project_id != project_id:
        raise ValidationError({field: "Name a task of the same project."})


class BoardMoveView(generics.GenericAPIView):
    """POST a card move: {task, status, before, version}; 409 with the card as it is now."""

    serializer_class = BoardMoveSerializer

    @extend_schema(
        tags=["board"],
        summary="Move a card to a status (members and managers); progress follows.",
        parameters=[IF_MATCH],
        responses={200: None, **errors(400, 403, 404, 409, 428)},
    )
    def post(self, request: Request) -> Response:
        actor: User = request.user  # type: ignore[assignment]
        serializer = BoardMoveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = requested_version(request, data)
        task = access_task(actor, data["task"].pk, action=ProjectAction.MOVE_CARDS).obj
        target: WorkflowStatus = data["status"]
        if target.project_id != task.project_id:
            raise ValidationError({"status": "That status belongs to another project."})
        before = data.get("before")
        if before is not None:
            _same_project(before, task.project_id, "before")
        result = board_services.card_move(
            task=task, actor=actor, version=version, status=target, before=before
        )
        return Response(
            {
                "card": board_selectors.card(task.project, result.task.pk, result.statuses),
                "warning": result.warning,
            }
        )

    def conflict_representation(self, current: Task) -> Any:
        return board_selectors.card(current.project, current.pk)


class BacklogMoveView(generics.GenericAPIView):
    serializer_class = BacklogMoveSerializer

    @extend_schema(
        tags=["sprints"],
        summary="Reorder the backlog: put `task` above `before` (managers).",
        parameters=[IF_MATCH],
        responses={200: None, **errors(400, 403, 404, 409, 428)},
    )
    def post(self, request: Request) -> Response:
        actor: User = request.user  # type: ignore[assignment]
        serializer = BacklogMoveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = requested_version(request, data)
        task = access_task(actor, data["task"].pk, write=True).obj
        before = data.get("before")
        if before is not None:
            _same_project(before, task.project_id, "before")
        moved = board_services.backlog_move(task=task, actor=actor, version=version, before=before)
        return Response({"id": moved.pk, "version": moved.version})

    def conflict_representation(self, current: Task) -> Any:
        return {"id": current.pk, "version": current.version}


class TaskAgileView(generics.GenericAPIView):
    serializer_class = TaskAgileSerializer

    @extend_schema(
        tags=["board"],
        summary="Set a task's type, priority, story points, labels or sprint (planners).",
        parameters=[IF_MATCH],
        responses={200: None, **errors(400, 403, 404, 409, 428)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        actor: User = request.user  # type: ignore[assignment]
        task = access_task(actor, pk, write=True).obj
        serializer = TaskAgileSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = requested_version(request, data)
        updated = workflow_services.task_classify(task=task, actor=actor, version=version, **data)
        body = _agile_body(updated)
        response = Response(body)
        response["ETag"] = f'"{updated.version}"'
        return response

    def conflict_representation(self, current: Task) -> Any:
        return _agile_body(current)


def _agile_body(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "task_type": task.task_type,
        "priority": task.priority,
        "story_points": task.story_points,
        "labels": sorted(task.labels.values_list("pk", flat=True)),
        "sprint": task.sprint_id,
        "version": task.version,
    }


class ProjectBoardView(generics.GenericAPIView):
    """The board as data: columns (statuses) with their cards, filtered like the page."""

    @extend_schema(
        tags=["board"], summary="A project's board.", responses={200: None, **errors(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        project = access_project(request.user, pk).obj  # type: ignore[arg-type]
        filters = board_selectors.read_filters(request.query_params)
        board = board_selectors.board(project, filters, timezone.localdate(), budget=None)
        columns = {status.pk: [] for status in board.statuses}  # type: ignore[var-annotated]
        for lane in board.lanes:
            for column in lane.columns:
                columns[column.status.pk].extend(
                    {
                        "id": card["pk"],
                        "key": card["key"],
                        "name": card["name"],
                        "type": card["task_type"],
                        "priority": card["priority"],
                        "story_points": card["story_points"],
                        "due": card["due"],
                        "assignees": card["assignees"],
                        "labels": [label["id"] for label in card["labels"]],
                        "blocked_by": card["blocked_by"],
                        "version": card["version"],
                        "lane": lane.key,
                    }
                    for card in column.cards
                )
        return Response(
            {
                "statuses": WorkflowStatusSerializer(board.statuses, many=True).data,
                "columns": [
                    {"status": status_id, "cards": cards} for status_id, cards in columns.items()
                ],
            }
        )

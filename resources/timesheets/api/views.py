"""Endpoints of time worked: a person's own time entries (log, change, delete, submit the week)
and the project manager's decisions (approve, reject, reopen a person's week on the project).

The same services as the timesheet page (resources/timesheets/services.py): one entry is one cell of
the week's grid, so the rules and messages are the page's (no negative hours, no day over 24
hours, only tasks of the person's own projects, submitted and approved time locked).
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import row_access, with_my_role
from projects.models import Task
from resources.api.serializers import (
    TimeDecisionSerializer,
    TimeEntryCreateSerializer,
    TimeEntrySerializer,
    TimeEntryUpdateSerializer,
    WeekDecisionSerializer,
    WeekSubmitSerializer,
)
from resources.models import TimeEntry
from resources.timesheets import services as time_services
from tpm.api.filters import IdFilter
from tpm.api.viewsets import IF_MATCH, ScopedViewSet, errors, requested_version
from tpm.roles import PROJECT_PERMISSIONS, ProjectAction

APPROVER_ROLES = [
    role for role, actions in PROJECT_PERMISSIONS.items() if ProjectAction.APPROVE_TIME in actions
]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_field(error: ValidationError, field: str) -> exceptions.ValidationError:
    """The grid's errors are keyed by cell (`h-<task>-<day>`); the API names its own field."""
    return exceptions.ValidationError({field: list(error.messages)})


class TimeEntryFilter(django_filters.FilterSet):
    project = IdFilter(field_name="task__project_id")
    task = IdFilter(field_name="task_id")
    user = IdFilter(field_name="user_id")
    status = django_filters.CharFilter()
    from_date = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    to_date = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = TimeEntry
        fields = ("project", "task", "user", "status", "from_date", "to_date")


@extend_schema(tags=["time"])
@extend_schema_view(
    list=extend_schema(
        summary="Your own time entries, and those of the projects whose time you approve."
    ),
    retrieve=extend_schema(
        summary="One time entry.", responses={200: TimeEntrySerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Log time on a task of one of your projects (a draft until you submit the week).",
        request=TimeEntryCreateSerializer,
        responses={201: TimeEntrySerializer, **errors(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Change the hours or note of your own draft (or rejected) entry.",
        parameters=[IF_MATCH],
        request=TimeEntryUpdateSerializer,
        responses={200: TimeEntrySerializer, **errors(400, 403, 404, 409, 428)},
    ),
    update=extend_schema(
        summary="Change the hours or note of your own draft (or rejected) entry.",
        parameters=[IF_MATCH],
        request=TimeEntryUpdateSerializer,
        responses={200: TimeEntrySerializer, **errors(400, 403, 404, 409, 428)},
    ),
    destroy=extend_schema(
        summary="Delete your own draft (or rejected) entry.",
        responses={204: None, **errors(400, 403, 404)},
    ),
)
class TimeEntryViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = TimeEntrySerializer
    input_serializers = {
        "create": TimeEntryCreateSerializer,
        "update": TimeEntryUpdateSerializer,
        "partial_update": TimeEntryUpdateSerializer,
        "submit": WeekSubmitSerializer,
        "approve": WeekDecisionSerializer,
        "reject": WeekDecisionSerializer,
        "reopen": WeekDecisionSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = TimeEntryFilter
    ordering_fields = ("date", "created_at")
    ordering = ("-date", "pk")

    def get_queryset(self) -> QuerySet[TimeEntry]:
        if getattr(self, "swagger_fake_view", False):
            return TimeEntry.objects.none()
        live = TimeEntry.objects.filter(
            task__deleted_at__isnull=True, task__project__deleted_at__isnull=True
        )
        return (
            with_my_role(live, self.actor, "task__project")
            .filter(Q(user=self.actor) | Q(my_role__in=APPROVER_ROLES))
            .select_related("user", "task")
        )

    def _own(self, pk: str) -> TimeEntry:
        entry = self.get_queryset().select_related("task__project__organisation").filter(pk=pk)
        found = entry.first()
        if found is None:
            raise exceptions.NotFound("No such time entry.")
        if found.user_id != self.actor.pk:
            raise PermissionDenied("People change only their own time entries.")
        return found

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        task: Task = data["task"]
        if not row_access(task).can(ProjectAction.LOG_TIME):  # its scoped field loaded the role
            raise PermissionDenied("Your role in this project does not log time.")
        entry = time_services.time_entry_create(
            task=task, day=data["date"], hours=data["hours"], note=data["note"], actor=self.actor
        )
        return self.render(self.reload(entry.pk), status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        entry = self._own(pk)
        changes = self.validated_input(partial=partial)
        version = requested_version(request, changes)
        time_services.time_entry_update(entry=entry, actor=self.actor, version=version, **changes)
        return self.render(self.reload(entry.pk))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        time_services.time_entry_delete(entry=self._own(pk), actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Submit your week (draft and rejected time) in one organisation for approval.",
        request=WeekSubmitSerializer,
        responses={200: dict, **errors(400, 404)},
    )
    @action(detail=False, methods=["post"])
    def submit(self, request: Request) -> Response:
        data = self.validated_input()
        try:
            by_project = time_services.timesheet_submit(
                person=self.actor,
                organisation=data["organisation"],
                monday=data["week"],
                actor=self.actor,
            )
        except ValidationError as error:
            raise _as_field(error, "week") from error
        return Response(
            {
                "week": data["week"],
                "projects": [
                    {"project": project.pk, "hours": str(hours)}
                    for project, hours in sorted(by_project.items(), key=lambda kv: kv[0].pk)
                ],
            }
        )

    def _decide(self, verb: str) -> Response:
        data = self.validated_input()
        project = data["project"]
        if not row_access(project).can(ProjectAction.APPROVE_TIME):
            raise PermissionDenied("Only the project's managers approve or reopen its time.")
        kwargs: dict[str, Any] = {
            "project": project,
            "person": data["person"],
            "monday": data["week"],
            "actor": self.actor,
            "entry_ids": data.get("entries"),
        }
        if verb != "approve":
            kwargs["reason"] = data["reason"]
        services: dict[str, Callable[..., time_services.Decision]] = {
            "approve": time_services.time_approve,
            "reject": time_services.time_reject,
            "reopen": time_services.time_reopen,
        }
        service = services[verb]
        try:
            decision = service(**kwargs)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise _as_field(error, "week") from error
        return Response(TimeDecisionSerializer(decision).data)

    @extend_schema(
        summary="Approve a person's submitted time on the project that week (managers).",
        request=WeekDecisionSerializer,
        responses={200: TimeDecisionSerializer, **errors(400, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def approve(self, request: Request) -> Response:
        return self._decide("approve")

    @extend_schema(
        summary="Send a person's submitted time back with a reason (managers).",
        request=WeekDecisionSerializer,
        responses={200: TimeDecisionSerializer, **errors(400, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def reject(self, request: Request) -> Response:
        return self._decide("reject")

    @extend_schema(
        summary="Reopen a person's approved time with a reason (managers); it is recorded.",
        request=WeekDecisionSerializer,
        responses={200: TimeDecisionSerializer, **errors(400, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def reopen(self, request: Request) -> Response:
        return self._decide("reopen")

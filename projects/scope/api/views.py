"""Endpoints of scope (issue 7): the charter of a project, objectives with their measurements
(posted by people or by tools: `source` is "api" here), deliverables and their acceptance.

Thin as everywhere: a scoped queryset (an id outside it is a 404), the permission check
(tpm/roles.py), one service, the result rendered with the output serializer.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.access import access_project, row_access
from projects.models import (
    AcceptanceCriterion,
    Deliverable,
    MeasurementSource,
    Objective,
    Project,
    Task,
)
from projects.scope import selectors as scope_selectors
from projects.scope.access import fetch, scoped
from projects.scope.api.serializers import (
    AcceptanceCriterionSerializer,
    AcceptanceCriterionUpdateSerializer,
    AcceptSerializer,
    CharterApproveSerializer,
    CharterSerializer,
    CharterWriteSerializer,
    CriterionAddSerializer,
    DeliverableCreateSerializer,
    DeliverableSerializer,
    DeliverableWriteSerializer,
    MeasurementCreateSerializer,
    MeasurementSerializer,
    ObjectiveCreateSerializer,
    ObjectiveSerializer,
    ObjectiveWriteSerializer,
)
from projects.scope.services import charter as scope_services
from projects.scope.services import deliverables as deliverable_services
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    etag,
    requested_version,
)
from tpm.roles import ProjectAction


def require(obj: Project, action_: ProjectAction, what: str) -> None:
    """A project named in a body: its scoped field loaded it with the user's role."""
    if not row_access(obj).can(action_):
        raise PermissionDenied(f"Your role in this project does not allow {what}.")


# --- charter ----------------------------------------------------------------------------------


@extend_schema(tags=["scope"])
class ProjectCharterView(APIView):
    """The project's charter: GET it (404 before it is written), PUT it (a new version)."""

    def _render(self, project: Any, code: int = status.HTTP_200_OK) -> Response:
        charter = scope_selectors.charter_of(project)
        if charter is None:
            return Response(
                {"detail": "This project has no charter yet.", "code": "not_found", "errors": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        response = Response(CharterSerializer(charter).data, status=code)
        response["ETag"] = etag(charter)
        return response

    @extend_schema(summary="The charter.", responses={200: CharterSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        return self._render(access_project(request.user, pk).obj)  # type: ignore[arg-type]

    @extend_schema(
        summary="Write the charter (managers); the text is kept as a new version (201: the "
        "first one).",
        parameters=[IF_MATCH],
        request=CharterWriteSerializer,
        responses={
            200: CharterSerializer,
            201: CharterSerializer,
            **errors(400, 403, 404, 409, 428),
        },
    )
    def put(self, request: Request, pk: int) -> Response:
        project = access_project(request.user, pk, action=ProjectAction.EDIT_SCOPE).obj  # type: ignore[arg-type]
        serializer = CharterWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = requested_version(request, data)
        exists = scope_selectors.charter_of(project) is not None
        scope_services.charter_save(
            project=project,
            actor=request.user,  # type: ignore[arg-type]
            version=version if exists else None,
            **data,
        )
        return self._render(project, status.HTTP_200_OK if exists else status.HTTP_201_CREATED)

    def conflict_representation(self, current: Any) -> Any:
        return CharterSerializer(scope_selectors.charter_of(current.project)).data


@extend_schema(tags=["scope"])
class ProjectCharterApproveView(APIView):
    @extend_schema(
        summary="The sponsor approves the charter version they read.",
        request=CharterApproveSerializer,
        responses={200: CharterSerializer, **errors(400, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        project = access_project(request.user, pk).obj  # type: ignore[arg-type]
        serializer = CharterApproveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        charter = scope_selectors.charter_of(project)
        if charter is None:
            return Response(
                {"detail": "This project has no charter yet.", "code": "not_found", "errors": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        scope_services.charter_approve(
            charter=charter,
            actor=request.user,  # type: ignore[arg-type]
            **serializer.validated_data,
        )
        return Response(CharterSerializer(scope_selectors.charter_of(project)).data)


# --- objectives -------------------------------------------------------------------------------


class ObjectiveFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")

    class Meta:
        model = Objective
        fields = ("project",)


@extend_schema(tags=["scope"])
@extend_schema_view(
    list=extend_schema(summary="Objectives (KPIs) of the projects you have a role in."),
    retrieve=extend_schema(summary="One objective.", responses={200: ObjectiveSerializer}),
    create=extend_schema(
        summary="Add an objective (managers).",
        request=ObjectiveCreateSerializer,
        responses={201: ObjectiveSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(parameters=[IF_MATCH], request=ObjectiveWriteSerializer),
    partial_update=extend_schema(parameters=[IF_MATCH], request=ObjectiveWriteSerializer),
    destroy=extend_schema(summary="Remove an objective (managers)."),
)
class ObjectiveViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = ObjectiveSerializer
    input_serializers = {
        "create": ObjectiveCreateSerializer,
        "update": ObjectiveWriteSerializer,
        "partial_update": ObjectiveWriteSerializer,
        "measurements": MeasurementCreateSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ObjectiveFilter
    ordering_fields = ("position", "target_date", "title")
    ordering = ("project", "position", "id")

    def get_queryset(self) -> QuerySet[Objective]:
        return (
            scoped(Objective, self.actor)
            .select_related("owner")
            .prefetch_related(Prefetch("deliverables", Deliverable.objects.only("pk")))
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        require(project, ProjectAction.EDIT_SCOPE, "adding objectives")
        objective = scope_services.objective_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(objective.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Objective:
        return fetch(Objective, self.actor, pk, action=ProjectAction.EDIT_SCOPE).obj

    def apply_update(self, instance: Objective, changes: dict[str, Any], version: int | None):
        return scope_services.objective_update(
            objective=instance, actor=self.actor, version=version, **changes
        )

    def fetch_for_removal(self, pk: int) -> Objective:
        return fetch(Objective, self.actor, pk, action=ProjectAction.EDIT_SCOPE).obj

    def apply_removal(self, instance: Objective) -> None:
        scope_services.objective_delete(objective=instance, actor=self.actor)

    @extend_schema(
        summary="The objective's measurements, oldest first (GET), or record one (POST: "
        "members and managers; the latest becomes the current value).",
        request=MeasurementCreateSerializer,
        responses={200: MeasurementSerializer(many=True), 201: MeasurementSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def measurements(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            objective = fetch(Objective, self.actor, int(pk)).obj
            page = self.paginate_queryset(scope_selectors.objective_measurements(objective))
            return self.get_paginated_response(MeasurementSerializer(page, many=True).data)
        objective = fetch(Objective, self.actor, int(pk), action=ProjectAction.RECORD_QUALITY).obj
        data = self.validated_input()
        measurement = scope_services.objective_measure(
            objective=objective, actor=self.actor, source=MeasurementSource.API, **data
        )
        return Response(MeasurementSerializer(measurement).data, status=status.HTTP_201_CREATED)


# --- deliverables -----------------------------------------------------------------------------


class DeliverableFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    status = django_filters.CharFilter()

    class Meta:
        model = Deliverable
        fields = ("project", "status")


@extend_schema(tags=["scope"])
@extend_schema_view(
    list=extend_schema(summary="Deliverables of the projects you have a role in."),
    retrieve=extend_schema(summary="One deliverable with its checklist."),
    create=extend_schema(
        summary="Add a deliverable (managers), with its acceptance criteria.",
        request=DeliverableCreateSerializer,
        responses={201: DeliverableSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(parameters=[IF_MATCH], request=DeliverableWriteSerializer),
    partial_update=extend_schema(parameters=[IF_MATCH], request=DeliverableWriteSerializer),
    destroy=extend_schema(summary="Remove a deliverable (managers)."),
)
class DeliverableViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = DeliverableSerializer
    input_serializers = {
        "create": DeliverableCreateSerializer,
        "update": DeliverableWriteSerializer,
        "partial_update": DeliverableWriteSerializer,
        "criteria": CriterionAddSerializer,
        "accept": AcceptSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = DeliverableFilter
    ordering_fields = ("due_date", "number")
    ordering = ("project", "due_date", "number")

    def get_queryset(self) -> QuerySet[Deliverable]:
        return (
            scoped(Deliverable, self.actor)
            .select_related("owner", "acceptor", "accepted_by")
            .prefetch_related(
                Prefetch("criteria", AcceptanceCriterion.objects.order_by("position", "pk")),
                Prefetch("tasks", Task.objects.only("pk")),
            )
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        require(project, ProjectAction.EDIT_SCOPE, "adding deliverables")
        deliverable = deliverable_services.deliverable_create(
            project=project, actor=self.actor, **data
        )
        return self.render(self.reload(deliverable.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Deliverable:
        return fetch(Deliverable, self.actor, pk, action=ProjectAction.EDIT_SCOPE).obj

    def apply_update(self, instance: Deliverable, changes: dict[str, Any], version: int | None):
        return deliverable_services.deliverable_update(
            deliverable=instance, actor=self.actor, version=version, **changes
        )

    def fetch_for_removal(self, pk: int) -> Deliverable:
        return fetch(Deliverable, self.actor, pk, action=ProjectAction.EDIT_SCOPE).obj

    def apply_removal(self, instance: Deliverable) -> None:
        deliverable_services.deliverable_delete(deliverable=instance, actor=self.actor)

    @extend_schema(
        summary="Add an acceptance criterion (managers).",
        request=CriterionAddSerializer,
        responses={201: DeliverableSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def criteria(self, request: Request, pk: str) -> Response:
        deliverable = fetch(Deliverable, self.actor, int(pk), action=ProjectAction.EDIT_SCOPE).obj
        data = self.validated_input()
        deliverable_services.acceptance_criterion_add(
            deliverable=deliverable, actor=self.actor, **data
        )
        return self.render(self.reload(deliverable.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="The named acceptor accepts it (refused, listing them, while criteria are open).",
        parameters=[IF_MATCH],
        request=AcceptSerializer,
        responses={200: DeliverableSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        deliverable = fetch(
            Deliverable, self.actor, int(pk), action=ProjectAction.ACCEPT_DELIVERABLES
        ).obj
        data = self.validated_input()
        version = requested_version(request, data)
        deliverable_services.deliverable_accept(
            deliverable=deliverable, actor=self.actor, version=version, **data
        )
        return self.render(self.reload(deliverable.pk))


@extend_schema(tags=["scope"])
@extend_schema_view(
    retrieve=extend_schema(summary="One acceptance criterion."),
    update=extend_schema(
        summary="Tick or untick it (members and managers).",
        parameters=[IF_MATCH],
        request=AcceptanceCriterionUpdateSerializer,
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH], request=AcceptanceCriterionUpdateSerializer
    ),
)
class AcceptanceCriterionViewSet(VersionedUpdateMixin, ScopedViewSet):
    serializer_class = AcceptanceCriterionSerializer
    input_serializers = {
        "update": AcceptanceCriterionUpdateSerializer,
        "partial_update": AcceptanceCriterionUpdateSerializer,
    }

    def get_queryset(self) -> QuerySet[AcceptanceCriterion]:
        return scoped(AcceptanceCriterion, self.actor)

    def fetch_for_update(self, pk: int) -> AcceptanceCriterion:
        return fetch(AcceptanceCriterion, self.actor, pk, action=ProjectAction.RECORD_QUALITY).obj

    def apply_update(self, instance: AcceptanceCriterion, changes: dict, version: int | None):
        return deliverable_services.acceptance_criterion_set(
            criterion=instance,
            actor=self.actor,
            version=version,
            is_met=changes.get("is_met", instance.is_met),
        )

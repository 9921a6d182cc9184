"""Endpoints for change requests: drafts, the impact analysis, the workflow and the change log.

Thin as everywhere: the scoped queryset (an id outside it is a 404), one service
(projects/changes/services.py), which also says who may take each step: approving or rejecting
without an approver role is a 403; a step from the wrong status, or a proposal that closes a
loop or names tasks that are gone, is a 400 saying why.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projects.changes import selectors as change_selectors
from projects.changes import services as change_services
from projects.changes.api.serializers import (
    ChangeApproveSerializer,
    ChangeImplementSerializer,
    ChangeRequestCreateSerializer,
    ChangeRequestEventSerializer,
    ChangeRequestSerializer,
    ChangeRequestUpdateSerializer,
    ChangeStepSerializer,
)
from projects.models import ChangeRequest
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    requested_version,
)


class ChangeRequestFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    status = django_filters.CharFilter()
    priority = django_filters.CharFilter()

    class Meta:
        model = ChangeRequest
        fields = ("project", "status", "priority")


STEP_RESPONSES = {200: ChangeRequestSerializer, **errors(400, 403, 404, 409, 428)}


@extend_schema(tags=["scope"])
@extend_schema_view(
    list=extend_schema(
        summary="Change requests of the projects you have a role in, newest first.",
        description="Filter with `project`, `status` and `priority`.",
    ),
    retrieve=extend_schema(
        summary="One change request with its last impact analysis.",
        responses={200: ChangeRequestSerializer, **errors(404)},
    ),
    create=extend_schema(
        summary="Raise a change request as a draft (members and managers).",
        request=ChangeRequestCreateSerializer,
        responses={201: ChangeRequestSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(
        summary="Edit a draft (its requester or a manager).",
        parameters=[IF_MATCH],
        request=ChangeRequestUpdateSerializer,
        responses={200: ChangeRequestSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    partial_update=extend_schema(
        summary="Edit some fields of a draft.",
        parameters=[IF_MATCH],
        request=ChangeRequestUpdateSerializer,
        responses={200: ChangeRequestSerializer, **errors(400, 403, 404, 409, 428)},
    ),
)
class ChangeRequestViewSet(VersionedUpdateMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = ChangeRequestSerializer
    input_serializers = {
        "create": ChangeRequestCreateSerializer,
        "update": ChangeRequestUpdateSerializer,
        "partial_update": ChangeRequestUpdateSerializer,
        "submit": ChangeStepSerializer,
        "review": ChangeStepSerializer,
        "reject": ChangeStepSerializer,
        "approve": ChangeApproveSerializer,
        "implement": ChangeImplementSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ChangeRequestFilter
    ordering_fields = ("number", "created_at", "priority", "status")
    ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        return change_selectors.change_requests_for(self.actor).select_related(
            "project__organisation", "requested_by", "decided_by", "implemented_by"
        )

    caller_role = ""  # the caller's role in the request's project, set by _fetch

    def _fetch(self, pk: str | int) -> ChangeRequest:
        access = change_selectors.access_change_request(self.actor, int(pk))
        self.caller_role = access.role  # the services check it (none asks again)
        return access.obj

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        change_request = change_services.change_request_create(
            project=project, actor=self.actor, **data
        )
        return self.render(self.reload(change_request.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> ChangeRequest:
        return self._fetch(pk)

    def apply_update(
        self, instance: ChangeRequest, changes: dict[str, Any], version: int | None
    ) -> ChangeRequest:
        return change_services.change_request_update(
            change_request=instance,
            actor=self.actor,
            version=version,
            role=self.caller_role,
            **changes,
        )

    def _step(self, request: Request, pk: str, service: Any) -> Response:
        change_request = self._fetch(pk)
        data = self.validated_input()
        version = requested_version(request, data)
        done = service(
            change_request=change_request,
            actor=self.actor,
            version=version,
            role=self.caller_role,
            **data,
        )
        return self.render(self.reload(done.pk))

    @extend_schema(
        summary="Submit a draft: the impact is computed now (a loop is a 400 naming it).",
        request=ChangeStepSerializer,
        parameters=[IF_MATCH],
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, change_services.change_request_submit)

    @extend_schema(
        summary="Take a submitted request under review (approvers).",
        request=ChangeStepSerializer,
        parameters=[IF_MATCH],
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, change_services.change_request_start_review)

    @extend_schema(
        summary="Approve (approvers only: 403 otherwise); by default the change is applied to "
        "the plan at once, with a new baseline when `rebaseline`.",
        request=ChangeApproveSerializer,
        parameters=[IF_MATCH],
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, change_services.change_request_approve)

    @extend_schema(
        summary="Reject with a comment saying why (approvers only).",
        request=ChangeStepSerializer,
        parameters=[IF_MATCH],
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, change_services.change_request_reject)

    @extend_schema(
        summary="Apply an approved change to the plan (approvers).",
        request=ChangeImplementSerializer,
        parameters=[IF_MATCH],
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def implement(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, change_services.change_request_implement)

    @extend_schema(
        summary="(Re)compute the impact on the plan as it is now (members and managers).",
        request=None,
        responses={200: ChangeRequestSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def analyse(self, request: Request, pk: str) -> Response:
        change_request = self._fetch(pk)
        change_services.change_request_analyse(
            change_request=change_request, actor=self.actor, role=self.caller_role
        )
        return self.render(self.reload(change_request.pk))

    @extend_schema(
        summary="The change log of one request, oldest first.",
        responses={200: ChangeRequestEventSerializer(many=True), **errors(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request: Request, pk: str) -> Response:
        change_request = self._fetch(pk)
        events = change_selectors.change_log(change_request=change_request)
        return Response(ChangeRequestEventSerializer(events, many=True).data)

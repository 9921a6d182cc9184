"""Endpoints for status reports, report schedules, health overrides, thresholds and health.

Thin as everywhere: a scoped queryset (an id outside it is a 404), the role check (403), one
service. Drafts are their project managers' alone: for everyone else they do not exist.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.access import access_project, row_access, with_my_role
from tpm import money
from tpm.access import access_organisation
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
from tpm.money import sees_money
from tpm.roles import ProjectAction, ProjectRole, project_role_can

from .. import health, selectors, services
from ..models import (
    THRESHOLD_FIELDS,
    Delivery,
    HealthOverride,
    HealthThresholds,
    ReportSchedule,
    ReportStatus,
    StatusReport,
)
from .serializers import (
    DeliverySerializer,
    HealthOverrideCreateSerializer,
    HealthOverrideSerializer,
    HealthThresholdsSerializer,
    HealthThresholdsUpdateSerializer,
    ReportScheduleCreateSerializer,
    ReportScheduleInputSerializer,
    ReportScheduleSerializer,
    StatusReportCreateSerializer,
    StatusReportListSerializer,
    StatusReportSerializer,
    StatusReportUpdateSerializer,
    VersionOnlySerializer,
)

MANAGING_ROLES = [role for role in ProjectRole if project_role_can(role, ProjectAction.EDIT)]


def _require_manage(obj: Model) -> None:
    """A row of `_scoped`, or a project named in a body: loaded with the user's role."""
    if not row_access(obj).can(ProjectAction.EDIT):
        raise PermissionDenied("Only the project's managers do this.")


def _scoped(queryset: QuerySet, user: User) -> QuerySet:
    return with_my_role(queryset.filter(project__deleted_at__isnull=True), user, "project")


def _managed(queryset: QuerySet) -> Q:
    """Rows of projects the user manages (`my_role` is annotated unless the query is empty)."""
    return Q(my_role__in=MANAGING_ROLES) if "my_role" in queryset.query.annotations else Q()


class ProjectFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")


class ReportFilter(ProjectFilter):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = StatusReport
        fields = ("project", "status")


@extend_schema(tags=["reports"])
@extend_schema_view(
    list=extend_schema(summary="Status reports you may read (drafts: only your projects')."),
    retrieve=extend_schema(
        summary="One report with its frozen snapshot.",
        responses={200: StatusReportSerializer, **errors(404)},
    ),
    create=extend_schema(
        summary="Start a draft: the snapshot is taken now (managers).",
        request=StatusReportCreateSerializer,
        responses={201: StatusReportSerializer, **errors(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Edit a draft's narrative (a published report answers 400).",
        request=StatusReportUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: StatusReportSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    destroy=extend_schema(
        summary="Delete a draft.", responses={204: None, **errors(400, 403, 404)}
    ),
)
class StatusReportViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = StatusReportSerializer
    input_serializers = {
        "create": StatusReportCreateSerializer,
        "partial_update": StatusReportUpdateSerializer,
        "publish": VersionOnlySerializer,
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ReportFilter
    ordering_fields = ("generated_at", "published_at")
    ordering = ("-generated_at", "-pk")

    def get_queryset(self) -> QuerySet[StatusReport]:
        queryset = _scoped(StatusReport.objects.all(), self.actor)
        return queryset.filter(
            Q(status=ReportStatus.PUBLISHED) | _managed(queryset)
        ).select_related("published_by", "created_by")

    def get_serializer_class(self) -> Any:
        return StatusReportListSerializer if self.action == "list" else StatusReportSerializer

    def _fetch(self, pk: int) -> StatusReport:
        # The path's id ("08" is report 8), through the scoped queryset: outside it, a 404.
        report = self.get_object()
        _require_manage(report)
        return report

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_manage(project)
        report = services.report_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(report.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> StatusReport:
        return self._fetch(pk)

    def apply_update(
        self, instance: StatusReport, changes: dict[str, Any], version: int | None
    ) -> StatusReport:
        return services.report_update(
            report=instance, actor=self.actor, changes=changes, version=version
        )

    def fetch_for_removal(self, pk: int) -> StatusReport:
        return self._fetch(pk)

    def apply_removal(self, instance: StatusReport) -> None:
        services.report_delete(report=instance, actor=self.actor)

    @extend_schema(
        summary="Publish a draft: from then on it never changes.",
        request=VersionOnlySerializer,
        parameters=[IF_MATCH],
        responses={200: StatusReportSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        report = self._fetch(int(pk))
        version = requested_version(request, self.validated_input())
        report = services.report_publish(report=report, actor=self.actor, version=version)
        return self.render(self.reload(report.pk))


class ScheduleFilter(ProjectFilter):
    class Meta:
        model = ReportSchedule
        fields = ("project",)


@extend_schema(tags=["reports"])
@extend_schema_view(
    list=extend_schema(summary="Report schedules of the projects you manage."),
    retrieve=extend_schema(
        summary="One schedule.", responses={200: ReportScheduleSerializer, **errors(403, 404)}
    ),
    create=extend_schema(
        summary="Schedule a project's report (weekly, fortnightly or monthly).",
        request=ReportScheduleCreateSerializer,
        responses={201: ReportScheduleSerializer, **errors(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Change a schedule.",
        request=ReportScheduleInputSerializer,
        parameters=[IF_MATCH],
        responses={200: ReportScheduleSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    destroy=extend_schema(summary="Delete a schedule.", responses={204: None, **errors(403, 404)}),
)
class ReportScheduleViewSet(
    VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet
):
    serializer_class = ReportScheduleSerializer
    input_serializers = {
        "create": ReportScheduleCreateSerializer,
        "partial_update": ReportScheduleInputSerializer,
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScheduleFilter

    def get_queryset(self) -> QuerySet[ReportSchedule]:
        queryset = _scoped(ReportSchedule.objects.all(), self.actor)
        if self.action == "list":
            queryset = queryset.filter(_managed(queryset))
        return queryset.order_by("project_id", "name", "pk")

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        schedule = self.get_object()
        _require_manage(schedule)
        return self.render(schedule)

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        data.pop("version", None)
        _require_manage(project)
        schedule = services.schedule_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(schedule.pk), status.HTTP_201_CREATED)

    def _fetch(self) -> ReportSchedule:
        schedule = self.get_object()
        _require_manage(schedule)
        return schedule

    def fetch_for_update(self, pk: int) -> ReportSchedule:
        return self._fetch()

    def apply_update(
        self, instance: ReportSchedule, changes: dict[str, Any], version: int | None
    ) -> ReportSchedule:
        return services.schedule_update(
            schedule=instance, actor=self.actor, changes=changes, version=version
        )

    def fetch_for_removal(self, pk: int) -> ReportSchedule:
        return self._fetch()

    def apply_removal(self, instance: ReportSchedule) -> None:
        services.schedule_delete(schedule=instance, actor=self.actor)

    @extend_schema(
        summary="The schedule's deliveries, newest first (paginated).",
        responses={200: DeliverySerializer(many=True), **errors(403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request: Request, pk: str) -> Response:
        schedule = self._fetch()
        rows = Delivery.objects.filter(schedule=schedule).order_by("-created_at", "-pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class OverrideFilter(ProjectFilter):
    class Meta:
        model = HealthOverride
        fields = ("project",)


@extend_schema(tags=["reports"])
@extend_schema_view(
    list=extend_schema(summary="Managers' colour overrides on the projects you see."),
    retrieve=extend_schema(
        summary="One override.", responses={200: HealthOverrideSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Override a colour with a reason (managers); replaces an earlier one.",
        request=HealthOverrideCreateSerializer,
        responses={201: HealthOverrideSerializer, **errors(400, 403, 404)},
    ),
    destroy=extend_schema(summary="Clear an override.", responses={204: None, **errors(403, 404)}),
)
class HealthOverrideViewSet(RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = HealthOverrideSerializer
    input_serializers = {"create": HealthOverrideCreateSerializer}
    filter_backends = [DjangoFilterBackend]
    filterset_class = OverrideFilter

    def get_queryset(self) -> QuerySet[HealthOverride]:
        return (
            _scoped(HealthOverride.objects.all(), self.actor)
            .select_related("set_by")
            .order_by("project_id", "target")
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_manage(project)
        override = services.override_set(project=project, actor=self.actor, **data)
        return self.render(self.reload(override.pk), status.HTTP_201_CREATED)

    def fetch_for_removal(self, pk: int) -> HealthOverride:
        override = self.get_object()
        _require_manage(override)
        return override

    def apply_removal(self, instance: HealthOverride) -> None:
        services.override_clear(override=instance, actor=self.actor)


def _thresholds_body(organisation_id: int) -> dict[str, Any]:
    row = HealthThresholds.objects.filter(organisation_id=organisation_id).first()
    rules = row.as_rules() if row else health.Thresholds()
    body: dict[str, Any] = {name: getattr(rules, name) for name in THRESHOLD_FIELDS}
    body.update(organisation=organisation_id, version=row.version if row else 1)
    return body


class HealthThresholdsView(APIView):
    """An organisation's health thresholds: every member reads them; admins change them."""

    @extend_schema(
        tags=["reports"],
        summary="Where amber and red start.",
        responses={200: HealthThresholdsSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        organisation = access_organisation(request.user, pk).obj  # type: ignore[arg-type]
        response = Response(HealthThresholdsSerializer(_thresholds_body(organisation.pk)).data)
        response["ETag"] = f'"{_thresholds_body(organisation.pk)["version"]}"'
        return response

    @extend_schema(
        tags=["reports"],
        summary="Change thresholds (organisation admins). Red must be at least as strict as amber.",
        request=HealthThresholdsUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: HealthThresholdsSerializer, **errors(400, 403, 404, 409, 428)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        organisation = access_organisation(request.user, pk, write=True).obj  # type: ignore[arg-type]
        serializer = HealthThresholdsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = requested_version(request, changes)
        services.thresholds_update(
            organisation=organisation,
            actor=request.user,  # type: ignore[arg-type]
            changes=changes,
            version=version,
        )
        body = _thresholds_body(organisation.pk)
        response = Response(HealthThresholdsSerializer(body).data)
        response["ETag"] = f'"{body["version"]}"'
        return response


class ProjectHealthView(APIView):
    """A project's health now: each dimension's colour and reasons, and the overall."""

    @extend_schema(
        tags=["reports"],
        summary="Health of a project, with reasons.",
        responses={200: dict, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = access_project(request.user, pk)  # type: ignore[arg-type]
        view = selectors.project_health(access.obj, today=timezone.localdate())
        # The cost reasons quote CPI and overruns: money (tpm/money.py).
        return Response(money.hide(health.health_to_json(view.health), money=sees_money(access)))

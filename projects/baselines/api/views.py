"""Endpoints for baselines: save the plan under a name, list, delete, and compare with the plan.

Thin as everywhere: the scoped queryset (an id outside it is a 404), the permission check,
one service (projects/baselines/services.py) or selector (projects/baselines/selectors.py).
A baseline is immutable: there is no PUT or PATCH.
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

from projects.access import access_baseline, baselines_for
from projects.baselines import selectors as baseline_selectors
from projects.baselines import services as baseline_services
from projects.baselines.api.serializers import (
    BaselineComparisonSerializer,
    BaselineCreateSerializer,
    BaselineSerializer,
    BaselineTaskSerializer,
)
from projects.baselines.compare import TaskVariance
from projects.models import Baseline
from projects.plan.api.serializers import hide_money
from projects.plan.api.views import _require_plan
from tpm.api.filters import IdFilter
from tpm.api.viewsets import RemoveMixin, ScopedViewSet, errors


class BaselineFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")

    class Meta:
        model = Baseline
        fields = ("project",)


def _variance_row(row: TaskVariance) -> dict[str, Any]:
    entry = row.entry
    return {
        "kind": row.kind.value,
        "task": row.current.key if row.current else (row.baseline.key if row.baseline else None),
        "wbs_code": entry.wbs_code,
        "name": entry.name,
        "is_milestone": entry.is_milestone,
        "baseline_start": row.baseline.start_at if row.baseline else None,
        "baseline_finish": row.baseline.finish_at if row.baseline else None,
        "start": row.current.start_at if row.current else None,
        "finish": row.current.finish_at if row.current else None,
        "start_variance_days": row.start_days,
        "finish_variance_days": row.finish_days,
        "duration_variance_days": row.duration_days,
    }


def comparison_body(baseline: Baseline) -> dict[str, Any]:
    comparison = baseline_selectors.baseline_comparison(baseline=baseline)
    result = comparison.result
    return {
        "baseline": baseline.pk,
        "minutes_per_day": comparison.minutes_per_day,
        "baseline_finish": baseline.project_finish,
        "finish": comparison.current_finish,
        "finish_variance_days": result.project_finish_days,
        "slipped_milestones": [row.entry.key for row in result.slipped_milestones],
        "tasks": [_variance_row(row) for row in result.rows],
    }


@extend_schema(tags=["plan"])
@extend_schema_view(
    list=extend_schema(
        summary="Baselines of the projects you have a role in, newest first.",
        description="Filter with `project`. Items are light: `tasks/` lists a baseline's rows "
        "and `comparison/` compares it with the plan as it is now.",
    ),
    retrieve=extend_schema(
        summary="One baseline (without its rows).",
        responses={200: BaselineSerializer, **errors(404)},
    ),
    create=extend_schema(
        summary="Save the plan as it is now under a name (planners).",
        description="Snapshots every live task's dates, duration and effort. A name the "
        "project already uses, or a plan without a schedule, is a 400. Baselines never change.",
        request=BaselineCreateSerializer,
        responses={201: BaselineSerializer, **errors(400, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a baseline (planners); the plan is not touched.",
        responses={204: None, **errors(403, 404)},
    ),
)
class BaselineViewSet(RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    """Baselines: named snapshots of a project's plan. Immutable once saved (no PUT or PATCH)."""

    serializer_class = BaselineSerializer
    input_serializers = {"create": BaselineCreateSerializer}
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = BaselineFilter
    ordering_fields = ("created_at", "name", "project_finish")
    ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[Baseline]:
        return baselines_for(self.actor).select_related("created_by")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_plan(project)
        baseline = baseline_services.baseline_save(project=project, actor=self.actor, **data)
        return self.render(self.reload(baseline.pk), status.HTTP_201_CREATED)

    def fetch_for_removal(self, pk: int) -> Baseline:
        return access_baseline(self.actor, pk, write=True).obj

    def apply_removal(self, instance: Baseline) -> None:
        baseline_services.baseline_delete(baseline=instance, actor=self.actor)

    @extend_schema(
        summary="The baseline's rows: each task as it was saved, in outline order (paginated).",
        responses={200: BaselineTaskSerializer(many=True), **errors(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def tasks(self, request: Request, pk: str) -> Response:
        access = access_baseline(self.actor, int(pk))
        page = self.paginate_queryset(baseline_selectors.baseline_rows(baseline=access.obj))
        rows = [
            hide_money(row, access.role) for row in BaselineTaskSerializer(page, many=True).data
        ]
        return self.get_paginated_response(rows)

    @extend_schema(
        summary="The plan now against this baseline: variances in working days per task.",
        description="Positive variances are late (or longer). Tasks added since the baseline "
        "and tasks removed from the plan are rows of their own (`kind`); `slipped_milestones` "
        "lists milestones that now finish later than baselined.",
        responses={200: BaselineComparisonSerializer, **errors(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def comparison(self, request: Request, pk: str) -> Response:
        baseline = access_baseline(self.actor, int(pk)).obj
        return Response(BaselineComparisonSerializer(comparison_body(baseline)).data)

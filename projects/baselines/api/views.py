"""Endpoints for baselines: save the plan under a name, list, delete, and compare with the plan.

Thin as everywhere: the scoped queryset (an id outside it is a 404), the permission check,
one service (projects/baselines/services.py) or selector (projects/baselines/selectors.py).
A baseline is immutable: there is no PUT or PATCH.
"""

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
from projects.baselines.api.comparison import PARAMETERS, comparison_body
from projects.baselines.api.serializers import (
    BaselineComparisonSerializer,
    BaselineCreateSerializer,
    BaselineSerializer,
    BaselineTaskSerializer,
)
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
        "lists milestones that now finish later than baselined. `summary` counts every task; "
        "`tasks` is one page of the rows `show` keeps, in `sort` order (`count` of them in all), "
        "and `next` links to the following page.",
        parameters=PARAMETERS,
        responses={200: BaselineComparisonSerializer, **errors(400, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def comparison(self, request: Request, pk: str) -> Response:
        baseline = access_baseline(self.actor, int(pk)).obj
        return Response(BaselineComparisonSerializer(comparison_body(baseline, request)).data)

"""Endpoints of quality (issue 7): gates with their criteria (evidence: a link, a comment or a
multipart file) and reviews, waivers, quality measures (CI posts its test pass rate and coverage
here), the organisation's gate templates, and a project's quality summary.

Thin as everywhere: scoped querysets, the role check from tpm/roles.py, one service.
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.access import access_project
from projects.models import (
    GateCriterion,
    GateReview,
    GateTemplate,
    GateTemplateCriterion,
    MeasurementSource,
    QualityGate,
    QualityMeasure,
)
from projects.quality import gate_templates as template_services
from projects.quality import selectors as quality_selectors
from projects.quality import services as quality_services
from projects.quality.api.serializers import (
    GateCriterionCheckSerializer,
    GateCriterionSerializer,
    GateReviewGiveSerializer,
    GateReviewSerializer,
    GateTemplateCreateSerializer,
    GateTemplateSerializer,
    GateTemplateWriteSerializer,
    GateVersionSerializer,
    QualityGateCreateSerializer,
    QualityGateSerializer,
    QualityGateUpdateSerializer,
    QualityMeasureCreateSerializer,
    QualityMeasureSerializer,
    WaiveSerializer,
)
from projects.scope.access import fetch, scoped
from projects.scope.api.views import require
from tpm.access import organisations_for
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    requested_version,
    require_org_action,
)
from tpm.roles import OrgAction, ProjectAction, org_role_can


class GateFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    outcome = django_filters.CharFilter()
    task = IdFilter(field_name="task_id")
    deliverable = IdFilter(field_name="deliverable_id")

    class Meta:
        model = QualityGate
        fields = ("project", "outcome", "task", "deliverable")


@extend_schema(tags=["quality"])
@extend_schema_view(
    list=extend_schema(summary="Quality gates of the projects you have a role in."),
    retrieve=extend_schema(summary="One gate with its criteria, reviews and what is open."),
    create=extend_schema(
        summary="Add a gate on a phase, milestone or deliverable (managers); a template gives "
        "its criteria and reviewers.",
        request=QualityGateCreateSerializer,
        responses={201: QualityGateSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(parameters=[IF_MATCH], request=QualityGateUpdateSerializer),
    partial_update=extend_schema(parameters=[IF_MATCH], request=QualityGateUpdateSerializer),
    destroy=extend_schema(summary="Remove a gate (managers)."),
)
class QualityGateViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = QualityGateSerializer
    input_serializers = {
        "create": QualityGateCreateSerializer,
        "update": QualityGateUpdateSerializer,
        "partial_update": QualityGateUpdateSerializer,
        "waive": WaiveSerializer,
        "revoke_waiver": GateVersionSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = GateFilter
    ordering_fields = ("due_date", "number")
    ordering = ("project", "due_date", "number")

    def get_queryset(self) -> QuerySet[QualityGate]:
        return scoped(QualityGate, self.actor).prefetch_related(
            Prefetch(
                "criteria",
                GateCriterion.objects.select_related("checked_by", "evidence_attachment").order_by(
                    "position", "pk"
                ),
            ),
            Prefetch("reviews", GateReview.objects.select_related("reviewer").order_by("pk")),
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        require(project, ProjectAction.EDIT_SCOPE, "adding quality gates")
        gate = quality_services.gate_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(gate.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> QualityGate:
        return fetch(QualityGate, self.actor, pk, action=ProjectAction.EDIT_SCOPE).obj

    def apply_update(self, instance: QualityGate, changes: dict[str, Any], version: int | None):
        return quality_services.gate_update(
            gate=instance, actor=self.actor, version=version, **changes
        )

    def fetch_for_removal(self, pk: int) -> QualityGate:
        return fetch(QualityGate, self.actor, pk, action=ProjectAction.EDIT_SCOPE).obj

    def apply_removal(self, instance: QualityGate) -> None:
        quality_services.gate_delete(gate=instance, actor=self.actor)

    @extend_schema(
        summary="Waive the gate (managers): the work may go on; the reason is kept.",
        parameters=[IF_MATCH],
        request=WaiveSerializer,
        responses={200: QualityGateSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str) -> Response:
        gate = fetch(QualityGate, self.actor, int(pk), action=ProjectAction.WAIVE_GATES).obj
        data = self.validated_input()
        version = requested_version(request, data)
        quality_services.gate_waive(gate=gate, actor=self.actor, version=version, **data)
        return self.render(self.reload(gate.pk))

    @extend_schema(
        summary="Revoke a waiver (managers): the criteria and reviews decide again.",
        parameters=[IF_MATCH],
        request=GateVersionSerializer,
        responses={200: QualityGateSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"], url_path="revoke-waiver")
    def revoke_waiver(self, request: Request, pk: str) -> Response:
        gate = fetch(QualityGate, self.actor, int(pk), action=ProjectAction.WAIVE_GATES).obj
        data = self.validated_input()
        version = requested_version(request, data)
        quality_services.gate_revoke_waiver(gate=gate, actor=self.actor, version=version)
        return self.render(self.reload(gate.pk))


@extend_schema(tags=["quality"])
@extend_schema_view(
    retrieve=extend_schema(summary="One gate criterion."),
    update=extend_schema(
        summary="Record the result with evidence (members and managers); JSON or multipart "
        "with `evidence_file`.",
        parameters=[IF_MATCH],
        request=GateCriterionCheckSerializer,
    ),
    partial_update=extend_schema(parameters=[IF_MATCH], request=GateCriterionCheckSerializer),
)
class GateCriterionViewSet(VersionedUpdateMixin, ScopedViewSet):
    serializer_class = GateCriterionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    input_serializers = {
        "update": GateCriterionCheckSerializer,
        "partial_update": GateCriterionCheckSerializer,
    }

    def get_queryset(self) -> QuerySet[GateCriterion]:
        return scoped(GateCriterion, self.actor).select_related("checked_by", "evidence_attachment")

    def fetch_for_update(self, pk: int) -> GateCriterion:
        return fetch(GateCriterion, self.actor, pk, action=ProjectAction.RECORD_QUALITY).obj

    def apply_update(self, instance: GateCriterion, changes: dict[str, Any], version: int | None):
        return quality_services.gate_criterion_check(
            criterion=instance,
            actor=self.actor,
            version=version,
            result=changes.get("result", instance.result),
            evidence_url=changes.get("evidence_url", instance.evidence_url),
            evidence_comment=changes.get("evidence_comment", instance.evidence_comment),
            evidence_file=changes.get("evidence_file"),
        )


@extend_schema(tags=["quality"])
@extend_schema_view(
    retrieve=extend_schema(summary="One required review of a gate."),
    update=extend_schema(
        summary="Give the review (someone with the required project role).",
        parameters=[IF_MATCH],
        request=GateReviewGiveSerializer,
    ),
    partial_update=extend_schema(parameters=[IF_MATCH], request=GateReviewGiveSerializer),
)
class GateReviewViewSet(VersionedUpdateMixin, ScopedViewSet):
    serializer_class = GateReviewSerializer
    input_serializers = {
        "update": GateReviewGiveSerializer,
        "partial_update": GateReviewGiveSerializer,
    }

    reviewer_role = ""  # the caller's role, set by fetch_for_update

    def get_queryset(self) -> QuerySet[GateReview]:
        return scoped(GateReview, self.actor).select_related("reviewer")

    def fetch_for_update(self, pk: int) -> GateReview:
        review = fetch(GateReview, self.actor, pk)  # the required role is the rule
        if review.role != review.obj.required_role:
            needed = review.obj.get_required_role_display().lower()
            raise PermissionDenied(f"This review needs someone with the {needed} role.")
        self.reviewer_role = review.role  # apply_update gives the review in this role
        return review.obj

    def apply_update(self, instance: GateReview, changes: dict[str, Any], version: int | None):
        return quality_services.gate_review_give(
            review=instance,
            actor=self.actor,
            actor_role=self.reviewer_role,
            version=version,
            verdict=changes.get("verdict", instance.verdict),
            comment=changes.get("comment", ""),
        )


class MeasureFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte")

    class Meta:
        model = QualityMeasure
        fields = ("project", "since")


@extend_schema(tags=["quality"])
@extend_schema_view(
    list=extend_schema(summary="Daily test pass rate and coverage of your projects."),
    retrieve=extend_schema(summary="One day's quality measures."),
    create=extend_schema(
        summary="Post the day's test pass rate and/or coverage (members and managers; CI with "
        "a token). One record per project and day: a second post replaces the figures.",
        request=QualityMeasureCreateSerializer,
        responses={201: QualityMeasureSerializer, **errors(400, 403, 404)},
    ),
)
class QualityMeasureViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = QualityMeasureSerializer
    input_serializers = {"create": QualityMeasureCreateSerializer}
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = MeasureFilter
    ordering_fields = ("date",)
    ordering = ("project", "-date")

    def get_queryset(self) -> QuerySet[QualityMeasure]:
        return scoped(QualityMeasure, self.actor)

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        require(project, ProjectAction.RECORD_QUALITY, "recording quality measures")
        measure = quality_services.quality_measure_record(
            project=project,
            actor=self.actor,
            on=data.pop("date", None),
            source=MeasurementSource.API,
            **data,
        )
        return self.render(self.reload(measure.pk), status.HTTP_201_CREATED)


@extend_schema(tags=["quality"])
@extend_schema_view(
    list=extend_schema(summary="Gate templates of your organisations (defaults seeded)."),
    retrieve=extend_schema(summary="One gate template."),
    create=extend_schema(
        summary="Add a gate template (organisation admins).",
        request=GateTemplateCreateSerializer,
        responses={201: GateTemplateSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(parameters=[IF_MATCH], request=GateTemplateWriteSerializer),
    partial_update=extend_schema(parameters=[IF_MATCH], request=GateTemplateWriteSerializer),
)
class GateTemplateViewSet(VersionedUpdateMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = GateTemplateSerializer
    input_serializers = {
        "create": GateTemplateCreateSerializer,
        "update": GateTemplateWriteSerializer,
        "partial_update": GateTemplateWriteSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ("organisation",)

    def get_queryset(self) -> QuerySet[GateTemplate]:
        return (
            GateTemplate.objects.filter(organisation__in=organisations_for(self.actor).values("pk"))
            .prefetch_related(
                Prefetch("criteria", GateTemplateCriterion.objects.order_by("position", "pk"))
            )
            .order_by("organisation", "name")
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        organisation = data.pop("organisation")
        require_org_action(organisation, OrgAction.EDIT)
        template = template_services.gate_template_create(
            organisation=organisation, actor=self.actor, **data
        )
        return self.render(self.reload(template.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> GateTemplate:
        organisations = organisations_for(self.actor)
        template = (
            GateTemplate.objects.filter(organisation__in=organisations.values("pk"), pk=pk)
            .select_related("organisation")
            .first()
        )
        if template is None:
            raise Http404("No such gate template.")
        role = organisations.filter(pk=template.organisation_id).values_list("my_role", flat=True)
        if not org_role_can(role.first(), OrgAction.EDIT):
            raise PermissionDenied("Only organisation admins change gate templates.")
        return template

    def apply_update(self, instance: GateTemplate, changes: dict[str, Any], version: int | None):
        current = {
            "name": instance.name,
            "description": instance.description,
            "criteria": [c.text for c in instance.criteria.all()],
            "reviewer_roles": instance.required_reviewer_roles,
            "archived": instance.archived_at is not None,
        }
        return template_services.gate_template_update(
            template=instance, actor=self.actor, version=version, **(current | changes)
        )


@extend_schema(tags=["quality"])
class ProjectQualityView(APIView):
    """A project's quality at a glance: gates by outcome (and overdue), open defects by
    priority (bugs have no separate severity), the latest test pass rate and coverage."""

    @extend_schema(summary="A project's quality summary.", responses={200: dict, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        project = access_project(request.user, pk).obj  # type: ignore[arg-type]
        today = timezone.localdate()
        facts = quality_selectors.gate_facts([project.pk])
        measures = quality_selectors.measures(project, limit=1)
        latest = measures[-1] if measures else None
        outcomes: dict[str, int] = {}
        for gate in facts:
            outcomes[gate.outcome] = outcomes.get(gate.outcome, 0) + 1
        return Response(
            {
                "gates": outcomes,
                "overdue_gates": [g.pk for g in facts if g.is_overdue(today)],
                "failed_gates": [g.pk for g in facts if g.outcome == "failed"],
                "open_defects_by_priority": {
                    d.priority: d.count for d in quality_selectors.open_defects(project)
                },
                "defect_severity_note": "Tasks have no severity; priority stands in for it.",
                "latest_measure": QualityMeasureSerializer(latest).data if latest else None,
            }
        )

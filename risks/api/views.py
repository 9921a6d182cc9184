"""Endpoints of the register and the RAID log. Thin as everywhere: a scoped queryset (an id
outside it is a 404), the permission check, one service (risks/services.py,
risks/raid/services.py) or selector (risks/selectors.py), the result rendered."""

from datetime import date
from typing import Any, cast

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.access import access_project, row_access
from projects.models import Project
from tpm import money
from tpm.access import Access, access_organisation
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    requested_version,
    require_org_action,
)
from tpm.models import User
from tpm.roles import OrgAction, ProjectAction

from .. import selectors, services, tabular, transfer
from ..access import access_entry, access_risk, risks_for, scoped
from ..models import Issue, Risk, RiskCategory, RiskSettings
from ..models.raid import RaidEntry
from ..raid import services as raid_services
from .serializers import (
    RAID_SERIALIZERS,
    RiskCategoryCreateSerializer,
    RiskCategorySerializer,
    RiskCreateSerializer,
    RiskImportSerializer,
    RiskLinkSerializer,
    RiskReassessSerializer,
    RiskResponseCreateSerializer,
    RiskReviewSerializer,
    RiskSerializer,
    RiskSettingsSerializer,
    RiskSettingsUpdateSerializer,
    RiskUpdateSerializer,
    RiskVersionSerializer,
)


def _require_edit(obj: Project) -> None:
    """A project named in a body: its scoped field loaded it with the user's role."""
    if not row_access(obj).can(ProjectAction.EDIT_RISKS):
        raise PermissionDenied("Your role in this project does not allow changing its risks.")


class RiskFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    category = IdFilter(field_name="category_id")
    owner = IdFilter(field_name="owner_id")
    status = django_filters.CharFilter()
    kind = django_filters.CharFilter()
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = Risk
        fields = ("project", "category", "owner", "status", "kind", "min_score")


@extend_schema(tags=["risks"])
@extend_schema_view(
    list=extend_schema(summary="Risks of the projects you have a role in, highest score first."),
    retrieve=extend_schema(summary="One risk.", responses={200: RiskSerializer, **errors(404)}),
    create=extend_schema(
        summary="Raise a risk (members and managers); its assessment is its first review.",
        request=RiskCreateSerializer,
        responses={201: RiskSerializer, **errors(400, 403, 404)},
    ),
    update=extend_schema(
        summary="Edit a risk; changed ratings or status are recorded as a review.",
        parameters=[IF_MATCH],
        request=RiskUpdateSerializer,
        responses={200: RiskSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    partial_update=extend_schema(
        summary="Edit some fields of a risk.",
        parameters=[IF_MATCH],
        request=RiskUpdateSerializer,
        responses={200: RiskSerializer, **errors(400, 403, 404, 409, 428)},
    ),
)
class RiskViewSet(VersionedUpdateMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = RiskSerializer
    input_serializers = {
        "create": RiskCreateSerializer,
        "update": RiskUpdateSerializer,
        "partial_update": RiskUpdateSerializer,
        "reassess": RiskReassessSerializer,
        "responses": RiskResponseCreateSerializer,
        "links": RiskLinkSerializer,
        "occurred": RiskVersionSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = RiskFilter
    ordering_fields = ("score", "residual_score", "number", "next_review_on", "proximity")
    ordering = ("-score", "number")

    def get_queryset(self) -> QuerySet[Risk]:
        return (
            selectors.with_impact(risks_for(self.actor))
            .select_related("owner", "category", "project__organisation")
            .prefetch_related("responses", "linked_tasks")
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_edit(project)
        risk = services.risk_create(project=project, actor=self.actor, **data)
        return self.render(self.reload(risk.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Risk:
        return access_risk(self.actor, pk, write=True).obj

    def apply_update(self, instance: Risk, changes: dict[str, Any], version: int | None) -> Risk:
        return services.risk_update(risk=instance, actor=self.actor, version=version, **changes)

    @extend_schema(
        summary="Record a review: new (or confirmed) ratings, a note, the next review date.",
        parameters=[IF_MATCH],
        request=RiskReassessSerializer,
        responses={200: RiskSerializer, **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"])
    def reassess(self, request: Request, pk: str) -> Response:
        risk = access_risk(self.actor, int(pk), write=True).obj
        data = self.validated_input()
        version = requested_version(request, data)
        services.risk_reassess(risk=risk, actor=self.actor, version=version, **data)
        return self.render(self.reload(risk.pk))

    @extend_schema(
        summary="The risk's reviews, oldest first: its score over time.",
        responses={200: RiskReviewSerializer(many=True), **errors(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def reviews(self, request: Request, pk: str) -> Response:
        access = access_risk(self.actor, int(pk))
        page = self.paginate_queryset(selectors.risk_reviews(risk=access.obj))
        reviews = RiskReviewSerializer(page, many=True, context={"role": access.role})
        return self.get_paginated_response(reviews.data)

    @extend_schema(
        summary="The risk happened: it becomes an issue of the RAID log, linked back.",
        parameters=[IF_MATCH],
        request=RiskVersionSerializer,
        responses={201: RAID_SERIALIZERS[Issue][0], **errors(400, 403, 404, 409, 428)},
    )
    @action(detail=True, methods=["post"])
    def occurred(self, request: Request, pk: str) -> Response:
        risk = access_risk(self.actor, int(pk), write=True).obj
        data = self.validated_input()
        version = requested_version(request, data)
        issue = services.risk_mark_occurred(risk=risk, actor=self.actor, version=version, **data)
        output = RAID_SERIALIZERS[type(issue)][0]
        return Response(output(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a response action: a new task of the plan (planners only).",
        request=RiskResponseCreateSerializer,
        responses={201: RiskSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def responses(self, request: Request, pk: str) -> Response:
        access = access_risk(self.actor, int(pk), write=True)
        if not access.can(ProjectAction.PLAN):
            raise PermissionDenied("Only the project's planners add tasks to the plan.")
        risk = access.obj
        data = self.validated_input()
        services.risk_add_response(risk=risk, actor=self.actor, **data)
        return self.render(self.reload(risk.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Link a task or milestone of the same project.",
        request=RiskLinkSerializer,
        responses={200: RiskSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: str) -> Response:
        risk = access_risk(self.actor, int(pk), write=True).obj
        data = self.validated_input()
        services.risk_link_task(risk=risk, actor=self.actor, task=data["task"])
        return self.render(self.reload(risk.pk))


def _project_for(user: User, pk: int) -> Access[Project]:
    return access_project(user, pk, action=ProjectAction.VIEW_RISKS)


@extend_schema(tags=["risks"])
class ProjectRiskSummaryView(APIView):
    """Heat maps (inherent and residual), top risks, exposure (EMV, expected delay) and its
    trend for one project."""

    @extend_schema(
        summary="A project's risk overview; EMV and the contingency reserve it is compared "
        "with are null for roles that do not see money.",
        responses={200: dict, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = _project_for(request.user, pk)  # type: ignore[arg-type]
        project = access.obj
        thresholds = services.settings_for(project.organisation).thresholds()
        inherent, residual = selectors.heat_maps(project=project, thresholds=thresholds)
        found = selectors.exposure(project=project, thresholds=thresholds)
        trend = selectors.exposure_trend(project=project, today=timezone.localdate())
        reserve = selectors.emv_against_reserve(project=project, exposure=found)

        def grid(heat: selectors.HeatMap) -> list[dict[str, Any]]:
            return [
                {"probability": p, "impact": i, "count": count, "level": level.value}
                for row in heat.rows
                for (p, i), count, level in row
            ]

        body = {
            "thresholds": vars(thresholds),
            "inherent": grid(inherent),
            "residual": grid(residual),
            "top": [r.pk for r in selectors.top_risks(project=project)],
            "open_count": found.open_count,
            "over_appetite": found.over_appetite,
            "threat_emv": str(found.threat_emv),
            "opportunity_emv": str(found.opportunity_emv),
            "net_emv": str(found.net_emv),
            "expected_schedule_days": str(found.expected_days),
            **reserve.to_json(),
            "trend": [
                {
                    "day": p.day,
                    "total_score": p.total_score,
                    "open": p.open_count,
                    "emv": str(p.emv),
                }
                for p in trend
            ],
        }
        return Response(money.hide(body, money=money.sees_money(access)))


@extend_schema(tags=["risks"])
class ProjectRiskRegisterView(APIView):
    """The register as of a past date: each risk as its latest review then described it."""

    @extend_schema(
        summary="The register as of a date.",
        parameters=[OpenApiParameter("as_of", str, required=True, description="YYYY-MM-DD")],
        responses={200: dict, **errors(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = _project_for(request.user, pk)  # type: ignore[arg-type]
        project = access.obj
        raw = request.query_params.get("as_of", "")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise exceptions.ValidationError({"as_of": ["Give a date as YYYY-MM-DD."]}) from None
        rows = selectors.register_as_of(project=project, day=day)
        return Response(
            {
                "as_of": day,
                "risks": [
                    {
                        "ref": row.risk.ref,
                        "title": row.risk.title,
                        # `risk` is the risk's id; its money only for roles that see it
                        **RiskReviewSerializer(row.review, context={"role": access.role}).data,
                    }
                    for row in rows
                ],
            }
        )


@extend_schema(tags=["risks"])
class ProjectRiskExportView(APIView):
    @extend_schema(
        summary="The register as a CSV or XLSX file.",
        parameters=[OpenApiParameter("file", str, description="csv (default) or xlsx")],
        responses={(200, "text/csv"): bytes, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        fmt = request.query_params.get("file", "csv")
        if fmt not in ("csv", "xlsx"):
            raise exceptions.ValidationError({"file": ["Ask for csv or xlsx."]})
        access = _project_for(request.user, pk)  # type: ignore[arg-type]
        # the same file as the page's, amounts only for roles that see money
        return transfer.export_response(access.obj, fmt, with_money=money.sees_money(access))


def _mapping(header: list[str], given: Any) -> dict[str, int | None]:
    """The body's {field: column title} as column indices; guessed from the titles when absent."""
    if given is None:
        return transfer.guess_mapping(header)
    if not isinstance(given, dict):
        raise exceptions.ValidationError({"mapping": ["Send an object of field: column title."]})
    problems = [
        f"“{f}” is not a field you can import." for f in given if f not in transfer.IMPORTABLE
    ]
    problems += [f"The file has no column “{c}”." for c in given.values() if c not in header]
    if problems:
        raise exceptions.ValidationError({"mapping": problems})
    return {
        name: header.index(given[name]) if name in given else None for name in transfer.IMPORTABLE
    }


@extend_schema(tags=["risks"])
class RiskImportView(APIView):
    """Import risks from a file: a dry run (default) reports errors per row; a real run saves
    every row or none (400 with the rows when any fails)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import risks.",
        request=RiskImportSerializer,
        responses={200: dict, 201: dict, **errors(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        serializer = RiskImportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        project = serializer.validated_data["project"]
        _require_edit(project)
        upload = serializer.validated_data["file"]
        try:
            header, rows = tabular.read_table(upload.name, upload.read())
        except tabular.TableError as error:
            raise exceptions.ValidationError({"file": [str(error)]}) from error
        dry_run = serializer.validated_data["dry_run"]
        mapping = _mapping(header, serializer.validated_data.get("mapping"))
        result = transfer.risks_import(
            project=project,
            actor=request.user,  # type: ignore[arg-type]
            header=header,
            rows=rows,
            mapping=mapping,
            dry_run=dry_run,
        )
        body = {
            "saved": result.saved,
            "rows": [
                {"line": r.line, "title": r.title, "score": r.score, "errors": r.errors}
                for r in result.rows
            ],
        }
        if result.error_count:
            return Response(
                {
                    "detail": f"{result.error_count} rows cannot be imported; nothing was saved.",
                    "code": "invalid",
                    "errors": {},
                    **body,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            body, status=status.HTTP_201_CREATED if result.saved else status.HTTP_200_OK
        )


# --- categories and settings -------------------------------------------------------------------


@extend_schema(tags=["risks"])
@extend_schema_view(
    list=extend_schema(summary="Risk categories of your organisations."),
    create=extend_schema(
        summary="Add a category (organisation admins).",
        request=RiskCategoryCreateSerializer,
        responses={201: RiskCategorySerializer, **errors(400, 403, 404)},
    ),
)
class RiskCategoryViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = RiskCategorySerializer
    input_serializers = {"create": RiskCategoryCreateSerializer}

    def get_queryset(self) -> QuerySet[RiskCategory]:
        from tpm.access import organisations_for

        return RiskCategory.objects.filter(
            organisation__in=organisations_for(self.actor).values("pk")
        ).order_by("organisation", "position", "name")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        require_org_action(data["organisation"], OrgAction.EDIT)
        category = services.category_create(
            organisation=data["organisation"], actor=self.actor, name=data["name"]
        )
        return Response(RiskCategorySerializer(category).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["risks"])
class OrganisationRiskSettingsView(APIView):
    """An organisation's thresholds, appetite and escalation (admins change them)."""

    def conflict_representation(self, current: RiskSettings) -> dict[str, Any]:
        """A stale change answers 409 with the settings as they are now."""
        return RiskSettingsSerializer(current).data

    @extend_schema(summary="Risk settings.", responses={200: RiskSettingsSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        organisation = access_organisation(request.user, pk).obj  # type: ignore[arg-type]
        return Response(RiskSettingsSerializer(services.settings_for(organisation)).data)

    @extend_schema(
        summary="Change risk settings.",
        parameters=[IF_MATCH],
        request=RiskSettingsUpdateSerializer,
        responses={200: RiskSettingsSerializer, **errors(400, 403, 404, 409, 428)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        organisation = access_organisation(request.user, pk, action=OrgAction.EDIT).obj  # type: ignore[arg-type]
        serializer = RiskSettingsUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = requested_version(request, data)
        updated = services.risk_settings_update(
            organisation=organisation,
            actor=cast(User, request.user),
            version=version,
            **data,
        )
        return Response(RiskSettingsSerializer(updated).data)


# --- the RAID log ------------------------------------------------------------------------------


class RaidFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    status = django_filters.CharFilter()


def raid_viewset(model: type[RaidEntry], noun: str) -> type[ScopedViewSet]:
    """List, read, create and edit one kind of RAID entry."""
    output, create_input, update_input = RAID_SERIALIZERS[model]
    entry_model = model

    class Filter(RaidFilter):
        class Meta:
            model = entry_model
            fields = ("project", "status")

    @extend_schema(tags=["raid"])
    @extend_schema_view(
        list=extend_schema(summary=f"The {noun} of the projects you have a role in."),
        retrieve=extend_schema(summary=f"One {noun}.", responses={200: output, **errors(404)}),
        create=extend_schema(
            summary=f"Add a {noun} (members and managers).",
            request=create_input,
            responses={201: output, **errors(400, 403, 404)},
        ),
        update=extend_schema(
            summary=f"Edit a {noun}.",
            parameters=[IF_MATCH],
            request=update_input,
            responses={200: output, **errors(400, 403, 404, 409, 428)},
        ),
        partial_update=extend_schema(
            summary=f"Edit some fields of a {noun}.",
            parameters=[IF_MATCH],
            request=update_input,
            responses={200: output, **errors(400, 403, 404, 409, 428)},
        ),
    )
    class RaidViewSet(VersionedUpdateMixin, mixins.ListModelMixin, ScopedViewSet):
        serializer_class = output
        input_serializers = {
            "create": create_input,
            "update": update_input,
            "partial_update": update_input,
        }
        filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
        filterset_class = Filter
        ordering_fields = ("number", "created_at", "updated_at")
        ordering = ("project", "number")

        def get_queryset(self) -> QuerySet:
            return scoped(entry_model, self.actor).select_related("owner")

        def create(self, request: Request) -> Response:
            data = self.validated_input()
            project = data.pop("project")
            _require_edit(project)
            entry = raid_services.raid_create(
                model=entry_model, project=project, actor=self.actor, **data
            )
            return self.render(self.reload(entry.pk), status.HTTP_201_CREATED)

        def fetch_for_update(self, pk: int) -> RaidEntry:
            return access_entry(entry_model, self.actor, pk, write=True).obj

        def apply_update(
            self, instance: RaidEntry, changes: dict[str, Any], version: int | None
        ) -> RaidEntry:
            return raid_services.raid_update(
                entry=instance, actor=self.actor, version=version, **changes
            )

    RaidViewSet.__name__ = RaidViewSet.__qualname__ = f"{model.__name__}ViewSet"
    return RaidViewSet

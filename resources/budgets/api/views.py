"""Endpoints of a project's money: budget lines with their monthly plan, expenses, the budget's
history, and earned value at a status date; and the organisation's workload.

Money is its own permission (ProjectAction.VIEW_MONEY: managers and stakeholders): lists leave
out projects whose money the user may not see; a detail or a project's figures answer 403 when
the project is visible but its money is not, 404 when the project is not visible at all.
"""

from datetime import date
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.access import access_project, row_access
from resources.access import scoped
from resources.api.serializers import (
    BudgetChangeSerializer,
    BudgetLineCreateSerializer,
    BudgetLinePlanInputSerializer,
    BudgetLineSerializer,
    BudgetLineUpdateSerializer,
    ExpenseCreateSerializer,
    ExpenseSerializer,
    ExpenseUpdateSerializer,
)
from resources.budgets import services as budget_services
from resources.models import BudgetChange, BudgetLine, Expense
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    requested_version,
)
from tpm.money import money_roles
from tpm.roles import ProjectAction

WRITE = (400, 403, 404)
EDIT = (400, 403, 404, 409, 428)

MONEY_ROLES = money_roles()  # tpm/money.py


def money_rows(model: type[Model], user: Any) -> QuerySet:
    """Rows of `model` in live projects whose money the user may see."""
    if not user.is_authenticated:  # (the schema generator's anonymous request)
        return model._default_manager.none()
    return scoped(model, user).filter(my_role__in=MONEY_ROLES)


def _require_budget(obj: Model) -> None:
    """A row of `money_rows`, or a project named in a body: loaded with the user's role."""
    if not row_access(obj).can(ProjectAction.EDIT_BUDGET):
        raise PermissionDenied("Only the project's managers change its budget and expenses.")


def _months(rows: list[dict[str, Any]]) -> dict[date, Any]:
    return {row["month"]: row["amount"] for row in rows}


class MoneyReadViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Lists show only projects whose money you see; a detail elsewhere is 403 (or 404)."""

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_object(self) -> Any:
        return self.fetch(int(self.kwargs["pk"]))

    def fetch(self, pk: int, *, write: bool = False) -> Any:
        found = self.get_queryset().filter(pk=pk).first()
        if found is None:
            model = self.get_queryset().model
            if scoped(model, self.actor).filter(pk=pk).exists():
                raise PermissionDenied("Your role in this project does not show its money.")
            raise Http404("Not found.")
        if write:
            _require_budget(found)
        return found


class ProjectFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")


class BudgetLineFilter(ProjectFilter):
    category = django_filters.CharFilter()

    class Meta:
        model = BudgetLine
        fields = ("project", "category")


@extend_schema(tags=["money"])
@extend_schema_view(
    list=extend_schema(
        summary="Budget lines with their monthly plan (projects whose money you see)."
    ),
    retrieve=extend_schema(
        summary="One budget line.", responses={200: BudgetLineSerializer, **errors(403, 404)}
    ),
    create=extend_schema(
        summary="Add a budget line, optionally with its monthly plan (managers; a reason).",
        request=BudgetLineCreateSerializer,
        responses={201: BudgetLineSerializer, **errors(*WRITE)},
    ),
    update=extend_schema(
        summary="Change a budget line (managers; a reason is recorded).",
        parameters=[IF_MATCH],
        request=BudgetLineUpdateSerializer,
        responses={200: BudgetLineSerializer, **errors(*EDIT)},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a budget line (managers; a reason is recorded).",
        parameters=[IF_MATCH],
        request=BudgetLineUpdateSerializer,
        responses={200: BudgetLineSerializer, **errors(*EDIT)},
    ),
    destroy=extend_schema(
        summary="Remove a budget line (managers): send `?reason=...`.",
        parameters=[OpenApiParameter("reason", str, required=True)],
        responses={204: None, **errors(*WRITE)},
    ),
)
class BudgetLineViewSet(VersionedUpdateMixin, MoneyReadViewSet):
    serializer_class = BudgetLineSerializer
    input_serializers = {
        "create": BudgetLineCreateSerializer,
        "update": BudgetLineUpdateSerializer,
        "partial_update": BudgetLineUpdateSerializer,
        "plan": BudgetLinePlanInputSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = BudgetLineFilter

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_budget(project)
        line = budget_services.budget_line_create(
            project=project, actor=self.actor, months=_months(data.pop("plan", [])), **data
        )
        return self.render(self.reload(line.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> BudgetLine:
        return self.fetch(pk, write=True)

    def apply_update(
        self, instance: BudgetLine, changes: dict[str, Any], version: int | None
    ) -> Any:
        return budget_services.budget_line_update(
            line=instance, actor=self.actor, version=version, **changes
        )

    def destroy(self, request: Request, pk: str) -> Response:
        line = self.fetch(int(pk), write=True)
        reason = request.query_params.get("reason") or (
            request.data.get("reason", "") if isinstance(request.data, dict) else ""
        )
        budget_services.budget_line_delete(line=line, actor=self.actor, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Plan the line's spend month by month (0 removes a month; a reason).",
        parameters=[IF_MATCH],
        request=BudgetLinePlanInputSerializer,
        responses={200: BudgetLineSerializer, **errors(*EDIT)},
    )
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk: str) -> Response:
        line = self.fetch(int(pk), write=True)
        data = self.validated_input()
        version = requested_version(request, data)
        budget_services.budget_line_plan_set(
            line=line,
            actor=self.actor,
            version=version,
            reason=data["reason"],
            months=_months(data["plan"]),
        )
        return self.render(self.reload(line.pk))

    def get_queryset(self) -> QuerySet[BudgetLine]:
        return (
            money_rows(BudgetLine, self.actor)
            .prefetch_related("plan")
            .order_by("project", "category", "name", "pk")
        )


class ExpenseFilter(ProjectFilter):
    budget_line = IdFilter(field_name="budget_line_id")
    status = django_filters.CharFilter()
    from_date = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    to_date = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Expense
        fields = ("project", "budget_line", "status", "from_date", "to_date")


@extend_schema(tags=["money"])
@extend_schema_view(
    list=extend_schema(summary="Expenses (vendor invoices), committed or paid, newest first."),
    retrieve=extend_schema(
        summary="One expense.", responses={200: ExpenseSerializer, **errors(403, 404)}
    ),
    create=extend_schema(
        summary="Record an expense, committed or paid (managers; attach the invoice on its page).",
        request=ExpenseCreateSerializer,
        responses={201: ExpenseSerializer, **errors(*WRITE)},
    ),
    update=extend_schema(
        summary="Correct an expense or mark it paid (managers).",
        parameters=[IF_MATCH],
        request=ExpenseUpdateSerializer,
        responses={200: ExpenseSerializer, **errors(*EDIT)},
    ),
    partial_update=extend_schema(
        summary="Correct some fields of an expense, or mark it paid (managers).",
        parameters=[IF_MATCH],
        request=ExpenseUpdateSerializer,
        responses={200: ExpenseSerializer, **errors(*EDIT)},
    ),
)
class ExpenseViewSet(VersionedUpdateMixin, MoneyReadViewSet):
    serializer_class = ExpenseSerializer
    input_serializers = {
        "create": ExpenseCreateSerializer,
        "update": ExpenseUpdateSerializer,
        "partial_update": ExpenseUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExpenseFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Expense]:
        return money_rows(Expense, self.actor).order_by("project", "-date", "-pk")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_budget(project)
        line = data.get("budget_line")
        if line is not None and line.project_id != project.pk:
            raise exceptions.ValidationError(
                {"budget_line": ["Choose a budget line of the same project."]}
            )
        upload = data.pop("attachment", None)
        expense = budget_services.expense_create(
            project=project, actor=self.actor, upload=upload, **data
        )
        return self.render(self.reload(expense.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Expense:
        return self.fetch(pk, write=True)

    def apply_update(self, instance: Expense, changes: dict[str, Any], version: int | None) -> Any:
        line = changes.get("budget_line")
        if line is not None and line.project_id != instance.project_id:
            raise exceptions.ValidationError(
                {"budget_line": ["Choose a budget line of the same project."]}
            )
        upload = changes.pop("attachment", None)
        return budget_services.expense_update(
            expense=instance, actor=self.actor, version=version, upload=upload, **changes
        )


class BudgetChangeFilter(ProjectFilter):
    budget_line = IdFilter(field_name="budget_line_id")

    class Meta:
        model = BudgetChange
        fields = ("project", "budget_line")


@extend_schema(tags=["money"])
@extend_schema_view(
    list=extend_schema(summary="The budget's history: each change with its reason and author."),
    retrieve=extend_schema(
        summary="One budget change.", responses={200: BudgetChangeSerializer, **errors(403, 404)}
    ),
)
class BudgetChangeViewSet(MoneyReadViewSet):
    serializer_class = BudgetChangeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = BudgetChangeFilter

    def get_queryset(self) -> QuerySet[BudgetChange]:
        return (
            money_rows(BudgetChange, self.actor)
            .select_related("author")
            .order_by("project", "-created_at", "-pk")
        )


# --- earned value --------------------------------------------------------------------------


def _status_date(request: Request) -> date | None:
    raw = request.query_params.get("status_date", "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {"status_date": ["Give the status date as YYYY-MM-DD."]}
        ) from None


@extend_schema(tags=["money"])
class ProjectEvmView(APIView):
    """Earned value of a project at a status date: the same figures as `manage.py evm` and the
    project's EVM page (resources/evm/selectors.py)."""

    @extend_schema(
        summary="Earned value (PV, EV, AC, SV, CV, SPI, CPI, EACs, ETC, VAC, TCPI) at a date.",
        parameters=[
            OpenApiParameter(
                "status_date",
                str,
                description="YYYY-MM-DD; default: the project's status date, else today.",
            ),
            OpenApiParameter(
                "branches", bool, description="Include each WBS branch (default true)."
            ),
            OpenApiParameter("branches_offset", int, description="First branch given (default 0)."),
            OpenApiParameter(
                "branches_limit",
                int,
                description="Branches given, 1 to 5000 (default 500); `branches_total` counts all.",
            ),
        ],
        responses={200: dict, **errors(400, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        from resources.evm.selectors import branch_window, evm_json, project_evm

        access = access_project(request.user, pk, action=ProjectAction.VIEW)  # type: ignore[arg-type]
        if not access.can(ProjectAction.VIEW_MONEY):
            raise PermissionDenied("Your role in this project does not show its money.")
        report = project_evm(access.obj, status_date=_status_date(request))
        branches = request.query_params.get("branches", "true").lower() not in ("0", "false")
        params = request.query_params
        try:  # paged branches (issue 14): the project's figures stay whole
            offset, limit = branch_window(
                params.get("branches_offset", ""), params.get("branches_limit", "")
            )
        except ValueError as error:
            name, message = str(error).split(": ", 1)
            raise exceptions.ValidationError({name: [message]}) from None
        return Response(
            evm_json(
                report,
                ratio_places=4,
                branches=branches,
                branch_offset=offset,
                branch_limit=limit,
            )
        )

"""The organisation's workload over the API: people x ISO weeks, assigned hours against capacity
(the same selector as the heat-map page, resources/workload/selectors.py)."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from resources.workload import selectors as workload_selectors
from resources.workload.selectors import WorkloadFilters
from tpm.access import access_organisation
from tpm.api.viewsets import errors


def _number(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        raise exceptions.ValidationError({name: ["Give a whole number."]})
    return int(raw)


def _filters(request: Request) -> WorkloadFilters:
    raw = request.query_params.get("start", "")
    try:
        start = date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        raise exceptions.ValidationError({"start": ["Give a date as YYYY-MM-DD."]}) from None
    weeks = _number(request, "weeks") or workload_selectors.DEFAULT_WEEKS
    if not 1 <= weeks <= workload_selectors.MAX_WEEKS:
        raise exceptions.ValidationError(
            {"weeks": [f"Ask for 1 to {workload_selectors.MAX_WEEKS} weeks."]}
        )
    return WorkloadFilters(
        start=start,
        weeks=weeks,
        role_id=_number(request, "role"),
        skill_id=_number(request, "skill"),
        project_id=_number(request, "project"),
    )


@extend_schema(tags=["resources"])
class OrganisationWorkloadView(APIView):
    """Each active person's assigned hours, capacity and load per week; over-allocated weeks
    flagged. The drill-down to the tasks is the heat-map page's."""

    @extend_schema(
        summary="Workload: people x weeks, assigned hours against capacity.",
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD, any day of the first week."),
            OpenApiParameter("weeks", int, description="1 to 52 (default 12)."),
            OpenApiParameter("role", int, description="Only people with this role."),
            OpenApiParameter("skill", int, description="Only people with this skill."),
            OpenApiParameter("project", int, description="Only people working on this project."),
        ],
        responses={200: dict, **errors(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        organisation = access_organisation(request.user, pk).obj  # type: ignore[arg-type]
        page = workload_selectors.workload_page(organisation, request.user, _filters(request))  # type: ignore[arg-type]
        return Response(
            {
                "weeks": [week.isoformat() for week in page.weeks],
                "over_allocated": page.over_allocated,
                "people": [
                    {
                        "resource": row.resource_id,
                        "name": row.name,
                        "role": row.role,
                        "over_allocated": row.load.over_allocated,
                        "weeks": [
                            {
                                "week": week.week.isoformat(),
                                "capacity_hours": round(week.capacity_hours, 2),
                                "assigned_hours": round(week.assigned_hours, 2),
                                "load_percent": None
                                if week.load_percent is None
                                else round(week.load_percent, 1),
                                "over_allocated": week.over_allocated,
                            }
                            for week in row.load.weeks
                        ],
                    }
                    for row in page.rows
                ],
            }
        )

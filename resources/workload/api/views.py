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

# People per page by default: 100 people x 26 weeks is about 350 KB of JSON (issue 14: all 300
# made 1.7 MB); `count` says how many match.
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


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
        search=request.query_params.get("search", "").strip()[:100],
    )


@extend_schema(tags=["resources"])
class OrganisationWorkloadView(APIView):
    """Each active person's assigned hours, capacity and load per week, a page of people at a
    time (`count`: every matching person); over-allocated weeks flagged. The drill-down to the
    tasks is the heat-map page's."""

    @extend_schema(
        summary="Workload: people x weeks, assigned hours against capacity.",
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD, any day of the first week."),
            OpenApiParameter("weeks", int, description="1 to 52 (default 12)."),
            OpenApiParameter("role", int, description="Only people with this role."),
            OpenApiParameter("skill", int, description="Only people with this skill."),
            OpenApiParameter("project", int, description="Only people working on this project."),
            OpenApiParameter("search", str, description="Only people whose name contains this."),
            OpenApiParameter("page", int, description="Page of people, from 1 (default 1)."),
            OpenApiParameter(
                "page_size",
                int,
                description=f"People per page, 1 to {MAX_PAGE_SIZE} (default "
                f"{PAGE_SIZE}); `count` and `over_allocated` cover every matching person.",
            ),
        ],
        responses={200: dict, **errors(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        organisation = access_organisation(request.user, pk).obj  # type: ignore[arg-type]
        asked = _number(request, "page_size")
        size = PAGE_SIZE if asked is None else asked
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError({"page_size": [f"Ask for 1 to {MAX_PAGE_SIZE}."]})
        page = workload_selectors.workload_page(
            organisation,
            request.user,  # type: ignore[arg-type]
            _filters(request),
            page=_number(request, "page") or 1,
            per_page=size,
        )
        return Response(
            {
                "weeks": [week.isoformat() for week in page.weeks],
                "over_allocated": page.over_allocated,
                "count": page.people,
                "page": page.page,
                "pages": page.pages,
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

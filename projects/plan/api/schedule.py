"""`/projects/{id}/schedule/`: a project's computed schedule, a page of tasks at a time.

The whole plan of 5,010 tasks was one 6.4 MB answer (issue 14). Now every answer carries the
project's span and critical path and one page of tasks in outline order, at most `page_size`
(default 500) and cut before 1 MB whatever the tasks hold (notes are free text); `next` is a
cursor link to the rest (tpm/api/pagination.py). `?fields=` keeps only some fields of each task,
so a client after dates alone reads bigger pages.

A fixed number of queries per page (the span and count, the critical path, the page, its links
and people, one calendar) and no model instance or serializer per task.
"""

import json
from typing import Any

from django.db.models import Count, F, Max, Min
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import access_project
from projects.calendars.selectors import day_length
from projects.models import Project, Task
from projects.plan import selectors as task_selectors
from projects.plan.api.serializers import (
    ProjectScheduleSerializer,
    TaskSerializer,
    hide_money,
    render_instant,
    schedule_task_data,
)
from projects.schedule import services as schedule_services
from tpm.access import Access
from tpm.api.pagination import KeysetPagination
from tpm.api.viewsets import errors
from tpm.models import User
from tpm.roles import ProjectAction

# An answer stays under this many bytes by default (issue 14: JSON under 1 MB).
MAX_BYTES = 1_000_000
TASK_FIELDS = tuple(TaskSerializer.Meta.fields)


class SchedulePagination(KeysetPagination):
    page_size = 500
    max_page_size = 2000  # reachable with `fields`; the byte cap holds either way


def _fields(request: Request) -> tuple[str, ...] | None:
    """The task fields asked for with `?fields=a,b` (`id` always), None: all of them."""
    text = request.query_params.get("fields")
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - set(TASK_FIELDS))
    if unknown or not names:
        raise exceptions.ValidationError(
            {"fields": [f"Unknown field(s): {', '.join(unknown) or '(none)'}."]}
        )
    return tuple(name for name in TASK_FIELDS if name == "id" or name in names)


def _size(data: Any) -> int:
    """Bytes of `data` as DRF's JSONRenderer writes it (compact, UTF-8)."""
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def schedule_body(access: Access[Project], request: Request) -> dict[str, Any]:
    """The project's span and critical path, and one page of its tasks (`next`: the rest)."""
    project = access.obj
    alive = Task.objects.alive().filter(project=project)
    span = alive.aggregate(count=Count("pk"), start=Min("start"), finish=Max("finish"))
    critical = (
        alive.filter(is_critical=True, is_summary=False)
        .order_by(F("early_start").asc(nulls_last=True), "outline_key", "pk")
        .values_list("pk", flat=True)
    )
    fields = _fields(request)
    paginator = SchedulePagination()
    rows = paginator.paginate_queryset(
        alive.order_by("outline_key", "pk").values(*task_selectors.TASK_COLUMNS),
        request,
        count=span["count"],
    )
    ids = [row["id"] for row in rows]
    links = task_selectors.outline_links(project=project, task_ids=ids)
    people = task_selectors.outline_assignees(project=project, task_ids=ids)
    zone = timezone.get_current_timezone()
    body: dict[str, Any] = {
        "project": project.pk,
        "start": render_instant(span["start"], zone),
        "finish": render_instant(span["finish"], zone),
        "status_date": project.status_date.isoformat() if project.status_date else None,
        "minutes_per_day": day_length(None, project),
        "critical_path": list(critical),
        "count": span["count"],
    }
    budget = MAX_BYTES - _size(body) - 2000  # room for the links and the brackets
    tasks: list[dict[str, Any]] = []
    for row in rows:
        task = hide_money(
            schedule_task_data(
                row,
                assignees=people.get(row["id"], []),
                links=links.get(row["id"], []),
                zone=zone,
            ),
            access.role,
        )
        if fields is not None:
            task = {name: task[name] for name in fields}
        budget -= _size(task) + 1
        if budget < 0 and tasks:  # the rest of this page starts the next one
            paginator.keep(len(tasks))
            break
        tasks.append(task)
    body["next"] = paginator.get_next_link()
    body["previous"] = paginator.get_previous_link()
    body["tasks"] = tasks
    return body


_PAGE_PARAMETERS = [
    OpenApiParameter(
        "fields",
        OpenApiTypes.STR,
        description="Only these fields of each task, comma-separated (`id` always comes), "
        "e.g. `id,name,start,finish`: smaller answers, so bigger pages fit.",
    ),
    *(
        OpenApiParameter(
            p["name"],
            OpenApiTypes.INT if p["schema"]["type"] == "integer" else OpenApiTypes.STR,
            description=p["description"],
        )
        for p in SchedulePagination().get_schema_operation_parameters(None)
    ),
]


@extend_schema(tags=["plan"])
class ProjectScheduleView(generics.GenericAPIView):
    """`/projects/{id}/schedule/`: read the computed plan, or recompute it now."""

    serializer_class = ProjectScheduleSerializer
    queryset = Project.objects.none()  # names the model for the schema; reads go through access
    pagination_class = None  # paged inside the body (`tasks`), see schedule_body

    @property
    def actor(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def _render(self, access: Access[Project]) -> Response:
        # Already rendered (see schedule_body); the serializer class only documents it.
        return Response(schedule_body(access, self.request))

    @extend_schema(
        summary="The project's computed schedule: its span, the critical path and a page of "
        "tasks in outline order.",
        description="At most `page_size` tasks (default 500) and under 1 MB: follow `next` for "
        "the rest. Every page repeats the span, `count` and the critical path.",
        parameters=_PAGE_PARAMETERS,
        responses={200: ProjectScheduleSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return self._render(access_project(self.actor, pk))

    @extend_schema(
        summary="Reschedule the project now (planners), e.g. after moving its status date.",
        description="Answers the first page of the schedule, as GET does.",
        request=None,
        responses={200: ProjectScheduleSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = access_project(self.actor, pk, action=ProjectAction.PLAN)
        schedule_services.project_reschedule(project=access.obj)
        return self._render(access)

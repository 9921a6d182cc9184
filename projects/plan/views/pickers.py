"""The task pickers' searches: a predecessor for a task's page, a parent for the outline's add
row. Each answers at most `PICKER_LIMIT` tasks as JSON for frontend/picker.js, because an
organisation's tasks are too many to send as a list of choices (33,753 labels were 1.9 MB).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from projects.access import access_project, access_task, projects_for
from projects.models import Task
from projects.plan import selectors as task_selectors
from projects.plan.forms import task_label
from tpm.http import AuthedHttpRequest
from tpm.models import User
from tpm.roles import ProjectAction

QUERY_LENGTH = 100  # longer searches are cut: no name or code is that long in practice


def link_candidates(user: User, task: Task) -> QuerySet[Task]:
    """Tasks that may come before `task`: its project's and those of other projects of the
    organisation that the user can see (a queryset, never listed whole: checks a posted id)."""
    visible = projects_for(user).filter(organisation_id=task.project.organisation_id)
    return (
        Task.objects.alive()
        .filter(project__in=visible.values("pk"))
        .exclude(pk=task.pk)
        .select_related("project")
    )


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]


def _answer(tasks: list[Task], *, with_project: bool) -> JsonResponse:
    results = [{"id": t.pk, "label": task_label(t, with_project=with_project)} for t in tasks]
    return JsonResponse({"results": results, "more": len(results) == task_selectors.PICKER_LIMIT})


@login_required
@require_GET
def predecessor_search(request: AuthedHttpRequest, project_id: int, task_id: int) -> JsonResponse:
    """Tasks the caller may link before this one (planners of its project), by name or code."""
    task = access_task(request.user, task_id, write=True).obj
    if task.project_id != project_id:
        raise Http404("No such task in this project.")
    visible = projects_for(request.user).filter(organisation_id=task.project.organisation_id)
    tasks = task_selectors.predecessor_choices(
        task=task, project_ids=visible.values("pk"), query=_query(request)
    )
    return _answer(tasks, with_project=True)


@login_required
@require_GET
def parent_search(request: AuthedHttpRequest, project_id: int) -> JsonResponse:
    """Tasks of the plan a new task may go under (planners), by name or code."""
    project = access_project(request.user, project_id, action=ProjectAction.PLAN).obj
    tasks = task_selectors.parent_choices(project=project, query=_query(request))
    return _answer(tasks, with_project=False)

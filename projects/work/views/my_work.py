"""My work: everything assigned to me across my projects, grouped by when it is due, with a
quick progress update and a blocked flag per row (htmx swaps the row; plain POSTs redirect)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from projects.access import access_task_progress
from projects.models import Task, TaskStatus
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from projects.plan.forms import DateTimeInput
from projects.views._common import is_htmx
from projects.work import selectors as work
from projects.work import services as work_services
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

ROW = "projects/partials/my_work_row.html"
ROWS = "projects/partials/my_work_rows.html"
MAX_OFFSET = 100_000
STALE = (
    "This task was changed by someone else meanwhile; nothing was overwritten. "
    "The row shows it as it is now."
)


class QuickProgressForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)
    percent_complete = forms.IntegerField(min_value=0, max_value=100, label="% complete")
    remaining_hours = forms.DecimalField(
        min_value=0, max_digits=10, decimal_places=2, required=False, label="hours left"
    )
    # Asked for when progress is reported before the project starts (the row then shows it).
    actual_start = forms.DateTimeField(required=False, label="started", widget=DateTimeInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BlockForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea)


def _offset(request: HttpRequest) -> int:
    raw = request.GET.get("offset", "")
    return min(int(raw), MAX_OFFSET) if raw.isdigit() else 0


@login_required
@require_GET
def my_work_page(request: AuthedHttpRequest) -> HttpResponse:
    """The first rows of each group; `?group=<key>&offset=<n>` is its "show more": with htmx
    the next rows alone (they replace the button), without it the page with that group longer.
    """
    key, offset = request.GET.get("group", ""), _offset(request)
    limits = {}
    if key in dict(work.GROUPS):
        if is_htmx(request):
            group = work.my_work_group(request.user, key, offset)
            return render(request, ROWS, {"group": group})
        limits[key] = offset + work.PAGE_SIZE
    data = work.my_work(request.user, limit=work.PAGE_SIZE, limits=limits)
    return render(request, "projects/my_work.html", {"nav": "my-work", "work": data})


def _item(access: Access[Task]) -> work.WorkItem:
    task = access.obj
    blockers = work.open_blockers([task.pk])
    can_plan = access.can(ProjectAction.PLAN)
    return work.WorkItem(task, work.due_date(task), blockers.get(task.pk), can_plan)


def _row(request: HttpRequest, task_id: int, status: int = 200, **extra: Any) -> HttpResponse:
    access = access_task_progress(request.user, task_id)  # type: ignore[arg-type]
    context = {"item": _item(access), **extra}
    if is_htmx(request):
        return render(request, ROW, context, status=status)
    if status >= 400:
        messages.error(request, extra.get("error") or "That change was not saved.")
    else:
        messages.success(request, extra.get("notice", "Saved."))
    return redirect("my-work")


@login_required
@require_POST
def my_work_progress(request: AuthedHttpRequest, task_id: int) -> HttpResponse:
    task = access_task_progress(request.user, task_id).obj
    form = QuickProgressForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(map(str, msgs))}" for name, msgs in form.errors.items()
        )
        return _row(request, task.pk, 422, error=errors)
    data = form.cleaned_data
    changes: dict[str, Any] = {}
    if data["status"] != task.status:
        changes["status"] = data["status"]
    if data["percent_complete"] != task.percent_complete:
        changes["percent_complete"] = data["percent_complete"]
    if data["remaining_hours"] != task.remaining_hours:
        changes["remaining_hours"] = data["remaining_hours"]
    if data["actual_start"] is not None:
        changes["actual_start"] = data["actual_start"]
    try:
        task_services.task_update_progress(
            task=task,
            actor=request.user,
            version=data["version"],
            changes=ProgressChanges.from_dict(changes),
        )
    except StaleVersionError:
        return _row(request, task.pk, 409, error=STALE)
    except ValidationError as exc:
        asks = hasattr(exc, "error_dict") and "actual_start" in exc.error_dict
        return _row(request, task.pk, 422, error=" ".join(exc.messages), ask_actual_start=asks)
    return _row(request, task.pk, notice=f"Saved progress on {task.name}.")


@login_required
@require_POST
def my_work_blocker(request: AuthedHttpRequest, task_id: int) -> HttpResponse:
    """Raise (or reword) the blocked flag with a reason, or clear it (`clear`)."""
    task = access_task_progress(request.user, task_id).obj
    if request.POST.get("clear"):
        work_services.task_unblock(task=task, actor=request.user)
        return _row(request, task.pk, notice=f"{task.name} is no longer blocked.")
    form = BlockForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        work_services.task_block(task=task, actor=request.user, reason=reason)
    except ValidationError as exc:
        return _row(request, task.pk, 422, error=" ".join(exc.messages))
    return _row(request, task.pk, notice=f"Flagged {task.name} as blocked; its managers know.")

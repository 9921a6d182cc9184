"""The project's Budget tab: budget lines with their month grid, contingency and management
reserve, expenses with their invoice files, actual cost, the forecast at completion and the
change log.

Seeing it needs ProjectAction.VIEW_MONEY (managers, stakeholders); changing it needs
ProjectAction.EDIT_BUDGET (managers). Forms are plain POSTs that redirect back, or re-render
with 422 (errors) or 409 (someone else saved first).
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import access_project
from projects.forms import apply_service_errors
from projects.models import Project
from projects.views._common import project_page
from resources.budgets import selectors as budget_selectors
from resources.budgets import services as budget_services
from resources.budgets.forms import (
    BudgetLineForm,
    DeleteLineForm,
    ExpenseForm,
    FinanceForm,
    month_field,
    read_months,
)
from resources.evm import charts
from resources.evm.views import status_date_from
from resources.models import BudgetLine, Expense
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

TAB = "budget"
STALE = (
    "This was changed by someone else while you were editing; nothing was overwritten. "
    "The form shows what it says now: make your change again if it is still needed."
)


def _project(user: Any, project_id: int, *, write: bool = False) -> Access[Project]:
    action = ProjectAction.EDIT_BUDGET if write else ProjectAction.VIEW_MONEY
    return access_project(user, project_id, action=action)


def _budget_url(project: Project) -> str:
    return reverse("project-budget", args=[project.pk])


def _page(access: Access[Project], **extra: Any) -> dict[str, Any]:
    return project_page(access, TAB, can_edit_budget=access.can(ProjectAction.EDIT_BUDGET), **extra)


def _render_budget(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    line_form: BudgetLineForm | None = None,
    finance_form: FinanceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.obj
    overview = budget_selectors.budget_overview(
        project, status_date=status_date_from(request.GET.get("status_date"))
    )
    finance = overview.finance
    context = _page(
        access,
        overview=overview,
        line_form=line_form or BudgetLineForm(project=project, initial={"category": "labour"}),
        finance_form=finance_form
        or FinanceForm(
            initial={
                "contingency": finance.contingency,
                "management_reserve": finance.management_reserve,
                "progress_from_timesheets": finance.progress_from_timesheets,
                "version": finance.version,
            }
        ),
    )
    return render(request, "resources/budget.html", context, status=status)


@login_required
@require_GET
def project_budget(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    return _render_budget(request, _project(request.user, project_id))


@login_required
@require_POST
def budget_line_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = _project(request.user, project_id, write=True)
    project = access.obj
    form = BudgetLineForm(request.POST, project=project)
    if form.is_valid():
        try:
            line = budget_services.budget_line_create(
                project=project,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                **form.changes(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added the budget line “{line.name}”: plan its months next.")
            return redirect(reverse("budget-line-edit", args=[project.pk, line.pk]))
    return _render_budget(request, access, line_form=form, status=422)


@login_required
@require_POST
def budget_finance(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = _project(request.user, project_id, write=True)
    project = access.obj
    form = FinanceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            budget_services.finance_update(
                project=project,
                actor=request.user,
                version=data["version"],
                reason=data["reason"],
                contingency=data["contingency"],
                management_reserve=data["management_reserve"],
                progress_from_timesheets=data["progress_from_timesheets"],
            )
        except StaleVersionError:
            messages.error(request, STALE)
            return _render_budget(request, access, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Saved the reserves and settings.")
            return redirect(_budget_url(project))
    return _render_budget(request, access, finance_form=form, status=422)


# One budget line and its month grid ----------------------------------------------------------


def _line(project: Project, line_id: int) -> BudgetLine:
    line = BudgetLine.objects.filter(project=project, pk=line_id).prefetch_related("plan").first()
    if line is None:
        raise Http404("No such budget line in this project.")
    return line


def _edit_months(line: BudgetLine, project: Project) -> list[date]:
    """Months the grid offers: the project's span, the line's plan and the coming year."""
    month = timezone.localdate().replace(day=1)
    known = [p.month for p in line.plan.all()] + [month]
    for _ in range(11):
        month = charts.month_end(month)
    return budget_selectors.month_span([*known, month], project)


def _render_line(
    request: AuthedHttpRequest,
    access: Access[Project],
    line: BudgetLine,
    *,
    form: BudgetLineForm | None = None,
    typed: dict[str, str] | None = None,
    month_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.obj
    planned = {p.month: p.amount for p in line.plan.all()}
    months = _edit_months(line, project)
    cells = [
        {
            "month": month,
            "name": month_field(month),
            "value": (typed or {}).get(
                month_field(month), f"{planned[month]:f}" if month in planned else ""
            ),
            "error": (month_errors or {}).get(month_field(month), ""),
        }
        for month in months
    ]
    context = _page(
        access,
        line=line,
        cells=cells,
        planned_total=sum(planned.values()),
        form=form
        or BudgetLineForm(
            project=project,
            initial={
                "category": line.category,
                "name": line.name,
                "amount": line.amount,
                "currency": line.currency,
                "version": line.version,
            },
        ),
        delete_form=DeleteLineForm(),
    )
    return render(request, "resources/budget_line.html", context, status=status)


def _save_line(
    request: AuthedHttpRequest, project: Project, line: BudgetLine, form: BudgetLineForm
) -> HttpResponse | None:
    """Store the line's fields and months; None when it worked (the caller redirects)."""
    months, errors = read_months(request.POST, _edit_months(line, project))
    if errors:
        form.add_error(None, list(errors.values()))
        return None
    budget_services.budget_line_edit(
        line=line,
        actor=request.user,
        version=form.cleaned_data["version"],
        reason=form.cleaned_data["reason"],
        months=months,
        **form.changes(),
    )
    return redirect(_budget_url(project))


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request: AuthedHttpRequest, project_id: int, line_id: int) -> HttpResponse:
    access = _project(request.user, project_id, write=True)
    project = access.obj
    line = _line(project, line_id)
    if request.method == "GET":
        return _render_line(request, access, line)
    form = BudgetLineForm(request.POST, project=project)
    typed = {k: str(v) for k, v in request.POST.items() if k.startswith("m-")}
    if form.is_valid():
        try:
            saved = _save_line(request, project, line, form)
        except StaleVersionError:
            messages.error(request, STALE)
            return _render_line(request, access, _line(project, line_id), status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if saved is not None:
                messages.success(request, f"Saved the budget line “{form.cleaned_data['name']}”.")
                return saved
    _, month_errors = read_months(request.POST, _edit_months(line, project))
    return _render_line(
        request, access, line, form=form, typed=typed, month_errors=month_errors, status=422
    )


@login_required
@require_POST
def budget_line_delete(request: AuthedHttpRequest, project_id: int, line_id: int) -> HttpResponse:
    access = _project(request.user, project_id, write=True)
    project = access.obj
    line = _line(project, line_id)
    form = DeleteLineForm(request.POST)
    if form.is_valid():
        budget_services.budget_line_delete(
            line=line, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Removed the budget line “{line.name}”.")
        return redirect(_budget_url(project))
    messages.error(request, budget_services.REASON_REQUIRED)
    return _render_line(request, access, line, status=422)


# Expenses ---------------------------------------------------------------------------------------


def _expense(project: Project, expense_id: int) -> Expense:
    expense = Expense.objects.filter(project=project, pk=expense_id).first()
    if expense is None:
        raise Http404("No such expense in this project.")
    return expense


def _render_expense(
    request: AuthedHttpRequest,
    access: Access[Project],
    form: ExpenseForm,
    *,
    expense: Expense | None,
    status: int,
) -> HttpResponse:
    context = _page(access, form=form, expense=expense)
    return render(request, "resources/budget_expense.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def expense_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = _project(request.user, project_id, write=True)
    project = access.obj
    if request.method == "GET":
        form = ExpenseForm(
            project=project, initial={"date": timezone.localdate(), "status": "committed"}
        )
        return _render_expense(request, access, form, expense=None, status=200)
    form = ExpenseForm(request.POST, request.FILES, project=project)
    if form.is_valid():
        try:
            expense = budget_services.expense_create(
                project=project,
                actor=request.user,
                upload=form.cleaned_data["file"],
                **form.changes(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, upload="file", attachment="file")
        else:
            messages.success(
                request,
                f"Recorded {expense.vendor}'s {expense.amount} {expense.currency} "
                f"({expense.get_status_display().lower()}).",
            )
            return redirect(_budget_url(project) + "#expenses")
    return _render_expense(request, access, form, expense=None, status=422)


def _expense_initial(expense: Any) -> dict[str, Any]:
    names = [name for name in ExpenseForm.base_fields if name not in ("file", "budget_line")]
    initial = {name: getattr(expense, name) for name in names}
    return initial | {"budget_line": expense.budget_line_id, "version": expense.version}


@login_required
@require_http_methods(["GET", "POST"])
def expense_edit(request: AuthedHttpRequest, project_id: int, expense_id: int) -> HttpResponse:
    access = _project(request.user, project_id, write=True)
    project = access.obj
    expense = _expense(project, expense_id)
    if request.method == "GET":
        form = ExpenseForm(project=project, initial=_expense_initial(expense))
        return _render_expense(request, access, form, expense=expense, status=200)
    form = ExpenseForm(request.POST, request.FILES, project=project)
    if form.is_valid():
        try:
            budget_services.expense_update(
                expense=expense,
                actor=request.user,
                version=form.cleaned_data["version"],
                upload=form.cleaned_data["file"],
                **form.changes(),
            )
        except StaleVersionError as exc:
            messages.error(request, STALE)
            fresh = ExpenseForm(project=project, initial=_expense_initial(exc.current))
            return _render_expense(request, access, fresh, expense=expense, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc, upload="file", attachment="file")
        else:
            messages.success(request, f"Saved {expense.vendor}'s expense.")
            return redirect(_budget_url(project) + "#expenses")
    return _render_expense(request, access, form, expense=expense, status=422)


@login_required
@require_GET
def expense_attachment(
    request: AuthedHttpRequest, project_id: int, expense_id: int
) -> FileResponse:
    project = _project(request.user, project_id).obj
    expense = _expense(project, expense_id)
    if not expense.attachment:
        raise Http404("This expense has no file.")
    return FileResponse(
        expense.attachment.open("rb"),
        as_attachment=True,
        filename=expense.attachment_name or "invoice",
        content_type=expense.attachment_content_type or "application/octet-stream",
    )

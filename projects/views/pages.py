"""The project list, creation, overview, settings, deletion and history pages."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from projects import selectors, services
from projects.access import access_project
from projects.forms import (
    ProjectCreateForm,
    ProjectFieldsForm,
    ProjectFilterForm,
    ProjectSettingsForm,
    apply_service_errors,
)
from projects.models import Project
from projects.views._common import no_organisation, project_page
from tpm import history
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.models import HistoryEntry
from tpm.roles import OrgAction, ProjectAction, ProjectRole, org_role_can

PROJECTS_PER_PAGE = 50


@login_required
@require_GET
def project_list(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if not membership:
        return no_organisation(request)
    filter_form = ProjectFilterForm(request.GET)
    filters = filter_form.filters()
    projects = selectors.project_search(
        user=request.user,
        organisation=membership.organisation,
        text=filters.get("q", ""),
        status=filters.get("status", ""),
        methodology=filters.get("methodology", ""),
    )
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "nav": "projects",
            "organisation": membership.organisation,
            "projects": page,
            "page": page,
            "query": query.urlencode(),
            "filter_form": filter_form,
            "filtered": bool(filters),
            "can_create": org_role_can(membership.role, OrgAction.CREATE_PROJECT),
            "can_restore": org_role_can(membership.role, OrgAction.RESTORE_PROJECT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if not membership:
        return no_organisation(request)
    if not org_role_can(membership.role, OrgAction.CREATE_PROJECT):
        raise PermissionDenied("Your role in this organisation does not allow creating projects.")
    form = ProjectCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            project = services.project_create(
                organisation=membership.organisation,
                actor=request.user,
                key=form.cleaned_data["key"],
                **form.changes(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Created {project.name} ({project.key}).")
            return redirect("project-detail", project_id=project.pk)
    return render(
        request,
        "projects/project_create.html",
        {"nav": "projects", "form": form, "organisation": membership.organisation},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_GET
def project_detail(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    project = access.obj
    counts = selectors.project_role_counts(project=project)
    context = project_page(
        access,
        "overview",
        role_counts=[(label, counts.get(value, 0)) for value, label in ProjectRole.choices],
        member_total=sum(counts.values()),
        managers=selectors.project_members(project=project).filter(role=ProjectRole.MANAGER),
        is_late=project.is_late(timezone.localdate()),
    )
    return render(request, "projects/project_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.EDIT)
    project = access.obj
    if request.method == "GET":
        form = ProjectSettingsForm.for_project(project)
        return _render_settings(request, access, form)
    form = ProjectSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.project_update(
                project=project,
                actor=request.user,
                version=form.cleaned_data["version"],
                **form.changes(),
            )
        except StaleVersionError as exc:
            current = cast(Project, exc.current)
            return _render_stale_settings(request, access.on(current), form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Saved the project's settings.")
            return redirect("project-settings", project_id=project.pk)
    return _render_settings(request, access, form, status=422)


def _render_settings(
    request: HttpRequest,
    access: Access[Project],
    form: ProjectSettingsForm,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = project_page(access, "settings", form=form, **extra)
    return render(request, "projects/project_settings.html", context, status=status)


def _render_stale_settings(
    request: HttpRequest, access: Access[Project], submitted: ProjectSettingsForm
) -> HttpResponse:
    """Someone saved first: show their values in the form, and what this user tried to save."""
    current = access.obj
    form = ProjectSettingsForm.for_project(current)
    conflicts = []
    for name in ProjectFieldsForm.base_fields:
        theirs, yours = getattr(current, name), submitted.cleaned_data.get(name)
        if (theirs or None) != (yours or None):
            field = form[name]
            conflicts.append(
                {
                    "label": field.label,
                    "current": _display(field, theirs),
                    "yours": _display(field, yours),
                }
            )
    return _render_settings(request, access, form, status=409, stale=True, conflicts=conflicts)


def _display(field: Any, value: Any) -> str:
    if value in (None, ""):
        return "—"
    choices = dict(getattr(field.field, "choices", ()) or ())
    return str(choices.get(value, value))


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.DELETE)
    if request.method == "POST":
        project = services.project_delete(project=access.obj, actor=request.user)
        until = date_format(timezone.localtime(project.restorable_until()), "j F Y")
        messages.success(
            request,
            f"{project.name} ({project.key}) moved to trash; "
            f"an organisation admin can restore it until {until}.",
        )
        return redirect("project-list")
    return render(request, "projects/project_delete.html", project_page(access, "settings"))


@login_required
@require_GET
def project_history(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    money = access.can(ProjectAction.VIEW_MONEY)
    entries = [
        _history_row(entry, money)
        for entry in selectors.project_history(project=access.obj)
        if money or not history.shows_money(entry)
    ]
    return render(
        request, "projects/project_history.html", project_page(access, "history", entries=entries)
    )


def _history_row(entry: HistoryEntry, money: bool) -> dict[str, Any]:
    changes = [
        {
            "field": name.replace("_", " ").capitalize(),
            "old": pair[0] if isinstance(pair, list | tuple) and len(pair) == 2 else None,
            "new": pair[1] if isinstance(pair, list | tuple) and len(pair) == 2 else pair,
        }
        for name, pair in history.visible_changes(entry, money=money).items()
    ]
    return {
        "who": entry.actor.display_name if entry.actor else "System",
        "action": entry.get_action_display(),
        "what": entry.target_repr,
        "changes": changes,
        "when": entry.created_at,
    }

"""The RAID log: assumptions, issues, decisions and external dependencies (risks have the
register). One page lists all four; each kind has its add and edit forms."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from projects.models import Project
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest

from .. import selectors
from ..access import access_entry
from ..forms import RAID_FORMS, show_errors
from ..models import Assumption, Decision, ExternalDependency, Issue
from ..models.raid import RaidEntry
from ..views.common import STALE, risk_page, risk_project
from . import services as raid_services

TAB = "raid"

KINDS: dict[str, tuple[type[RaidEntry], str]] = {
    "assumptions": (Assumption, "assumption"),
    "issues": (Issue, "issue"),
    "decisions": (Decision, "decision"),
    "dependencies": (ExternalDependency, "external dependency"),
}


def _kind(kind: str) -> tuple[type[RaidEntry], str]:
    if kind not in KINDS:
        raise Http404("No such part of the RAID log.")
    return KINDS[kind]


@login_required
@require_GET
def raid_log(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = risk_project(request.user, project_id)
    project = access.obj
    context = risk_page(
        access, TAB, log=selectors.raid_log(project=project), today=timezone.localdate()
    )
    return render(request, "risks/raid_log.html", context)


def _render(
    request: AuthedHttpRequest,
    access: Access[Project],
    kind: str,
    form: Any,
    entry: RaidEntry | None,
    status: int,
) -> HttpResponse:
    _, noun = _kind(kind)
    context = risk_page(access, TAB, form=form, entry=entry, kind=kind, noun=noun)
    return render(request, "risks/raid_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def raid_create(request: AuthedHttpRequest, project_id: int, kind: str) -> HttpResponse:
    model, noun = _kind(kind)
    access = risk_project(request.user, project_id, write=True)
    project = access.obj
    form_class = RAID_FORMS[model]
    if request.method == "GET":
        initial: dict[str, Any] = {"owner": request.user.pk}
        if model is Issue:
            initial["raised_on"] = timezone.localdate()
        return _render(
            request, access, kind, form_class(project=project, initial=initial), None, 200
        )
    form = form_class(request.POST, project=project)
    if form.is_valid():
        try:
            entry = raid_services.raid_create(
                model=model, project=project, actor=request.user, **form.changes()
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Added {noun} {entry.ref}.")
            return redirect(reverse("raid-log", args=[project.pk]) + f"#{kind}")
    return _render(request, access, kind, form, None, 422)


@login_required
@require_http_methods(["GET", "POST"])
def raid_edit(
    request: AuthedHttpRequest, project_id: int, kind: str, entry_id: int
) -> HttpResponse:
    model, noun = _kind(kind)
    access = access_entry(model, request.user, entry_id, write=True)
    entry = access.obj
    if entry.project_id != project_id:
        raise Http404("No such entry in this project.")
    project = entry.project
    page = access.on(project)
    form_class = RAID_FORMS[model]
    if request.method == "GET":
        initial = model_to_dict(entry) | {"version": entry.version}
        return _render(
            request, page, kind, form_class(project=project, initial=initial), entry, 200
        )
    form = form_class(request.POST, project=project)
    if form.is_valid():
        try:
            raid_services.raid_update(
                entry=entry,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.changes(),
            )
        except StaleVersionError as exc:
            fresh = form_class(
                project=project,
                initial=model_to_dict(exc.current)
                | {"version": getattr(exc.current, "version", None)},
            )
            messages.error(request, STALE)
            return _render(request, page, kind, fresh, entry, 409)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Saved {noun} {entry.ref}.")
            return redirect(reverse("raid-log", args=[project.pk]) + f"#{kind}")
    return _render(request, page, kind, form, entry, 422)

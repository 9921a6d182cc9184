"""Export the register as CSV or XLSX; import one in three steps: upload, map and preview,
confirm. The uploaded table waits in the session; nothing is saved until the confirmation."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from projects.models import Project
from tpm.access import Access
from tpm.http import AuthedHttpRequest
from tpm.money import sees_money

from .. import tabular, transfer
from ..forms import ImportUploadForm
from .common import risk_page, risk_project

TAB = "risks"


@login_required
@require_GET
def risk_export(request: AuthedHttpRequest, project_id: int, fmt: str) -> HttpResponse:
    if fmt not in transfer.CONTENT_TYPES:
        raise Http404("Export as csv or xlsx.")
    access = risk_project(request.user, project_id)
    return transfer.export_response(access.obj, fmt, with_money=sees_money(access))


def _session_key(project: Project) -> str:
    return f"risk-import:{project.pk}"


def _mapping_from(request: AuthedHttpRequest, width: int) -> dict[str, int | None]:
    mapping: dict[str, int | None] = {}
    for name in transfer.IMPORTABLE:
        raw = request.POST.get(f"map_{name}", "")
        mapping[name] = int(raw) if raw.isdigit() and int(raw) < width else None
    return mapping


def _render(
    request: AuthedHttpRequest, access: Access[Project], status: int = 200, **extra: Any
) -> HttpResponse:
    context = risk_page(access, TAB, **extra)
    return render(request, "risks/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def risk_import(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = risk_project(request.user, project_id, write=True)
    project = access.obj
    key = _session_key(project)
    step = request.POST.get("step", "upload")
    if request.method == "GET" or step == "upload":
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "GET" or not form.is_valid():
            return _render(request, access, 200 if request.method == "GET" else 422, form=form)
        upload = form.cleaned_data["file"]
        try:
            header, rows = tabular.read_table(upload.name, upload.read())
        except tabular.TableError as error:
            form.add_error("file", str(error))
            return _render(request, access, 422, form=form)
        request.session[key] = {"name": upload.name, "header": header, "rows": rows}
        mapping = transfer.guess_mapping(header)
        return _preview(request, access, header, rows, mapping, upload.name)
    stored = request.session.get(key)
    if not stored:
        messages.error(request, "Upload the file again: the previous upload has expired.")
        return redirect(reverse("risk-import", args=[project.pk]))
    header, rows = stored["header"], stored["rows"]
    mapping = _mapping_from(request, len(header))
    if step != "confirm":
        return _preview(request, access, header, rows, mapping, stored["name"])
    result = transfer.risks_import(
        project=project,
        actor=request.user,
        header=header,
        rows=rows,
        mapping=mapping,
        dry_run=False,
    )
    if not result.saved:
        return _preview(request, access, header, rows, mapping, stored["name"], result=result)
    del request.session[key]
    messages.success(request, f"Imported {len(result.rows)} risks.")
    return redirect(reverse("risk-register", args=[project.pk]))


def _preview(
    request: AuthedHttpRequest,
    access: Access[Project],
    header: list[str],
    rows: list[list[str]],
    mapping: dict[str, int | None],
    name: str,
    result: transfer.ImportResult | None = None,
) -> HttpResponse:
    project = access.obj
    result = result or transfer.risks_import(
        project=project, actor=request.user, header=header, rows=rows, mapping=mapping, dry_run=True
    )
    fields = [(n, transfer.TITLES[n], mapping.get(n)) for n in transfer.IMPORTABLE]
    return _render(
        request,
        access,
        422 if result.error_count else 200,
        step="preview",
        file_name=name,
        header=list(enumerate(header)),
        fields=fields,
        result=result,
    )

"""The Quality tab: gates (criteria with evidence, reviews by role, outcome, waiver), quality
measures (test pass rate, coverage, open defects) and the organisation's gate templates.

Everyone with a role reads; managers set gates up (ProjectAction.EDIT_SCOPE) and waive them
(WAIVE_GATES); the team checks criteria and gives the reviews its role is asked for
(RECORD_QUALITY). Organisation admins keep the gate templates (OrgAction.EDIT).
"""

from datetime import date, datetime, time
from typing import Any, cast

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
from projects.models import (
    GateCriterion,
    GateReview,
    GateTemplate,
    MeasurementSource,
    Project,
    QualityGate,
)
from projects.quality import gate_templates as template_services
from projects.quality import rules as quality_rules
from projects.quality import selectors as quality_selectors
from projects.quality import services as quality_services
from projects.quality.forms import (
    CriterionCheckForm,
    GateCriterionAddForm,
    GateEditForm,
    GateForm,
    GateTemplateForm,
    MeasureForm,
    ReviewForm,
    WaiverForm,
)
from projects.scope import charts as scope_charts
from projects.scope.access import fetch
from projects.views._common import project_page
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.models import Organisation
from tpm.roles import OrgAction, ProjectAction
from tpm.views.common import current_organisation_required

TAB = "quality"
STALE = (
    "This was changed by someone else meanwhile; nothing was overwritten. "
    "The page shows it as it is now: make your change again if it is still needed."
)


def quality_page(access: Access[Project], **extra: Any) -> dict[str, Any]:
    return project_page(
        access,
        TAB,
        can_edit_scope=access.can(ProjectAction.EDIT_SCOPE),
        can_record=access.can(ProjectAction.RECORD_QUALITY),
        can_waive=access.can(ProjectAction.WAIVE_GATES),
        **extra,
    )


def _measure_chart(measures: list) -> scope_charts.TrendChart:
    def at(day: date) -> datetime:
        return datetime.combine(day, time())

    return scope_charts.trend_chart(
        {
            "pass-rate": [
                (at(m.date), float(m.test_pass_rate))
                for m in measures
                if m.test_pass_rate is not None
            ],
            "coverage": [
                (at(m.date), float(m.coverage)) for m in measures if m.coverage is not None
            ],
        },
        low=0,
        high=100,
    )


def _render_quality(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    form: MeasureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.obj
    today = timezone.localdate()
    gates = list(quality_selectors.gates(project))
    measures = quality_selectors.measures(project)
    context = quality_page(
        access,
        gates=[
            (gate, gate.due_date is not None and gate.due_date < today and not gate.is_cleared)
            for gate in gates
        ],
        measures=list(reversed(measures[-10:])),
        latest=measures[-1] if measures else None,
        chart=_measure_chart(measures),
        defects=quality_selectors.open_defects(project),
        form=form or MeasureForm(),
    )
    return render(request, "projects/quality.html", context, status=status)


@login_required
@require_GET
def project_quality(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    return _render_quality(request, access_project(request.user, project_id))


@login_required
@require_POST
def quality_measure_add(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.RECORD_QUALITY)
    project = access.obj
    form = MeasureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            quality_services.quality_measure_record(
                project=project,
                actor=request.user,
                on=data["date"],
                test_pass_rate=data["test_pass_rate"],
                coverage=data["coverage"],
                source=MeasurementSource.MANUAL,
                note=data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Recorded the quality measures.")
            return redirect("project-quality", project.pk)
    return _render_quality(request, access, form=form, status=422)


# --- gates ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def gate_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.EDIT_SCOPE)
    project = access.obj
    if request.method == "GET":
        initial = {"task": request.GET.get("task"), "deliverable": request.GET.get("deliverable")}
        form = GateForm(project=project, initial=initial)
        return render(request, "projects/gate_form.html", quality_page(access, form=form))
    form = GateForm(request.POST, project=project)
    if form.is_valid():
        try:
            gate = quality_services.gate_create(
                project=project, actor=request.user, **form.changes()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added gate {gate.key} “{gate.name}”.")
            return redirect("gate-detail", project.pk, gate.pk)
    context = quality_page(access, form=form)
    return render(request, "projects/gate_form.html", context, status=422)


def _gate(
    request: AuthedHttpRequest, project_id: int, gate_id: int, **kw: Any
) -> Access[QualityGate]:
    gate = fetch(QualityGate, request.user, gate_id, **kw)
    if gate.obj.project_id != project_id:
        raise Http404("No such gate in this project.")
    return gate


def _render_gate(
    request: AuthedHttpRequest,
    access: Access[QualityGate],
    *,
    status: int = 200,
    criterion_form: GateCriterionAddForm | None = None,
    waiver_form: WaiverForm | None = None,
    check_errors: dict[int, CriterionCheckForm] | None = None,
) -> HttpResponse:
    gate = access.obj
    detail = quality_selectors.gate_detail(gate.pk)
    role = access.role
    check_errors = check_errors or {}
    criteria = [
        (
            criterion,
            check_errors.get(criterion.pk)
            or CriterionCheckForm(
                initial={
                    "result": criterion.result,
                    "evidence_url": criterion.evidence_url,
                    "evidence_comment": criterion.evidence_comment,
                    "version": criterion.version,
                },
                prefix=f"c{criterion.pk}",
            ),
        )
        for criterion in detail.criteria.all()
    ]
    reviews = [
        (review, role == review.required_role, ReviewForm(initial={"version": review.version}))
        for review in detail.reviews.all()
    ]
    context = quality_page(
        access.on(gate.project),
        gate=detail,
        criteria=criteria,
        reviews=reviews,
        open_items=quality_rules.open_items(detail),
        criterion_form=criterion_form or GateCriterionAddForm(),
        waiver_form=waiver_form or WaiverForm(initial={"version": detail.version}),
    )
    return render(request, "projects/gate_detail.html", context, status=status)


@login_required
@require_GET
def gate_detail(request: AuthedHttpRequest, project_id: int, gate_id: int) -> HttpResponse:
    return _render_gate(request, _gate(request, project_id, gate_id))


@login_required
@require_http_methods(["GET", "POST"])
def gate_edit(request: AuthedHttpRequest, project_id: int, gate_id: int) -> HttpResponse:
    access = _gate(request, project_id, gate_id, action=ProjectAction.EDIT_SCOPE)
    gate = access.obj
    project = gate.project
    if request.method == "GET":
        form = _gate_edit_form(gate)
        return render(
            request,
            "projects/gate_edit.html",
            quality_page(access.on(project), form=form, gate=gate),
        )
    form = GateEditForm(request.POST)
    status = 422
    if form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            quality_services.gate_update(gate=gate, actor=request.user, version=version, **changes)
        except StaleVersionError as exc:
            messages.error(request, STALE)
            # The form shows the gate as it is now (and its version), not the refused values.
            gate = cast(QualityGate, exc.current)
            form, status = _gate_edit_form(gate), 409
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Saved {gate.key}.")
            return redirect("gate-detail", project_id, gate.pk)
    context = quality_page(access.on(project), form=form, gate=gate)
    return render(request, "projects/gate_edit.html", context, status=status)


def _gate_edit_form(gate: QualityGate) -> GateEditForm:
    fields = ("name", "due_date", "description", "version")
    return GateEditForm(initial={name: getattr(gate, name) for name in fields})


@login_required
@require_POST
def gate_delete(request: AuthedHttpRequest, project_id: int, gate_id: int) -> HttpResponse:
    gate = _gate(request, project_id, gate_id, action=ProjectAction.EDIT_SCOPE).obj
    quality_services.gate_delete(gate=gate, actor=request.user)
    messages.success(request, f"Removed gate {gate.key} “{gate.name}”.")
    return redirect("project-quality", project_id)


@login_required
@require_POST
def gate_criterion_add(request: AuthedHttpRequest, project_id: int, gate_id: int) -> HttpResponse:
    access = _gate(request, project_id, gate_id, action=ProjectAction.EDIT_SCOPE)
    gate = access.obj
    form = GateCriterionAddForm(request.POST)
    if form.is_valid():
        try:
            quality_services.gate_criterion_add(
                gate=gate, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("gate-detail", project_id, gate.pk)
    return _render_gate(request, access, criterion_form=form, status=422)


def _criterion(request: AuthedHttpRequest, gate: QualityGate, criterion_id: int, **kw: Any):
    criterion = fetch(GateCriterion, request.user, criterion_id, **kw).obj
    if criterion.gate_id != gate.pk:
        raise Http404("No such criterion on this gate.")
    return criterion


@login_required
@require_POST
def gate_criterion_check(
    request: AuthedHttpRequest, project_id: int, gate_id: int, criterion_id: int
) -> HttpResponse:
    access = _gate(request, project_id, gate_id)
    gate = access.obj
    criterion = _criterion(request, gate, criterion_id, action=ProjectAction.RECORD_QUALITY)
    form = CriterionCheckForm(request.POST, request.FILES, prefix=f"c{criterion.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            checked = quality_services.gate_criterion_check(
                criterion=criterion,
                actor=request.user,
                version=data["version"],
                result=data["result"],
                evidence_url=data["evidence_url"],
                evidence_comment=data["evidence_comment"],
                evidence_file=data["evidence_file"],
            )
        except StaleVersionError:
            messages.error(request, STALE)
            return _render_gate(request, access, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc, file="evidence_file")
        else:
            messages.success(request, f"“{checked.text}”: {checked.get_result_display().lower()}.")
            return redirect("gate-detail", project_id, gate.pk)
    return _render_gate(request, access, check_errors={criterion.pk: form}, status=422)


@login_required
@require_GET
def gate_evidence_download(
    request: AuthedHttpRequest, project_id: int, gate_id: int, criterion_id: int
) -> FileResponse:
    gate = _gate(request, project_id, gate_id).obj
    criterion = _criterion(request, gate, criterion_id)
    attachment = criterion.evidence_attachment
    if attachment is None:
        raise Http404("This criterion has no evidence file.")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def gate_review(
    request: AuthedHttpRequest, project_id: int, gate_id: int, review_id: int
) -> HttpResponse:
    access = _gate(request, project_id, gate_id)
    gate = access.obj
    given = fetch(GateReview, request.user, review_id)  # the role match is the rule
    review = given.obj
    if review.gate_id != gate.pk:
        raise Http404("No such review on this gate.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Approve or reject, and say why when you reject.")
        return _render_gate(request, access, status=422)
    try:
        quality_services.gate_review_give(
            review=review,
            actor=request.user,
            actor_role=given.role,
            version=form.cleaned_data["version"],
            verdict=form.cleaned_data["verdict"],
            comment=form.cleaned_data["comment"],
        )
    except StaleVersionError:
        messages.error(request, STALE)
        return _render_gate(request, access, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_gate(request, access, status=422)
    messages.success(request, f"Recorded your review of {gate.key}.")
    return redirect("gate-detail", project_id, gate.pk)


@login_required
@require_POST
def gate_waive(request: AuthedHttpRequest, project_id: int, gate_id: int) -> HttpResponse:
    access = _gate(request, project_id, gate_id, action=ProjectAction.WAIVE_GATES)
    gate = access.obj
    form = WaiverForm(request.POST)
    if form.is_valid():
        try:
            quality_services.gate_waive(
                gate=gate,
                actor=request.user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except StaleVersionError:
            messages.error(request, STALE)
            return _render_gate(request, access, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc, waiver_reason="reason")
        else:
            messages.success(request, f"Waived {gate.key}; the reason is kept with it.")
            return redirect("gate-detail", project_id, gate.pk)
    return _render_gate(request, access, waiver_form=form, status=422)


@login_required
@require_POST
def gate_waiver_revoke(request: AuthedHttpRequest, project_id: int, gate_id: int):
    access = _gate(request, project_id, gate_id, action=ProjectAction.WAIVE_GATES)
    gate = access.obj
    try:
        quality_services.gate_revoke_waiver(
            gate=gate, actor=request.user, version=int(request.POST.get("version") or 0)
        )
    except StaleVersionError:
        messages.error(request, STALE)
        return _render_gate(request, access, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_gate(request, access, status=422)
    messages.success(request, f"Revoked the waiver of {gate.key}.")
    return redirect("gate-detail", project_id, gate.pk)


# --- the organisation's gate templates --------------------------------------------------------


def _render_templates(
    request: AuthedHttpRequest,
    organisation: Organisation,
    *,
    form: GateTemplateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "organisation",
        "tab": "gates",
        "organisation": organisation,
        "templates": list(quality_selectors.gate_templates(organisation.pk)),
        "form": form or GateTemplateForm(),
    }
    return render(request, "projects/gate_templates.html", context, status=status)


@current_organisation_required(OrgAction.EDIT)
@require_http_methods(["GET", "POST"])
def gate_templates(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    if request.method == "GET":
        return _render_templates(request, organisation)
    form = GateTemplateForm(request.POST)
    if form.is_valid():
        data = form.changes()
        data.pop("archived", None)
        try:
            template = template_services.gate_template_create(
                organisation=organisation, actor=request.user, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added the gate template “{template.name}”.")
            return redirect("gate-templates")
    return _render_templates(request, organisation, form=form, status=422)


@current_organisation_required(OrgAction.EDIT)
@require_http_methods(["GET", "POST"])
def gate_template_edit(
    request: AuthedHttpRequest, organisation: Organisation, template_id: int
) -> HttpResponse:
    template = GateTemplate.objects.filter(organisation=organisation, pk=template_id).first()
    if template is None:
        raise Http404("No such gate template.")
    context = {
        "nav": "organisation",
        "tab": "gates",
        "organisation": organisation,
        "template": template,
    }
    if request.method == "GET":
        form = _template_form(template)
        return render(request, "projects/gate_template_form.html", context | {"form": form})
    form = GateTemplateForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            template_services.gate_template_update(
                template=template,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.changes(),
            )
        except StaleVersionError as exc:
            messages.error(request, STALE)
            # The form shows the template as it is now (and its version), not the refused values.
            template = cast(GateTemplate, exc.current)
            context["template"] = template
            form, status = _template_form(template), 409
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Saved the gate template “{form.cleaned_data['name']}”.")
            return redirect(reverse("gate-templates"))
    context["form"] = form
    return render(request, "projects/gate_template_form.html", context, status=status)


def _template_form(template: GateTemplate) -> GateTemplateForm:
    return GateTemplateForm(
        initial={
            "name": template.name,
            "description": template.description,
            "criteria": "\n".join(template.criteria.values_list("text", flat=True)),
            "reviewer_roles": template.required_reviewer_roles,
            "archived": template.archived_at is not None,
            "version": template.version,
        }
    )

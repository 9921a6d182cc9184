"""Scope and quality pages (issue 7), included under /projects/ by projects/urls.py."""

from django.urls import path

from projects.quality import views as quality
from projects.scope import views as scope

P = "<int:project_id>/"
D = P + "scope/deliverables/<int:deliverable_id>/"
OB = P + "scope/objectives/<int:objective_id>/"
G = P + "quality/gates/<int:gate_id>/"

urlpatterns = [
    # The Scope tab: charter, objectives and KPIs, deliverables.
    path(P + "scope/", scope.project_scope, name="project-scope"),
    path(P + "scope/charter/", scope.charter_edit, name="charter-edit"),
    path(P + "scope/charter/approve/", scope.charter_approve, name="charter-approve"),
    path(P + "scope/charter/history/", scope.charter_history, name="charter-history"),
    path(P + "scope/objectives/new/", scope.objective_create, name="objective-create"),
    path(OB, scope.objective_detail, name="objective-detail"),
    path(OB + "edit/", scope.objective_edit, name="objective-edit"),
    path(OB + "measure/", scope.objective_measure, name="objective-measure"),
    path(OB + "delete/", scope.objective_delete, name="objective-delete"),
    path(P + "scope/deliverables/new/", scope.deliverable_create, name="deliverable-create"),
    path(D, scope.deliverable_detail, name="deliverable-detail"),
    path(D + "edit/", scope.deliverable_edit, name="deliverable-edit"),
    path(D + "delete/", scope.deliverable_delete, name="deliverable-delete"),
    path(D + "accept/", scope.deliverable_accept, name="deliverable-accept"),
    path(D + "criteria/", scope.deliverable_criterion_add, name="deliverable-criterion-add"),
    path(
        D + "criteria/<int:criterion_id>/",
        scope.deliverable_criterion_set,
        name="deliverable-criterion-set",
    ),
    # The Quality tab: gates and measures.
    path(P + "quality/", quality.project_quality, name="project-quality"),
    path(P + "quality/measures/", quality.quality_measure_add, name="quality-measure-add"),
    path(P + "quality/gates/new/", quality.gate_create, name="gate-create"),
    path(G, quality.gate_detail, name="gate-detail"),
    path(G + "edit/", quality.gate_edit, name="gate-edit"),
    path(G + "delete/", quality.gate_delete, name="gate-delete"),
    path(G + "criteria/", quality.gate_criterion_add, name="gate-criterion-add"),
    path(
        G + "criteria/<int:criterion_id>/",
        quality.gate_criterion_check,
        name="gate-criterion-check",
    ),
    path(
        G + "criteria/<int:criterion_id>/evidence/",
        quality.gate_evidence_download,
        name="gate-evidence-download",
    ),
    path(G + "reviews/<int:review_id>/", quality.gate_review, name="gate-review"),
    path(G + "waive/", quality.gate_waive, name="gate-waive"),
    path(G + "unwaive/", quality.gate_waiver_revoke, name="gate-waiver-revoke"),
    # The organisation's gate templates (organisation admins).
    path("gate-templates/", quality.gate_templates, name="gate-templates"),
    path(
        "gate-templates/<int:template_id>/",
        quality.gate_template_edit,
        name="gate-template-edit",
    ),
]

"""Admin views of scope, change control and quality (issue 7), for support staff.

People edit these in the app, whose services keep versions, history and the gate outcome; the
admin is mostly for looking. History-like rows (charter versions, objective measurements,
change-request events, gate reviews) are read-only inlines.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from projects.models import (
    AcceptanceCriterion,
    ChangeRequest,
    ChangeRequestEvent,
    Charter,
    CharterVersion,
    Deliverable,
    GateCriterion,
    GateReview,
    GateTemplate,
    GateTemplateCriterion,
    Objective,
    ObjectiveMeasurement,
    QualityGate,
    QualityMeasure,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CharterVersionInline(ReadOnlyInline):
    model = CharterVersion
    fields = ("number", "note", "created_by", "created_at", "approved_by", "approved_at")
    readonly_fields = fields


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ("project", "sponsor", "current_version", "approved_version", "updated_at")
    search_fields = ("project__key", "project__name")
    raw_id_fields = (
        "project",
        "sponsor",
        "stakeholders",
        "current_version",
        "approved_version",
        "updated_by",
    )
    inlines = (CharterVersionInline,)


class ObjectiveMeasurementInline(ReadOnlyInline):
    model = ObjectiveMeasurement
    fields = ("measured_at", "value", "source", "recorded_by", "note")
    readonly_fields = fields


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "project",
        "metric",
        "baseline_value",
        "current_value",
        "target_value",
        "target_date",
    )
    search_fields = ("title", "metric", "project__key")
    raw_id_fields = ("project", "owner", "deliverables")
    inlines = (ObjectiveMeasurementInline,)


class AcceptanceCriterionInline(admin.TabularInline):
    model = AcceptanceCriterion
    extra = 0
    fields = ("position", "text", "is_met", "checked_by", "checked_at")
    readonly_fields = ("checked_by", "checked_at")


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "project", "status", "owner", "due_date", "accepted_at")
    list_filter = ("status",)
    search_fields = ("name", "project__key")
    raw_id_fields = ("project", "owner", "tasks", "milestone", "acceptor", "accepted_by")
    readonly_fields = ("accepted_by", "accepted_at", "acceptance_comment")
    inlines = (AcceptanceCriterionInline,)


class ChangeRequestEventInline(ReadOnlyInline):
    model = ChangeRequestEvent
    fields = ("at", "actor", "from_status", "to_status", "comment")
    readonly_fields = fields


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """Read-only: the workflow (and applying a change to the plan) belongs to the services."""

    list_display = ("number", "title", "project", "status", "priority", "requested_by")
    list_filter = ("status", "priority")
    search_fields = ("title", "project__key")
    inlines = (ChangeRequestEventInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GateTemplateCriterionInline(admin.TabularInline):
    model = GateTemplateCriterion
    extra = 0
    fields = ("position", "text")


@admin.register(GateTemplate)
class GateTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "required_reviewer_roles", "archived_at")
    search_fields = ("name", "organisation__name")
    inlines = (GateTemplateCriterionInline,)


class GateCriterionInline(admin.TabularInline):
    model = GateCriterion
    extra = 0
    fields = ("position", "text", "result", "evidence_url", "checked_by", "checked_at")
    readonly_fields = ("evidence_url", "checked_by", "checked_at")


class GateReviewInline(ReadOnlyInline):
    model = GateReview
    fields = ("required_role", "reviewer", "verdict", "comment", "reviewed_at")
    readonly_fields = fields


@admin.register(QualityGate)
class QualityGateAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "project", "task", "deliverable", "outcome", "due_date")
    list_filter = ("outcome",)
    search_fields = ("name", "project__key")
    raw_id_fields = ("project", "template", "task", "deliverable")
    # The outcome follows the criteria and reviews; a waiver needs a manager and a reason.
    readonly_fields = (
        "outcome",
        "decided_by",
        "decided_at",
        "waiver_reason",
        "waived_by",
        "created_by",
    )
    inlines = (GateCriterionInline, GateReviewInline)


@admin.register(QualityMeasure)
class QualityMeasureAdmin(admin.ModelAdmin):
    list_display = ("project", "date", "test_pass_rate", "coverage", "source", "recorded_by")
    list_filter = ("source",)
    search_fields = ("project__key",)
    raw_id_fields = ("project", "recorded_by")

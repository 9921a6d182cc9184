"""Admin views for support staff. People edit risks in the app, whose services keep history
and reviews; the admin is for looking, so reviews are read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Assumption,
    Decision,
    ExternalDependency,
    Issue,
    Risk,
    RiskCategory,
    RiskReview,
    RiskSettings,
)


class RiskReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    fields = ("reviewed_on", "reviewed_by", "status", "probability", "score", "residual_score")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ("ref", "title", "project", "status", "score", "residual_score", "owner")
    list_filter = ("status", "kind")
    search_fields = ("title", "project__key")
    raw_id_fields = ("project", "owner", "created_by", "linked_tasks")
    inlines = (RiskReviewInline,)


@admin.register(RiskSettings)
class RiskSettingsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "medium_from", "high_from", "critical_from", "escalation_from")


@admin.register(RiskCategory)
class RiskCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "position", "is_active")


for _model in (Assumption, Issue, Decision, ExternalDependency):
    admin.site.register(
        _model,
        list_display=("ref", "title", "project", "status", "owner"),
        search_fields=("title", "project__key"),
        raw_id_fields=("project", "owner", "created_by"),
    )

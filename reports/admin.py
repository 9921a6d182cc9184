"""Django admin for the reports app. Published reports are read-only here as everywhere."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Delivery,
    HealthOverride,
    HealthThresholds,
    ReportSchedule,
    ShareLink,
    StatusReport,
)


@admin.register(HealthThresholds)
class HealthThresholdsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "updated_at", "version")
    readonly_fields = ("version",)


@admin.register(HealthOverride)
class HealthOverrideAdmin(admin.ModelAdmin):
    list_display = ("project", "target", "colour", "set_by", "set_at")
    list_filter = ("target", "colour")
    readonly_fields = ("set_by", "set_at", "version")


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "status", "generated_at", "published_at")
    list_filter = ("status",)
    search_fields = ("title", "project__key", "project__name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_published:
            return [field.name for field in self.model._meta.fields]
        return ("snapshot", "generated_at", "published_at", "published_by", "version")


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "frequency", "weekday", "time_of_day", "is_active")
    list_filter = ("frequency", "is_active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("email", "report", "status", "attempts", "sent_at")
    list_filter = ("status",)
    readonly_fields = ("report", "schedule", "email", "audience", "attempts", "error", "sent_at")


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("project", "label", "expires_at", "revoked_at")
    readonly_fields = ("created_by", "revoked_by")

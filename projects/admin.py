from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from projects.models import (
    Baseline,
    BaselineTask,
    CalendarException,
    Project,
    ProjectMembership,
    Task,
    WorkCalendar,
)


class ProjectMembershipInline(admin.TabularInline):
    model = ProjectMembership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "organisation", "status", "methodology", "deleted_at")
    list_filter = ("status", "methodology")
    search_fields = ("key", "name")
    inlines = (ProjectMembershipInline,)


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "project", "is_organisation_default")
    inlines = (CalendarExceptionInline,)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("wbs_code", "name", "project", "status", "percent_complete", "is_critical")
    list_filter = ("status", "is_milestone", "is_critical")
    search_fields = ("name", "wbs_code")
    raw_id_fields = ("parent", "project", "calendar")
    readonly_fields = (
        "start",
        "finish",
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float_minutes",
        "free_float_minutes",
        "is_critical",
    )


class BaselineTaskInline(admin.TabularInline):
    model = BaselineTask
    extra = 0
    can_delete = False
    fields = (
        "wbs_code",
        "task_name",
        "start",
        "finish",
        "duration_minutes",
        "effort_hours",
        "cost",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    """Read-only: a baseline is immutable once saved (deleting it is the planners' service)."""

    list_display = ("name", "project", "created_by", "created_at", "task_count", "project_finish")
    search_fields = ("name", "project__key")
    inlines = (BaselineTaskInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Scope, change control and quality (issue 7) live in their own module.
from projects.scope import admin as scope_admin  # noqa: E402, F401

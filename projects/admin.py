from django.contrib import admin

from .models import CalendarException, Project, ProjectMembership, Task, WorkCalendar


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

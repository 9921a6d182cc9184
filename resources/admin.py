"""Admin views for support staff. People edit resources, time and budgets in the app, whose
services keep the rules and the history; the budget history is read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from resources.models import (
    Allocation,
    Assignment,
    BudgetChange,
    BudgetLine,
    BudgetLinePlan,
    CostRate,
    Expense,
    ProjectFinance,
    Resource,
    ResourceRole,
    Skill,
    TimeEntry,
    TimeOff,
    Timesheet,
)


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


class CostRateInline(admin.TabularInline):
    model = CostRate
    fk_name = "resource"
    extra = 0
    fields = ("effective_from", "hourly_rate", "currency")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "role", "hours_per_day", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "email")
    raw_id_fields = ("organisation", "user", "role", "calendar")
    inlines = (TimeOffInline, CostRateInline)


@admin.register(ResourceRole, Skill)
class NamedAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation")
    search_fields = ("name",)


@admin.register(CostRate)
class CostRateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "effective_from", "hourly_rate", "currency")
    raw_id_fields = ("organisation", "resource", "role", "created_by")


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ("resource", "project", "start_date", "end_date", "percent")
    raw_id_fields = ("project", "resource")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("resource", "task", "units", "work_hours")
    raw_id_fields = ("task", "resource")


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "task", "date", "hours", "status")
    list_filter = ("status",)
    raw_id_fields = ("task", "user", "resource", "approved_by")


@admin.register(Timesheet)
class TimesheetAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "week_start", "submitted_at")
    raw_id_fields = ("organisation", "user")


class BudgetLinePlanInline(admin.TabularInline):
    model = BudgetLinePlan
    extra = 0


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "category", "amount", "currency")
    raw_id_fields = ("project",)
    inlines = (BudgetLinePlanInline,)


@admin.register(ProjectFinance)
class ProjectFinanceAdmin(admin.ModelAdmin):
    list_display = ("project", "contingency", "management_reserve", "progress_from_timesheets")
    raw_id_fields = ("project",)


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ("vendor", "project", "amount", "currency", "date", "status")
    list_filter = ("status",)
    raw_id_fields = ("project", "budget_line", "created_by")


@admin.register(BudgetChange)
class BudgetChangeAdmin(admin.ModelAdmin):
    list_display = ("project", "field", "old_value", "new_value", "author", "created_at")
    raw_id_fields = ("project", "budget_line", "author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from django.contrib import admin

from .models import Project, ProjectMembership


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

"""Project pages, included under /projects/ by tpm/urls.py; each capability's pages come from its
own `urls.py`, included by dotted string."""

from django.urls import include, path

from projects.views import members, pages, trash

urlpatterns = [
    path("", pages.project_list, name="project-list"),
    # My work, comments and files on tasks, activity, calendars and feeds (issue 4).
    path("", include("projects.work.urls")),
    path("new/", pages.project_create, name="project-create"),
    path("trash/", trash.project_trash, name="project-trash"),
    # MS Project files: import, and a project's export (projects/mspdi/views.py).
    path("", include("projects.mspdi.urls")),
    # Working calendars: each weekday's hours and the exceptions (projects/calendars/views.py).
    path("calendars/", include("projects.calendars.urls")),
    path("<int:project_id>/", pages.project_detail, name="project-detail"),
    path("<int:project_id>/settings/", pages.project_settings, name="project-settings"),
    path("<int:project_id>/delete/", pages.project_delete, name="project-delete"),
    path("<int:project_id>/restore/", trash.project_restore, name="project-restore"),
    path("<int:project_id>/history/", pages.project_history, name="project-history"),
    path("<int:project_id>/members/", members.project_members, name="project-members"),
    path("<int:project_id>/members/add/", members.project_member_add, name="project-member-add"),
    path(
        "members/<int:membership_id>/role/",
        members.project_member_role,
        name="project-member-role",
    ),
    path(
        "members/<int:membership_id>/remove/",
        members.project_member_remove,
        name="project-member-remove",
    ),
    # The plan: the outline and its htmx edits, and each task's page (projects/plan/urls.py).
    path("<int:project_id>/", include("projects.plan.urls")),
    # Baselines: saved snapshots of the plan, and the plan compared with one.
    path("<int:project_id>/baselines/", include("projects.baselines.urls")),
    # Change requests: drafts, the computed impact, the workflow (projects/changes/views.py).
    path("<int:project_id>/changes/", include("projects.changes.urls")),
    # The Gantt chart: the page, its data, and dragging a bar (projects/schedule/urls.py).
    path("<int:project_id>/", include("projects.schedule.urls")),
    # Scope (charter, objectives, deliverables) and quality (gates, measures): issue 7.
    path("", include("projects.scope.urls")),
    # The board, its workflow, the backlog and sprints (projects/agile/views/board.py, sprints.py).
    path("<int:project_id>/", include("projects.agile.urls")),
]

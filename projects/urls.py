"""Project pages (owned by projects/views/)."""

from django.urls import include, path

from projects import views
from projects.mspdi import views as mspdi_views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    # My work, comments and files on tasks, activity, calendars and feeds (issue 4).
    path("", include("projects.work.urls")),
    path("new/", views.project_create, name="project-create"),
    path("trash/", views.project_trash, name="project-trash"),
    path("import/", mspdi_views.project_import_mspdi, name="project-import-mspdi"),
    # Working calendars: each weekday's hours and the exceptions (projects/calendars/views.py).
    path("calendars/", include("projects.calendars.urls")),
    path(
        "<int:project_id>/export.xml",
        mspdi_views.project_export_mspdi_file,
        name="project-export-mspdi",
    ),
    path("<int:project_id>/", views.project_detail, name="project-detail"),
    path("<int:project_id>/settings/", views.project_settings, name="project-settings"),
    path("<int:project_id>/delete/", views.project_delete, name="project-delete"),
    path("<int:project_id>/restore/", views.project_restore, name="project-restore"),
    path("<int:project_id>/history/", views.project_history, name="project-history"),
    path("<int:project_id>/members/", views.project_members, name="project-members"),
    path("<int:project_id>/members/add/", views.project_member_add, name="project-member-add"),
    path(
        "members/<int:membership_id>/role/",
        views.project_member_role,
        name="project-member-role",
    ),
    path(
        "members/<int:membership_id>/remove/",
        views.project_member_remove,
        name="project-member-remove",
    ),
    # The plan: the outline and its htmx edits, and each task's page.
    path("<int:project_id>/plan/", views.project_plan, name="project-plan"),
    path("<int:project_id>/plan/tasks/", views.plan_task_add, name="plan-task-add"),
    path(
        "<int:project_id>/plan/tasks/<int:task_id>/edit/",
        views.plan_task_edit,
        name="plan-task-edit",
    ),
    path(
        "<int:project_id>/plan/tasks/<int:task_id>/move/",
        views.plan_task_move,
        name="plan-task-move",
    ),
    path(
        "<int:project_id>/plan/tasks/<int:task_id>/delete/",
        views.plan_task_delete,
        name="plan-task-delete",
    ),
    # Baselines: saved snapshots of the plan, and the plan compared with one.
    path("<int:project_id>/baselines/", include("projects.baselines.urls")),
    # Change requests: drafts, the computed impact, the workflow (projects/changes/views.py).
    path("<int:project_id>/changes/", include("projects.changes.urls")),
    # The Gantt chart: the page, its data, and dragging a bar (projects/schedule/views.py).
    path("<int:project_id>/gantt/", views.project_gantt, name="project-gantt"),
    path("<int:project_id>/gantt.json", views.project_gantt_data, name="project-gantt-data"),
    path(
        "<int:project_id>/gantt/tasks/<int:task_id>/",
        views.project_gantt_move,
        name="project-gantt-move",
    ),
    # Scope (charter, objectives, deliverables) and quality (gates, measures): issue 7.
    path("", include("projects.scope.urls")),
    # The board, its workflow, the backlog and sprints (projects/agile/views/board.py, sprints.py).
    path("<int:project_id>/", include("projects.agile.urls")),
    path("<int:project_id>/tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("<int:project_id>/tasks/<int:task_id>/edit/", views.task_edit, name="task-edit"),
    path(
        "<int:project_id>/tasks/<int:task_id>/progress/",
        views.task_progress,
        name="task-progress",
    ),
    path(
        "<int:project_id>/tasks/<int:task_id>/links/",
        views.task_link_add,
        name="task-link-add",
    ),
    path(
        "<int:project_id>/tasks/<int:task_id>/links/<int:link_id>/edit/",
        views.task_link_edit,
        name="task-link-edit",
    ),
    path(
        "<int:project_id>/tasks/<int:task_id>/links/<int:link_id>/remove/",
        views.task_link_remove,
        name="task-link-remove",
    ),
]

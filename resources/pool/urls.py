"""The pool, rates, team allocation and task assignment pages (full paths: included at the
site's root by resources/urls.py)."""

from django.urls import path

from resources.pool.views import pool, team

urlpatterns = [
    # The organisation's pool
    path("resources/", pool.resource_pool, name="resource-pool"),
    path("resources/new/", pool.resource_create, name="resource-create"),
    path("resources/<int:resource_id>/", pool.resource_detail, name="resource-detail"),
    path("resources/<int:resource_id>/edit/", pool.resource_edit, name="resource-edit"),
    path("resources/<int:resource_id>/active/", pool.resource_active, name="resource-active"),
    path(
        "resources/<int:resource_id>/time-off/",
        pool.resource_time_off_add,
        name="resource-time-off-add",
    ),
    path(
        "resources/time-off/<int:time_off_id>/delete/",
        pool.resource_time_off_delete,
        name="resource-time-off-delete",
    ),
    path("resources/<int:resource_id>/rates/", pool.resource_rate_add, name="resource-rate-add"),
    path("resources/rates/<int:rate_id>/delete/", pool.rate_delete, name="resource-rate-delete"),
    path("resources/roles/", pool.resource_roles, name="resource-roles"),
    path("resources/roles/new/", pool.resource_role_add, name="resource-role-add"),
    path("resources/skills/new/", pool.resource_skill_add, name="resource-skill-add"),
    path(
        "resources/roles/<int:role_id>/rates/",
        pool.resource_role_rate_add,
        name="resource-role-rate-add",
    ),
    # A project's team allocation
    path("projects/<int:project_id>/team/", team.project_team, name="project-team"),
    path(
        "projects/<int:project_id>/team/new/",
        team.project_allocation_add,
        name="project-allocation-add",
    ),
    path(
        "projects/<int:project_id>/team/<int:allocation_id>/edit/",
        team.project_allocation_edit,
        name="project-allocation-edit",
    ),
    path(
        "projects/<int:project_id>/team/<int:allocation_id>/delete/",
        team.project_allocation_delete,
        name="project-allocation-delete",
    ),
    # Assignments: a section of the task page
    path(
        "projects/<int:project_id>/tasks/<int:task_id>/assignments/",
        team.task_assignments,
        name="task-assignments",
    ),
    path(
        "projects/<int:project_id>/tasks/<int:task_id>/assignments/new/",
        team.task_assignment_add,
        name="task-assignment-add",
    ),
    path(
        "projects/<int:project_id>/tasks/<int:task_id>/assignments/<int:assignment_id>/",
        team.task_assignment_edit,
        name="task-assignment-edit",
    ),
    path(
        "projects/<int:project_id>/tasks/<int:task_id>/assignments/<int:assignment_id>/delete/",
        team.task_assignment_delete,
        name="task-assignment-delete",
    ),
]

"""HTML pages and htmx fragments for projects, one module per page group."""

from projects.plan.views.outline import (
    plan_task_add,
    plan_task_delete,
    plan_task_edit,
    plan_task_move,
    project_plan,
)
from projects.plan.views.tasks import (
    task_detail,
    task_edit,
    task_link_add,
    task_link_edit,
    task_link_remove,
    task_progress,
)
from projects.schedule.views import project_gantt, project_gantt_data, project_gantt_move
from projects.views.members import (
    project_member_add,
    project_member_remove,
    project_member_role,
    project_members,
)
from projects.views.pages import (
    project_create,
    project_delete,
    project_detail,
    project_history,
    project_list,
    project_settings,
)
from projects.views.trash import project_restore, project_trash

__all__ = [
    "plan_task_add",
    "plan_task_delete",
    "plan_task_edit",
    "plan_task_move",
    "project_create",
    "project_delete",
    "project_detail",
    "project_gantt",
    "project_gantt_data",
    "project_gantt_move",
    "project_history",
    "project_list",
    "project_member_add",
    "project_member_remove",
    "project_member_role",
    "project_members",
    "project_plan",
    "project_restore",
    "project_settings",
    "project_trash",
    "task_detail",
    "task_edit",
    "task_link_add",
    "task_link_edit",
    "task_link_remove",
    "task_progress",
]

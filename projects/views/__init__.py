"""HTML pages and htmx fragments for projects, one module per page group."""

from .gantt import project_gantt, project_gantt_data, project_gantt_move
from .members import (
    project_member_add,
    project_member_remove,
    project_member_role,
    project_members,
)
from .pages import (
    project_create,
    project_delete,
    project_detail,
    project_history,
    project_list,
    project_settings,
)
from .plan import plan_task_add, plan_task_delete, plan_task_edit, plan_task_move, project_plan
from .tasks import (
    task_detail,
    task_edit,
    task_link_add,
    task_link_edit,
    task_link_remove,
    task_progress,
)
from .trash import project_restore, project_trash

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

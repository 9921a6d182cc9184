"""HTML pages and htmx fragments for projects, one module per page group."""

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
from .trash import project_restore, project_trash

__all__ = [
    "project_create",
    "project_delete",
    "project_detail",
    "project_history",
    "project_list",
    "project_member_add",
    "project_member_remove",
    "project_member_role",
    "project_members",
    "project_restore",
    "project_settings",
    "project_trash",
]

"""The plan's pages, included under /projects/<project_id>/ by projects/urls.py: the outline and
its htmx edits, and each task's page with its links."""

from django.urls import path

from .views import outline, pickers, tasks

urlpatterns = [
    # The outline (projects/plan/views/outline.py).
    path("plan/", outline.project_plan, name="project-plan"),
    path("plan/tasks/", outline.plan_task_add, name="plan-task-add"),
    path("plan/tasks/<int:task_id>/edit/", outline.plan_task_edit, name="plan-task-edit"),
    path("plan/tasks/<int:task_id>/move/", outline.plan_task_move, name="plan-task-move"),
    path("plan/tasks/<int:task_id>/delete/", outline.plan_task_delete, name="plan-task-delete"),
    # The task pickers' searches (projects/plan/views/pickers.py).
    path("plan/parents/", pickers.parent_search, name="plan-parent-search"),
    path(
        "tasks/<int:task_id>/predecessors/",
        pickers.predecessor_search,
        name="task-predecessor-search",
    ),
    # A task's page (projects/plan/views/tasks.py).
    path("tasks/<int:task_id>/", tasks.task_detail, name="task-detail"),
    path("tasks/<int:task_id>/edit/", tasks.task_edit, name="task-edit"),
    path("tasks/<int:task_id>/progress/", tasks.task_progress, name="task-progress"),
    path("tasks/<int:task_id>/links/", tasks.task_link_add, name="task-link-add"),
    path(
        "tasks/<int:task_id>/links/<int:link_id>/edit/",
        tasks.task_link_edit,
        name="task-link-edit",
    ),
    path(
        "tasks/<int:task_id>/links/<int:link_id>/remove/",
        tasks.task_link_remove,
        name="task-link-remove",
    ),
]

"""Board, workflow, backlog and sprint pages, included under /projects/<project_id>/."""

from django.urls import path

from projects.agile.views import board, sprints

urlpatterns = [
    path("board/", board.project_board, name="project-board"),
    path("board/move/", board.project_board_move, name="project-board-move"),
    path("board/cards/", board.project_board_cards, name="project-board-cards"),
    path("workflow/", board.project_workflow, name="project-workflow"),
    path(
        "workflow/<int:status_id>/edit/",
        board.workflow_status_edit,
        name="workflow-status-edit",
    ),
    path(
        "workflow/<int:status_id>/delete/",
        board.workflow_status_delete,
        name="workflow-status-delete",
    ),
    path("workflow/labels/", board.workflow_label_add, name="workflow-label-add"),
    path("board/tasks/<int:task_id>/", board.task_agile_edit, name="board-task-edit"),
    path("backlog/", sprints.project_backlog, name="project-backlog"),
    path("backlog/move/", sprints.project_backlog_move, name="project-backlog-move"),
    path("backlog/rows/", sprints.project_backlog_rows, name="project-backlog-rows"),
    path("sprints/", sprints.sprint_create, name="sprint-create"),
    path("sprints/plan/", sprints.sprint_plan, name="sprint-plan"),
    path("sprints/<int:sprint_id>/", sprints.sprint_detail, name="sprint-detail"),
    path("sprints/<int:sprint_id>/start/", sprints.sprint_start, name="sprint-start"),
    path("sprints/<int:sprint_id>/close/", sprints.sprint_close, name="sprint-close"),
]

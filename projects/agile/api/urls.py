"""API routes of boards and sprints: workflow statuses, labels, the board and the backlog."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .views import (
    BacklogMoveView,
    BoardMoveView,
    LabelViewSet,
    ProjectBoardView,
    SprintViewSet,
    TaskAgileView,
    WorkflowStatusViewSet,
)

router = ApiRouter()
router.register("workflow-statuses", WorkflowStatusViewSet, basename="workflow-status")
router.register("labels", LabelViewSet, basename="label")
router.register("sprints", SprintViewSet, basename="sprint")

urlpatterns = [
    path("projects/<int:pk>/board/", ProjectBoardView.as_view(), name="project-board"),
    path("board-moves/", BoardMoveView.as_view(), name="board-move"),
    path("backlog-moves/", BacklogMoveView.as_view(), name="backlog-move"),
    path("tasks/<int:pk>/agile/", TaskAgileView.as_view(), name="task-agile"),
    *router.urls,
]

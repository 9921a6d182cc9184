"""API routes of the plan: tasks, links and a project's schedule."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .schedule import ProjectScheduleView
from .views import DependencyViewSet, TaskViewSet

router = ApiRouter()
router.register("tasks", TaskViewSet, basename="task")
router.register("dependencies", DependencyViewSet, basename="dependency")

urlpatterns = [
    path("projects/<int:pk>/schedule/", ProjectScheduleView.as_view(), name="project-schedule"),
    *router.urls,
]

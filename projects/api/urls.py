"""The projects app's API: each capability's routes (its own `api/urls.py`), then projects and
their members (included by tpm/api_urls.py)."""

from django.urls import include, path

from tpm.api.routing import ApiRouter

from .views import ProjectMemberViewSet, ProjectViewSet

router = ApiRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("project-members", ProjectMemberViewSet, basename="project-member")

urlpatterns = [
    # The capabilities' plain paths (`projects/<pk>/schedule/`, ...) come before the project
    # routes, as they did in the single router.
    path("", include("projects.plan.api.urls")),
    path("", include("projects.calendars.api.urls")),
    path("", include("projects.baselines.api.urls")),
    path("", include("projects.scope.api.urls")),
    path("", include("projects.quality.api.urls")),
    path("", include("projects.changes.api.urls")),
    path("", include("projects.agile.api.urls")),
    path("", include("projects.work.api.urls")),
    path("", include("projects.mspdi.api.urls")),
    *router.urls,
]

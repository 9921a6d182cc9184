"""API routes of scope: the charter, objectives, deliverables and their acceptance criteria."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .views import (
    AcceptanceCriterionViewSet,
    DeliverableViewSet,
    ObjectiveViewSet,
    ProjectCharterApproveView,
    ProjectCharterView,
)

router = ApiRouter()
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("acceptance-criteria", AcceptanceCriterionViewSet, basename="acceptance-criterion")

urlpatterns = [
    path("projects/<int:pk>/charter/", ProjectCharterView.as_view(), name="project-charter"),
    path(
        "projects/<int:pk>/charter/approve/",
        ProjectCharterApproveView.as_view(),
        name="project-charter-approve",
    ),
    *router.urls,
]

"""API routes of quality: gates, their criteria and reviews, templates and measures."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .views import (
    GateCriterionViewSet,
    GateReviewViewSet,
    GateTemplateViewSet,
    ProjectQualityView,
    QualityGateViewSet,
    QualityMeasureViewSet,
)

router = ApiRouter()
router.register("quality-gates", QualityGateViewSet, basename="quality-gate")
router.register("gate-criteria", GateCriterionViewSet, basename="gate-criterion")
router.register("gate-reviews", GateReviewViewSet, basename="gate-review")
router.register("gate-templates", GateTemplateViewSet, basename="gate-template")
router.register("quality-measures", QualityMeasureViewSet, basename="quality-measure")

urlpatterns = [
    path("projects/<int:pk>/quality/", ProjectQualityView.as_view(), name="project-quality"),
    *router.urls,
]

"""The reports app's API: status reports, schedules, health and its overrides and thresholds
(included by tpm/api_urls.py)."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .views import (
    HealthOverrideViewSet,
    HealthThresholdsView,
    ProjectHealthView,
    ReportScheduleViewSet,
    StatusReportViewSet,
)

router = ApiRouter()
router.register("status-reports", StatusReportViewSet, basename="status-report")
router.register("report-schedules", ReportScheduleViewSet, basename="report-schedule")
router.register("health-overrides", HealthOverrideViewSet, basename="health-override")

urlpatterns = [
    path("projects/<int:pk>/health/", ProjectHealthView.as_view(), name="project-health"),
    path(
        "organisations/<int:pk>/health-thresholds/",
        HealthThresholdsView.as_view(),
        name="health-thresholds",
    ),
    *router.urls,
]

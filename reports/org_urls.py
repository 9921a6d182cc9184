"""Organisation-level report pages: the portfolio, health thresholds, and shared dashboards."""

from django.urls import path

from .views import portfolio, share, thresholds

urlpatterns = [
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("org/health/", thresholds.health_thresholds, name="health-thresholds"),
    path("share/<str:token>/", share.shared_dashboard, name="report-share"),
]

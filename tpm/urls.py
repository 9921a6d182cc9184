"""Every route of Linchpin. tests/test_permission_matrix.py expects an entry for each one."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import system_views
from .api.schema_view import CachedSpectacularAPIView

# The only pages anyone may open without signing in (LoginRequiredMiddleware guards the rest;
# tests/test_permission_matrix.py checks that this list and the views' markings agree).
# The API under /api/v1/ authenticates by itself and answers anonymous calls with 401.
PUBLIC_ROUTES = frozenset(
    {
        "healthz",
        "login",
        "password-reset",
        "password-reset-done",
        "password-reset-confirm",
        "password-reset-complete",
        "invitation-accept",
        "api-schema",
        "api-docs",
        "api-redoc",
        # A manager's signed, expiring, revocable read-only link to one project's dashboard.
        "report-share",
        # A calendar app reading a secret, revocable iCal feed (projects/work/views/calendar.py).
        "ical-feed",
    }
)

urlpatterns = [
    path("", system_views.home, name="home"),
    path("healthz", system_views.healthz, name="healthz"),
    path("", include("tpm.web_urls")),
    path("notifications/", include("tpm.notification_urls")),
    path("projects/", include("projects.urls")),
    # The risk register and RAID log of a project, and the organisation's risk settings.
    path("", include("risks.urls")),
    # Dashboards, status reports, schedules, share links and exports (reports/).
    path("projects/<int:project_id>/", include("reports.urls")),
    path("", include("reports.org_urls")),
    path("api/v1/", include("tpm.api_urls")),
    # The API answers anonymous callers itself (401, or the public schema and docs).
    path(
        "api/schema/",
        login_not_required(CachedSpectacularAPIView.as_view()),
        name="api-schema",
    ),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: no inline script (CSP).
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        login_not_required(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    path("admin/", admin.site.urls),
]

# Error pages; under /api/ they answer JSON in the API's error shape (tpm/http.py).
handler400 = "tpm.http.bad_request"
handler403 = "tpm.http.permission_denied"
handler404 = "tpm.http.page_not_found"
handler500 = "tpm.http.server_error"

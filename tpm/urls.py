"""Every route of Linchpin. tests/test_permission_matrix.py expects an entry for each one."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import system_views

urlpatterns = [
    path("", system_views.home, name="home"),
    path("healthz", system_views.healthz, name="healthz"),
    path("", include("tpm.web_urls")),
    path("projects/", include("projects.urls")),
    path("api/v1/", include("tpm.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]

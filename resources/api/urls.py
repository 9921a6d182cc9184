"""The resources app's API: each capability's routes (included by tpm/api_urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("", include("resources.pool.api.urls")),
    path("", include("resources.timesheets.api.urls")),
    path("", include("resources.budgets.api.urls")),
    path("", include("resources.workload.api.urls")),
]

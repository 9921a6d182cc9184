"""The REST API under /api/v1/ (namespace "api"): the root of the apps' own API routes.

Each app owns its routes in `<app>/api/urls.py` (a capability sub-package in its own
`api/urls.py`), included here by dotted string, so tpm imports no upper app. The root page lists
`me` and every collection of the included routers (tpm/api/routing.py).
"""

from django.urls import include, path
from rest_framework.urlpatterns import format_suffix_patterns

from tpm.api.routing import api_root_view, mark_login_not_required

app_name = "api"

_apps = [
    path("", include("tpm.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("resources.api.urls")),
    path("", include("risks.api.urls")),
    path("", include("reports.api.urls")),
]

urlpatterns = [
    *_apps,
    # Last, as the single router had it, with its `.json`-style variant.
    *format_suffix_patterns([path("", api_root_view(_apps, first={"me": "me"}), name="api-root")]),
]
# DRF authenticates API calls itself and answers anonymous ones with 401, not a login redirect.
mark_login_not_required(urlpatterns)

"""Every page of the resources app, included at the site's root by tpm/web_urls.py.

Each feature keeps its own module with full paths ("resources/...", "projects/<id>/..."):
append one `include` line per module here.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("resources.urls_pool")),  # pool, rates, team allocation, assignments (R1)
    path("", include("resources.urls_time")),  # timesheets and approval (R3)
    path("", include("resources.urls_budget")),  # budget, expenses, earned value (R3)
    path("", include("resources.urls_workload")),  # workload heat map and levelling (R2)
]

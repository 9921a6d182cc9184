"""Every page of the resources app, included at the site's root by tpm/web_urls.py.

Each feature keeps its own module with full paths ("resources/...", "projects/<id>/..."):
append one `include` line per module here.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("resources.pool.urls")),  # pool, rates, team allocation, assignments (R1)
    path("", include("resources.timesheets.urls")),  # timesheets and approval (R3)
    path("", include("resources.budgets.urls")),  # budget, expenses, earned value (R3)
    path("", include("resources.workload.urls")),  # workload heat map and levelling (R2)
]

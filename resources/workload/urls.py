"""The workload heat map, its drill-down and levelling (full paths: included at the site's root
by resources/urls.py)."""

from django.urls import path

from resources.workload import views as workload

urlpatterns = [
    path("resources/workload/", workload.workload, name="workload"),
    path(
        "resources/<int:resource_id>/workload/<str:week>/",
        workload.workload_cell,
        name="workload-cell",
    ),
    path(
        "resources/<int:resource_id>/levelling/",
        workload.workload_levelling,
        name="workload-levelling",
    ),
    path(
        "resources/<int:resource_id>/levelling/apply/",
        workload.workload_levelling_apply,
        name="workload-levelling-apply",
    ),
]

"""API route of the organisation's workload."""

from django.urls import path

from .views import OrganisationWorkloadView

urlpatterns = [
    path(
        "organisations/<int:pk>/workload/",
        OrganisationWorkloadView.as_view(),
        name="organisation-workload",
    ),
]

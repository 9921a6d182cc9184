"""API routes of MS Project (MSPDI) import and export."""

from django.urls import path

from .views import ProjectMspdiExportView, ProjectMspdiImportView

urlpatterns = [
    path("projects/import-mspdi/", ProjectMspdiImportView.as_view(), name="project-import-mspdi"),
    path("projects/<int:pk>/mspdi/", ProjectMspdiExportView.as_view(), name="project-mspdi"),
]

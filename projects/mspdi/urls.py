"""MS Project (MSPDI) import and export pages, included under /projects/ by projects/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.project_import_mspdi, name="project-import-mspdi"),
    path(
        "<int:project_id>/export.xml",
        views.project_export_mspdi_file,
        name="project-export-mspdi",
    ),
]

"""Baseline pages, included under /projects/<project_id>/baselines/ by projects/urls.py."""

from django.urls import path

from projects.baselines import views as baselines

urlpatterns = [
    path("", baselines.project_baselines, name="project-baselines"),
    path(
        "<int:baseline_id>/compare/",
        baselines.project_baseline_compare,
        name="project-baseline-compare",
    ),
    path(
        "<int:baseline_id>/delete/",
        baselines.project_baseline_delete,
        name="project-baseline-delete",
    ),
]

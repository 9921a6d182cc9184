"""Change-request pages, included under /projects/<project_id>/changes/ by projects/urls.py."""

from django.urls import path

from projects.changes import views as changes

urlpatterns = [
    path("", changes.project_changes, name="project-changes"),
    path("new/", changes.change_create, name="change-create"),
    path("<int:number>/", changes.change_detail, name="change-detail"),
    path("<int:number>/edit/", changes.change_edit, name="change-edit"),
    path("<int:number>/operations/", changes.change_operation_add, name="change-operation-add"),
    path(
        "<int:number>/operations/<int:index>/remove/",
        changes.change_operation_remove,
        name="change-operation-remove",
    ),
    path("<int:number>/analyse/", changes.change_analyse, name="change-analyse"),
    path(
        "<int:number>/<str:transition>/",
        changes.change_transition,
        name="change-transition",
    ),
]

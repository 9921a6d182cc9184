"""The Gantt chart, included under /projects/<project_id>/ by projects/urls.py: the page, its
data, and dragging a bar (projects/schedule/views.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("gantt/", views.project_gantt, name="project-gantt"),
    path("gantt.json", views.project_gantt_data, name="project-gantt-data"),
    path("gantt/tasks/<int:task_id>/", views.project_gantt_move, name="project-gantt-move"),
]

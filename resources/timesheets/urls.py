"""Timesheet pages; included at the site's root by resources/urls.py (full paths here)."""

from django.urls import path

from resources.timesheets import views as timesheets

urlpatterns = [
    path("timesheet/", timesheets.timesheet, name="timesheet"),
    path("projects/<int:project_id>/time/", timesheets.time_approvals, name="time-approvals"),
    path(
        "projects/<int:project_id>/time/decide/",
        timesheets.time_decision,
        name="time-decision",
    ),
]

"""Working calendar pages, included under /projects/calendars/ by projects/urls.py."""

from django.urls import path

from projects.calendars import views as calendars

urlpatterns = [
    path("", calendars.calendar_list, name="calendar-list"),
    path("new/", calendars.calendar_create, name="calendar-create"),
    path("<int:calendar_id>/", calendars.calendar_detail, name="calendar-detail"),
    path(
        "<int:calendar_id>/exceptions/",
        calendars.calendar_exception_add,
        name="calendar-exception-add",
    ),
    path(
        "exceptions/<int:exception_id>/remove/",
        calendars.calendar_exception_remove,
        name="calendar-exception-remove",
    ),
]

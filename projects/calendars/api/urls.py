"""API routes of working calendars and a project's calendar."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .views import CalendarExceptionViewSet, CalendarViewSet, ProjectCalendarView

router = ApiRouter()
router.register("calendars", CalendarViewSet, basename="calendar")
router.register("calendar-exceptions", CalendarExceptionViewSet, basename="calendar-exception")

urlpatterns = [
    path("projects/<int:pk>/calendar/", ProjectCalendarView.as_view(), name="project-calendar"),
    *router.urls,
]

"""API routes of time entries and their approval."""

from tpm.api.routing import ApiRouter

from .views import TimeEntryViewSet

router = ApiRouter()
router.register("time-entries", TimeEntryViewSet, basename="time-entry")

urlpatterns = [*router.urls]

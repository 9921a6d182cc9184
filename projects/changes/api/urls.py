"""API routes of change requests."""

from tpm.api.routing import ApiRouter

from .views import ChangeRequestViewSet

router = ApiRouter()
router.register("change-requests", ChangeRequestViewSet, basename="change-request")

urlpatterns = [*router.urls]

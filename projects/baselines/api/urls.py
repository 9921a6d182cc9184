"""API routes of baselines."""

from tpm.api.routing import ApiRouter

from .views import BaselineViewSet

router = ApiRouter()
router.register("baselines", BaselineViewSet, basename="baseline")

urlpatterns = [*router.urls]

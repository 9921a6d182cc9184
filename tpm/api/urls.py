"""The tenancy core's API: the signed-in person, organisations, members, invitations and
notifications (included by tpm/api_urls.py)."""

from django.urls import path

from .notifications import NotificationPreferencesView, NotificationViewSet
from .routing import ApiRouter
from .views import InvitationViewSet, MembershipViewSet, MeView, OrganisationViewSet

router = ApiRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path(
        "notification-preferences/",
        NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]

"""Works out which of the user's organisations the request acts in."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from .models import Membership


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership chosen with the organisation switcher, else the first one joined."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("organisation").filter(user=user)
    chosen = request.session.get("organisation_id")
    membership = None
    if chosen is not None:
        membership = memberships.filter(organisation_id=chosen).first()
    # First visit: the organisation they joined first (usually their main one).
    return membership or memberships.order_by("created_at", "pk").first()


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = SimpleLazyObject(lambda: current_membership(request))  # type: ignore[attr-defined]
        return self.get_response(request)

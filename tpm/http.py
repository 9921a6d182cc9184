"""Request types for views that only run for a signed-in user."""

from django.http import HttpRequest

from .models import Membership, User


class AuthedHttpRequest(HttpRequest):
    """The request a `login_required` view receives.

    For typing only: Django builds a plain HttpRequest. `login_required` guarantees a real `User`,
    and `CurrentOrganisationMiddleware` sets `membership` (lazily; None with no organisation yet).
    """

    user: User  # narrows HttpRequest's `User | AnonymousUser`
    membership: Membership | None

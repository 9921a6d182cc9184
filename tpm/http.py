"""Request types for views that only run for a signed-in user, and the error pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from .models import Membership, User


class AuthedHttpRequest(HttpRequest):
    """The request a `login_required` view receives.

    For typing only: Django builds a plain HttpRequest. `login_required` guarantees a real `User`,
    and `CurrentOrganisationMiddleware` sets `membership` (lazily; None with no organisation yet).
    """

    user: User  # narrows HttpRequest's `User | AnonymousUser`
    membership: Membership | None


# Error pages (tpm/urls.py's handler400/403/404/500). The API answers in its one error shape,
# as JSON, even where no API view ran: an unknown path under /api/, or a crash.
_API_PREFIX = "/api/"


def _api_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "errors": {}}, status=status)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(_API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(400, "bad_request", "The request is malformed.")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(403, "permission_denied", "You may not do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(404, "not_found", "There is nothing at this address.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        # Nothing about the failure itself: it is logged, and may name internals.
        return _api_error(500, "server_error", "Something went wrong on our side.")
    return defaults.server_error(request)

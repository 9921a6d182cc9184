"""Works out which of the user's organisations the request acts in; signs idle sessions out;
adds the security headers (CSP, no-store for signed-in pages)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
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


# The time a signed-in session last did something is written at most this often (seconds), so
# every request does not write the session row (SQLite has one writer at a time).
_SEEN_GRANULARITY = 300
_SIGNED_IN_AT = "_signed_in_at"
_LAST_SEEN = "_last_seen"


def stamp_sign_in(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """On `user_logged_in` (connected in tpm/apps.py): the session's clocks start now, written
    with the sign-in's own session save rather than by a later request."""
    now = int(time.time())
    request.session[_SIGNED_IN_AT] = now
    request.session[_LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Signs a session out after `SESSION_IDLE_TIMEOUT` seconds without a request, and after
    `SESSION_ABSOLUTE_TIMEOUT` seconds however busy it is; LoginRequiredMiddleware then sends
    the person to the sign-in page. Background polls (`SESSION_PASSIVE_ROUTES`, e.g. the
    notification bell every minute) are not activity: an open tab alone keeps nobody signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if request.user.is_authenticated:
            session = request.session
            signed_in_at = session.get(_SIGNED_IN_AT, now)
            last_seen = session.get(_LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
        response = self.get_response(request)
        # A token-authenticated API call has a user but no signed-in session to keep alive.
        if request.user.is_authenticated and request.session.get(SESSION_KEY) is not None:
            match = request.resolver_match
            passive = match is not None and match.url_name in settings.SESSION_PASSIVE_ROUTES
            session = request.session
            session.setdefault(_SIGNED_IN_AT, now)  # a session from before this rule
            if not passive and now - session.get(_LAST_SEEN, 0) >= _SEEN_GRANULARITY:
                session[_LAST_SEEN] = now
        return response


class SecurityHeadersMiddleware:
    """A Content Security Policy on every response (`CONTENT_SECURITY_POLICY`), and
    `Cache-Control: no-store` on every response to a signed-in person: their pages must not stay
    in a shared or back-button cache after they sign out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

"""Small helpers shared by the tenancy pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from ..access import access_organisation
from ..http import AuthedHttpRequest
from ..models import Organisation
from ..roles import OrgAction

# Form errors re-render the form with 422; stale edits with 409 (see DESIGN.md).
INVALID = 422
CONFLICT = 409


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, default: str = "home") -> str:
    """The `next` parameter when it points inside this site, else the URL of `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


OrgView = Callable[..., HttpResponse]


def current_organisation_required(action: OrgAction) -> Callable[[OrgView], OrgView]:
    """Run the view on the current organisation, if the user's role there allows `action`.

    Anonymous -> sign in; no organisation yet -> create one; a role that does not allow it -> 403.
    The view receives the organisation after the request; the role is `request.membership`'s.
    """

    def decorator(view: OrgView) -> OrgView:
        @login_required
        @wraps(view)
        def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = request.membership
            if not membership:
                messages.info(request, "You do not belong to an organisation yet: create one.")
                return redirect("org-create")
            organisation: Organisation = access_organisation(
                request.user,
                membership.organisation_id,
                action=action,
            ).obj
            return view(request, organisation, *args, **kwargs)

        return wrapper

    return decorator

"""Accepting an invitation: from the emailed link, signed in or not."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import InvitationSignupForm
from ..models import Invitation, Membership, User
from .common import INVALID

NOT_FOUND, GONE, FORBIDDEN = 404, 410, 403
TEMPLATE = "tpm/invitation_accept.html"


def _page(request: HttpRequest, situation: str, status: int = 200, **context: Any) -> HttpResponse:
    response = render(request, TEMPLATE, {"situation": situation, **context}, status=status)
    response["Referrer-Policy"] = "same-origin"  # the link is a secret: never send it elsewhere
    return response


def _joined(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    membership = Membership.objects.select_related("organisation").get(
        organisation=invitation.organisation, user=user
    )
    services.membership_set_current(session=request.session, membership=membership)
    messages.success(request, f"Welcome to {membership.organisation.name}.")
    return redirect("home")


def _unusable(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    return _page(request, "unusable", GONE, invitation=invitation, state=invitation.state())


@login_not_required  # the signed link is the credential; the view handles every situation
@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return _page(request, "unknown", NOT_FOUND)
    if not invitation.is_usable():
        return _unusable(request, invitation)
    context: dict[str, Any] = {"invitation": invitation, "token": token}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            status = FORBIDDEN if request.method == "POST" else 200
            return _page(request, "wrong_account", status, **context)
        if request.method != "POST":
            return _page(request, "accept", **context)
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except services.InvitationUnusableError:
            return _unusable(request, Invitation.objects.get(pk=invitation.pk))
        return _joined(request, invitation, user)
    if User.objects.filter(email__iexact=invitation.email).exists():
        status = FORBIDDEN if request.method == "POST" else 200
        return _page(request, "sign_in", status, **context)
    return _sign_up(request, invitation, context)


def _sign_up(request: HttpRequest, invitation: Invitation, context: dict[str, Any]) -> HttpResponse:
    """No account with the invited address yet: create it, join, sign in, switch."""
    form = InvitationSignupForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUnusableError:
            return _unusable(request, Invitation.objects.get(pk=invitation.pk))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, invitation, user)
    status = INVALID if form.errors else 200
    return _page(request, "sign_up", status, form=form, **context)

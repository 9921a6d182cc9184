"""The signed-in person's own pages: profile and personal access tokens."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..access import organisations_for
from ..forms import ProfileForm, TokenCreateForm
from ..http import AuthedHttpRequest
from ..models import PersonalAccessToken
from .common import INVALID, is_htmx

CREATED = 201


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.user_update_profile(user=user, full_name=form.cleaned_data["full_name"])
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    else:
        form = ProfileForm(initial={"full_name": user.full_name})
    context = {
        "form": form,
        "organisations": organisations_for(user).order_by("name"),
    }
    return render(request, "tpm/profile.html", context, status=INVALID if form.errors else 200)


def _tokens_page(
    request: AuthedHttpRequest,
    form: TokenCreateForm,
    *,
    status: int = 200,
    new_token: PersonalAccessToken | None = None,
    secret: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "tokens": PersonalAccessToken.objects.filter(user=request.user),
        "now": timezone.now(),
        "new_token": new_token,
        "secret": secret,
    }
    return render(request, "tpm/tokens.html", context, status=status)


@never_cache  # the response that shows a secret must not be kept by any cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthedHttpRequest) -> HttpResponse:
    """List the person's tokens; creating one shows its secret on this response only."""
    if request.method != "POST":
        return _tokens_page(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        try:
            token, secret = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + timedelta(days=days) if days else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _tokens_page(
                request, TokenCreateForm(), status=CREATED, new_token=token, secret=secret
            )
    return _tokens_page(request, form, status=INVALID)


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of your own tokens; anybody else's is a 404."""
    token = get_object_or_404(PersonalAccessToken, pk=token_id, user=request.user)
    token = services.token_revoke(token=token, actor=request.user)
    if is_htmx(request):
        return render(
            request, "tpm/partials/token_row.html", {"token": token, "now": timezone.now()}
        )
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("tokens")

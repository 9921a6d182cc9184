"""Signing in and out, changing and resetting passwords."""

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from .. import throttle
from ..forms import LoginForm
from .common import INVALID, safe_next

TOO_MANY_REQUESTS = 429


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    """Email and password, with failures throttled per (email, client address) in tpm.throttle."""
    if request.user.is_authenticated:
        return redirect(safe_next(request))
    form = LoginForm(request.POST if request.method == "POST" else None, request=request)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            assert form.user is not None
            auth_login(request, form.user)
            return redirect(safe_next(request))
        locked = form.has_error(NON_FIELD_ERRORS, "locked")
        status = TOO_MANY_REQUESTS if locked else INVALID
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(
        request, "registration/login.html", {"form": form, "next": next_url}, status=status
    )


class _InvalidIs422:
    """Django's auth views answer an invalid form with 200; ours say 422 like every other form."""

    def form_invalid(self, form: Form) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = INVALID
        return response


class PasswordChangeView(_InvalidIs422, auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(_InvalidIs422, auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        """Past the limits, answer exactly as usual but send nothing: no mail bombing, no hint."""
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        email = throttle.normalise_email(form.cleaned_data["email"])
        address = throttle.client_address(self.request)
        if throttle.allow(
            "password-reset-email", email, limit=settings.PASSWORD_RESET_PER_EMAIL, window=window
        ) and throttle.allow(
            "password-reset-address",
            address,
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            window=window,
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(_InvalidIs422, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"

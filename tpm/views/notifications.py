"""The bell's list, marking read, and the email preferences per event."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..http import AuthedHttpRequest
from ..models import Notification
from ..models_collab import Delivery
from ..notifications import (
    EVENTS,
    notifications_mark_read,
    preferences_of,
    preferences_update,
    unread_count,
)

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user).select_related("organisation")
    if request.GET.get("unread"):
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tpm/notifications.html",
        {"nav": "notifications", "page": page, "unread_only": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def notification_read(request: AuthedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; `open` follows its link (only to this site)."""
    notification = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
    if notification is None:
        return HttpResponse("No such notification.", status=404)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("notification-list")


@login_required
@require_POST
def notification_read_all(request: AuthedHttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notification-list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: AuthedHttpRequest) -> HttpResponse:
    status = 200
    error = ""
    if request.method == "POST":
        choices = {kind: request.POST.get(kind, Delivery.IMMEDIATE) for kind in EVENTS}
        try:
            preferences_update(user=request.user, choices=choices)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 422
        else:
            messages.success(request, "Saved your notification preferences.")
            return redirect("notification-preferences")
    current = preferences_of(request.user)
    rows = [(kind, label, current[kind]) for kind, label in EVENTS.items()]
    return render(
        request,
        "tpm/notification_preferences.html",
        {"nav": "notifications", "rows": rows, "choices": Delivery.choices, "error": error},
        status=status,
    )


@login_required
@require_GET
def notification_bell(request: AuthedHttpRequest) -> HttpResponse:
    """The bell's unread count, fetched by htmx after the page loads (one COUNT query, so
    pages themselves pay nothing for the bell)."""
    count = unread_count(request.user)
    if not count:
        return HttpResponse("")
    shown = "99+" if count > 99 else str(count)
    return HttpResponse(
        f'<span class="badge">{shown}<span class="visually-hidden"> unread</span></span>'
    )

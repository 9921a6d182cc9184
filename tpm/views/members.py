"""The organisation's people: members and their roles, and invitations (admins only).

Each action is a plain form POST that redirects back to the members page, and answers an htmx
request with just the fragment it changed (templates/tpm/partials/).
"""

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..access import access_invitation, access_membership
from ..concurrency import StaleVersionError
from ..forms import InvitationForm, MemberRoleForm
from ..http import AuthedHttpRequest
from ..models import Invitation, Membership, Organisation
from ..roles import OrgAction, OrgRole
from .common import CONFLICT, INVALID, current_organisation_required, is_htmx


def _role_form(membership: Membership, data: Any = None) -> MemberRoleForm:
    initial = {"role": membership.role, "version": membership.version}
    return MemberRoleForm(data, initial=initial, auto_id=f"member-{membership.pk}-%s")


def _bound_to_current(membership: Membership) -> MemberRoleForm:
    """A form holding the membership as saved, ready to carry an error message."""
    form = _role_form(membership, {"role": membership.role, "version": membership.version})
    form.is_valid()
    return form


def _row(membership: Membership, form: MemberRoleForm | None = None) -> dict[str, Any]:
    """A member's row; the template renders the role select itself unless a form carries an
    error (building a form per row was most of the page's time)."""
    return {"membership": membership, "form": form, "roles": OrgRole.choices}


def _invitations_context(
    organisation: Organisation,
    form: InvitationForm | None = None,
    error: str = "",
    notice: str = "",
) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "invite_form": form or InvitationForm(),
        "invitations": Invitation.objects.pending()
        .filter(organisation=organisation)
        .select_related("invited_by")
        .order_by("email"),
        "invitations_error": error,
        "invitations_notice": notice,
    }


MEMBERS_PAGE_SIZE = 50  # an organisation of hundreds is paged, with a search by name or email


def _members_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    failed_row: dict[str, Any] | None = None,
    invite_form: InvitationForm | None = None,
    invitations_error: str = "",
    status: int = 200,
) -> HttpResponse:
    find = request.GET.get("q", "").strip()[:100]
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "organisation")
        .order_by("user__email", "pk")
    )
    for word in find.split()[:5]:
        memberships = memberships.filter(
            Q(user__email__icontains=word) | Q(user__full_name__icontains=word)
        )
    number: Any = request.GET.get("page")
    if failed_row:  # a refused change without htmx: show the page that holds its row
        failed = failed_row["membership"]
        number = 1 + memberships.filter(user__email__lt=failed.user.email).count() // (
            MEMBERS_PAGE_SIZE
        )
    page = Paginator(memberships, MEMBERS_PAGE_SIZE).get_page(number)
    failed_id = failed_row["membership"].pk if failed_row else None
    rows = [failed_row if failed_row and m.pk == failed_id else _row(m) for m in page]
    context = {
        "organisation": organisation,
        "rows": rows,
        "page": page,
        "find": find,
        "query": urlencode({"q": find}) if find else "",
        "nav": "org",
        "tab": "members",
        **_invitations_context(organisation, invite_form, invitations_error),
    }
    return render(request, "tpm/org_members.html", context, status=status)


def _after_change(request: HttpRequest, row: dict[str, Any], status: int) -> HttpResponse:
    """Answer a role change or removal: the row fragment for htmx, else the page or a redirect."""
    membership = row["membership"]
    if is_htmx(request):
        return render(request, "tpm/partials/member_row.html", {"row": row}, status=status)
    if status == 200:
        return redirect("org-members")
    return _members_page(request, membership.organisation, failed_row=row, status=status)


@current_organisation_required(OrgAction.MANAGE_MEMBERS)
@require_GET
def org_members(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _members_page(request, organisation)


def _leave_admin_pages(request: HttpRequest) -> HttpResponse:
    """The admin just gave up their own admin rights here: the members page is not theirs."""
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = reverse("home")
        return response
    return redirect("home")


@login_required
@require_POST
def member_role(request: AuthedHttpRequest, membership_id: int) -> HttpResponse:
    membership = access_membership(request.user, membership_id, write=True).obj
    form = _role_form(membership, request.POST)
    if not form.is_valid():
        return _after_change(request, _row(membership, form), INVALID)
    try:
        membership = services.membership_change_role(
            membership=membership,
            role=form.cleaned_data["role"],
            version=form.cleaned_data["version"],
            actor=request.user,
        )
    except StaleVersionError as exc:
        current = cast(Membership, exc.current)
        form = _bound_to_current(current)
        form.add_error(
            None,
            f"Someone changed {current.user.display_name}'s membership meanwhile; their role "
            f"is now {current.get_role_display().lower()}. Your change was not applied.",
        )
        return _after_change(request, _row(current, form), CONFLICT)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _after_change(request, _row(membership, form), INVALID)
    if membership.user_id == request.user.pk and membership.role != OrgRole.ADMIN:
        messages.success(request, "You are no longer an admin of this organisation.")
        return _leave_admin_pages(request)
    if not is_htmx(request):
        messages.success(
            request,
            f"{membership.user.display_name} is now {membership.get_role_display().lower()}.",
        )
    return _after_change(request, _row(membership), 200)


@login_required
@require_POST
def member_remove(request: AuthedHttpRequest, membership_id: int) -> HttpResponse:
    membership = access_membership(request.user, membership_id, write=True).obj
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as exc:
        form = _bound_to_current(membership)
        form.add_error(None, exc)
        return _after_change(request, _row(membership, form), INVALID)
    name = membership.user.display_name
    if membership.user_id == request.user.pk:
        messages.success(request, f"You left {membership.organisation.name}.")
        return _leave_admin_pages(request)
    if is_htmx(request):
        return HttpResponse("")  # the row swaps out
    messages.success(request, f"{name} was removed from {membership.organisation.name}.")
    return redirect("org-members")


def _after_invitations_change(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: InvitationForm | None = None,
    error: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    if is_htmx(request):
        context = _invitations_context(organisation, form, error, notice)
        return render(request, "tpm/partials/invitations.html", context, status=status)
    if status == 200:
        messages.success(request, notice)
        return redirect("org-members")
    return _members_page(
        request, organisation, invite_form=form, invitations_error=error, status=status
    )


@current_organisation_required(OrgAction.MANAGE_MEMBERS)
@require_POST
def org_invite(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    """Invite someone by email; the message goes out after the transaction commits."""
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _after_invitations_change(
                request, organisation, notice=f"An invitation is on its way to {invitation.email}."
            )
    return _after_invitations_change(request, organisation, form=form, status=INVALID)


@login_required
@require_POST
def invitation_revoke(request: AuthedHttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access_invitation(request.user, invitation_id, write=True).obj
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        return _after_invitations_change(
            request, invitation.organisation, error=" ".join(exc.messages), status=INVALID
        )
    return _after_invitations_change(
        request,
        invitation.organisation,
        notice=f"The invitation to {invitation.email} is withdrawn.",
    )

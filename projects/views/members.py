"""Who works on a project: the members page and its actions (htmx or plain POST).

With htmx each action swaps the members panel (templates/projects/partials/member_panel.html)
in place; without JavaScript it redirects back to the page, or re-renders it with the error.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from projects import selectors, services
from projects.access import access_project, access_project_membership
from projects.forms import MemberAddForm, MemberRoleForm, apply_service_errors
from projects.models import Project, ProjectInvitation, ProjectMembership
from projects.views._common import is_htmx, project_page, redirect_to
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction, ProjectRole

PANEL = "projects/partials/member_panel.html"
PAGE = "projects/project_members.html"


def _role_label(role: str) -> str:
    return ProjectRole(role).label.lower() if role in ProjectRole.values else role


def _render_members(
    request: HttpRequest,
    access: Access[Project],
    *,
    status: int = 200,
    add_form: MemberAddForm | None = None,
    addable: Any = None,
    row_errors: dict[int, list[str]] | None = None,
    notice: str = "",
) -> HttpResponse:
    project = access.obj
    can_manage = access.can(ProjectAction.MANAGE_MEMBERS)
    members = list(selectors.project_members(project=project))
    for membership in members:
        membership.errors = (row_errors or {}).get(membership.pk, [])  # type: ignore[attr-defined]
    extra: dict[str, Any] = {}
    if can_manage:
        if add_form is None:
            add_form = MemberAddForm(
                addable=addable or selectors.project_addable_members(project=project)
            )
        extra = {
            "add_form": add_form,
            "invitations": selectors.project_pending_invitations(project=project),
            "roles": ProjectRole.choices,
        }
    context = project_page(
        access, "members", members=members, can_manage=can_manage, notice=notice, **extra
    )
    response = render(request, PANEL if is_htmx(request) else PAGE, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _done(request: AuthedHttpRequest, project_id: int, notice: str) -> HttpResponse:
    """After a change: the fresh panel for htmx, else back to the page with a message.

    The user may have just removed or demoted themselves, so their access is checked again.
    """
    try:
        access = access_project(request.user, project_id, action=ProjectAction.VIEW_MEMBERS)
    except Http404:
        messages.success(request, notice)
        return redirect_to(request, reverse("project-list"))
    if not is_htmx(request):
        messages.success(request, notice)
        return redirect_to(request, reverse("project-members", args=[project_id]))
    return _render_members(request, access, notice=notice)


def _failed(
    request: AuthedHttpRequest, membership: ProjectMembership, errors: list[str], status: int
) -> HttpResponse:
    access = access_project(request.user, membership.project_id, action=ProjectAction.VIEW_MEMBERS)
    return _render_members(request, access, status=status, row_errors={membership.pk: errors})


@login_required
@require_GET
def project_members(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW_MEMBERS)
    return _render_members(request, access)


@login_required
@require_POST
def project_member_add(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.MANAGE_MEMBERS)
    project = access.obj
    addable = selectors.project_addable_members(project=project)
    form = MemberAddForm(request.POST, addable=addable)
    if form.is_valid():
        member, email = form.cleaned_data["member"], form.cleaned_data["email"]
        role = form.cleaned_data["role"]
        added: ProjectMembership | ProjectInvitation
        try:
            if member is not None:
                added = services.project_member_add(
                    project=project, user=member.user, role=role, actor=request.user
                )
            else:
                added = services.project_invite(
                    project=project, email=email, role=role, actor=request.user
                )
        except ValidationError as exc:
            apply_service_errors(form, exc, user="member" if member is not None else "email")
        else:
            if isinstance(added, ProjectInvitation):
                notice = (
                    f"Invited {added.invitation.email}; they become a {_role_label(role)} "
                    f"of {project.key} when they accept the invitation."
                )
            else:
                notice = f"{added.user.display_name} is now a {_role_label(role)} of {project.key}."
            return _done(request, project.pk, notice)
    return _render_members(request, access, status=422, add_form=form, addable=addable)


@login_required
@require_POST
def project_member_role(request: AuthedHttpRequest, membership_id: int) -> HttpResponse:
    membership = access_project_membership(request.user, membership_id, write=True).obj
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        errors = [str(message) for messages_ in form.errors.values() for message in messages_]
        return _failed(request, membership, errors, status=422)
    role = form.cleaned_data["role"]
    try:
        services.project_member_change_role(
            membership=membership,
            role=role,
            version=form.cleaned_data["version"],
            actor=request.user,
        )
    except StaleVersionError as exc:
        now = _role_label(cast(ProjectMembership, exc.current).role)
        message = (
            f"Someone else changed {membership.user.display_name}'s role while you were "
            f"looking: it is now {now}. Nothing was overwritten; choose again if needed."
        )
        return _failed(request, membership, [message], status=409)
    except ValidationError as exc:
        return _failed(request, membership, exc.messages, status=422)
    name = membership.user.display_name
    return _done(
        request, membership.project_id, f"{name} is now a {_role_label(role)} of the project."
    )


@login_required
@require_POST
def project_member_remove(request: AuthedHttpRequest, membership_id: int) -> HttpResponse:
    membership = access_project_membership(request.user, membership_id, write=True).obj
    try:
        services.project_member_remove(membership=membership, actor=request.user)
    except ProjectMembership.DoesNotExist:
        pass  # removed by someone else in the meantime: the outcome asked for
    except ValidationError as exc:
        return _failed(request, membership, exc.messages, status=422)
    notice = f"Removed {membership.user.display_name} from {membership.project.key}."
    return _done(request, membership.project_id, notice)

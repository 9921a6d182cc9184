"""Permission-checked fetchers for the tenancy core: load and check the role in one query.

An object outside the user's organisations is a 404 (never a hint that it exists); an object
the user may see but not change is a 403.
"""

from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from .models import Invitation, Membership, Organisation, User
from .roles import OrgAction, org_role_can

if TYPE_CHECKING:  # django-stubs-ext is a dev dependency
    from django_stubs_ext import WithAnnotations


class MyRole(TypedDict):
    my_role: str | None


def _role_in(user: User, organisation_ref: str = "organisation") -> Subquery:
    return Subquery(
        Membership.objects.filter(organisation=OuterRef(organisation_ref), user=user).values(
            "role"
        )[:1]
    )


def _check(role: str | None, action: OrgAction) -> None:
    if role is None:
        raise Http404("No such object.")
    if not org_role_can(role, action):
        raise PermissionDenied("Your role in this organisation does not allow this.")


def organisations_for(user: User) -> "QuerySet[WithAnnotations[Organisation, MyRole]]":
    """The organisations `user` belongs to, each annotated with `my_role`."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.annotate(my_role=_role_in(user, "pk")).filter(my_role__isnull=False)


def access_organisation(
    user: User, organisation_id: int, *, write: bool = False, action: OrgAction | None = None
) -> Organisation:
    organisation = organisations_for(user).filter(pk=organisation_id).first()
    _check(
        getattr(organisation, "my_role", None),
        action or (OrgAction.EDIT if write else OrgAction.VIEW),
    )
    assert organisation is not None
    return organisation


def access_membership(user: User, membership_id: int, *, write: bool = False) -> Membership:
    membership = (
        Membership.objects.select_related("organisation", "user")
        .annotate(my_role=_role_in(user))
        .filter(pk=membership_id)
        .first()
        if user.is_authenticated
        else None
    )
    _check(
        getattr(membership, "my_role", None),
        OrgAction.MANAGE_MEMBERS if write else OrgAction.VIEW,
    )
    assert membership is not None
    return membership


def access_invitation(user: User, invitation_id: int, *, write: bool = False) -> Invitation:
    """Invitations are the admins' business: members of the organisation get a 403."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .annotate(my_role=_role_in(user))
        .filter(pk=invitation_id)
        .first()
        if user.is_authenticated
        else None
    )
    _check(getattr(invitation, "my_role", None), OrgAction.MANAGE_MEMBERS)
    assert invitation is not None
    return invitation

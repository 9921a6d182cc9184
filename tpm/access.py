"""Permission-checked fetchers for the tenancy core: load and check the role in one query.

An object outside the user's organisations is a 404 (never a hint that it exists); an object
the user may see but not change is a 403.
"""

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import F, FilteredRelation, Model, Q, QuerySet
from django.http import Http404

from .models import Invitation, Membership, Organisation, User
from .roles import OrgAction, ProjectAction, org_role_can, project_role_can

if TYPE_CHECKING:  # django-stubs-ext is a dev dependency
    from django_stubs_ext import WithAnnotations

T = TypeVar("T", covariant=True)
M = TypeVar("M")
R = TypeVar("R", bound=Model)


class Level(Enum):
    """Whose role an Access carries: the project's (most records) or the organisation's."""

    PROJECT = "project"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class Access(Generic[T]):
    """What a fetcher returns: the object, and the caller's role on it, resolved in one query.

    `role` is the caller's effective project role for project records (an org admin acts as
    manager), or their organisation role for organisation records (`level` says which). Ask
    `can(action)` rather than comparing roles: tpm/roles.py is the one place that says who may.
    """

    obj: T
    role: str
    level: Level = Level.PROJECT

    def can(self, action: ProjectAction | OrgAction) -> bool:
        # Asking an organisation role about a project action (or the reverse) is a bug, not a
        # "no": the role names overlap ("member"), so a silent answer could be wrong.
        if isinstance(action, OrgAction):
            if self.level is not Level.ORGANISATION:
                raise TypeError(f"{action} is an organisation action; this is a project role.")
            return org_role_can(self.role, action)
        if self.level is not Level.PROJECT:
            raise TypeError(f"{action} is a project action; this is an organisation role.")
        return project_role_can(self.role, action)

    def on(self, other: "M") -> "Access[M]":
        """The same role on another record of the same project or organisation (the fresh copy
        after a stale write, a record reached through this one)."""
        return Access(other, self.role, self.level)


class MyRole(TypedDict):
    my_role: str | None


def with_org_role(
    queryset: QuerySet[R],
    user: User,
    organisation_path: str = "organisation",
    name: str = "my_role",
) -> QuerySet[R]:
    """Annotate `name` with the user's role in the row's organisation (NULL outside it).

    A LEFT JOIN to the user's own membership row (one per organisation, by the unique
    constraint): an index lookup per row, never a subquery run once per row, which is what
    made lists of thousands of rows slow (issue 14). `organisation_path` is "" for
    Organisation itself.
    """
    members = f"{organisation_path}__memberships" if organisation_path else "memberships"
    annotated: Any = queryset.annotate(
        my_org_membership=FilteredRelation(members, condition=Q(**{f"{members}__user": user}))
    )
    return cast(QuerySet[R], annotated.annotate(**{name: F("my_org_membership__role")}))


def _check(role: str | None, action: OrgAction) -> str:
    if role is None:
        raise Http404("No such object.")
    if not org_role_can(role, action):
        raise PermissionDenied("Your role in this organisation does not allow this.")
    return role


def annotated_role(row: object, annotation: str = "my_role") -> str:
    """The role a scoped queryset annotated on a row it returned (never None: rows without one
    are filtered out). Fetchers turn it into an Access; callers never read the annotation."""
    role = getattr(row, annotation, None)
    assert role is not None, f"{type(row).__name__} was not loaded with `{annotation}`"
    return str(role)


def org_access(obj: M, role: str) -> Access[M]:
    """An Access carrying the caller's organisation role (pool, members, invitations)."""
    return Access(obj, role, Level.ORGANISATION)


def organisations_for(user: User) -> "QuerySet[WithAnnotations[Organisation, MyRole]]":
    """The organisations `user` belongs to, each annotated with `my_role`."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    rows: Any = with_org_role(Organisation.objects.all(), user, "")
    return rows.filter(my_role__isnull=False)


def access_organisation(
    user: User, organisation_id: int, *, write: bool = False, action: OrgAction | None = None
) -> Access[Organisation]:
    row = organisations_for(user).filter(pk=organisation_id).first()
    role = _check(
        getattr(row, "my_role", None),
        action or (OrgAction.EDIT if write else OrgAction.VIEW),
    )
    assert row is not None
    return org_access(row, role)


def access_membership(user: User, membership_id: int, *, write: bool = False) -> Access[Membership]:
    row = (
        with_org_role(Membership.objects.select_related("organisation", "user"), user)
        .filter(pk=membership_id)
        .first()
        if user.is_authenticated
        else None
    )
    role = _check(
        getattr(row, "my_role", None),
        OrgAction.MANAGE_MEMBERS if write else OrgAction.VIEW,
    )
    assert row is not None
    return org_access(row, role)


def access_invitation(user: User, invitation_id: int, *, write: bool = False) -> Access[Invitation]:
    """Invitations are the admins' business: members of the organisation get a 403."""
    row = (
        with_org_role(Invitation.objects.select_related("organisation", "invited_by"), user)
        .filter(pk=invitation_id)
        .first()
        if user.is_authenticated
        else None
    )
    role = _check(getattr(row, "my_role", None), OrgAction.MANAGE_MEMBERS)
    assert row is not None
    return org_access(row, role)

"""Reads shaped for project pages and endpoints; each costs a fixed number of queries."""

from django.db.models import Count, Q, QuerySet

from projects.access import projects_for, with_my_role
from projects.models import Project, ProjectInvitation, ProjectMembership
from tpm.models import HistoryEntry, Membership, Organisation, User
from tpm.roles import OrgRole


def project_list(*, user: User, organisation: Organisation | None = None) -> QuerySet[Project]:
    projects = projects_for(user).select_related("organisation")
    if organisation is not None:
        projects = projects.filter(organisation=organisation)
    return projects.annotate(member_count=Count("memberships", distinct=True)).order_by("name")


def project_search(
    *,
    user: User,
    organisation: Organisation | None,
    text: str = "",
    status: str = "",
    methodology: str = "",
) -> QuerySet[Project]:
    """The project list filtered by status, methodology and a search on key or name."""
    projects = project_list(user=user, organisation=organisation)
    if organisation is None:
        return projects.none()
    if status:
        projects = projects.filter(status=status)
    if methodology:
        projects = projects.filter(methodology=methodology)
    if text.strip():
        text = text.strip()
        projects = projects.filter(Q(key__icontains=text) | Q(name__icontains=text))
    return projects


def project_role_counts(*, project: Project) -> dict[str, int]:
    """How many people hold each project role, e.g. {"manager": 1, "member": 4}."""
    rows = (
        ProjectMembership.objects.filter(project=project)
        .values("role")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["role"]: row["count"] for row in rows}


def project_members(*, project: Project) -> QuerySet[ProjectMembership]:
    return (
        ProjectMembership.objects.filter(project=project)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def project_memberships_for(*, user: User) -> QuerySet[ProjectMembership]:
    """Every project membership the user may see, for the API's flat list."""
    return with_my_role(
        ProjectMembership.objects.filter(project__deleted_at__isnull=True), user, "project"
    ).select_related("project", "user")


def project_pending_invitations(*, project: Project) -> QuerySet[ProjectInvitation]:
    return (
        ProjectInvitation.objects.filter(
            project=project,
            invitation__accepted_at__isnull=True,
            invitation__revoked_at__isnull=True,
        )
        .select_related("invitation")
        .order_by("invitation__email")
    )


def project_addable_members(*, project: Project) -> QuerySet[Membership]:
    """Organisation members who have no role in the project yet."""
    return (
        Membership.objects.filter(organisation_id=project.organisation_id)
        .exclude(user__project_memberships__project=project)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def project_assignable_people(*, project: Project) -> QuerySet[User]:
    """Who may take the project's work: its people with a role, and the organisation's admins."""
    return (
        User.objects.filter(
            Q(project_memberships__project=project)
            | Q(
                memberships__organisation_id=project.organisation_id,
                memberships__role=OrgRole.ADMIN,
            )
        )
        .distinct()
        .order_by("full_name", "email")
    )


def project_history(*, project: Project, limit: int = 100) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(scope=f"project:{project.pk}").select_related("actor")[
        :limit
    ]


def deleted_projects(*, organisation: Organisation) -> QuerySet[Project]:
    return (
        Project.objects.deleted()
        .filter(organisation=organisation)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )

"""Endpoints for projects and their members."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projects import selectors, services
from projects.access import (
    access_deleted_project,
    access_project,
    access_project_membership,
    row_access,
)
from projects.api.filters import ProjectFilter, ProjectMemberFilter
from projects.api.serializers import (
    ProjectCreateSerializer,
    ProjectInvitationSerializer,
    ProjectMemberCreateSerializer,
    ProjectMemberSerializer,
    ProjectMemberUpdateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
)
from projects.models import Project, ProjectMembership
from tpm.api.viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    require_org_action,
)
from tpm.roles import OrgAction, ProjectAction

_UPDATE_PROJECT = extend_schema(
    summary="Edit a project (managers and organisation admins).",
    parameters=[IF_MATCH],
    request=ProjectUpdateSerializer,
    responses={200: ProjectSerializer, **errors(400, 403, 404, 409, 428)},
)


@extend_schema(tags=["projects"])
@extend_schema_view(
    list=extend_schema(summary="Projects you have a role in (all of them for org admins)."),
    retrieve=extend_schema(
        summary="One project.", responses={200: ProjectSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Create a project in one of your organisations; you become its manager.",
        request=ProjectCreateSerializer,
        responses={201: ProjectSerializer, **errors(400, 403, 404)},
    ),
    update=_UPDATE_PROJECT,
    partial_update=_UPDATE_PROJECT,
    destroy=extend_schema(
        summary="Move a project to the trash; organisation admins can restore it for a while.",
        responses={204: None, **errors(403, 404)},
    ),
)
class ProjectViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = ProjectSerializer
    input_serializers = {
        "create": ProjectCreateSerializer,
        "update": ProjectUpdateSerializer,
        "partial_update": ProjectUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = ProjectFilter
    search_fields = ("name", "key")
    ordering_fields = ("name", "key", "start_date", "target_date")
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.project_list(user=self.actor)

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        organisation = data.pop("organisation")
        require_org_action(organisation, OrgAction.CREATE_PROJECT)
        project = services.project_create(organisation=organisation, actor=self.actor, **data)
        return self.render(self.reload(project.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Project:
        return access_project(self.actor, pk, action=ProjectAction.EDIT).obj

    def apply_update(
        self, instance: Project, changes: dict[str, Any], version: int | None
    ) -> Project:
        return services.project_update(
            project=instance, actor=self.actor, version=version, **changes
        )

    def fetch_for_removal(self, pk: int) -> Project:
        return access_project(self.actor, pk, action=ProjectAction.DELETE).obj

    def apply_removal(self, instance: Project) -> None:
        services.project_delete(project=instance, actor=self.actor)

    @extend_schema(
        summary="Bring a project back from the trash (organisation admins).",
        request=None,
        responses={200: ProjectSerializer, **errors(404)},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        project = access_deleted_project(self.actor, int(pk)).obj
        services.project_restore(project=project, actor=self.actor)
        return self.render(self.reload(project.pk))


_UPDATE_MEMBER = extend_schema(
    summary="Change someone's project role (managers).",
    parameters=[IF_MATCH],
    request=ProjectMemberUpdateSerializer,
    responses={200: ProjectMemberSerializer, **errors(400, 403, 404, 409, 428)},
)


@extend_schema(tags=["projects"])
@extend_schema_view(
    list=extend_schema(summary="Members of the projects you have a role in."),
    retrieve=extend_schema(
        summary="One project membership.", responses={200: ProjectMemberSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Give someone a project role (managers).",
        description="With `user` (a member of the project's organisation) the role is given at "
        "once (201). With `email` of someone outside the organisation, they are invited to it "
        "and get the role when they accept (202). A `user` id who shares no organisation with "
        "you is a 404; one from another of your organisations is a 400 on `user`.",
        request=ProjectMemberCreateSerializer,
        responses={
            201: ProjectMemberSerializer,
            202: ProjectInvitationSerializer,
            **errors(400, 403, 404),
        },
    ),
    update=_UPDATE_MEMBER,
    partial_update=_UPDATE_MEMBER,
    destroy=extend_schema(
        summary="Take someone's project role away (managers; never the last manager).",
        responses={204: None, **errors(400, 403, 404)},
    ),
)
class ProjectMemberViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = ProjectMemberSerializer
    input_serializers = {
        "create": ProjectMemberCreateSerializer,
        "update": ProjectMemberUpdateSerializer,
        "partial_update": ProjectMemberUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ProjectMemberFilter
    ordering_fields = ("created_at", "role", "user__email", "user__full_name")
    ordering = ("project__name", "user__email")

    def get_queryset(self) -> QuerySet[ProjectMembership]:
        return selectors.project_memberships_for(user=self.actor)

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data["project"]
        if not row_access(project).can(ProjectAction.MANAGE_MEMBERS):  # a scoped field's row
            raise PermissionDenied("Your role in this project does not allow this.")
        if "user" in data:
            membership = services.project_member_add(
                project=project, user=data["user"], role=data["role"], actor=self.actor
            )
            return self.render(self.reload(membership.pk), status.HTTP_201_CREATED)
        with _errors_renamed("user", to="email"):
            result = services.project_invite(
                project=project, email=data["email"], role=data["role"], actor=self.actor
            )
        if isinstance(result, ProjectMembership):
            return self.render(self.reload(result.pk), status.HTTP_201_CREATED)
        body = ProjectInvitationSerializer(result, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    def fetch_for_update(self, pk: int) -> ProjectMembership:
        return access_project_membership(self.actor, pk, write=True).obj

    fetch_for_removal = fetch_for_update

    def apply_update(
        self, instance: ProjectMembership, changes: dict[str, Any], version: int | None
    ) -> ProjectMembership:
        return services.project_member_change_role(
            membership=instance,
            role=changes.get("role", instance.role),
            version=version,
            actor=self.actor,
        )

    def apply_removal(self, instance: ProjectMembership) -> None:
        services.project_member_remove(membership=instance, actor=self.actor)


@contextmanager
def _errors_renamed(field: str, *, to: str) -> Iterator[None]:
    """Report a service's error about `field` under the name the client used, `to`."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict") or field not in exc.error_dict:
            raise
        renamed = {(to if name == field else name): e for name, e in exc.error_dict.items()}
        raise DjangoValidationError(renamed) from exc

"""Endpoints of the tenancy core: me, organisations, memberships, invitations."""

from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, generics, mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from tpm import services
from tpm.access import (
    access_invitation,
    access_membership,
    access_organisation,
    organisations_for,
)
from tpm.models import Invitation, Membership, Organisation, User
from tpm.roles import OrgAction, OrgRole

from .filters import InvitationFilter, MembershipFilter
from .serializers import (
    InvitationCreateSerializer,
    InvitationSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    MeSerializer,
    OrganisationCreateSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
)
from .viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    require_org_action,
)


@extend_schema(tags=["me"], summary="You, with your organisations and your role in each.")
class MeView(generics.GenericAPIView):
    serializer_class = MeSerializer

    def get_object(self) -> User:
        memberships = Membership.objects.select_related("organisation").order_by(
            "organisation__name"
        )
        return (
            User.objects.prefetch_related(Prefetch("memberships", queryset=memberships))
            .filter(pk=cast(User, self.request.user).pk)
            .get()
        )

    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema(tags=["organisations"])
@extend_schema_view(
    list=extend_schema(summary="Your organisations, each with your role."),
    retrieve=extend_schema(
        summary="One of your organisations.", responses={200: OrganisationSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Create an organisation; you become its admin.",
        request=OrganisationCreateSerializer,
        responses={201: OrganisationSerializer, **errors(400)},
    ),
    update=extend_schema(
        summary="Rename an organisation (admins).",
        parameters=[IF_MATCH],
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    partial_update=extend_schema(
        summary="Rename an organisation (admins).",
        parameters=[IF_MATCH],
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationSerializer, **errors(400, 403, 404, 409, 428)},
    ),
)
class OrganisationViewSet(VersionedUpdateMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = OrganisationSerializer
    input_serializers = {
        "create": OrganisationCreateSerializer,
        "update": OrganisationUpdateSerializer,
        "partial_update": OrganisationUpdateSerializer,
    }
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ("name", "created_at")
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_for(self.actor)

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        organisation = services.organisation_create(actor=self.actor, **data)
        return self.render(self.reload(organisation.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Organisation:
        return access_organisation(self.actor, pk, write=True).obj

    def apply_update(
        self, instance: Organisation, changes: dict[str, Any], version: int | None
    ) -> Organisation:
        return services.organisation_update(
            organisation=instance,
            actor=self.actor,
            version=version,
            name=changes.get("name", instance.name),
        )


@extend_schema(tags=["organisations"])
@extend_schema_view(
    list=extend_schema(summary="Members of your organisations."),
    retrieve=extend_schema(
        summary="One membership.", responses={200: MembershipSerializer, **errors(404)}
    ),
    update=extend_schema(
        summary="Change someone's organisation role (admins).",
        parameters=[IF_MATCH],
        request=MembershipUpdateSerializer,
        responses={200: MembershipSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    partial_update=extend_schema(
        summary="Change someone's organisation role (admins).",
        parameters=[IF_MATCH],
        request=MembershipUpdateSerializer,
        responses={200: MembershipSerializer, **errors(400, 403, 404, 409, 428)},
    ),
    destroy=extend_schema(
        summary="Remove someone from the organisation (admins; never the last admin).",
        responses={204: None, **errors(400, 403, 404)},
    ),
)
class MembershipViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = MembershipSerializer
    input_serializers = {
        "update": MembershipUpdateSerializer,
        "partial_update": MembershipUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = MembershipFilter
    ordering_fields = ("created_at", "role", "user__email", "user__full_name")
    ordering = ("organisation__name", "user__email")

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.filter(
            organisation__in=organisations_for(self.actor).values("pk")
        ).select_related("user")

    def fetch_for_update(self, pk: int) -> Membership:
        return access_membership(self.actor, pk, write=True).obj

    fetch_for_removal = fetch_for_update

    def apply_update(
        self, instance: Membership, changes: dict[str, Any], version: int | None
    ) -> Membership:
        return services.membership_change_role(
            membership=instance,
            role=changes.get("role", instance.role),
            version=version,
            actor=self.actor,
        )

    def apply_removal(self, instance: Membership) -> None:
        services.membership_remove(membership=instance, actor=self.actor)


@extend_schema(tags=["organisations"])
@extend_schema_view(
    list=extend_schema(summary="Invitations of the organisations you administer."),
    retrieve=extend_schema(
        summary="One invitation (admins).",
        responses={200: InvitationSerializer, **errors(403, 404)},
    ),
    create=extend_schema(
        summary="Invite someone to an organisation (admins). It is emailed to them.",
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer, **errors(400, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Revoke a pending invitation (admins).",
        responses={204: None, **errors(400, 403, 404)},
    ),
)
class InvitationViewSet(RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = InvitationSerializer
    input_serializers = {"create": InvitationCreateSerializer}
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = InvitationFilter
    ordering_fields = ("created_at", "expires_at", "email")
    ordering = ("-created_at",)

    def get_queryset(self) -> QuerySet[Invitation]:
        user = self.actor
        if not user.is_authenticated:  # only the schema generator gets here anonymously
            return Invitation.objects.none()
        administered = organisations_for(user).filter(my_role=OrgRole.ADMIN)
        return Invitation.objects.filter(organisation__in=administered.values("pk")).select_related(
            "invited_by"
        )

    def get_object(self) -> Invitation:
        # Members of the organisation get a 403 (they know it exists), outsiders a 404.
        return access_invitation(self.actor, int(self.kwargs["pk"])).obj

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        require_org_action(data["organisation"], OrgAction.MANAGE_MEMBERS)
        invitation = services.invitation_create(actor=self.actor, **data)
        return self.render(invitation, status.HTTP_201_CREATED)

    def fetch_for_removal(self, pk: int) -> Invitation:
        return access_invitation(self.actor, pk, write=True).obj

    def apply_removal(self, instance: Invitation) -> None:
        services.invitation_revoke(invitation=instance, actor=self.actor)

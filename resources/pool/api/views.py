"""Endpoints of the resource pool: resources, roles, skills, time off and cost rates; and of
who works where: allocations and task assignments.

Thin as everywhere: a scoped queryset (an id outside it is a 404), the permission check, one
selector, the result rendered. The pool belongs to the organisation (every member reads it; rates
only its admins: OrgAction.VIEW_RATES); allocations and assignments belong to a project
(everyone with a role reads them; costs only with ProjectAction.VIEW_MONEY).
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import row_access
from projects.models import Project, Task
from resources.access import (
    access_allocation,
    access_assignment,
    access_rate,
    access_resource,
    access_time_off,
    scoped,
    with_my_org_role,
)
from resources.api.serializers import (
    AllocationCreateSerializer,
    AllocationSerializer,
    AllocationUpdateSerializer,
    AssignmentCreateSerializer,
    AssignmentSerializer,
    AssignmentUpdateSerializer,
    CostRateCreateSerializer,
    CostRateSerializer,
    NamedCreateSerializer,
    ResourceCreateSerializer,
    ResourceRoleSerializer,
    ResourceSerializer,
    ResourceUpdateSerializer,
    SkillSerializer,
    TimeOffCreateSerializer,
    TimeOffSerializer,
)
from resources.models import (
    Allocation,
    Assignment,
    CostRate,
    Resource,
    ResourceRole,
    Skill,
    TimeOff,
)
from resources.pool.services import allocations as allocation_services
from resources.pool.services import assignments as assignment_services
from resources.pool.services import people as pool_services
from resources.pool.services import rates as rate_services
from tpm.api.filters import IdFilter
from tpm.api.viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    require_org_action,
)
from tpm.roles import ORG_PERMISSIONS, OrgAction, ProjectAction

RATE_ROLES = [role for role, actions in ORG_PERMISSIONS.items() if OrgAction.VIEW_RATES in actions]
WRITE = (400, 403, 404)
EDIT = (400, 403, 404, 409, 428)


class ReadViewSet(mixins.ListModelMixin, ScopedViewSet):
    """List and retrieve from the scoped queryset."""


def _require_plan(obj: Project | Task) -> None:
    """A project or task named in a body: its scoped field loaded it with the user's role."""
    if not row_access(obj).can(ProjectAction.PLAN):
        raise PermissionDenied("Only the project's planners allocate and assign resources.")


class ResourceFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    role = IdFilter(field_name="role_id")
    skill = IdFilter(field_name="skills", distinct=True)
    user = IdFilter(field_name="user_id")
    kind = django_filters.CharFilter()
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Resource
        fields = ("organisation", "role", "skill", "user", "kind", "is_active")


@extend_schema(tags=["resources"])
@extend_schema_view(
    list=extend_schema(summary="The resource pools of your organisations."),
    retrieve=extend_schema(
        summary="One resource of the pool.", responses={200: ResourceSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Add a person, equipment or a licence to the pool (organisation admins).",
        request=ResourceCreateSerializer,
        responses={201: ResourceSerializer, **errors(*WRITE)},
    ),
    update=extend_schema(
        summary="Edit a resource (organisation admins).",
        parameters=[IF_MATCH],
        request=ResourceUpdateSerializer,
        responses={200: ResourceSerializer, **errors(*EDIT)},
    ),
    partial_update=extend_schema(
        summary="Edit some fields of a resource; `is_active: false` takes it out of the pool.",
        parameters=[IF_MATCH],
        request=ResourceUpdateSerializer,
        responses={200: ResourceSerializer, **errors(*EDIT)},
    ),
)
class ResourceViewSet(VersionedUpdateMixin, ReadViewSet):
    serializer_class = ResourceSerializer
    input_serializers = {
        "create": ResourceCreateSerializer,
        "update": ResourceUpdateSerializer,
        "partial_update": ResourceUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ResourceFilter
    ordering_fields = ("name", "created_at")
    ordering = ("name", "pk")

    def get_queryset(self) -> QuerySet[Resource]:
        return (
            with_my_org_role(Resource.objects.all(), self.actor, "organisation")
            .select_related("user", "role")
            .prefetch_related("skills")
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        organisation = data.pop("organisation")
        require_org_action(organisation, OrgAction.MANAGE_RESOURCES)
        resource = pool_services.resource_create(
            organisation=organisation, actor=self.actor, **data
        )
        return self.render(self.reload(resource.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Resource:
        return access_resource(self.actor, pk, write=True).obj

    def apply_update(self, instance: Resource, changes: dict[str, Any], version: int | None) -> Any:
        active = changes.pop("is_active", None)
        if changes:
            instance = pool_services.resource_update(
                resource=instance, actor=self.actor, version=version, **changes
            )
            version = instance.version
        if active is not None:
            instance = pool_services.resource_set_active(
                resource=instance, actor=self.actor, active=active, version=version
            )
        return instance


class OrganisationFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")


def _organisation_list(model: Any, output: Any, noun: str, create: Any) -> type[ReadViewSet]:
    entity = model

    class Filter(OrganisationFilter):
        class Meta:
            model = entity
            fields = ("organisation",)

    @extend_schema(tags=["resources"])
    @extend_schema_view(
        list=extend_schema(summary=f"The {noun}s of your organisations' pools."),
        retrieve=extend_schema(summary=f"One {noun}.", responses={200: output, **errors(404)}),
        create=extend_schema(
            summary=f"Add a {noun} (organisation admins).",
            request=NamedCreateSerializer,
            responses={201: output, **errors(*WRITE)},
        ),
    )
    class ViewSet(ReadViewSet):
        serializer_class = output
        input_serializers = {"create": NamedCreateSerializer}
        filter_backends = [DjangoFilterBackend]
        filterset_class = Filter

        def get_queryset(self) -> QuerySet:
            return with_my_org_role(entity.objects.all(), self.actor, "organisation").order_by(
                "organisation", "name", "pk"
            )

        def create(self, request: Request) -> Response:
            data = self.validated_input()
            require_org_action(data["organisation"], OrgAction.MANAGE_RESOURCES)
            row = create(organisation=data["organisation"], actor=self.actor, name=data["name"])
            return Response(output(row).data, status=status.HTTP_201_CREATED)

    ViewSet.__name__ = ViewSet.__qualname__ = f"{model.__name__}ViewSet"
    return ViewSet


ResourceRoleViewSet = _organisation_list(
    ResourceRole, ResourceRoleSerializer, "resource role", pool_services.role_create
)
SkillViewSet = _organisation_list(Skill, SkillSerializer, "skill", pool_services.skill_create)


class TimeOffFilter(django_filters.FilterSet):
    resource = IdFilter(field_name="resource_id")
    from_date = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
    to_date = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = TimeOff
        fields = ("resource", "from_date", "to_date")


@extend_schema(tags=["resources"])
@extend_schema_view(
    list=extend_schema(summary="Personal time off in your organisations' pools."),
    retrieve=extend_schema(
        summary="One period of time off.", responses={200: TimeOffSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Record time off for a resource (organisation admins).",
        request=TimeOffCreateSerializer,
        responses={201: TimeOffSerializer, **errors(*WRITE)},
    ),
    destroy=extend_schema(
        summary="Remove time off (organisation admins).", responses={204: None, **errors(403, 404)}
    ),
)
class TimeOffViewSet(RemoveMixin, ReadViewSet):
    serializer_class = TimeOffSerializer
    input_serializers = {"create": TimeOffCreateSerializer}
    filter_backends = [DjangoFilterBackend]
    filterset_class = TimeOffFilter

    def get_queryset(self) -> QuerySet[TimeOff]:
        return with_my_org_role(
            TimeOff.objects.all(), self.actor, "resource__organisation"
        ).order_by("resource", "start_date", "pk")

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        resource = access_resource(self.actor, data.pop("resource").pk, write=True).obj
        row = pool_services.time_off_create(resource=resource, actor=self.actor, **data)
        return Response(TimeOffSerializer(row).data, status=status.HTTP_201_CREATED)

    def fetch_for_removal(self, pk: int) -> TimeOff:
        return access_time_off(self.actor, pk, write=True).obj

    def apply_removal(self, instance: TimeOff) -> None:
        pool_services.time_off_delete(time_off=instance, actor=self.actor)


class CostRateFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    resource = IdFilter(field_name="resource_id")
    role = IdFilter(field_name="role_id")

    class Meta:
        model = CostRate
        fields = ("organisation", "resource", "role")


@extend_schema(tags=["resources"])
@extend_schema_view(
    list=extend_schema(
        summary="Cost rates (organisation admins): effective-dated, per person or role."
    ),
    retrieve=extend_schema(
        summary="One cost rate.", responses={200: CostRateSerializer, **errors(403, 404)}
    ),
    create=extend_schema(
        summary="Add a rate from a date on (organisation admins); earlier rates stay as they are.",
        request=CostRateCreateSerializer,
        responses={201: CostRateSerializer, **errors(*WRITE)},
    ),
    destroy=extend_schema(
        summary="Remove a rate no approved time uses yet (organisation admins).",
        responses={204: None, **errors(400, 403, 404)},
    ),
)
class CostRateViewSet(RemoveMixin, ReadViewSet):
    serializer_class = CostRateSerializer
    input_serializers = {"create": CostRateCreateSerializer}
    filter_backends = [DjangoFilterBackend]
    filterset_class = CostRateFilter

    def get_queryset(self) -> QuerySet[CostRate]:
        if getattr(self, "swagger_fake_view", False):
            return CostRate.objects.none()
        return (
            with_my_org_role(CostRate.objects.all(), self.actor, "organisation")
            .filter(my_org_role__in=RATE_ROLES)  # type: ignore[misc]
            .select_related("created_by")
            .order_by("organisation", "resource", "role", "effective_from", "pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        owner = data.get("resource") or data.get("role")
        if owner is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"resource": ["Name the person (resource) or the role."]})
        for action in (OrgAction.VIEW_RATES, OrgAction.MANAGE_RESOURCES):
            if owner.my_org_role not in {r for r, a in ORG_PERMISSIONS.items() if action in a}:
                raise PermissionDenied("Only the organisation's admins set rates.")
        rate = rate_services.rate_create(organisation=owner.organisation, actor=self.actor, **data)
        return self.render(self.reload(rate.pk), status.HTTP_201_CREATED)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Members of the organisation see that the rate exists but not its amount: 403.
        return self.render(access_rate(self.actor, int(kwargs["pk"])).obj)

    def fetch_for_removal(self, pk: int) -> CostRate:
        return access_rate(self.actor, pk, write=True).obj

    def apply_removal(self, instance: CostRate) -> None:
        rate_services.rate_delete(rate=instance, actor=self.actor)


class AllocationFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    resource = IdFilter(field_name="resource_id")
    from_date = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
    to_date = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Allocation
        fields = ("project", "resource", "from_date", "to_date")


@extend_schema(tags=["resources"])
@extend_schema_view(
    list=extend_schema(summary="People allocated to the projects you have a role in."),
    retrieve=extend_schema(
        summary="One allocation.", responses={200: AllocationSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Allocate a resource to a project: a share of capacity over dates (planners).",
        request=AllocationCreateSerializer,
        responses={201: AllocationSerializer, **errors(*WRITE)},
    ),
    update=extend_schema(
        summary="Change an allocation (planners).",
        parameters=[IF_MATCH],
        request=AllocationUpdateSerializer,
        responses={200: AllocationSerializer, **errors(*EDIT)},
    ),
    partial_update=extend_schema(
        summary="Change some fields of an allocation (planners).",
        parameters=[IF_MATCH],
        request=AllocationUpdateSerializer,
        responses={200: AllocationSerializer, **errors(*EDIT)},
    ),
    destroy=extend_schema(
        summary="Remove an allocation (planners).", responses={204: None, **errors(403, 404)}
    ),
)
class AllocationViewSet(VersionedUpdateMixin, RemoveMixin, ReadViewSet):
    serializer_class = AllocationSerializer
    input_serializers = {
        "create": AllocationCreateSerializer,
        "update": AllocationUpdateSerializer,
        "partial_update": AllocationUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = AllocationFilter

    def get_queryset(self) -> QuerySet[Allocation]:
        return (
            scoped(Allocation, self.actor)
            .select_related("resource")
            .order_by("project", "start_date", "pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        project = data.pop("project")
        _require_plan(project)
        allocation = allocation_services.allocation_create(
            project=project, actor=self.actor, **data
        )
        return self.render(self.reload(allocation.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Allocation:
        return access_allocation(self.actor, pk, write=True).obj

    def apply_update(
        self, instance: Allocation, changes: dict[str, Any], version: int | None
    ) -> Any:
        return allocation_services.allocation_update(
            allocation=instance, actor=self.actor, version=version, **changes
        )

    def fetch_for_removal(self, pk: int) -> Allocation:
        return access_allocation(self.actor, pk, write=True).obj

    def apply_removal(self, instance: Allocation) -> None:
        allocation_services.allocation_delete(allocation=instance, actor=self.actor)


class AssignmentFilter(django_filters.FilterSet):
    project = IdFilter(field_name="task__project_id")
    task = IdFilter(field_name="task_id")
    resource = IdFilter(field_name="resource_id")

    class Meta:
        model = Assignment
        fields = ("project", "task", "resource")


@extend_schema(tags=["resources"])
@extend_schema_view(
    list=extend_schema(summary="Resources assigned to tasks of the projects you have a role in."),
    retrieve=extend_schema(
        summary="One assignment.", responses={200: AssignmentSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Assign a resource to a task with units and work (planners).",
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer, **errors(*WRITE)},
    ),
    update=extend_schema(
        summary="Change units or work (planners).",
        parameters=[IF_MATCH],
        request=AssignmentUpdateSerializer,
        responses={200: AssignmentSerializer, **errors(*EDIT)},
    ),
    partial_update=extend_schema(
        summary="Change units or work (planners).",
        parameters=[IF_MATCH],
        request=AssignmentUpdateSerializer,
        responses={200: AssignmentSerializer, **errors(*EDIT)},
    ),
    destroy=extend_schema(
        summary="Take a resource off a task (planners).", responses={204: None, **errors(403, 404)}
    ),
)
class AssignmentViewSet(VersionedUpdateMixin, RemoveMixin, ReadViewSet):
    serializer_class = AssignmentSerializer
    input_serializers = {
        "create": AssignmentCreateSerializer,
        "update": AssignmentUpdateSerializer,
        "partial_update": AssignmentUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssignmentFilter

    def get_queryset(self) -> QuerySet[Assignment]:
        return (
            scoped(Assignment, self.actor, "task__project")
            .filter(task__deleted_at__isnull=True)
            .select_related("task", "resource")
            .order_by("task__project", "task", "pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        task = data.pop("task")
        _require_plan(task)
        from projects.models import Task

        task = Task.objects.select_related("project").get(pk=task.pk)
        assignment = assignment_services.assignment_create(task=task, actor=self.actor, **data)
        return self.render(self.reload(assignment.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> Assignment:
        return access_assignment(self.actor, pk, write=True).obj

    def apply_update(
        self, instance: Assignment, changes: dict[str, Any], version: int | None
    ) -> Any:
        return assignment_services.assignment_update(
            assignment=instance, actor=self.actor, version=version, **changes
        )

    def fetch_for_removal(self, pk: int) -> Assignment:
        return access_assignment(self.actor, pk, write=True).obj

    def apply_removal(self, instance: Assignment) -> None:
        assignment_services.assignment_delete(assignment=instance, actor=self.actor)

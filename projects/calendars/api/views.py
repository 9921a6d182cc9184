"""Endpoints for working calendars, their exceptions, and the calendar a project follows.

Everyone in an organisation reads its calendars. Its admins manage the organisation's calendars;
a project's managers also manage that project's own calendars. Every change reschedules the
projects it affects (projects/calendars/services.py).
"""

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, generics, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from projects.access import (
    access_calendar,
    access_calendar_exception,
    access_project,
    calendar_exceptions_for,
    calendars_for,
    can_manage_calendar,
    may_manage_calendars,
    projects_for,
)
from projects.calendars import services as calendar_services
from projects.models import CalendarException, Project, WorkCalendar
from tpm.access import organisations_for
from tpm.api.fields import ScopedPrimaryKeyRelatedField
from tpm.api.filters import IdFilter
from tpm.api.serializers import InputSerializer, version_field
from tpm.api.viewsets import (
    IF_MATCH,
    RemoveMixin,
    ScopedViewSet,
    VersionedUpdateMixin,
    errors,
    etag,
    requested_version,
)
from tpm.models import Organisation, User
from tpm.roles import ProjectAction

WEEKDAYS_HELP = (
    "Working weekdays, 0 (Monday) to 6 (Sunday). Default: Monday to Friday. "
    "Sent without `working_week`: these days work (`working_times`, or their own hours), "
    "the others are off."
)
TIMES_HELP = 'Working hours of a day as ["HH:MM", "HH:MM"] pairs, in order, not overlapping.'
SINGLE_TIMES_HELP = (
    TIMES_HELP + " Sent without `working_week`: the hours of every working day (the older way "
    "of setting a calendar). Read: the hours of the ordinary working day."
)
WEEK_HELP = (
    "Each weekday's working hours, seven lists Monday first, each of "
    '["HH:MM", "HH:MM"] pairs in order, not overlapping; [] is a day off. '
    "At least one day works. Default: 08:00-12:00 and 13:00-17:00, Monday to Friday."
)


def working_times_field(**kwargs: Any) -> serializers.ListField:
    kwargs.setdefault("help_text", TIMES_HELP)
    return serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        **kwargs,
    )


def working_week_field(**kwargs: Any) -> serializers.ListField:
    day = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        allow_empty=True,
    )
    return serializers.ListField(
        child=day, min_length=7, max_length=7, help_text=WEEK_HELP, **kwargs
    )


def weekdays_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(), help_text=WEEKDAYS_HELP, **kwargs
    )


# --- serializers --------------------------------------------------------------------------------


class CalendarExceptionSerializer(serializers.ModelSerializer):
    working_times = working_times_field(read_only=True)

    class Meta:
        model = CalendarException
        fields = ("id", "calendar", "name", "first_day", "last_day", "working", "working_times")
        read_only_fields = fields


class CalendarSerializer(serializers.ModelSerializer):
    working_week = working_week_field(read_only=True)
    working_weekdays = weekdays_field(read_only=True)
    working_times = working_times_field(read_only=True)
    minutes_per_day = serializers.IntegerField(
        read_only=True, help_text="Working minutes in an ordinary working day."
    )
    exceptions = CalendarExceptionSerializer(many=True, read_only=True)
    can_manage = serializers.SerializerMethodField(help_text="Whether you may change it.")

    class Meta:
        model = WorkCalendar
        fields = (
            "id",
            "organisation",
            "project",
            "name",
            "is_organisation_default",
            "working_week",
            "working_weekdays",
            "working_times",
            "minutes_per_day",
            "exceptions",
            "can_manage",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_can_manage(self, calendar: WorkCalendar) -> bool:
        return can_manage_calendar(calendar)


class CalendarCreateSerializer(InputSerializer):
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation, scope=organisations_for, noun="organisation"
    )
    project = ScopedPrimaryKeyRelatedField(
        model=Project,
        scope=projects_for,
        noun="project",
        required=False,
        allow_null=True,
        help_text="Set: a calendar of this project only (its managers manage it).",
    )
    name = serializers.CharField(max_length=120)
    is_organisation_default = serializers.BooleanField(default=False)
    working_week = working_week_field(required=False)
    working_weekdays = weekdays_field(required=False)
    working_times = working_times_field(required=False, help_text=SINGLE_TIMES_HELP)


class CalendarUpdateSerializer(InputSerializer):
    """PUT sends every field (the week as `working_week`, or as `working_weekdays` and
    `working_times`); PATCH any of them."""

    name = serializers.CharField(max_length=120)
    is_organisation_default = serializers.BooleanField()
    working_week = working_week_field(required=False)
    working_weekdays = weekdays_field(required=False)
    working_times = working_times_field(required=False, help_text=SINGLE_TIMES_HELP)
    version = version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        legacy = {"working_weekdays", "working_times"}
        if not self.partial and "working_week" not in attrs and not legacy <= set(attrs):
            raise serializers.ValidationError(
                {"working_week": "Send each day's hours (or working_weekdays and working_times)."}
            )
        return attrs


class CalendarExceptionCreateSerializer(InputSerializer):
    calendar = ScopedPrimaryKeyRelatedField(
        model=WorkCalendar, scope=calendars_for, noun="calendar"
    )
    name = serializers.CharField(max_length=120)
    first_day = serializers.DateField()
    last_day = serializers.DateField(required=False, help_text="Left out: the first day.")
    working = serializers.BooleanField(
        default=False, help_text="False: a holiday. True: a working day with its own hours."
    )
    working_times = working_times_field(required=False)


class ProjectCalendarSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ("id", "calendar", "version")
        read_only_fields = fields


class ProjectCalendarUpdateSerializer(InputSerializer):
    calendar = ScopedPrimaryKeyRelatedField(
        model=WorkCalendar,
        scope=calendars_for,
        noun="calendar",
        allow_null=True,
        help_text="A calendar of the organisation or of this project; null: the default.",
    )
    version = version_field()


# --- calendars ----------------------------------------------------------------------------------


class CalendarFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    project = IdFilter(field_name="project_id")
    organisation_wide = django_filters.BooleanFilter(
        field_name="project", lookup_expr="isnull", label="Only calendars of no one project."
    )
    is_organisation_default = django_filters.BooleanFilter()

    class Meta:
        model = WorkCalendar
        fields = ("organisation", "project", "organisation_wide", "is_organisation_default")


_UPDATE_CALENDAR = extend_schema(
    summary="Change a calendar (org admins; a project's managers for its own calendars).",
    description="The projects that follow the calendar are rescheduled.",
    parameters=[IF_MATCH],
    request=CalendarUpdateSerializer,
    responses={200: CalendarSerializer, **errors(400, 403, 404, 409, 428)},
)


@extend_schema(tags=["calendars"])
@extend_schema_view(
    list=extend_schema(summary="Working calendars of your organisations, with their exceptions."),
    retrieve=extend_schema(
        summary="One calendar.", responses={200: CalendarSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Add a calendar to an organisation (admins) or to a project (its managers).",
        request=CalendarCreateSerializer,
        responses={201: CalendarSerializer, **errors(400, 403, 404)},
    ),
    update=_UPDATE_CALENDAR,
    partial_update=_UPDATE_CALENDAR,
    destroy=extend_schema(
        summary="Delete a calendar that nothing uses (400 saying what uses it otherwise).",
        responses={204: None, **errors(400, 403, 404)},
    ),
)
class CalendarViewSet(VersionedUpdateMixin, RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = CalendarSerializer
    input_serializers = {
        "create": CalendarCreateSerializer,
        "update": CalendarUpdateSerializer,
        "partial_update": CalendarUpdateSerializer,
    }
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = CalendarFilter
    ordering_fields = ("name", "created_at")
    ordering = ("organisation_id", "-is_organisation_default", "name", "pk")

    def get_queryset(self) -> QuerySet[WorkCalendar]:
        exceptions = CalendarException.objects.order_by("first_day", "pk")
        return calendars_for(self.actor).prefetch_related(
            Prefetch("exceptions", queryset=exceptions)
        )

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        organisation, project = data["organisation"], data.get("project")
        if not may_manage_calendars(
            org_role=organisation.my_role,
            project_role=getattr(project, "my_role", None),
            for_project=project is not None,
        ):
            raise PermissionDenied("Only organisation admins (or the project's managers) add this.")
        calendar = calendar_services.calendar_create(actor=self.actor, **data)
        return self.render(self.reload(calendar.pk), status.HTTP_201_CREATED)

    def fetch_for_update(self, pk: int) -> WorkCalendar:
        return access_calendar(self.actor, pk, write=True).obj

    def apply_update(
        self, instance: WorkCalendar, changes: dict[str, Any], version: int | None
    ) -> WorkCalendar:
        return calendar_services.calendar_update(
            calendar=instance, actor=self.actor, version=version, **changes
        )

    fetch_for_removal = fetch_for_update

    def apply_removal(self, instance: WorkCalendar) -> None:
        calendar_services.calendar_delete(calendar=instance, actor=self.actor)


# --- calendar exceptions ------------------------------------------------------------------------


class CalendarExceptionFilter(django_filters.FilterSet):
    calendar = IdFilter(field_name="calendar_id")

    class Meta:
        model = CalendarException
        fields = ("calendar",)


@extend_schema(tags=["calendars"])
@extend_schema_view(
    list=extend_schema(summary="Holidays and special days of the calendars you can see."),
    retrieve=extend_schema(
        summary="One calendar exception.",
        responses={200: CalendarExceptionSerializer, **errors(404)},
    ),
    create=extend_schema(
        summary="Add a holiday or a day with other hours to a calendar (its managers).",
        description="The projects that follow the calendar are rescheduled.",
        request=CalendarExceptionCreateSerializer,
        responses={201: CalendarExceptionSerializer, **errors(400, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a calendar exception (its calendar's managers).",
        responses={204: None, **errors(403, 404)},
    ),
)
class CalendarExceptionViewSet(RemoveMixin, mixins.ListModelMixin, ScopedViewSet):
    serializer_class = CalendarExceptionSerializer
    input_serializers = {"create": CalendarExceptionCreateSerializer}
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = CalendarExceptionFilter
    ordering_fields = ("first_day", "name")
    ordering = ("calendar_id", "first_day", "pk")

    def get_queryset(self) -> QuerySet[CalendarException]:
        return calendar_exceptions_for(self.actor)

    def create(self, request: Request) -> Response:
        data = self.validated_input()
        if not can_manage_calendar(data["calendar"]):
            raise PermissionDenied("Only the people who manage this calendar change it.")
        exception = calendar_services.exception_add(actor=self.actor, **data)
        return self.render(exception, status.HTTP_201_CREATED)

    def fetch_for_removal(self, pk: int) -> CalendarException:
        return access_calendar_exception(self.actor, pk, write=True).obj

    def apply_removal(self, instance: CalendarException) -> None:
        calendar_services.exception_remove(exception=instance, actor=self.actor)


# --- the calendar a project follows -------------------------------------------------------------


@extend_schema(tags=["calendars"])
class ProjectCalendarView(generics.GenericAPIView):
    """`/projects/{id}/calendar/`: which calendar the project's durations are measured in."""

    serializer_class = ProjectCalendarSerializer
    queryset = Project.objects.none()  # names the model for the schema; reads go through access

    @property
    def actor(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def _render(self, project: Project) -> Response:
        response = Response(self.get_serializer(project).data)
        response["ETag"] = etag(project)
        return response

    @extend_schema(
        summary="The project's calendar (null: the organisation's default).",
        responses={200: ProjectCalendarSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return self._render(access_project(self.actor, pk).obj)

    @extend_schema(
        summary="Put the project on a calendar (managers); the project is rescheduled.",
        parameters=[IF_MATCH],
        request=ProjectCalendarUpdateSerializer,
        responses={200: ProjectCalendarSerializer, **errors(400, 403, 404, 409, 428)},
    )
    def put(self, request: Request, pk: int) -> Response:
        project = access_project(self.actor, pk, action=ProjectAction.EDIT).obj
        serializer = ProjectCalendarUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = requested_version(request, data)
        updated = calendar_services.project_set_calendar(
            project=project, calendar=data.get("calendar"), actor=self.actor, version=version
        )
        return self._render(updated)

    def conflict_representation(self, current: Project) -> Any:
        return self.get_serializer(current).data

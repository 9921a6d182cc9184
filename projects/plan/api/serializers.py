"""Serializers for tasks, their links and the project schedule (validate and render only).

Durations: `duration_minutes` (working minutes of the task's calendar) is the canonical value,
what the plan stores and what every answer shows. A body may send `duration_days` instead (a
decimal); the endpoint converts it with the working minutes per day of the task's calendar, or
of the project's calendar when the task has none (480 for the standard 8-hour day). A summary's
`duration_minutes` is the working time its tasks span, in its calendar (projects/schedule/
rollup.py), as the plan page, the exports and MS Project files show it; sending another is a 400.
"""

from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any, cast

from rest_framework import serializers

from projects.access import calendars_for, projects_for, tasks_for
from projects.models import (
    ConstraintType,
    Dependency,
    LinkType,
    Project,
    Task,
    TaskStatus,
    WorkCalendar,
)
from projects.plan import services as task_services
from projects.schedule.durations import MAX_MINUTES
from tpm import money
from tpm.api.fields import EnumChoiceField, ScopedObjectNotFound, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import (
    InputSerializer,
    ModelInputSerializer,
    UserSummarySerializer,
    users_visible_to,
    version_field,
)
from tpm.models import User


def task_status_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="TaskStatus", choices=TaskStatus.choices, **kwargs)


def constraint_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="ConstraintType", choices=ConstraintType.choices, **kwargs)


def link_type_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="LinkType", choices=LinkType.choices, **kwargs)


class ScopedManyRelatedField(serializers.ManyRelatedField):
    """A list of scoped ids; one outside the caller's scope is a 404 naming this field."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except ScopedObjectNotFound as exc:
            raise ScopedObjectNotFound(field=self.field_name or "", detail=str(exc.detail)) from exc


def task_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Task, scope=tasks_for, noun="task", **kwargs)


def calendar_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=WorkCalendar,
        scope=calendars_for,
        noun="calendar",
        required=False,
        allow_null=True,
        help_text="A calendar of the project's organisation; null: the project's calendar.",
        **kwargs,
    )


def assignees_field() -> ScopedManyRelatedField:
    return ScopedManyRelatedField(
        child_relation=ScopedPrimaryKeyRelatedField(
            model=User, scope=users_visible_to, noun="user"
        ),
        required=False,
        help_text="Ids of people with a role in the project (the whole list; [] clears it).",
    )


DURATION_DAYS_HELP = (
    "Alternative to `duration_minutes`: working days, converted with the working minutes per "
    "day of the task's calendar (else the project's) and rounded half up to a whole minute, "
    "as the task page does. Send one of the two."
)


def duration_days_field() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=8,
        decimal_places=3,
        min_value=0,
        required=False,
        coerce_to_string=False,
        help_text=DURATION_DAYS_HELP,
    )


# --- output -----------------------------------------------------------------------------------


class PredecessorSerializer(serializers.ModelSerializer):
    """A link into the task, from the predecessor's side."""

    task = serializers.IntegerField(source="predecessor_id", read_only=True)
    name = serializers.CharField(source="predecessor.name", read_only=True)
    wbs_code = serializers.CharField(source="predecessor.wbs_code", read_only=True)
    project = serializers.IntegerField(source="predecessor.project_id", read_only=True)
    type = link_type_field(read_only=True)

    class Meta:
        model = Dependency
        fields = ("id", "task", "name", "wbs_code", "project", "type", "lag_minutes", "version")
        read_only_fields = fields


def hide_money(data: dict[str, Any], role: str | None) -> dict[str, Any]:
    """Costs are null for roles that may not see money: they give people's rates away (the
    rule and the list of amounts: tpm/money.py)."""
    return cast(dict[str, Any], money.hide(data, money=money.sees_money(role)))


class TaskSerializer(serializers.ModelSerializer):
    """A task as planned, as scheduled (computed, read-only) and as reported. `cost` and
    `actual_cost` are null for people whose role does not show money."""

    def to_representation(self, instance: Task) -> dict[str, Any]:
        data = super().to_representation(instance)
        role = getattr(instance, "my_role", None)
        return hide_money(data, role) if hasattr(instance, "my_role") else data

    status = task_status_field(read_only=True)
    constraint_type = constraint_field(read_only=True)
    assignees = UserSummarySerializer(many=True, read_only=True)
    predecessors = PredecessorSerializer(many=True, read_only=True, source="predecessor_links")

    class Meta:
        model = Task
        fields = (
            "id",
            "project",
            "parent",
            "position",
            "wbs_code",
            "name",
            "notes",
            "is_milestone",
            "is_summary",
            "duration_minutes",
            "effort_hours",
            "remaining_hours",
            "cost",
            "actual_cost",
            "deadline",
            "constraint_type",
            "constraint_date",
            "is_manual",
            "manual_start",
            "manual_finish",
            "calendar",
            "assignees",
            "status",
            "percent_complete",
            "actual_start",
            "actual_finish",
            "start",
            "finish",
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
            "total_float_minutes",
            "free_float_minutes",
            "is_critical",
            "predecessors",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class DependencySerializer(serializers.ModelSerializer):
    type = link_type_field(read_only=True)
    project = serializers.IntegerField(
        source="successor.project_id", read_only=True, help_text="The successor's project."
    )
    predecessor_name = serializers.CharField(source="predecessor.name", read_only=True)
    successor_name = serializers.CharField(source="successor.name", read_only=True)

    class Meta:
        model = Dependency
        fields = (
            "id",
            "predecessor",
            "predecessor_name",
            "successor",
            "successor_name",
            "project",
            "type",
            "lag_minutes",
            "version",
            "created_at",
        )
        read_only_fields = fields


# Describes the schedule endpoint's answer (the schema). The endpoint renders it from plain rows
# with `schedule_task_data` below, tested to give what `TaskSerializer` gives for each task.
class ProjectScheduleSerializer(serializers.Serializer):
    """The computed plan of one project: its span and critical path, and a page of its tasks."""

    project = serializers.IntegerField()
    start = serializers.DateTimeField(allow_null=True, help_text="Earliest task start.")
    finish = serializers.DateTimeField(allow_null=True, help_text="Latest task finish.")
    status_date = serializers.DateField(allow_null=True)
    minutes_per_day = serializers.IntegerField(
        help_text="Working minutes in a day of the project's calendar (to show days)."
    )
    critical_path = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the critical tasks (not summaries), in order of early start.",
    )
    count = serializers.IntegerField(help_text="Tasks in the whole plan.")
    next = serializers.URLField(
        allow_null=True, help_text="The next page of tasks (a `cursor` link), or null."
    )
    previous = serializers.URLField(allow_null=True, help_text="The page before, or null.")
    tasks = TaskSerializer(
        many=True,
        help_text="A page of tasks in outline order (all their fields, or those of `fields`).",
    )


# --- the schedule from plain rows ---------------------------------------------------------------
#
# Thousands of tasks through `TaskSerializer` cost seconds (a field object per value, a nested
# serializer per link and person); the schedule is read-only, so it is rendered from the
# selectors' dicts directly, the way DRF's fields would render each value.


def render_instant(value: datetime | None, zone: tzinfo) -> str | None:
    """As `serializers.DateTimeField` renders an aware instant: ISO 8601 in the current zone."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


_EFFORT_FIELD = serializers.DecimalField(max_digits=10, decimal_places=2)  # as the model's
_MONEY_FIELD = serializers.DecimalField(max_digits=14, decimal_places=2)


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else _EFFORT_FIELD.to_representation(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else _MONEY_FIELD.to_representation(value)


def schedule_task_data(
    row: dict[str, Any],
    *,
    assignees: list[dict[str, Any]],
    links: list[dict[str, Any]],
    zone: tzinfo,
) -> dict[str, Any]:
    """One task as `TaskSerializer` renders it, from `task_selectors.outline_values` rows."""
    effort = row["effort_hours"]
    return {
        "id": row["id"],
        "project": row["project_id"],
        "parent": row["parent_id"],
        "position": row["position"],
        "wbs_code": row["wbs_code"],
        "name": row["name"],
        "notes": row["notes"],
        "is_milestone": row["is_milestone"],
        "is_summary": row["is_summary"],
        "duration_minutes": row["duration_minutes"],
        "effort_hours": None if effort is None else _EFFORT_FIELD.to_representation(effort),
        "remaining_hours": _hours(row["remaining_hours"]),
        "cost": _money(row["cost"]),
        "actual_cost": _money(row["actual_cost"]),
        "deadline": _day(row["deadline"]),
        "constraint_type": row["constraint_type"],
        "constraint_date": render_instant(row["constraint_date"], zone),
        "is_manual": row["is_manual"],
        "manual_start": render_instant(row["manual_start"], zone),
        "manual_finish": render_instant(row["manual_finish"], zone),
        "calendar": row["calendar_id"],
        "assignees": [
            {
                "id": person["id"],
                "email": person["email"],
                "full_name": person["full_name"],
                "display_name": person["full_name"] or person["email"],
            }
            for person in assignees
        ],
        "status": row["status"],
        "percent_complete": row["percent_complete"],
        "actual_start": render_instant(row["actual_start"], zone),
        "actual_finish": render_instant(row["actual_finish"], zone),
        "start": render_instant(row["start"], zone),
        "finish": render_instant(row["finish"], zone),
        "early_start": render_instant(row["early_start"], zone),
        "early_finish": render_instant(row["early_finish"], zone),
        "late_start": render_instant(row["late_start"], zone),
        "late_finish": render_instant(row["late_finish"], zone),
        "total_float_minutes": row["total_float_minutes"],
        "free_float_minutes": row["free_float_minutes"],
        "is_critical": row["is_critical"],
        "predecessors": [
            {
                "id": link["id"],
                "task": link["predecessor_id"],
                "name": link["predecessor__name"],
                "wbs_code": link["predecessor__wbs_code"],
                "project": link["predecessor__project_id"],
                "type": link["type"],
                "lag_minutes": link["lag_minutes"],
                "version": link["version"],
            }
            for link in links
        ],
        "version": row["version"],
        "created_at": render_instant(row["created_at"], zone),
        "updated_at": render_instant(row["updated_at"], zone),
    }


# --- input ------------------------------------------------------------------------------------

# What a planner may change: the service's list, so the API and the rule cannot drift apart.
_PLAN_FIELDS = task_services.PLAN_FIELDS


class _DurationMixin:
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "duration_minutes" in attrs and "duration_days" in attrs:
            raise serializers.ValidationError(
                {"duration_days": ["Give `duration_minutes` or `duration_days`, not both."]}
            )
        return attrs


def duration_minutes_field() -> serializers.IntegerField:
    # The durations rule's bound (projects/schedule/durations.py), not the column's.
    return serializers.IntegerField(min_value=0, max_value=MAX_MINUTES, required=False)


def lag_minutes_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=-MAX_MINUTES,
        max_value=MAX_MINUTES,
        help_text="Working minutes of the successor's calendar; negative: a lead.",
        **kwargs,
    )


class TaskCreateSerializer(_DurationMixin, ModelInputSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    parent = task_field(  # type: ignore[assignment]  # (Field.parent is DRF's own attribute)
        required=False, allow_null=True, help_text="A task of the same project; null: top level."
    )
    calendar = calendar_field()
    assignees = assignees_field()
    constraint_type = constraint_field(required=False)
    duration_minutes = duration_minutes_field()
    duration_days = duration_days_field()

    class Meta(ModelInputSerializer.Meta):
        model = Task
        fields = (
            "project",
            "parent",
            "is_milestone",
            *_PLAN_FIELDS,
            "duration_days",
            "assignees",
        )


class TaskUpdateSerializer(_DurationMixin, ModelInputSerializer):
    calendar = calendar_field()
    assignees = assignees_field()
    constraint_type = constraint_field(required=False)
    duration_minutes = duration_minutes_field()
    duration_days = duration_days_field()
    version = version_field()

    class Meta(ModelInputSerializer.Meta):
        model = Task
        fields = (*_PLAN_FIELDS, "duration_days", "assignees", "version")


class TaskProgressSerializer(InputSerializer):
    status = task_status_field(required=False)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100, required=False)
    actual_start = serializers.DateTimeField(required=False, allow_null=True)
    actual_finish = serializers.DateTimeField(required=False, allow_null=True)
    remaining_hours = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text="Work left in hours, as the person doing it sees it.",
    )
    version = version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not set(attrs) - {"version"}:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "Report a status, a percentage, actual dates or the hours left."
                    ]
                }
            )
        return attrs


class TaskMoveSerializer(InputSerializer):
    parent = task_field(  # type: ignore[assignment]
        allow_null=True, help_text="The new parent (a task of the same project); null: top level."
    )
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="Place among the new siblings; left out: last."
    )
    version = version_field()


class DependencyCreateSerializer(InputSerializer):
    predecessor = task_field(help_text="Any task you can see in the same organisation.")
    successor = task_field(help_text="A task of a project you plan.")
    type = link_type_field(default=LinkType.FS)
    lag_minutes = lag_minutes_field(default=0)


class DependencyUpdateSerializer(InputSerializer):
    """PUT sends both; PATCH either."""

    type = link_type_field()
    lag_minutes = lag_minutes_field()
    version = version_field()

"""Serializers for baselines: the light list item, a baseline's rows, and a comparison."""

from rest_framework import serializers

from projects.access import projects_for
from projects.baselines.compare import RowKind
from projects.models import Baseline, BaselineTask, Project
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import InputSerializer, UserSummarySerializer


class BaselineSerializer(serializers.ModelSerializer):
    """A baseline without its rows (`tasks/` lists them; `comparison/` compares them)."""

    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Baseline
        fields = (
            "id",
            "project",
            "name",
            "note",
            "created_by",
            "created_at",
            "project_start",
            "project_finish",
            "task_count",
        )
        read_only_fields = fields


class BaselineCreateSerializer(InputSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    name = serializers.CharField(max_length=120, help_text="Unique in the project.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BaselineTaskSerializer(serializers.ModelSerializer):
    """One task as the baseline saw it. `task` is null once the task itself is purged."""

    class Meta:
        model = BaselineTask
        fields = (
            "id",
            "task",
            "task_name",
            "wbs_code",
            "start",
            "finish",
            "duration_minutes",
            "effort_hours",
            "cost",
            "is_milestone",
            "is_summary",
        )
        read_only_fields = fields


def _days(**kwargs: object) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
        **kwargs,  # type: ignore[arg-type]
    )


class TaskVarianceSerializer(serializers.Serializer):
    """One row of a comparison. Variances are working days; positive is late (or longer)."""

    kind = EnumChoiceField(
        enum_name="VarianceKind",
        choices=[(kind.value, kind.value) for kind in RowKind],
        read_only=True,
        help_text="same: in both; added: not in the baseline; removed: gone from the plan.",
    )
    task = serializers.IntegerField(allow_null=True, read_only=True)
    wbs_code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    is_milestone = serializers.BooleanField(read_only=True)
    baseline_start = serializers.DateTimeField(allow_null=True, read_only=True)
    baseline_finish = serializers.DateTimeField(allow_null=True, read_only=True)
    start = serializers.DateTimeField(allow_null=True, read_only=True)
    finish = serializers.DateTimeField(allow_null=True, read_only=True)
    start_variance_days = _days()
    finish_variance_days = _days()
    duration_variance_days = _days()


class ComparisonSummarySerializer(serializers.Serializer):
    """Figures over every task of the comparison, whatever page or filter is asked for."""

    total = serializers.IntegerField(read_only=True)
    added = serializers.IntegerField(read_only=True)
    removed = serializers.IntegerField(read_only=True)
    slipped = serializers.IntegerField(read_only=True, help_text="In both, finishing later.")
    early = serializers.IntegerField(read_only=True, help_text="In both, finishing earlier.")
    unchanged = serializers.IntegerField(
        read_only=True, help_text="In both, with no start, finish or duration variance."
    )
    changed = serializers.IntegerField(read_only=True, help_text="Every row but the unchanged.")
    biggest_slip = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="The task whose finish slipped the most."
    )
    biggest_slip_days = _days()
    total_slip_days = _days(help_text="The slipped tasks' finish variances added up.")


class BaselineComparisonSerializer(serializers.Serializer):
    baseline = serializers.IntegerField(read_only=True)
    minutes_per_day = serializers.IntegerField(
        read_only=True, help_text="Working minutes in a day of the project's calendar."
    )
    baseline_finish = serializers.DateTimeField(read_only=True)
    finish = serializers.DateTimeField(
        allow_null=True, read_only=True, help_text="The plan's finish now."
    )
    finish_variance_days = _days(help_text="The project's finish now against the baseline's.")
    slipped_milestones = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Ids of milestones that now finish later than baselined.",
    )
    summary = ComparisonSummarySerializer(read_only=True)
    count = serializers.IntegerField(
        read_only=True, help_text="Rows kept by `show` in all pages (`summary` counts every one)."
    )
    next = serializers.URLField(
        allow_null=True, read_only=True, help_text="The next page of rows; null on the last."
    )
    tasks = TaskVarianceSerializer(
        many=True, read_only=True, help_text="One page of rows (`page_size`, `cursor`)."
    )

"""Serializers of the register's API: output shapes and strict input bodies.

Ids in bodies go through scoped fields (another organisation's id is a 404 naming the field);
whether an owner has a role in the project, or a rating is on the scale, is the service's rule.
"""

from typing import Any

from rest_framework import serializers

from projects.access import projects_for, tasks_for
from projects.models import Project, Task
from tpm.access import organisations_for
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import (
    InputSerializer,
    ModelInputSerializer,
    UserSummarySerializer,
    users_visible_to,
    version_field,
)
from tpm.models import Organisation, User
from tpm.money import MoneySerializerMixin

from .. import scoring
from ..access import risks_for
from ..models import (
    Assumption,
    Decision,
    ExternalDependency,
    Issue,
    Risk,
    RiskCategory,
    RiskReview,
    RiskSettings,
    RiskStatus,
    RiskStrategy,
)
from ..models.raid import RaidEntry
from ..raid.services import FIELDS as RAID_FIELDS
from ..services import settings_for


def owner_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=User,
        scope=users_visible_to,
        noun="user",
        required=False,
        allow_null=True,
        help_text="Someone with a role in the project.",
        **kwargs,
    )


def _category_scope(user: User) -> Any:
    return RiskCategory.objects.filter(organisation__in=organisations_for(user).values("pk"))


def category_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=RiskCategory, scope=_category_scope, noun="risk category", **kwargs
    )


ASSESSMENT_OUT = (
    "probability",
    "impact_schedule",
    "impact_cost",
    "impact_scope",
    "impact_quality",
    "impact",
    "score",
    "residual_probability",
    "residual_impact",
    "residual_score",
    "cost_impact",
    "schedule_impact_days",
)


class RiskSerializer(MoneySerializerMixin, serializers.ModelSerializer):
    """A risk with its computed figures: level (from the organisation's thresholds), EMV,
    expected delay, and the tasks that respond to it. `cost_impact` and `emv` are money: null
    for roles that do not see it (tpm/money.py)."""

    ref = serializers.CharField(read_only=True)
    owner = UserSummarySerializer(read_only=True, allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    impact = serializers.IntegerField(read_only=True, help_text="The worst impact dimension.")
    level = serializers.SerializerMethodField()
    residual_level = serializers.SerializerMethodField()
    emv = serializers.SerializerMethodField(
        help_text="Probability x cost impact (negative: a saving)."
    )
    expected_schedule_days = serializers.SerializerMethodField()
    response_tasks = serializers.SerializerMethodField()
    linked_tasks = serializers.ManyRelatedField(
        child_relation=serializers.PrimaryKeyRelatedField(read_only=True), read_only=True
    )
    cost_impact = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    status = EnumChoiceField(enum_name="RiskStatus", choices=RiskStatus.choices, read_only=True)

    class Meta:
        model = Risk
        fields = (
            "id",
            "ref",
            "project",
            "kind",
            "title",
            "cause",
            "event",
            "effect",
            "category",
            "category_name",
            "owner",
            "status",
            *ASSESSMENT_OUT,
            "level",
            "residual_level",
            "emv",
            "expected_schedule_days",
            "proximity",
            "trigger",
            "strategy",
            "response_plan",
            "contingency_plan",
            "raised_on",
            "next_review_on",
            "closed_on",
            "response_tasks",
            "linked_tasks",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    def _thresholds(self, risk: Risk) -> scoring.Thresholds:
        cache = self._thresholds_cache = getattr(self, "_thresholds_cache", {})
        org_id = risk.project.organisation_id
        if org_id not in cache:
            cache[org_id] = settings_for(risk.project.organisation).thresholds()
        return cache[org_id]

    def get_level(self, risk: Risk) -> str:
        return scoring.level(risk.score, self._thresholds(risk)).value

    def get_residual_level(self, risk: Risk) -> str | None:
        if not risk.residual_score:
            return None
        return scoring.level(risk.residual_score, self._thresholds(risk)).value

    def get_emv(self, risk: Risk) -> str:
        return str(risk.emv())

    def get_expected_schedule_days(self, risk: Risk) -> str:
        return str(risk.expected_days())

    def get_response_tasks(self, risk: Risk) -> list[int]:
        return [response.task_id for response in risk.responses.all()]


_RISK_INPUT = (
    "kind",
    "title",
    "cause",
    "event",
    "effect",
    "status",
    "probability",
    "impact_schedule",
    "impact_cost",
    "impact_scope",
    "impact_quality",
    "residual_probability",
    "residual_impact",
    "cost_impact",
    "schedule_impact_days",
    "proximity",
    "trigger",
    "strategy",
    "response_plan",
    "contingency_plan",
    "next_review_on",
)


class _RatingsLoose:
    """Ratings are checked by the service, so its message ("from 1 to 5") is the one shown."""

    class Meta:
        extra_kwargs: dict[str, dict[str, Any]] = {
            name: {"validators": [], "min_value": None, "max_value": None}
            for name in (
                "probability",
                "impact_schedule",
                "impact_cost",
                "impact_scope",
                "impact_quality",
                "residual_probability",
                "residual_impact",
                "cost_impact",
            )
        }


class RiskUpdateSerializer(ModelInputSerializer):
    status = EnumChoiceField(enum_name="RiskStatus", choices=RiskStatus.choices, required=False)
    category = category_field(required=False)
    owner = owner_field()
    version = version_field()

    class Meta:
        model = Risk
        fields = (*_RISK_INPUT, "category", "owner", "version")
        extra_kwargs = _RatingsLoose.Meta.extra_kwargs
        validators: list[Any] = []


class RiskCreateSerializer(RiskUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    raised_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta(RiskUpdateSerializer.Meta):
        fields = (*_RISK_INPUT, "category", "owner", "project", "raised_on", "note")  # type: ignore[assignment]


class RiskReassessSerializer(InputSerializer):
    reviewed_on = serializers.DateField(required=False, help_text="Default: today.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    probability = serializers.IntegerField(required=False)
    impact_schedule = serializers.IntegerField(required=False)
    impact_cost = serializers.IntegerField(required=False)
    impact_scope = serializers.IntegerField(required=False)
    impact_quality = serializers.IntegerField(required=False)
    residual_probability = serializers.IntegerField(required=False, allow_null=True)
    residual_impact = serializers.IntegerField(required=False, allow_null=True)
    cost_impact = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    schedule_impact_days = serializers.IntegerField(required=False)
    status = EnumChoiceField(enum_name="RiskStatus", choices=RiskStatus.choices, required=False)
    strategy = serializers.ChoiceField(choices=RiskStrategy.choices, required=False)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    version = version_field()


class RiskReviewSerializer(MoneySerializerMixin, serializers.ModelSerializer):
    reviewed_by = UserSummarySerializer(read_only=True, allow_null=True)
    status = EnumChoiceField(enum_name="RiskStatus", choices=RiskStatus.choices, read_only=True)
    impact = serializers.IntegerField(read_only=True)

    class Meta:
        model = RiskReview
        fields = ("id", "risk", "reviewed_on", "reviewed_by", "status", "note", *ASSESSMENT_OUT)
        read_only_fields = fields


class RiskResponseCreateSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=10**7, default=480)


class RiskLinkSerializer(InputSerializer):
    task = ScopedPrimaryKeyRelatedField(model=Task, scope=tasks_for, noun="task")


class RiskVersionSerializer(InputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = version_field()


class RiskCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskCategory
        fields = ("id", "organisation", "name", "position", "is_active")
        read_only_fields = fields


class RiskCategoryCreateSerializer(InputSerializer):
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation, scope=organisations_for, noun="organisation"
    )
    name = serializers.CharField(max_length=60)


class RiskSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskSettings
        fields = (
            "medium_from",
            "high_from",
            "critical_from",
            "appetite",
            "escalation_from",
            "notify_stakeholders",
            "version",
        )
        read_only_fields = fields


class RiskSettingsUpdateSerializer(InputSerializer):
    medium_from = serializers.IntegerField(required=False)
    high_from = serializers.IntegerField(required=False)
    critical_from = serializers.IntegerField(required=False)
    appetite = serializers.IntegerField(required=False)
    escalation_from = serializers.IntegerField(required=False)
    notify_stakeholders = serializers.BooleanField(required=False)
    version = version_field()


class RiskImportSerializer(InputSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    file = serializers.FileField(help_text="A .csv or .xlsx file with a header row.")
    dry_run = serializers.BooleanField(
        default=True, help_text="True (default): validate and report; false: save all or none."
    )
    mapping = serializers.JSONField(
        required=False,
        help_text='Which column holds which field, e.g. {"title": "Risk name", "probability": '
        '"Likelihood"}. Left out: columns named like the export\'s are recognised.',
    )


# --- the RAID log ------------------------------------------------------------------------------


def raid_serializers(
    model: type[RaidEntry],
) -> tuple[
    type[serializers.ModelSerializer], type[ModelInputSerializer], type[ModelInputSerializer]
]:
    """Output, create and update serializers for one kind of RAID entry."""
    entry_model = model
    writable = RAID_FIELDS[model]
    extra_out = ("risk",) if model is Issue else ()
    status_enum = f"{model.__name__}Status"
    status_choices = model._meta.get_field("status").choices or []  # type: ignore[misc]

    class Output(serializers.ModelSerializer):
        ref = serializers.CharField(read_only=True)
        owner = UserSummarySerializer(read_only=True, allow_null=True)
        status = EnumChoiceField(enum_name=status_enum, choices=status_choices, read_only=True)

        class Meta:
            model = entry_model
            fields = (
                "id",
                "ref",
                "project",
                *[f for f in writable if f != "risk"],
                *extra_out,
                "created_at",
                "updated_at",
                "version",
            )
            read_only_fields = fields

    class Update(ModelInputSerializer):
        owner = owner_field()
        version = version_field()
        status = EnumChoiceField(enum_name=status_enum, choices=status_choices, required=False)

        class Meta:
            model = entry_model
            fields = (*writable, "version")
            validators: list[Any] = []
            extra_kwargs = {"raised_on": {"required": False}}  # the service defaults to today

        if model is Issue:
            risk = ScopedPrimaryKeyRelatedField(
                model=Risk, scope=risks_for, noun="risk", required=False, allow_null=True
            )

    class Create(Update):
        project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")

        class Meta(Update.Meta):
            fields = (*writable, "project")

    for cls, suffix in ((Output, ""), (Update, "Update"), (Create, "Create")):
        cls.__name__ = cls.__qualname__ = f"{model.__name__}{suffix}Serializer"
    return Output, Create, Update


RAID_SERIALIZERS: dict[
    type[RaidEntry],
    tuple[
        type[serializers.ModelSerializer], type[ModelInputSerializer], type[ModelInputSerializer]
    ],
] = {model: raid_serializers(model) for model in (Assumption, Issue, Decision, ExternalDependency)}

"""factory-boy factories for every model. Passwords are one known value so tests can log in."""

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from projects.agile.services import workflow as workflow_services
from projects.models import (
    Baseline,
    BaselineTask,
    CalendarException,
    Dependency,
    Project,
    ProjectInvitation,
    ProjectMembership,
    Task,
    WorkCalendar,
)
from projects.models.calendar import STANDARD_WEEKDAYS, week_of
from projects.models.sprint import Sprint, SprintSnapshot
from projects.models.workflow import Label, WorkflowStatus
from tpm.models import Invitation, Membership, Organisation, PersonalAccessToken, User
from tpm.roles import OrgRole, ProjectRole
from tpm.signals import organisation_created

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    """An organisation with what `organisation_create` gives it: the apps' defaults (gate
    templates, risk categories) through the same `organisation_created` signal, no member."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")

    @factory.post_generation
    def defaults(obj, create, extracted, **kwargs):
        # `OrganisationFactory(defaults=False)`: an organisation made before the defaults existed.
        if create and extracted is not False:
            organisation_created.send(sender=Organisation, organisation=obj, actor=None)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrgRole.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = OrgRole.MEMBER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class PersonalAccessTokenFactory(factory.django.DjangoModelFactory[PersonalAccessToken]):
    class Meta:
        model = PersonalAccessToken

    user = factory.SubFactory(UserFactory)
    name = "script"
    key_prefix = factory.Sequence(lambda n: f"lp_{n:07d}")
    key_digest = factory.Sequence(lambda n: PersonalAccessToken.digest(f"lp_raw_{n}"))


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Project {n}")
    description = "A project used in tests."
    methodology = "hybrid"
    status = "active"

    @factory.post_generation
    def workflow(obj, create, extracted, **kwargs):
        # Like `project_create`: the board's default statuses, by the same function.
        # `ProjectFactory(workflow=False)`: a project made before workflows existed.
        if create and extracted is not False:
            workflow_services.ensure_workflow(obj)


class ProjectMembershipFactory(factory.django.DjangoModelFactory[ProjectMembership]):
    class Meta:
        model = ProjectMembership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = ProjectRole.MEMBER


class ProjectInvitationFactory(factory.django.DjangoModelFactory[ProjectInvitation]):
    class Meta:
        model = ProjectInvitation

    project = factory.SubFactory(ProjectFactory)
    invitation = factory.SubFactory(
        InvitationFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    role = ProjectRole.MEMBER


class WorkCalendarFactory(factory.django.DjangoModelFactory[WorkCalendar]):
    class Meta:
        model = WorkCalendar

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Calendar {n}")

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        # `working_weekdays` / `working_times` (one set of hours): those hours on those days.
        if "working_week" not in kwargs and {"working_weekdays", "working_times"} & set(kwargs):
            kwargs["working_week"] = week_of(
                kwargs.pop("working_weekdays", STANDARD_WEEKDAYS), kwargs.pop("working_times", None)
            )
        return kwargs


class CalendarExceptionFactory(factory.django.DjangoModelFactory[CalendarException]):
    class Meta:
        model = CalendarException

    calendar = factory.SubFactory(WorkCalendarFactory)
    name = "Holiday"
    first_day = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    last_day = factory.SelfAttribute("first_day")


class TaskFactory(factory.django.DjangoModelFactory[Task]):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Task {n}")
    position = factory.Sequence(lambda n: n)
    duration_minutes = 480


class DependencyFactory(factory.django.DjangoModelFactory[Dependency]):
    class Meta:
        model = Dependency

    predecessor = factory.SubFactory(TaskFactory)
    successor = factory.SubFactory(
        TaskFactory, project=factory.SelfAttribute("..predecessor.project")
    )


def member_of(organisation: Organisation, role: str = OrgRole.MEMBER, **user_fields) -> User:
    """A new user who belongs to `organisation` with `role`."""
    user = UserFactory.create(**user_fields)
    MembershipFactory(organisation=organisation, user=user, role=role)
    return user


def on_project(project: Project, role: str, **user_fields) -> User:
    """A new organisation member with `role` on `project`."""
    user = member_of(project.organisation, **user_fields)
    ProjectMembershipFactory(project=project, user=user, role=role)
    return user


class BaselineFactory(factory.django.DjangoModelFactory[Baseline]):
    """A baseline row by itself; `baseline_services.baseline_save` snapshots a real plan."""

    class Meta:
        model = Baseline

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Baseline {n}")
    project_start = factory.LazyFunction(timezone.now)
    project_finish = factory.LazyAttribute(lambda o: o.project_start + timedelta(days=10))
    task_count = 0


class BaselineTaskFactory(factory.django.DjangoModelFactory[BaselineTask]):
    class Meta:
        model = BaselineTask

    baseline = factory.SubFactory(BaselineFactory)
    task = factory.SubFactory(TaskFactory, project=factory.SelfAttribute("..baseline.project"))
    task_name = factory.LazyAttribute(lambda o: o.task.name if o.task else "Removed task")
    wbs_code = factory.Sequence(lambda n: str(n + 1))
    start = factory.LazyAttribute(lambda o: o.baseline.project_start)
    finish = factory.LazyAttribute(lambda o: o.start + timedelta(days=1))
    duration_minutes = 480


# --- risks (issue 6) ---------------------------------------------------------------------------
from risks.models import (  # noqa: E402
    Assumption,
    Decision,
    ExternalDependency,
    Issue,
    Risk,
    RiskCategory,
    RiskReview,
    RiskSettings,
)


class RiskCategoryFactory(factory.django.DjangoModelFactory[RiskCategory]):
    class Meta:
        model = RiskCategory
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Technical"


class RiskSettingsFactory(factory.django.DjangoModelFactory[RiskSettings]):
    class Meta:
        model = RiskSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class RiskFactory(factory.django.DjangoModelFactory[Risk]):
    """A risk row with its scores computed; `risks.services.risk_create` also records a review."""

    class Meta:
        model = Risk

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Risk {n}")
    category = factory.SubFactory(
        RiskCategoryFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    raised_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    probability = 3
    impact_schedule = 3
    score = factory.LazyAttribute(lambda o: o.probability * o.impact_schedule)
    impact_cost = 1
    impact_scope = 1
    impact_quality = 1


class RiskReviewFactory(factory.django.DjangoModelFactory[RiskReview]):
    class Meta:
        model = RiskReview

    risk = factory.SubFactory(RiskFactory)
    reviewed_on = factory.LazyAttribute(lambda o: o.risk.raised_on)
    status = "assessed"
    probability = factory.LazyAttribute(lambda o: o.risk.probability)
    impact_schedule = factory.LazyAttribute(lambda o: o.risk.impact_schedule)
    score = factory.LazyAttribute(lambda o: o.risk.score)


class AssumptionFactory(factory.django.DjangoModelFactory[Assumption]):
    class Meta:
        model = Assumption

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Assumption {n}")


class IssueFactory(factory.django.DjangoModelFactory[Issue]):
    class Meta:
        model = Issue

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Issue {n}")
    raised_on = factory.LazyFunction(timezone.localdate)


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    class Meta:
        model = Decision

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Decision {n}")


class ExternalDependencyFactory(factory.django.DjangoModelFactory[ExternalDependency]):
    class Meta:
        model = ExternalDependency

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Dependency {n}")
    party = "Acme Vendor Ltd"


# --- reports (issue 8) -------------------------------------------------------------------------
from reports.models import (  # noqa: E402
    Delivery,
    HealthOverride,
    HealthThresholds,
    ReportSchedule,
    ShareLink,
    StatusReport,
)


class HealthThresholdsFactory(factory.django.DjangoModelFactory[HealthThresholds]):
    class Meta:
        model = HealthThresholds

    organisation = factory.SubFactory(OrganisationFactory)


class HealthOverrideFactory(factory.django.DjangoModelFactory[HealthOverride]):
    class Meta:
        model = HealthOverride

    project = factory.SubFactory(ProjectFactory)
    target = "overall"
    colour = "amber"
    reason = "The manager knows something the rules do not."


class StatusReportFactory(factory.django.DjangoModelFactory[StatusReport]):
    """A draft with an empty snapshot; `reports.services.report_create` takes a real one."""

    class Meta:
        model = StatusReport

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Status report {n}")
    generated_at = factory.LazyFunction(timezone.now)


class ReportScheduleFactory(factory.django.DjangoModelFactory[ReportSchedule]):
    class Meta:
        model = ReportSchedule

    project = factory.SubFactory(ProjectFactory)
    starts_on = factory.LazyFunction(timezone.localdate)
    recipient_roles = factory.LazyFunction(lambda: [ProjectRole.STAKEHOLDER.value])


class DeliveryFactory(factory.django.DjangoModelFactory[Delivery]):
    class Meta:
        model = Delivery

    report = factory.SubFactory(StatusReportFactory)
    email = factory.Sequence(lambda n: f"recipient{n}@example.org")


class ShareLinkFactory(factory.django.DjangoModelFactory[ShareLink]):
    class Meta:
        model = ShareLink

    project = factory.SubFactory(ProjectFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


# --- the board and sprints (projects/models/workflow.py, sprint.py) ---


class WorkflowStatusFactory(factory.django.DjangoModelFactory[WorkflowStatus]):
    class Meta:
        model = WorkflowStatus

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Status {n}")
    category = "in_progress"
    position = factory.Sequence(lambda n: 10 + n)


class LabelFactory(factory.django.DjangoModelFactory[Label]):
    class Meta:
        model = Label

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"label-{n}")


class SprintFactory(factory.django.DjangoModelFactory[Sprint]):
    class Meta:
        model = Sprint

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Sprint {n}")
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyAttribute(lambda sprint: sprint.start_date + timedelta(days=13))


class SprintSnapshotFactory(factory.django.DjangoModelFactory[SprintSnapshot]):
    class Meta:
        model = SprintSnapshot

    sprint = factory.SubFactory(SprintFactory)
    day = factory.SelfAttribute("sprint.start_date")

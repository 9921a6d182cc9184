"""The REST API under /api/v1/: one router; each app's viewsets are registered here.

This module is part of the URL configuration (the composition root), so it may import every
app's `api` package; the apps themselves never import each other's API.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from rest_framework.routers import DefaultRouter

from projects.agile.api.views import (
    BacklogMoveView,
    BoardMoveView,
    LabelViewSet,
    ProjectBoardView,
    SprintViewSet,
    TaskAgileView,
    WorkflowStatusViewSet,
)
from projects.api.views import ProjectMemberViewSet, ProjectViewSet
from projects.baselines.api.views import BaselineViewSet
from projects.calendars.api.views import (
    CalendarExceptionViewSet,
    CalendarViewSet,
    ProjectCalendarView,
)
from projects.changes.api.views import ChangeRequestViewSet
from projects.mspdi.api.views import ProjectMspdiExportView, ProjectMspdiImportView
from projects.plan.api.views import DependencyViewSet, ProjectScheduleView, TaskViewSet
from projects.quality.api.views import (
    GateCriterionViewSet,
    GateReviewViewSet,
    GateTemplateViewSet,
    ProjectQualityView,
    QualityGateViewSet,
    QualityMeasureViewSet,
)
from projects.scope.api.views import (
    AcceptanceCriterionViewSet,
    DeliverableViewSet,
    ObjectiveViewSet,
    ProjectCharterApproveView,
    ProjectCharterView,
)
from projects.work.api.views import (
    AttachmentViewSet,
    CommentViewSet,
    FeedTokenViewSet,
    MyWorkView,
)
from reports.api.views import (
    HealthOverrideViewSet,
    HealthThresholdsView,
    ProjectHealthView,
    ReportScheduleViewSet,
    StatusReportViewSet,
)
from resources.budgets.api.views import (
    BudgetChangeViewSet,
    BudgetLineViewSet,
    ExpenseViewSet,
    ProjectEvmView,
)
from resources.pool.api.views import (
    AllocationViewSet,
    AssignmentViewSet,
    CostRateViewSet,
    ResourceRoleViewSet,
    ResourceViewSet,
    SkillViewSet,
    TimeOffViewSet,
)
from resources.timesheets.api.views import TimeEntryViewSet
from resources.workload.api.views import OrganisationWorkloadView
from risks.api.views import (
    OrganisationRiskSettingsView,
    ProjectRiskExportView,
    ProjectRiskRegisterView,
    ProjectRiskSummaryView,
    RiskCategoryViewSet,
    RiskImportView,
    RiskViewSet,
    raid_viewset,
)
from risks.models import Assumption, Decision, ExternalDependency, Issue
from tpm.api.notifications import NotificationPreferencesView, NotificationViewSet
from tpm.api.views import InvitationViewSet, MembershipViewSet, MeView, OrganisationViewSet


class Router(DefaultRouter):
    """The default router, whose root page also links `me/` (a plain view, not a viewset)."""

    def get_api_root_view(self, api_urls: Any = None) -> Callable[..., Any]:
        api_root_dict = {"me": "me"}
        api_root_dict.update(
            (prefix, self.routes[0].name.format(basename=basename))
            for prefix, _viewset, basename in self.registry
        )
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("projects", ProjectViewSet, basename="project")
router.register("project-members", ProjectMemberViewSet, basename="project-member")
router.register("tasks", TaskViewSet, basename="task")
router.register("dependencies", DependencyViewSet, basename="dependency")
router.register("calendars", CalendarViewSet, basename="calendar")
router.register("calendar-exceptions", CalendarExceptionViewSet, basename="calendar-exception")
router.register("baselines", BaselineViewSet, basename="baseline")
# Scope and quality (issue 7, projects/scope/api/views.py and quality.py).
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("acceptance-criteria", AcceptanceCriterionViewSet, basename="acceptance-criterion")
router.register("quality-gates", QualityGateViewSet, basename="quality-gate")
router.register("gate-criteria", GateCriterionViewSet, basename="gate-criterion")
router.register("gate-reviews", GateReviewViewSet, basename="gate-review")
router.register("gate-templates", GateTemplateViewSet, basename="gate-template")
router.register("quality-measures", QualityMeasureViewSet, basename="quality-measure")
router.register("change-requests", ChangeRequestViewSet, basename="change-request")
router.register("workflow-statuses", WorkflowStatusViewSet, basename="workflow-status")
router.register("labels", LabelViewSet, basename="label")
router.register("sprints", SprintViewSet, basename="sprint")
router.register("status-reports", StatusReportViewSet, basename="status-report")
router.register("report-schedules", ReportScheduleViewSet, basename="report-schedule")
router.register("health-overrides", HealthOverrideViewSet, basename="health-override")
router.register("risks", RiskViewSet, basename="risk")
router.register("risk-categories", RiskCategoryViewSet, basename="risk-category")
router.register("assumptions", raid_viewset(Assumption, "assumptions"), basename="assumption")
router.register("issues", raid_viewset(Issue, "issues"), basename="issue")
router.register("decisions", raid_viewset(Decision, "decisions"), basename="decision")
router.register(
    "external-dependencies",
    raid_viewset(ExternalDependency, "external dependencies"),
    basename="external-dependency",
)
# Comments, attachments, notifications, My work and calendar feeds (issue 4).
router.register("comments", CommentViewSet, basename="comment")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("feed-tokens", FeedTokenViewSet, basename="feed-token")
# Resources and money (issue 5, resources/api/).
router.register("resources", ResourceViewSet, basename="resource")
router.register("resource-roles", ResourceRoleViewSet, basename="resource-role")
router.register("skills", SkillViewSet, basename="skill")
router.register("time-off", TimeOffViewSet, basename="time-off")
router.register("cost-rates", CostRateViewSet, basename="cost-rate")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("time-entries", TimeEntryViewSet, basename="time-entry")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("expenses", ExpenseViewSet, basename="expense")
router.register("budget-changes", BudgetChangeViewSet, basename="budget-change")

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    # The board and the backlog (projects/agile/api/views.py).
    path("projects/<int:pk>/board/", ProjectBoardView.as_view(), name="project-board"),
    path("board-moves/", BoardMoveView.as_view(), name="board-move"),
    path("backlog-moves/", BacklogMoveView.as_view(), name="backlog-move"),
    path("tasks/<int:pk>/agile/", TaskAgileView.as_view(), name="task-agile"),
    path("my-work/", MyWorkView.as_view(), name="my-work"),
    path(
        "notification-preferences/",
        NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path("projects/<int:pk>/schedule/", ProjectScheduleView.as_view(), name="project-schedule"),
    path("projects/<int:pk>/charter/", ProjectCharterView.as_view(), name="project-charter"),
    path(
        "projects/<int:pk>/charter/approve/",
        ProjectCharterApproveView.as_view(),
        name="project-charter-approve",
    ),
    path("projects/<int:pk>/quality/", ProjectQualityView.as_view(), name="project-quality"),
    path("projects/<int:pk>/calendar/", ProjectCalendarView.as_view(), name="project-calendar"),
    path("projects/import-mspdi/", ProjectMspdiImportView.as_view(), name="project-import-mspdi"),
    path("projects/<int:pk>/mspdi/", ProjectMspdiExportView.as_view(), name="project-mspdi"),
    path("risks/import/", RiskImportView.as_view(), name="risk-import"),
    path("projects/<int:pk>/risk-summary/", ProjectRiskSummaryView.as_view(), name="risk-summary"),
    path(
        "projects/<int:pk>/risk-register/",
        ProjectRiskRegisterView.as_view(),
        name="risk-register-as-of",
    ),
    path("projects/<int:pk>/risk-export/", ProjectRiskExportView.as_view(), name="risk-export"),
    path(
        "organisations/<int:pk>/risk-settings/",
        OrganisationRiskSettingsView.as_view(),
        name="risk-settings",
    ),
    path("projects/<int:pk>/health/", ProjectHealthView.as_view(), name="project-health"),
    path("projects/<int:pk>/evm/", ProjectEvmView.as_view(), name="project-evm"),
    path(
        "organisations/<int:pk>/workload/",
        OrganisationWorkloadView.as_view(),
        name="organisation-workload",
    ),
    path(
        "organisations/<int:pk>/health-thresholds/",
        HealthThresholdsView.as_view(),
        name="health-thresholds",
    ),
    *router.urls,
]
# DRF authenticates API calls itself and answers anonymous ones with 401, not a login redirect.
for _pattern in urlpatterns:
    if _pattern.callback is not None:
        login_not_required(_pattern.callback)

"""The risks app's API: the register, its categories and settings, import and export, and the
RAID log (included by tpm/api_urls.py)."""

from django.urls import path

from tpm.api.routing import ApiRouter

from ..models import Assumption, Decision, ExternalDependency, Issue
from .views import (
    OrganisationRiskSettingsView,
    ProjectRiskExportView,
    ProjectRiskRegisterView,
    ProjectRiskSummaryView,
    RiskCategoryViewSet,
    RiskImportView,
    RiskViewSet,
    raid_viewset,
)

router = ApiRouter()
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

urlpatterns = [
    # Before the router: `risks/import/` is not a risk.
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
    *router.urls,
]

"""Reads for the reports pages: health of one project or many, the dashboard, the portfolio.

Every function costs a fixed number of queries however many projects or tasks there are: the
sources (reports/sources/) answer for a batch, thresholds and overrides are one query each.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from projects.access import projects_for
from projects.models import Project, ProjectMembership
from tpm import money
from tpm.models import Organisation, User
from tpm.roles import ProjectRole

from . import health, sources
from .models import (
    Delivery,
    DeliveryStatus,
    HealthOverride,
    HealthThresholds,
    ReportSchedule,
    ReportStatus,
    ShareLink,
    StatusReport,
)

log = logging.getLogger(__name__)


def thresholds_for(organisation_id: int) -> health.Thresholds:
    """The organisation's thresholds, or the defaults when it never changed them."""
    row = HealthThresholds.objects.filter(organisation_id=organisation_id).first()
    return row.as_rules() if row else health.Thresholds()


def overrides_for(project_ids: Sequence[int]) -> dict[int, dict[str, health.Override]]:
    result: dict[int, dict[str, health.Override]] = defaultdict(dict)
    for row in HealthOverride.objects.filter(project_id__in=project_ids).select_related("set_by"):
        result[row.project_id][row.target] = row.as_rule()
    return result


@dataclass(frozen=True)
class ProjectHealthView:
    project: Project
    health: health.ProjectHealth
    facts: sources.ProjectFacts

    def metric(self, dimension: str) -> Any:
        return self.facts.by_dimension.get(dimension)


def _assessed(
    project: Project,
    facts: sources.ProjectFacts,
    thresholds: health.Thresholds,
    overrides: dict[str, health.Override] | None,
) -> ProjectHealthView:
    """One project's health; a project whose figures break the rules is shown with its figures
    unavailable (and the error logged) rather than failing the page for every project."""
    try:
        return ProjectHealthView(project, health.assess(facts.inputs, thresholds, overrides), facts)
    except Exception:
        log.exception("Health of project %s could not be assessed", project.pk)
        blank = sources.ProjectFacts(
            health.HealthInputs(),
            dict.fromkeys(facts.by_dimension),
            tuple(facts.by_dimension),
        )
        return ProjectHealthView(project, health.assess(blank.inputs, thresholds), blank)


def health_of(
    projects: Sequence[Project], *, today: date, thresholds: health.Thresholds
) -> list[ProjectHealthView]:
    """Health of each project (all of one organisation, judged with `thresholds`). A project
    whose stored data a source cannot read shows `facts.unavailable` instead of failing the
    others (reports/sources/__init__.py)."""
    collected = sources.collect(projects, today=today)
    overrides = overrides_for([project.pk for project in projects])
    return [
        _assessed(project, collected[project.pk], thresholds, overrides.get(project.pk))
        for project in projects
    ]


def project_health(project: Project, *, today: date) -> ProjectHealthView:
    return health_of([project], today=today, thresholds=thresholds_for(project.organisation_id))[0]


def latest_published(project: Project) -> StatusReport | None:
    return (
        StatusReport.objects.filter(project=project, status=ReportStatus.PUBLISHED)
        .select_related("published_by")
        .order_by("-published_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class Dashboard:
    view: ProjectHealthView
    sections: dict[str, dict[str, Any] | None]
    latest_report: StatusReport | None
    overrides: list[HealthOverride]


def project_dashboard(project: Project, *, today: date) -> Dashboard:
    view = project_health(project, today=today)
    return Dashboard(
        view=view,
        sections=sources.sections_of(view.facts),
        latest_report=latest_published(project),
        overrides=list(HealthOverride.objects.filter(project=project).select_related("set_by")),
    )


# --- portfolio ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioRow:
    view: ProjectHealthView
    manager_name: str

    @property
    def project(self) -> Project:
        return self.view.project

    @property
    def schedule(self) -> Any:
        return self.view.metric("schedule")

    @property
    def percent_complete(self) -> int | None:
        return self.schedule.percent_complete if self.schedule else None

    @property
    def finish_variance_days(self) -> int | None:
        return self.schedule.finish_variance_days if self.schedule else None

    @property
    def top_risk(self) -> str | None:
        return getattr(self.view.metric("risk"), "top_risk", None)

    @property
    def budget_variance(self) -> Any:
        """Variance at completion, VAC = BAC - EAC (negative: over; reports/sources/cost.py)."""
        return getattr(self.view.metric("cost"), "budget_variance", None)

    @property
    def sees_money(self) -> bool:
        """Whether the reader's role in this project shows its money (tpm/money.py)."""
        return money.sees_money(getattr(self.project, "my_role", None))


SORTS = {
    "name": lambda row: (row.project.name.lower(),),
    "health": lambda row: (
        -(row.view.health.overall.colour.rank if row.view.health.overall.colour else -1),
    ),
    "complete": lambda row: (row.percent_complete if row.percent_complete is not None else -1,),
    "variance": lambda row: (
        row.finish_variance_days if row.finish_variance_days is not None else -(10**6),
    ),
    "manager": lambda row: (row.manager_name.lower(),),
}


def portfolio_projects(
    *,
    user: User,
    organisation: Organisation,
    manager: int | None = None,
    status: str = "",
    methodology: str = "",
) -> QuerySet[Project]:
    projects = projects_for(user).filter(organisation=organisation)
    if manager:
        projects = projects.filter(
            memberships__user_id=manager, memberships__role=ProjectRole.MANAGER
        )
    if status:
        projects = projects.filter(status=status)
    if methodology:
        projects = projects.filter(methodology=methodology)
    return projects.order_by("name", "pk")


def first_managers(project_ids: Sequence[int]) -> dict[int, str]:
    """Each project's first manager (the earliest membership), by name else email: one query
    for every project, not a subquery per row (issue 14)."""
    rows = (
        ProjectMembership.objects.filter(project_id__in=project_ids, role=ProjectRole.MANAGER)
        .order_by("project_id", "pk")
        .values_list("project_id", "user__full_name", "user__email")
    )
    found: dict[int, str] = {}
    for project_id, name, email in rows:
        found.setdefault(project_id, name or email or "")
    return found


def portfolio(
    *,
    user: User,
    organisation: Organisation,
    today: date,
    sort: str = "name",
    descending: bool = False,
    **filters: Any,
) -> list[PortfolioRow]:
    projects = list(portfolio_projects(user=user, organisation=organisation, **filters))
    views = health_of(projects, today=today, thresholds=thresholds_for(organisation.pk))
    managers = first_managers([project.pk for project in projects])
    rows = [PortfolioRow(view, managers.get(view.project.pk, "")) for view in views]
    rows.sort(key=SORTS.get(sort, SORTS["name"]), reverse=descending)
    return rows


def portfolio_managers(*, user: User, organisation: Organisation) -> list[tuple[int, str]]:
    """The people who manage a project the user sees, for the filter."""
    visible = projects_for(user).filter(organisation=organisation).values("pk")
    rows = (
        ProjectMembership.objects.filter(project__in=visible, role=ProjectRole.MANAGER)
        .values_list("user_id", "user__full_name", "user__email")
        .distinct()
        .order_by("user__full_name", "user__email")
    )
    return [(pk, name or email) for pk, name, email in rows]


# --- reports, schedules, deliveries, share links ---------------------------------------------


def project_reports(project: Project, *, include_drafts: bool) -> QuerySet[StatusReport]:
    reports = StatusReport.objects.filter(project=project).select_related(
        "published_by", "created_by"
    )
    if not include_drafts:
        reports = reports.filter(status=ReportStatus.PUBLISHED)
    return reports.defer("snapshot").order_by("-generated_at", "-pk")


def previous_published(report: StatusReport) -> StatusReport | None:
    """The report published before this one (for "what changed")."""
    reports = StatusReport.objects.filter(
        project_id=report.project_id, status=ReportStatus.PUBLISHED
    ).exclude(pk=report.pk)
    if report.published_at:
        reports = reports.filter(published_at__lt=report.published_at)
    return reports.order_by("-published_at", "-pk").first()


def project_schedules(project: Project) -> QuerySet[ReportSchedule]:
    return ReportSchedule.objects.filter(project=project).order_by("name", "pk")


def failed_deliveries(project: Project) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(report__project=project, status=DeliveryStatus.FAILED)
        .select_related("report", "schedule")
        .order_by("-created_at", "-pk")
    )


def recent_deliveries(project: Project, limit: int = 50) -> list[Delivery]:
    return list(
        Delivery.objects.filter(report__project=project)
        .select_related("report", "schedule")
        .defer("report__snapshot")
        .order_by("-created_at", "-pk")[:limit]
    )


def project_share_links(project: Project) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(project=project).select_related("created_by", "revoked_by")

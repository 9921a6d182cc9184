"""Helpers shared by the project pages: htmx detection, the project tabs, the org guard."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from projects.models import Project
from tpm.access import Access
from tpm.money import sees_money
from tpm.roles import ProjectAction


def is_htmx(request: HttpRequest) -> bool:
    """A partial update asked for by htmx (the fragment alone is rendered, not the page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a page load, or tell htmx to load `url` as a whole page."""
    if is_htmx(request):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def no_organisation(request: HttpRequest) -> HttpResponse:
    """The user belongs to no organisation yet: send them to create one."""
    return redirect(reverse("org-create"))  # resolved per request: tpm adds this route


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    url: str


def project_tabs(access: Access[Project]) -> list[Tab]:
    """The tabs of a project's pages that the user's role lets them open."""
    project = access.obj
    # The dashboard comes first: it is what stakeholders open a project for (reports/).
    tabs = [
        Tab("dashboard", "Dashboard", reverse("project-dashboard", args=[project.pk])),
        Tab("overview", "Overview", reverse("project-detail", args=[project.pk])),
    ]
    if access.can(ProjectAction.VIEW):
        tabs.append(Tab("plan", "Plan", reverse("project-plan", args=[project.pk])))
        tabs.append(Tab("gantt", "Gantt", reverse("project-gantt", args=[project.pk])))
        tabs.append(Tab("board", "Board", reverse("project-board", args=[project.pk])))
        if project.methodology != "waterfall":
            tabs.append(Tab("backlog", "Backlog", reverse("project-backlog", args=[project.pk])))
        tabs.append(Tab("baselines", "Baselines", reverse("project-baselines", args=[project.pk])))
        tabs.append(Tab("changes", "Changes", reverse("project-changes", args=[project.pk])))
        tabs.append(Tab("scope", "Scope", reverse("project-scope", args=[project.pk])))
        tabs.append(Tab("quality", "Quality", reverse("project-quality", args=[project.pk])))
    if access.can(ProjectAction.VIEW_RISKS):
        tabs.append(Tab("risks", "Risks", reverse("risk-register", args=[project.pk])))
        tabs.append(Tab("raid", "RAID", reverse("raid-log", args=[project.pk])))
    if access.can(ProjectAction.VIEW):
        tabs.append(Tab("reports", "Reports", reverse("report-list", args=[project.pk])))
    if access.can(ProjectAction.VIEW_MEMBERS):
        tabs.append(Tab("members", "Members", reverse("project-members", args=[project.pk])))
    if access.can(ProjectAction.VIEW):
        # Who gives what share of their capacity to the project (resources/pool/views/team.py).
        tabs.append(Tab("team", "Team allocation", reverse("project-team", args=[project.pk])))
    if access.can(ProjectAction.APPROVE_TIME):
        # Timesheets waiting for the manager's approval (resources/timesheets/views.py).
        url = reverse("time-approvals", args=[project.pk])
        tabs.append(Tab("timesheet-approvals", "Time approval", url))
    if access.can(ProjectAction.VIEW_MONEY):
        # Budget, expenses and earned value (resources/budgets/views.py, evm.py).
        tabs.append(Tab("budget", "Budget", reverse("project-budget", args=[project.pk])))
        tabs.append(Tab("evm", "Earned value", reverse("project-evm", args=[project.pk])))
    if access.can(ProjectAction.VIEW):
        tabs.append(Tab("calendar", "Calendar", reverse("project-month", args=[project.pk])))
        tabs.append(Tab("activity", "Activity", reverse("project-activity", args=[project.pk])))
        tabs.append(Tab("history", "History", reverse("project-history", args=[project.pk])))
    if access.can(ProjectAction.EDIT):
        tabs.append(Tab("settings", "Settings", reverse("project-settings", args=[project.pk])))
    return tabs


# Twenty tabs do not fit in a row: the header shows these sections, and the tabs of the
# section the page belongs to under them. A tab not listed here goes under "Project".
SECTIONS = (
    ("Dashboard", ("dashboard", "reports")),
    ("Plan", ("plan", "gantt", "baselines", "calendar")),
    ("Work", ("board", "backlog")),
    ("Scope", ("scope", "changes", "quality")),
    ("Money", ("team", "budget", "evm", "timesheet-approvals")),
    ("Risks", ("risks", "raid")),
    ("Project", ("overview", "members", "activity", "history", "settings")),
)


@dataclass(frozen=True)
class Section:
    label: str
    url: str  # its first tab the user may open
    tabs: list[Tab]
    active: bool


def project_sections(tabs: list[Tab], active_tab: str) -> list[Section]:
    """The tabs grouped into sections (each shown only when it holds a tab the user may open)."""
    by_section: dict[str, list[Tab]] = {label: [] for label, _ in SECTIONS}
    home = {name: label for label, names in SECTIONS for name in names}
    for tab in tabs:
        by_section[home.get(tab.name, "Project")].append(tab)
    return [
        Section(label, found[0].url, found, any(t.name == active_tab for t in found))
        for label, found in by_section.items()
        if found
    ]


def project_page(access: Access[Project], tab: str, **extra: Any) -> dict[str, Any]:
    """Context every project page shares: the project, its tabs and what the user may do."""
    tabs = project_tabs(access)
    return {
        "nav": "projects",
        "project": access.obj,
        "my_role": access.role,
        "tabs": tabs,
        "tab_sections": project_sections(tabs, tab),
        "active_tab": tab,
        "can_edit": access.can(ProjectAction.EDIT),
        "can_delete": access.can(ProjectAction.DELETE),
        "can_manage_members": access.can(ProjectAction.MANAGE_MEMBERS),
        # Costs give rates away: only roles that may see money see them (tpm/money.py).
        "can_see_money": sees_money(access),
        **extra,
    }

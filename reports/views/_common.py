"""Helpers shared by the reports pages."""

from typing import Any

from django.utils import timezone

from projects.models import Project
from projects.views._common import project_page

from ..access import can_manage

DASHBOARD_TAB = "dashboard"
REPORTS_TAB = "reports"


def reports_page(project: Project, tab: str, **extra: Any) -> dict[str, Any]:
    return project_page(project, tab, can_manage=can_manage(project), **extra)


def today() -> Any:
    return timezone.localdate()

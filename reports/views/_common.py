"""Helpers shared by the reports pages."""

from typing import Any

from django.utils import timezone

from projects.models import Project
from projects.views._common import project_page
from tpm.access import Access

from ..access import can_manage

DASHBOARD_TAB = "dashboard"
REPORTS_TAB = "reports"


def reports_page(access: Access[Project], tab: str, **extra: Any) -> dict[str, Any]:
    return project_page(access, tab, can_manage=can_manage(access), **extra)


def today() -> Any:
    return timezone.localdate()

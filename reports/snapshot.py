"""A status report's snapshot: the project's health, metrics and lists, frozen as JSON.

Built from the same selectors as the dashboard, so a report shows what the dashboard showed at
that moment; later changes to the plan never alter it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from projects.models import Project

from . import health, selectors, sources

SNAPSHOT_VERSION = 1


def build_snapshot(project: Project, *, today: date, now: datetime) -> dict[str, Any]:
    view = selectors.project_health(project, today=today)

    return {
        "version": SNAPSHOT_VERSION,
        "generated_at": now.isoformat(),
        "as_of": today.isoformat(),
        "project": {
            "id": project.pk,
            "key": project.key,
            "name": project.name,
            "status": project.get_status_display(),
            "methodology": project.get_methodology_display(),
            "currency": project.currency,
            "target_date": project.target_date.isoformat() if project.target_date else None,
        },
        "health": health.health_to_json(view.health),
        "sections": sources.sections_of(view.facts),
    }

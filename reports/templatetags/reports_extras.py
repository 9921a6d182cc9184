"""Template helpers for report pages, emails and PDFs."""

from typing import Any

from django import template

from reports.timeline import Timeline, milestone_timeline

register = template.Library()


@register.filter
def timeline(milestones: list[dict[str, Any]] | None) -> Timeline:
    """The milestones of a schedule section placed on one axis (see reports/timeline.py)."""
    return milestone_timeline(milestones or [])

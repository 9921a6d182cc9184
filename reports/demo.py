"""The reports part of `seed_demo`: three past published reports and a weekly schedule per project.

The reports are real snapshots of today's plan, aged: the older two show less progress and
smaller slips, so the history and "what changed" pages have something to say on first start.
"""

import copy
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from projects.models import Project
from tpm.demo import DemoPeople
from tpm.roles import ProjectRole

from . import services
from .models import StatusReport

NARRATIVES = [
    {
        "summary": "Kick-off done; the team is staffed and the plan is baselined.",
        "accomplishments": "Plan approved by the steering group.\nEnvironments requested.",
        "next_steps": "Start the first work packages.",
        "asks": "",
    },
    {
        "summary": "Work is under way; a supplier delay is being watched.",
        "accomplishments": "First work packages finished on time.",
        "next_steps": "Close the integration design.\nChase the supplier for firm dates.",
        "asks": "Decision needed: accept the supplier's revised date or look for a second source.",
    },
    {
        "summary": "Progress continues; see the milestone table for what moved.",
        "accomplishments": "Integration design signed off.",
        "next_steps": "Begin testing with the first partner.",
        "asks": "Sponsor to confirm the go-live window.",
    },
]


def _aged(snapshot: dict[str, Any], weeks_ago: int, when: datetime) -> dict[str, Any]:
    """Today's snapshot as it would have looked `weeks_ago` weeks earlier (demo only)."""
    older = copy.deepcopy(snapshot)
    older["generated_at"] = when.isoformat()
    older["as_of"] = when.date().isoformat()
    schedule = (older.get("sections") or {}).get("schedule")
    if schedule:
        schedule["percent_complete"] = max(0, schedule["percent_complete"] - 7 * weeks_ago)
        schedule["completed"] = max(0, schedule["completed"] - 3 * weeks_ago)
        for milestone in schedule["milestones"]:
            slip = milestone.get("slip_days")
            if slip and slip > 0:
                earlier = max(0, slip - 3 * weeks_ago)
                forecast = datetime.fromisoformat(milestone["forecast"]).date()
                milestone["forecast"] = (forecast - timedelta(days=slip - earlier)).isoformat()
                milestone["slip_days"] = earlier
    return older


def seed_reports(projects: list[Project], people: DemoPeople) -> int:
    """Three weekly reports per project, published in the past; and a weekly schedule."""
    now = timezone.now()
    count = 0
    for project in projects:
        manager = project.memberships.filter(role=ProjectRole.MANAGER).first()
        actor = manager.user if manager else people.manager
        for index, narrative in enumerate(NARRATIVES):
            weeks_ago = len(NARRATIVES) - index
            when = now - timedelta(weeks=weeks_ago)
            report = services.report_create(
                project=project,
                actor=actor,
                now=when,
                title=f"{project.key} weekly status, {timezone.localtime(when):%d %b %Y}",
                summary=narrative["summary"],
                accomplishments=narrative["accomplishments"],
                next_steps=narrative["next_steps"],
                asks=narrative["asks"],
            )
            StatusReport.objects.filter(pk=report.pk).update(
                snapshot=_aged(report.snapshot, weeks_ago - 1, when)
            )
            report.refresh_from_db()
            services.report_publish(report=report, actor=actor, version=report.version, now=when)
            count += 1
        # Due a few minutes after seeding, so `make run` shows a delivery on the console.
        soon = timezone.localtime(now + timedelta(minutes=10))
        services.schedule_create(
            project=project,
            actor=actor,
            name="Weekly status",
            weekday=soon.weekday(),
            time_of_day=time(soon.hour, soon.minute),
            time_zone=timezone.get_current_timezone_name(),
            starts_on=soon.date(),
            recipient_roles=[ProjectRole.MANAGER, ProjectRole.STAKEHOLDER],
            audience="executive",
        )
    return count

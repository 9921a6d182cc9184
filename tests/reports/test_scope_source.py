"""Change requests in the reports: scope health (pending and approved since the baseline), the
dashboard's scope section with recent decisions, and a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.baselines import services as baseline_services
from projects.changes import services as change_services
from projects.plan import services as task_services
from reports.health import Colour, ScopeFacts, Thresholds, assess_scope
from reports.sources import scope as scope_source
from reports.sources import sections
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.projects.factories_scope import ChangeRequestFactory
from tests.projects.helpers import text

pytestmark = pytest.mark.django_db

DAY = 480


@pytest.fixture
def changes(world):
    """CR-1 approved and applied; then a baseline; CR-2 approved after it; CR-3 submitted;
    CR-4 rejected; CR-5 a draft."""
    world.project.start_date = date(2027, 1, 4)
    world.project.save()
    task = task_services.task_create(
        project=world.project, actor=world.manager, name="Design", duration_minutes=2 * DAY
    )

    def raised(title, days):
        change = change_services.change_request_create(
            project=world.project,
            actor=world.member,
            title=title,
            proposal=[{"op": "change_duration", "task": task.pk, "duration_minutes": days * DAY}],
        )
        return change_services.change_request_submit(
            change_request=change, actor=world.member, version=change.version
        )

    def approve(change):
        return change_services.change_request_approve(
            change_request=change, actor=world.manager, version=change.version
        )

    approve(raised("First", 3))
    baseline_services.baseline_save(project=world.project, actor=world.manager, name="Re-plan")
    approve(raised("Second", 5))
    raised("Pending", 7)
    rejected = raised("Rejected", 9)
    change_services.change_request_reject(
        change_request=rejected, actor=world.manager, version=rejected.version, comment="No"
    )
    change_services.change_request_create(project=world.project, actor=world.member, title="Idea")
    return world.project


def test_scope_facts_count_pending_and_approved_since_the_latest_baseline(world, changes):
    # given / when
    summary = scope_source.facts([changes], today=timezone.localdate())[changes.pk]

    # then
    assert summary.health == ScopeFacts(pending_changes=1, approved_changes=1)
    assert summary.counts == {"implemented": 2, "submitted": 1, "rejected": 1, "draft": 1}
    assert summary.pending.count == 1 and summary.pending.slip_days > 0
    assert summary.approved.count == 2
    assert [line.ref for line in summary.recent_decisions] == ["CR-4", "CR-2", "CR-1"]
    assert [line.ref for line in summary.approved_changes] == ["CR-2", "CR-1"]


def test_a_project_without_change_requests_has_no_scope_data(world):
    assert scope_source.facts([world.project], today=timezone.localdate()) == {}


def test_the_scope_health_follows_the_rules(world, changes):
    # given
    summary = scope_source.facts([changes], today=timezone.localdate())[changes.pk]

    # when
    verdict = assess_scope(summary.health, Thresholds())

    # then
    assert verdict.reasons == [
        "1 change request awaiting decision.",
        "1 change approved since the baseline.",
    ]
    assert verdict.colour != Colour.GREEN or Thresholds().pending_changes_amber > 1


def test_the_dashboard_shows_the_scope_section_with_recent_decisions(world, changes):
    # given / when
    page = text(client_for(world.viewer).get(reverse("project-dashboard", args=[changes.pk])))

    # then
    assert "Scope and change control" in page
    assert "1 change request awaiting a decision" in page
    assert "CR-4 Rejected" in page and "CR-2 Second" in page
    approved = page[page.index("Approved changes") :]
    assert "CR-2 Second: finish 2.00 working days" in approved and "CR-4" not in approved
    assert sections(changes, today=timezone.localdate())["scope"]["pending_changes"] == 1


def test_the_source_costs_the_same_queries_for_one_or_many_projects(world, changes):
    # given
    others = [ProjectFactory(organisation=world.organisation) for _ in range(4)]
    for project in others:
        for number in (1, 2):
            ChangeRequestFactory(project=project, number=number, status="submitted")

    # when
    with CaptureQueriesContext(connection) as one:
        scope_source.facts([changes], today=timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        answer = scope_source.facts([changes, *others], today=timezone.localdate())

    # then
    assert len(one) == len(many) == 2
    assert all(answer[project.pk].health.pending_changes == 2 for project in others)

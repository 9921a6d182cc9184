"""Status reports: a frozen snapshot plus the manager's narrative; draft -> published, for good."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.changes import what_changed
from reports.models import StatusReport
from tests.conftest import client_for
from tests.projects.helpers import text
from tests.reports.helpers import milestone, plan
from tpm.models import HistoryEntry


@pytest.fixture
def today():
    return timezone.localdate()


def _publish(world, **narrative):
    report = services.report_create(project=world.project, actor=world.manager, **narrative)
    return services.report_publish(report=report, actor=world.manager, version=report.version)


def test_a_manager_writes_a_narrative_and_publishes(world, today):
    # given a plan
    plan(world.project, today=today)
    client = client_for(world.manager)
    # when the manager starts a report, writes the narrative and publishes it
    response = client.post(reverse("report-list", args=[world.project.pk]))
    report = StatusReport.objects.get(project=world.project)
    assert response.status_code == 302 and response.url.endswith(f"/reports/{report.pk}/edit/")
    response = client.post(
        reverse("report-edit", args=[world.project.pk, report.pk]),
        {
            "title": "Week 12",
            "summary": "Payments API is on track.",
            "accomplishments": "Sandbox live.",
            "next_steps": "Load test.",
            "asks": "Approve the pen-test budget.",
            "version": report.version,
            "action": "publish",
        },
    )
    # then it is published, and a stakeholder reads it with its frozen figures
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published and report.published_by == world.manager
    body = text(client_for(world.stakeholder).get(response.url))
    assert "Payments API is on track." in body and "Approve the pen-test budget." in body
    assert "33% complete" in body or "% complete" in body
    assert HistoryEntry.objects.filter(target_id=str(report.pk), action="published").exists()


def test_publishing_needs_a_summary(world):
    report = services.report_create(project=world.project, actor=world.manager)
    with pytest.raises(ValidationError):
        services.report_publish(report=report, actor=world.manager, version=report.version)


def test_a_published_report_never_changes(world, today):
    # given a published report
    report = _publish(world, summary="First.")
    # when anyone tries to edit it through the service, it is refused
    with pytest.raises(ValidationError):
        services.report_update(
            report=report, actor=world.manager, changes={"summary": "x"}, version=report.version
        )
    with pytest.raises(ValidationError):
        services.report_delete(report=report, actor=world.manager)
    # and even a raw UPDATE is refused by the database
    with pytest.raises(DatabaseError), transaction.atomic():
        StatusReport.objects.filter(pk=report.pk).update(summary="Rewritten")
    report.refresh_from_db()
    assert report.summary == "First."
    # and the edit page sends the manager to the report instead
    response = client_for(world.manager).get(
        reverse("report-edit", args=[world.project.pk, report.pk])
    )
    assert response.status_code == 302


def test_the_snapshot_is_frozen_when_the_plan_moves_on(world, today):
    # given a report taken while the milestone was on time
    task = milestone(
        world.project,
        "Beta",
        forecast=today + timedelta(days=5),
        baseline=today + timedelta(days=5),
    )
    plan(world.project, today=today)
    first = _publish(world, summary="On time.")
    # when the milestone slips and a second report is published
    task.finish = task.finish + timedelta(days=14)
    task.start = task.finish
    task.save()
    second = _publish(world, summary="Beta slipped.")
    # then the first report still shows the old figures
    first.refresh_from_db()
    schedule = first.snapshot["sections"]["schedule"]
    assert schedule["milestones"][0]["slip_days"] == 0
    assert second.snapshot["sections"]["schedule"]["milestones"][0]["slip_days"] == 14
    # and the second says what changed since the first
    body = text(
        client_for(world.viewer).get(reverse("report-detail", args=[world.project.pk, second.pk]))
    )
    assert "What changed since the last report" in body
    assert "Schedule worsened from green to red." in body
    assert "Milestone “Beta” moved" in body


def test_drafts_are_the_managers_alone(world):
    draft = services.report_create(project=world.project, actor=world.manager)
    url = reverse("report-detail", args=[world.project.pk, draft.pk])
    assert client_for(world.stakeholder).get(url).status_code == 404
    assert client_for(world.manager).get(url).status_code == 200
    listing = text(
        client_for(world.stakeholder).get(reverse("report-list", args=[world.project.pk]))
    )
    assert draft.title not in listing


def test_a_stale_draft_edit_is_refused(world):
    draft = services.report_create(project=world.project, actor=world.manager)
    services.report_update(
        report=draft, actor=world.manager, changes={"summary": "A"}, version=draft.version
    )
    response = client_for(world.manager).post(
        reverse("report-edit", args=[world.project.pk, draft.pk]),
        {"title": "T", "summary": "B", "version": draft.version, "action": "save"},
    )
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.summary == "A"


def test_what_changed_for_a_first_report():
    assert what_changed(None, {}) == ["This is the project's first status report."]


def test_deleting_a_schedule_keeps_its_published_reports(world):
    # given a report a schedule generated and published
    schedule = services.schedule_create(
        project=world.project, actor=world.manager, recipient_roles=["stakeholder"]
    )
    report = services.report_create(
        project=world.project, actor=None, schedule=schedule, period=timezone.localdate()
    )
    services.report_publish(report=report, actor=None, version=report.version)
    # when the schedule is deleted
    services.schedule_delete(schedule=schedule, actor=world.manager)
    # then the report stays, unchanged but for the link to the schedule
    report.refresh_from_db()
    assert report.is_published and report.schedule is None


def test_a_refused_publish_keeps_the_draft_editable_with_the_same_version(world):
    draft = services.report_create(project=world.project, actor=world.manager)
    url = reverse("report-edit", args=[world.project.pk, draft.pk])
    client = client_for(world.manager)
    form = {"title": "Week 3", "summary": "", "version": draft.version, "action": "publish"}
    # when the manager publishes without a summary, it is refused naming the field
    response = client.post(url, form)
    assert response.status_code == 422 and "Write a summary before publishing." in text(response)
    # then adding the summary and publishing again (same form, same version) works
    response = client.post(url, {**form, "summary": "Back on track."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.summary == "Back on track."

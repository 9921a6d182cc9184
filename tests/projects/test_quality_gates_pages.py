"""The Quality tab, the gate page, the organisation's gate templates, and the refusal to
complete a milestone behind an open gate as the board, My work and the API show it (issue 7)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.agile.services import workflow as workflow_services
from projects.models import GateOutcome, GateTemplate, TaskStatus
from projects.plan import services as task_services
from projects.quality import services as quality_services
from tests.conftest import client_for

from .factories_scope import (
    GateCriterionFactory,
    GateReviewFactory,
    GateTemplateCriterionFactory,
    GateTemplateFactory,
    QualityGateFactory,
    QualityMeasureFactory,
)
from .helpers import HTMX, assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db


def gated_milestone(world, *, assignee=None):
    milestone = task_services.task_create(
        project=world.project,
        actor=world.manager,
        name="Go live",
        is_milestone=True,
        assignees=[assignee] if assignee else [],
    )
    gate = quality_services.gate_create(
        project=world.project,
        actor=world.manager,
        name="Go-live readiness",
        task=milestone,
        criteria=["Pen test passed", "Runbook published"],
    )
    return milestone, gate


def test_the_board_refuses_moving_a_gated_milestone_to_done_with_the_open_criteria(world):
    # given a gated milestone on the board
    milestone, _ = gated_milestone(world)
    done = next(s for s in workflow_services.ensure_workflow(world.project) if s.name == "Done")
    # when a member drops it in Done
    response = client_for(world.member).post(
        reverse("project-board-move", args=[world.project.pk]),
        json.dumps({"task": milestone.pk, "status": done.pk, "version": milestone.version}),
        content_type="application/json",
    )
    # then the move is refused with the open criteria, and the card stays
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "“Go live” cannot be completed" in detail
    assert "“Pen test passed” (not checked)" in detail
    milestone.refresh_from_db()
    assert milestone.status == TaskStatus.NOT_STARTED


def test_my_work_shows_the_refusal_on_the_row(world):
    milestone, _ = gated_milestone(world, assignee=world.member)
    response = client_for(world.member).post(
        reverse("my-work-progress", args=[milestone.pk]),
        {"status": "completed", "percent_complete": 100, "version": milestone.version},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "“Runbook published” (not checked)" in text(response)


def test_the_api_refuses_completing_with_a_400_naming_the_criteria(world):
    milestone, _ = gated_milestone(world)
    response = client_for(world.manager).post(
        reverse("api:task-progress", args=[milestone.pk]),
        {"status": "completed", "version": milestone.version},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "Pen test passed" in json.dumps(response.json())


def test_a_member_fails_a_criterion_with_a_file_as_evidence(world, settings, tmp_path):
    # given a gate and the member on its page
    settings.MEDIA_ROOT = tmp_path
    _, gate = gated_milestone(world)
    criterion = gate.criteria.first()
    client = client_for(world.member)
    # when they fail the criterion with a report attached
    response = client.post(
        reverse("gate-criterion-check", args=[world.project.pk, gate.pk, criterion.pk]),
        {
            f"c{criterion.pk}-result": "fail",
            f"c{criterion.pk}-evidence_comment": "Two high findings",
            f"c{criterion.pk}-version": criterion.version,
            f"c{criterion.pk}-evidence_file": SimpleUploadedFile(
                "pentest.txt", b"2 high", "text/plain"
            ),
        },
    )
    # then the gate failed and the report downloads
    assert response.status_code == 302
    gate.refresh_from_db()
    assert gate.outcome == GateOutcome.FAILED
    page = text(client.get(reverse("gate-detail", args=[world.project.pk, gate.pk])))
    assert "pentest.txt" in page and "Two high findings" in page
    download = client.get(
        reverse("gate-evidence-download", args=[world.project.pk, gate.pk, criterion.pk])
    )
    assert b"".join(download.streaming_content) == b"2 high"


def test_a_waiver_without_a_reason_re_renders_with_422(world):
    _, gate = gated_milestone(world)
    response = client_for(world.manager).post(
        reverse("gate-waive", args=[world.project.pk, gate.pk]),
        {"reason": "", "version": gate.version},
    )
    assert response.status_code == 422


def test_the_review_form_shows_only_to_the_required_role(world):
    _, gate = gated_milestone(world)
    GateReviewFactory(gate=gate, required_role="stakeholder")
    url = reverse("gate-detail", args=[world.project.pk, gate.pk])
    assert "Give the stakeholder review" in text(client_for(world.stakeholder).get(url))
    assert "Give the stakeholder review" not in text(client_for(world.member).get(url))


def test_the_quality_tab_lists_gates_defects_and_measures(world):
    _, _gate = gated_milestone(world)
    task_services.task_create(
        project=world.project, actor=world.manager, name="Crash", task_type="bug", priority="high"
    )
    QualityMeasureFactory(project=world.project, test_pass_rate="96.00", coverage="78.50")
    page = text(client_for(world.viewer).get(reverse("project-quality", args=[world.project.pk])))
    assert "Go-live readiness" in page
    assert 'id="defects-high">1<' in page
    assert 'id="latest-coverage">78.50%' in page


def test_a_new_organisation_sees_the_three_default_templates_and_adds_one(world):
    client = client_for(world.admin)
    page = text(client.get(reverse("gate-templates")))
    for name in ("Design review", "Security review", "Go-live readiness"):
        assert name in page
    response = client.post(
        reverse("gate-templates"),
        {
            "name": "Release review",
            "criteria": "Notes written\nDocs updated",
            "reviewer_roles": ["manager"],
        },
    )
    assert response.status_code == 302
    template = GateTemplate.objects.get(organisation=world.organisation, name="Release review")
    assert list(template.criteria.values_list("text", flat=True)) == [
        "Notes written",
        "Docs updated",
    ]


def test_a_gate_made_from_a_template_on_the_page(world):
    milestone = task_services.task_create(
        project=world.project, actor=world.manager, name="Ship", is_milestone=True
    )
    template = GateTemplateFactory(organisation=world.organisation, name="Ops review")
    GateTemplateCriterionFactory(template=template, text="Alerts in place")
    response = client_for(world.manager).post(
        reverse("gate-create", args=[world.project.pk]),
        {"template": template.pk, "task": milestone.pk},
        follow=True,
    )
    assert "Added gate G-1 “Ops review”" in text(response)
    assert "Alerts in place" in text(response)


def test_the_quality_tab_costs_the_same_for_many_gates_and_measures(world):
    client = client_for(world.manager)
    url = reverse("project-quality", args=[world.project.pk])
    GateCriterionFactory(gate=QualityGateFactory(project=world.project))
    QualityMeasureFactory(project=world.project)
    few = queries_for(client, "get", url)
    for _ in range(5):
        GateCriterionFactory(gate=QualityGateFactory(project=world.project))
        QualityMeasureFactory(project=world.project)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)


def test_the_gate_page_costs_the_same_for_many_criteria(world):
    client = client_for(world.manager)
    gate = QualityGateFactory(project=world.project)
    GateCriterionFactory(gate=gate)
    GateReviewFactory(gate=gate, required_role="manager")
    url = reverse("gate-detail", args=[world.project.pk, gate.pk])
    few = queries_for(client, "get", url)
    for _ in range(5):
        GateCriterionFactory(gate=gate)
    GateReviewFactory(gate=gate, required_role="member")
    many = queries_for(client, "get", url)
    assert_same_count(few, many)


def test_the_templates_page_costs_the_same_for_many_templates(world):
    client = client_for(world.admin)
    url = reverse("gate-templates")
    client.get(url)  # the first visit seeds the default templates
    few = queries_for(client, "get", url)
    for n in range(5):
        GateTemplateCriterionFactory(
            template=GateTemplateFactory(organisation=world.organisation, name=f"T{n}")
        )
    many = queries_for(client, "get", url)
    assert_same_count(few, many)

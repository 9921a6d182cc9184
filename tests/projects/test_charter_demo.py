"""The demo's scope and quality (projects/scope/demo.py, run by `manage.py seed_demo`)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from projects.models import (
    Charter,
    Deliverable,
    GateTemplate,
    Objective,
    Project,
    QualityGate,
    QualityMeasure,
)
from tpm.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_charter_objectives_with_history_deliverables_and_gates(capsys):
    # when the demo is seeded
    call_command("seed_demo")
    project = Project.objects.get(key="PAY")
    # then its charter was approved by the sponsor and a newer version waits
    charter = Charter.objects.get(project=project)
    assert charter.approved_version.number == 1
    assert charter.current_version.number == 2 and not charter.is_approved
    # three objectives, each with a history
    objectives = Objective.objects.filter(project=project)
    assert objectives.count() == 3
    assert all(o.measurements.count() >= 5 and o.current_value is not None for o in objectives)
    # deliverables, one accepted
    assert Deliverable.objects.filter(project=project, status="accepted").count() == 1
    # gates with one failed and one waived
    outcomes = set(QualityGate.objects.filter(project=project).values_list("outcome", flat=True))
    assert {"failed", "waived"} <= outcomes
    assert QualityMeasure.objects.filter(project=project).count() >= 15
    assert GateTemplate.objects.filter(organisation=project.organisation).count() == 3


def test_every_scope_and_quality_page_of_the_demo_renders(capsys):
    # given the seeded demo and its TPM
    call_command("seed_demo")
    project = Project.objects.get(key="PAY")
    client = Client()
    client.force_login(User.objects.get(email="tpm@example.com"))
    urls = [
        reverse("project-scope", args=[project.pk]),
        reverse("charter-history", args=[project.pk]),
        reverse("project-quality", args=[project.pk]),
        reverse("project-dashboard", args=[project.pk]),
        *[reverse("objective-detail", args=[project.pk, o.pk]) for o in project.objectives.all()],
        *[
            reverse("deliverable-detail", args=[project.pk, d.pk])
            for d in project.deliverables.all()
        ],
        *[reverse("gate-detail", args=[project.pk, g.pk]) for g in project.quality_gates.all()],
    ]
    # then each page answers
    for url in urls:
        assert client.get(url).status_code == 200, url
    dashboard = client.get(reverse("project-dashboard", args=[project.pk])).content.decode()
    assert "quality gate failed" in dashboard

"""The RAID log pages: add and edit assumptions, issues, decisions and dependencies."""

import pytest
from django.urls import reverse

from risks.models import Assumption, Decision, ExternalDependency, Issue
from risks.raid import services as raid_services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "model", "data"),
    [
        (
            "assumptions",
            Assumption,
            {"title": "Prices hold", "validate_by": "2030-01-31", "status": "open"},
        ),
        (
            "issues",
            Issue,
            {
                "title": "Build server down",
                "priority": "high",
                "status": "open",
                "raised_on": "2026-11-01",
            },
        ),
        (
            "decisions",
            Decision,
            {
                "title": "Use Adyen",
                "rationale": "Fees",
                "alternatives": "Stripe",
                "decided_by": "Board",
                "decided_on": "2026-10-01",
                "status": "decided",
            },
        ),
        (
            "dependencies",
            ExternalDependency,
            {"title": "API keys", "party": "Adyen", "party_kind": "vendor", "status": "expected"},
        ),
    ],
)
def test_a_member_adds_an_entry_and_sees_it_in_the_log(world, kind, model, data):
    client = client_for(world.member)
    response = client.post(
        reverse("raid-create", args=[world.project.pk, kind]), {**data, "owner": world.member.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = model.objects.get()
    assert entry.number == 1 and entry.owner == world.member
    log = client.get(reverse("raid-log", args=[world.project.pk])).content.decode()
    assert data["title"] in log and entry.ref in log


def test_an_entry_without_a_title_is_a_form_error(world):
    response = client_for(world.member).post(
        reverse("raid-create", args=[world.project.pk, "assumptions"]),
        {"title": "", "status": "open"},
    )
    assert response.status_code == 422 and not Assumption.objects.exists()


def test_an_owner_outside_the_project_is_a_form_error(world):
    response = client_for(world.member).post(
        reverse("raid-create", args=[world.project.pk, "decisions"]),
        {"title": "Use Adyen", "status": "decided", "owner": world.bystander.pk},
    )
    assert response.status_code == 422 and not Decision.objects.exists()


def test_a_stale_edit_is_a_409_and_keeps_the_other_change(world):
    decision = raid_services.raid_create(
        model=Decision, project=world.project, actor=world.manager, title="Use Adyen"
    )
    raid_services.raid_update(entry=decision, actor=world.manager, version=1, rationale="Fees")
    response = client_for(world.member).post(
        reverse("raid-edit", args=[world.project.pk, "decisions", decision.pk]),
        {"title": "Use Stripe", "status": "decided", "version": 1},
    )
    assert response.status_code == 409
    decision.refresh_from_db()
    assert (decision.title, decision.rationale) == ("Use Adyen", "Fees")


def test_an_unknown_part_of_the_log_is_a_404(world):
    response = client_for(world.member).get(
        reverse("raid-create", args=[world.project.pk, "gossip"])
    )
    assert response.status_code == 404


def test_an_entry_of_another_project_is_a_404(world):
    theirs = raid_services.raid_create(
        model=Issue, project=world.other_project, actor=world.outsider, title="Theirs"
    )
    response = client_for(world.admin).get(
        reverse("raid-edit", args=[world.project.pk, "issues", theirs.pk])
    )
    assert response.status_code == 404

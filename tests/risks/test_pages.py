"""The register pages as people use them: raise, read, reassess, respond, heat map, as-of."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Task
from risks import services
from risks.models import Risk, RiskCategory
from tests.conftest import client_for

from .helpers import raise_risk

pytestmark = pytest.mark.django_db


def _form(world, **overrides):
    services.categories_ensure(organisation=world.organisation)
    category = RiskCategory.objects.get(organisation=world.organisation, name="Vendor")
    data = {
        "kind": "threat",
        "title": "Payment vendor misses the sandbox date",
        "cause": "The vendor is short of staff",
        "event": "Sandbox arrives late",
        "effect": "Integration slips",
        "category": category.pk,
        "owner": world.member.pk,
        "status": "identified",
        "probability": 4,
        "impact_schedule": 4,
        "impact_cost": 2,
        "impact_scope": 1,
        "impact_quality": 1,
        "residual_probability": "",
        "residual_impact": "",
        "cost_impact": "20000",
        "schedule_impact_days": 15,
        "strategy": "",
    }
    data.update(overrides)
    return data


def test_a_member_raises_a_risk_from_the_form(world):
    client = client_for(world.member)
    response = client.post(reverse("risk-create", args=[world.project.pk]), _form(world))
    risk = Risk.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/risks/{risk.pk}/")
    page = client.get(response.url).content.decode()
    assert "R-1 Payment vendor misses the sandbox date" in page
    assert "16" in page and "Critical" in page
    # EMV and cost impact are money: a member neither sets nor reads them (the manager does)
    assert "14000.00" not in page and "20000" not in page


def test_out_of_scale_ratings_are_named_on_the_form(world):
    client = client_for(world.member)
    response = client.post(
        reverse("risk-create", args=[world.project.pk]), _form(world, probability=7)
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Risk.objects.exists()


def test_an_owner_outside_the_project_is_a_form_error(world):
    client = client_for(world.manager)
    response = client.post(
        reverse("risk-create", args=[world.project.pk]),
        _form(world, owner=world.outsider.pk),
    )
    assert response.status_code == 422
    assert not Risk.objects.exists()


def test_the_register_filters_and_sorts(world):
    raise_risk(world, title="Low one", probability=1, impact_schedule=1, impact_cost=1)
    raise_risk(world, title="High one", probability=5, impact_schedule=5)
    client = client_for(world.viewer)
    url = reverse("risk-register", args=[world.project.pk])
    page = client.get(url).content.decode()
    assert page.index("High one") < page.index("Low one")
    page = client.get(url, {"level": "low"}).content.decode()
    assert "Low one" in page and "High one" not in page
    page = client.get(url, {"sort": "title"}).content.decode()
    assert page.index("High one") < page.index("Low one")


def test_the_heat_map_counts_and_links_to_the_cell(world):
    raise_risk(world, title="A", probability=4, impact_schedule=4)
    raise_risk(world, title="B", probability=4, impact_schedule=4, impact_cost=1)
    raise_risk(world, title="C", probability=1, impact_schedule=2)
    client = client_for(world.stakeholder)
    page = client.get(reverse("risk-overview", args=[world.project.pk])).content.decode()
    assert 'data-cell="inherent-4-4"' in page
    cell = page.split('data-cell="inherent-4-4"')[1].split("</td>")[0]
    assert ">2</a>" in cell and "grid=inherent&amp;p=4&amp;i=4" in cell
    listed = client.get(
        reverse("risk-register", args=[world.project.pk]), {"grid": "inherent", "p": 4, "i": 4}
    ).content.decode()
    assert ">A</a>" in listed and ">B</a>" in listed and ">C</a>" not in listed


def test_reassessing_shows_the_new_residual_score(world):
    risk = raise_risk(world)
    client = client_for(world.member)
    response = client.post(
        reverse("risk-reassess", args=[world.project.pk, risk.pk]),
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "probability": 3,
            "impact_schedule": 4,
            "impact_cost": 2,
            "impact_scope": 1,
            "impact_quality": 1,
            "residual_probability": 1,
            "residual_impact": 3,
            "cost_impact": "10000",
            "schedule_impact_days": 10,
            "status": "responding",
            "next_review_on": "",
            "note": "Stub in place",
            "version": risk.version,
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'id="residual-score"><span class="level level-low">3</span>' in page
    assert "Stub in place" in page


def test_a_review_dated_before_the_risk_was_raised_is_a_form_error(world):
    risk = raise_risk(world)
    response = client_for(world.member).post(
        reverse("risk-reassess", args=[world.project.pk, risk.pk]),
        {
            "reviewed_on": (risk.raised_on - timedelta(days=5)).isoformat(),
            "probability": 3,
            "impact_schedule": 4,
            "impact_cost": 2,
            "impact_scope": 1,
            "impact_quality": 1,
            "cost_impact": "0",
            "schedule_impact_days": 0,
            "status": "assessed",
            "version": risk.version,
        },
    )
    assert response.status_code == 422
    assert "before the risk was raised" in response.content.decode()


def test_a_stale_edit_answers_409_and_keeps_the_other_change(world):
    risk = raise_risk(world)
    services.risk_update(risk=risk, actor=world.manager, version=1, title="Renamed first")
    response = client_for(world.member).post(
        reverse("risk-edit", args=[world.project.pk, risk.pk]),
        _form(world, title="Mine", version=1),
    )
    assert response.status_code == 409
    risk.refresh_from_db()
    assert risk.title == "Renamed first"


def test_a_response_action_appears_in_the_plan(world):
    risk = raise_risk(world)
    client = client_for(world.manager)
    response = client.post(
        reverse("risk-response-add", args=[world.project.pk, risk.pk]),
        {"name": "Build a sandbox stub", "duration_days": "2"},
    )
    assert response.status_code == 302
    task = Task.objects.get(name="R-1: Build a sandbox stub")
    assert task.duration_minutes == 960
    plan = client.get(reverse("project-plan", args=[world.project.pk])).content.decode()
    assert "R-1: Build a sandbox stub" in plan


def test_a_member_cannot_add_tasks_to_the_plan(world):
    risk = raise_risk(world)
    response = client_for(world.member).post(
        reverse("risk-response-add", args=[world.project.pk, risk.pk]),
        {"name": "Sneaky task", "duration_days": "1"},
    )
    assert response.status_code == 403
    assert not Task.objects.exists()


def test_the_register_as_of_a_past_date_shows_the_scores_then(world):
    risk = raise_risk(world, raised_on=timezone.localdate() - timedelta(days=20))
    services.risk_reassess(risk=risk, actor=world.member, version=1, probability=1)
    client = client_for(world.viewer)
    url = reverse("risk-register", args=[world.project.pk])
    past = client.get(
        url, {"as_of": (timezone.localdate() - timedelta(days=10)).isoformat()}
    ).content.decode()
    now = client.get(url).content.decode()
    assert ">12</span>" in past and ">4</span>" in now
    before = client.get(
        url, {"as_of": (timezone.localdate() - timedelta(days=30)).isoformat()}
    ).content.decode()
    assert "No risks match" in before


def test_occurred_risk_becomes_an_issue_in_the_raid_log(world):
    risk = raise_risk(world)
    client = client_for(world.member)
    response = client.post(
        reverse("risk-occurred", args=[world.project.pk, risk.pk]), {"version": risk.version}
    )
    assert response.status_code == 302
    log = client.get(reverse("raid-log", args=[world.project.pk])).content.decode()
    assert "I-1" in log and f"/risks/{risk.pk}/" in log


def test_the_project_tabs_include_risks_and_raid(world):
    # the Risks section is in every project page's header; its pages are the register and RAID
    client = client_for(world.viewer)
    page = client.get(reverse("project-detail", args=[world.project.pk]))
    assert reverse("risk-register", args=[world.project.pk]) in page.content.decode()
    register = client.get(reverse("risk-register", args=[world.project.pk])).content.decode()
    assert reverse("raid-log", args=[world.project.pk]) in register


def test_settings_change_the_levels(world):
    raise_risk(world, probability=2, impact_schedule=4, impact_cost=1)  # score 8: medium
    client = client_for(world.admin)
    response = client.post(
        reverse("risk-settings"),
        {
            "medium_from": 3,
            "high_from": 6,
            "critical_from": 12,
            "appetite": 5,
            "escalation_from": 12,
            "version": 1,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("risk-register", args=[world.project.pk])).content.decode()
    assert 'level-high" title="High">8<' in page


def test_settings_that_do_not_rise_are_a_form_error(world):
    response = client_for(world.admin).post(
        reverse("risk-settings"),
        {
            "medium_from": 9,
            "high_from": 6,
            "critical_from": 12,
            "appetite": 5,
            "escalation_from": 12,
            "version": 1,
        },
    )
    assert response.status_code == 422
    assert "must rise" in response.content.decode()


def test_the_register_as_of_a_date_keeps_the_filters(world):
    raised = timezone.localdate() - timedelta(days=20)
    raise_risk(world, title="Closed then", raised_on=raised, status="closed")
    raise_risk(world, title="Open then", raised_on=raised)
    url = reverse("risk-register", args=[world.project.pk])
    day = (timezone.localdate() - timedelta(days=5)).isoformat()
    client = client_for(world.viewer)
    open_only = client.get(url, {"as_of": day}).content.decode()
    everything = client.get(url, {"as_of": day, "status": "all"}).content.decode()
    assert "Open then" in open_only and "Closed then" not in open_only
    assert "Closed then" in everything

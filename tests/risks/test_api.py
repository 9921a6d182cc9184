"""The register's REST API: the same rules and messages as the pages."""

import pytest
from django.urls import reverse

from risks.models import Risk
from tests.conftest import client_for

from .helpers import raise_risk

pytestmark = pytest.mark.django_db


def _post(client, route, data, **kwargs):
    return client.post(reverse(route, **kwargs), data, content_type="application/json")


def test_raising_a_risk_returns_its_figures(world):
    # (the manager: EMV is money, null for members and viewers: tests/risks/test_money.py)
    response = _post(
        client_for(world.manager),
        "api:risk-list",
        {
            "project": world.project.pk,
            "title": "Certification slips",
            "probability": 4,
            "impact_cost": 5,
            "cost_impact": "50000.00",
            "schedule_impact_days": 20,
            "owner": world.member.pk,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["ref"], body["score"], body["level"]) == ("R-1", 20, "critical")
    assert (body["emv"], body["expected_schedule_days"]) == ("35000.00", "14.0")
    assert response["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"probability": 9}, "probability", "from 1 to 5"),
        ({"impact_scope": 0}, "impact_scope", "from 1 to 5"),
        ({"cost_impact": "-1"}, "cost_impact", "negative"),
        ({"colour": "red"}, "colour", "not accepted"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, body, field, words):
    response = _post(
        client_for(world.member),
        "api:risk-list",
        {"project": world.project.pk, "title": "X", "probability": 3, **body},
    )
    assert response.status_code == 400
    assert words in " ".join(response.json()["errors"][field])
    assert not Risk.objects.exists()


def test_an_owner_outside_the_project_is_a_400(world):
    response = _post(
        client_for(world.manager),
        "api:risk-list",
        {"project": world.project.pk, "title": "X", "probability": 3, "owner": world.bystander.pk},
    )
    assert response.status_code == 400
    assert "no role in WEB" in response.json()["errors"]["owner"][0]


def test_an_owner_of_another_organisation_is_a_404_naming_the_field(world):
    response = _post(
        client_for(world.manager),
        "api:risk-list",
        {"project": world.project.pk, "title": "X", "probability": 3, "owner": world.outsider.pk},
    )
    assert response.status_code == 404 and "owner" in response.json()["errors"]


def test_a_stale_update_is_a_409_with_the_current_risk(world):
    risk = raise_risk(world)
    client = client_for(world.manager)
    url = reverse("api:risk-detail", kwargs={"pk": risk.pk})
    first = client.patch(
        url, {"title": "One"}, content_type="application/json", headers={"If-Match": '"1"'}
    )
    second = client.patch(
        url, {"title": "Two"}, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["current"]["title"] == "One"


def test_reassess_and_read_the_reviews(world):
    risk = raise_risk(world)
    client = client_for(world.member)
    response = client.post(
        reverse("api:risk-reassess", kwargs={"pk": risk.pk}),
        {"probability": 1, "residual_probability": 1, "residual_impact": 1, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["score"] == 4
    reviews = client.get(reverse("api:risk-reviews", kwargs={"pk": risk.pk})).json()["results"]
    assert [r["score"] for r in reviews] == [12, 4]


def test_a_review_before_the_risk_was_raised_is_a_400(world):
    risk = raise_risk(world)
    response = client_for(world.member).post(
        reverse("api:risk-reassess", kwargs={"pk": risk.pk}),
        {"reviewed_on": "2001-01-01", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "before the risk was raised" in response.json()["errors"]["reviewed_on"][0]


def test_the_summary_has_both_heat_maps_and_the_emv(world):
    raise_risk(world, residual_probability=1, residual_impact=2)
    body = (
        client_for(world.manager)  # EMV is money: null for viewers (tests/risks/test_money.py)
        .get(reverse("api:risk-summary", kwargs={"pk": world.project.pk}))
        .json()
    )
    cell = next(c for c in body["inherent"] if (c["probability"], c["impact"]) == (3, 4))
    assert cell["count"] == 1 and body["net_emv"] == "5000.00"
    assert sum(c["count"] for c in body["residual"]) == 1
    assert body["contingency_reserve"] is None


def test_a_risk_that_occurred_becomes_an_issue(world):
    risk = raise_risk(world)
    response = client_for(world.member).post(
        reverse("api:risk-occurred", kwargs={"pk": risk.pk}),
        {"version": 1},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["risk"] == risk.pk and response.json()["ref"] == "I-1"


def test_raid_entries_round_trip(world):
    client = client_for(world.member)
    created = _post(
        client,
        "api:decision-list",
        {
            "project": world.project.pk,
            "title": "Adyen over Stripe",
            "rationale": "Lower fees in the EU",
            "alternatives": "Stripe; in-house",
            "decided_by": "Steering committee",
            "decided_on": "2026-10-01",
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["ref"] == "D-1"
    listed = client.get(reverse("api:decision-list") + f"?project={world.project.pk}").json()
    assert listed["results"][0]["decided_by"] == "Steering committee"

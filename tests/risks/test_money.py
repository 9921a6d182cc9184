"""EMV and cost impact are money: members and viewers read the register without them, on the
pages, in the API and in exports; managers and stakeholders read them, with the threats' EMV
compared with the contingency reserve the budget holds."""

from decimal import Decimal

import pytest
from django.urls import reverse

from resources.budgets import services as budget_services
from tests.conftest import client_for
from tests.risks.helpers import raise_risk

COST_IMPACT = "56789.12"  # probability 3 (50%): EMV 28394.56
EMV = "28394.56"
RESERVE = Decimal("20000.00")


@pytest.fixture
def risk(world):
    return raise_risk(world, cost_impact=COST_IMPACT, probability=3)


def _reserve(world, amount=RESERVE):
    finance = budget_services.finance_of(world.project)
    budget_services.finance_update(
        project=world.project,
        actor=world.manager,
        version=finance.version,
        reason="Known risks",
        contingency=amount,
    )


def _pages(world, risk):
    project = world.project.pk
    return [
        reverse("risk-register", args=[project]),
        reverse("risk-overview", args=[project]),
        reverse("risk-detail", args=[project, risk.pk]),
        reverse("risk-export", args=[project, "csv"]),
        reverse("export-risks", args=[project, "csv"]),
        reverse("api:risk-list"),
        reverse("api:risk-detail", args=[risk.pk]),
        reverse("api:risk-reviews", args=[risk.pk]),
        reverse("api:risk-summary", args=[world.project.pk]),
    ]


@pytest.mark.parametrize("kind", ["member", "viewer"])
def test_members_and_viewers_read_no_emv_or_cost_impact(world, risk, kind):
    _reserve(world)
    client = client_for(getattr(world, kind))
    for url in _pages(world, risk):
        # when they open the register, the overview, the risk, an export or the API
        response = client.get(url)
        body = response.content.decode()
        # then the risk is there, its money is not
        assert response.status_code == 200, url
        assert COST_IMPACT not in body and "56,789" not in body, url
        assert EMV not in body and "28,394" not in body, url
        assert "20000" not in body and "20,000" not in body, url


def test_a_member_edits_a_risk_without_reading_or_clearing_its_cost_impact(world, risk):
    client = client_for(world.member)
    edit = reverse("risk-edit", args=[world.project.pk, risk.pk])
    assert COST_IMPACT not in client.get(edit).content.decode()
    detail = client.get(reverse("risk-detail", args=[world.project.pk, risk.pk]))
    assert 'name="cost_impact"' not in detail.content.decode()


def test_summary_api_gives_members_nulls_where_the_money_is(world, risk):
    _reserve(world)
    body = client_for(world.member).get(reverse("api:risk-summary", args=[world.project.pk])).json()
    assert body["threat_emv"] is None and body["net_emv"] is None
    assert body["contingency_reserve"] is None and body["emv_within_contingency"] is None
    assert all(point["emv"] is None for point in body["trend"])
    assert body["open_count"] == 1  # the rest of the overview is there


@pytest.mark.parametrize("kind", ["manager", "stakeholder"])
def test_emv_is_compared_with_the_contingency_reserve(world, risk, kind):
    # given a contingency reserve of 20,000 against threats worth 28,394.56
    _reserve(world)
    client = client_for(getattr(world, kind))
    # when a manager or stakeholder opens the overview and its API
    page = client.get(reverse("risk-overview", args=[world.project.pk])).content.decode()
    body = client.get(reverse("api:risk-summary", args=[world.project.pk])).json()
    # then both say the reserve is 8,394.56 short
    assert "No budget yet" not in page
    assert "20000.00" in page and "8394.56" in page and "short of the threats" in page
    assert body["threat_emv"] == EMV
    assert body["contingency_reserve"] == "20000.00"
    assert body["contingency_shortfall"] == "8394.56"
    assert body["emv_within_contingency"] is False


def test_a_reserve_that_covers_the_emv(world, risk):
    _reserve(world, Decimal("30000.00"))
    client = client_for(world.manager)
    page = client.get(reverse("risk-overview", args=[world.project.pk])).content.decode()
    body = client.get(reverse("api:risk-summary", args=[world.project.pk])).json()
    assert "covers the threats" in page
    assert body["emv_within_contingency"] is True and body["contingency_shortfall"] == "0"


def test_without_a_budget_the_overview_says_so(world, risk):
    client = client_for(world.manager)
    page = client.get(reverse("risk-overview", args=[world.project.pk])).content.decode()
    body = client.get(reverse("api:risk-summary", args=[world.project.pk])).json()
    assert "No budget yet" in page
    assert body["contingency_reserve"] is None and body["threat_emv"] == EMV


def test_managers_read_emv_and_cost_impact(world, risk):
    client = client_for(world.manager)
    detail = client.get(reverse("risk-detail", args=[world.project.pk, risk.pk])).content.decode()
    assert COST_IMPACT in detail and EMV in detail
    assert client.get(reverse("api:risk-detail", args=[risk.pk])).json()["emv"] == EMV
    reviews = client.get(reverse("api:risk-reviews", args=[risk.pk])).json()["results"]
    assert reviews[0]["cost_impact"] == COST_IMPACT

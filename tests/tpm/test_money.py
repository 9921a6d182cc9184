"""tpm/money.py: the one place that says what money is and who sees it."""

from decimal import Decimal

from reports import health, rendering
from tpm import history, money
from tpm.access import Access
from tpm.roles import ProjectRole


def test_only_managers_and_stakeholders_see_money():
    assert {role for role in ProjectRole if money.sees_money(role)} == {
        ProjectRole.MANAGER,
        ProjectRole.STAKEHOLDER,
    }
    assert sorted(money.money_roles()) == ["manager", "stakeholder"]
    assert not money.sees_money(None)
    assert money.sees_money(Access(object(), ProjectRole.STAKEHOLDER))
    assert not money.sees_money(Access(object(), ProjectRole.VIEWER))


def test_hide_nulls_amounts_at_any_depth_and_hides_money_sections():
    data = {
        "title": "CR-1",
        "cost": "12.00",
        "impact": {"cost_change": "5.00", "slip_days": "2"},
        "proposal": [{"op": "add_task", "cost": "5.00", "name": "Payments"}],
        "sections": {"cost": {"bac": "100.00"}, "risk": {"emv": {"net": "9.00"}, "open": 2}},
        "impact_cost": 4,  # a 1-5 rating, not an amount
    }
    # when a reader without money gets it
    shown = money.hide(data, money=False)
    # then every amount is gone, the rest stays, and the original is untouched
    assert shown == {
        "title": "CR-1",
        "cost": None,
        "impact": {"cost_change": None, "slip_days": "2"},
        "proposal": [{"op": "add_task", "cost": None, "name": "Payments"}],
        "sections": {"cost": {"hidden": True}, "risk": {"emv": {"hidden": True}, "open": 2}},
        "impact_cost": 4,
    }
    assert data["cost"] == "12.00"
    assert money.hide(data, money=True) is data


def _health_json() -> dict:
    inputs = health.HealthInputs(
        cost=health.CostFacts(cpi=Decimal("0.84"), budget=Decimal(100), forecast=Decimal(130)),
        scope=health.ScopeFacts(),
    )
    return health.health_to_json(health.assess(inputs))


def test_health_reasons_lose_their_money_figures():
    # given a project red on cost because of its CPI and forecast
    data = _health_json()
    assert any("CPI is 0.84" in r for r in data["overall"]["reasons"])
    # when a member reads it
    shown = money.hide(data, money=False)
    # then the cost colour stays, its reasons say nothing of the figures
    cost = next(item for item in shown["dimensions"] if item["key"] == "cost")
    assert cost["colour"] == "red"
    assert cost["reasons"] == [money.HIDDEN_REASON]
    assert shown["overall"]["reasons"] == ["Cost is red."]
    assert "0.84" not in str(shown) and "30.0%" not in str(shown)


def test_live_health_for_a_reader_without_money():
    inputs = health.HealthInputs(cost=health.CostFacts(cpi=Decimal("0.84")))
    overrides = {"cost": health.Override(health.Colour.AMBER, "We spent 12,345.67 too much")}
    live = health.assess(inputs, overrides=overrides)
    shown = rendering.health_for(live, with_money=False)
    assert "0.84" not in str(shown) and "12,345.67" not in str(shown)
    assert shown.dimension("cost").colour == health.Colour.AMBER
    assert rendering.health_for(live, with_money=True) is live


def test_history_reads_the_same_list():
    assert history.MONEY_MODELS is money.MONEY_MODELS
    assert "resources.budgetline" in money.MONEY_MODELS
    changes = {"cost": ["1", "2"], "name": ["a", "b"], "cost_impact": ["1", "2"]}
    assert money.changes_for(changes, money=False) == {"name": ["a", "b"]}

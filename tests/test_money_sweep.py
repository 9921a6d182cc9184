"""Money never reaches members or viewers, on any GET route (issue 22, "Money visibility").

WEB is given money in every form the app knows (a costed plan with a baseline, a task of
12,345.67, a budget line of 98,765.43, a contingency reserve of 45,678.91, an expense of
34,567.89, approved time at a rate of 76.54, a risk costing 56,789.12 if it happens, a change
request adding 23,456.78 of cost, and a published status report of it all). Then every GET route
of the permission matrix (tests/<app>/route_expectations*.py: pages, htmx fragments, exports and
the whole API) is requested as a member and as a viewer, wherever the matrix lets them in, and
the body (HTML, JSON, XML, CSV; a PDF as the HTML it is printed from) must hold none of those
amounts in any usual spelling, no health reason quoting CPI or an overrun, and no JSON key of
tpm/money.py's list with a value. The
manager's view of the main money pages must still hold them, so the walk can fail.
"""

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from projects.changes import services as change_services
from projects.models import Project, Task
from projects.plan import services as task_services
from reports import services as report_services
from resources.budgets import services as budget_services
from risks import services as risk_services
from tests.conftest import client_for
from tests.resources.money_helpers import approved_time, costed_plan
from tests.test_permission_matrix import CASES
from tpm.money import MONEY_KEYS

TASK_COST = Decimal("12345.67")
BUDGET = Decimal("98765.43")
CONTINGENCY = Decimal("45678.91")
EXPENSE = Decimal("34567.89")
RATE = Decimal("76.54")
RISK_COST = Decimal("56789.12")
CHANGE_COST = Decimal("23456.78")

NOW = datetime(2027, 3, 8, 10, tzinfo=UTC)  # the Monday after the plan's status date
READERS = ("member", "viewer")
GET_CASES = [case for case in CASES if case.method == "get"]


def _spellings(amount: Decimal) -> re.Pattern[str]:
    """12345.67 as a page may print it: 12345.67, 12,345.67, 12 345,67, 12,346 ...; an amount
    under 10,000 only with its cents (76 alone is too common to mean the rate of 76.54)."""
    cents = f"{amount:.2f}".split(".")[1]
    ways = []
    for whole in sorted({f"{int(amount):d}", f"{round(amount):d}"}):
        groups = [whole[max(0, i - 3) : i] for i in range(len(whole), 0, -3)][::-1]
        ways.append(r"[,.\s\u00a0\u202f']?".join(re.escape(g) for g in groups))
    if amount < 10000:
        ways = [f"{ways[0]}[.,]{cents}"]
    ways.append(f"{amount * 100:.0f}")  # MS Project files count money in hundredths
    return re.compile(rf"(?<![\d.,])(?:{'|'.join(ways)})(?![\d])")


def seed_money(world) -> dict[str, Decimal]:
    """Every kind of money on WEB; returns the amounts to look for, by name."""
    costed_plan(world)
    first = Task.objects.filter(project=world.project, name="Work package 1").get()
    approved_time(world, first, hours="8", hourly=str(RATE))  # actual cost 612.32
    task_services.task_create(
        project=world.project,
        actor=world.manager,
        name="Costed work",
        duration_minutes=480,
        cost=TASK_COST,
    )
    line = budget_services.budget_line_create(
        project=world.project,
        actor=world.manager,
        category="labour",
        name="Team",
        amount=BUDGET,
        reason="Approved budget",
        months={date(2027, 3, 1): BUDGET},
    )
    budget_services.finance_update(
        project=world.project,
        actor=world.manager,
        version=budget_services.finance_of(world.project).version,
        reason="Known risks",
        contingency=CONTINGENCY,
    )
    budget_services.expense_create(
        project=world.project,
        actor=world.manager,
        vendor="Hosting Ltd",
        amount=EXPENSE,
        date=date(2027, 3, 3),
        budget_line=line,
    )
    risk = risk_services.risk_create(
        project=world.project,
        actor=world.manager,
        title="Vendor API late",
        probability=3,
        impact_cost=4,
        cost_impact=RISK_COST,
        schedule_impact_days=5,
        owner=world.member,
    )
    change = change_services.change_request_create(
        project=world.project,
        actor=world.member,
        title="Add a payment provider",
        proposal=[
            {"op": "add_task", "name": "Payments", "duration_minutes": 480, "cost": CHANGE_COST}
        ],
    )
    change_services.change_request_analyse(change_request=change, actor=world.member)
    report = report_services.report_create(
        project=world.project, actor=world.manager, summary="On track."
    )
    report_services.report_publish(report=report, actor=world.manager, version=report.version)
    world.project = Project.objects.get(pk=world.project.pk)
    return {
        "task cost": TASK_COST,
        "budget": BUDGET,
        "contingency": CONTINGENCY,
        "expense": EXPENSE,
        "rate": RATE,
        "risk cost impact": RISK_COST,
        "risk EMV": risk.emv(),
        "change cost": CHANGE_COST,
    }


def _money_keys(data: Any, path: str = "") -> Iterator[str]:
    """Paths of money keys that carry a value (a number or a numeric string)."""
    if isinstance(data, dict):
        for name, value in data.items():
            where = f"{path}.{name}" if path else str(name)
            if name in MONEY_KEYS and isinstance(value, int | float | str) and value != "":
                yield where
            yield from _money_keys(value, where)
    elif isinstance(data, list):
        for n, item in enumerate(data):
            yield from _money_keys(item, f"{path}[{n}]")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# Health reasons that quote cost figures (reports/health.py assess_cost).
MONEY_REASON = re.compile(r"CPI is \d|% over the budget")


def _leaks(text: str, content_type: str, amounts: dict[str, Decimal]) -> list[str]:
    found = [name for name, amount in amounts.items() if _spellings(amount).search(text)]
    if MONEY_REASON.search(text):
        found.append("a health reason with cost figures")
    if "json" in content_type:
        with contextlib.suppress(ValueError):
            found += [f"key {key}" for key in _money_keys(json.loads(text))]
    return found


@pytest.fixture
def money_world(world):
    with time_machine.travel(NOW, tick=False):
        amounts = seed_money(world)
        # A PDF is read as the HTML it is printed from (WeasyPrint's output is compressed).
        with mock.patch("reports.rendering.render_pdf", side_effect=lambda html: html.encode()):
            yield world, amounts


def _get(world, kind: str, case) -> tuple[int, str, str]:
    client = client_for(world.user(kind))
    url = reverse(case.route, kwargs=case.kwargs(world)) + case.query
    data = case.data(world) if case.data is not None else None
    response = client.get(url, data=data, headers=case.headers(world))
    return response.status_code, response.get("Content-Type", ""), _body(response)


def test_the_spellings():
    pattern = _spellings(Decimal("12345.67"))
    for shown in (
        "12345.67",
        "12,345.67",
        "12 345,67",
        "12\u202f345",
        "USD 12,346",
        "12345",
        "<Cost>1234567</Cost>",
    ):
        assert pattern.search(shown), shown
    for other in ("112345", "123456", "1234", "2345"):
        assert not pattern.search(other), other
    rate = _spellings(Decimal("76.54"))
    assert rate.search("76.54 USD/h") and rate.search("76,54")
    assert not rate.search("76 tasks") and not rate.search("176.54")


def test_the_money_keys():
    data = {"a": [{"cost": "1.00", "emv": None, "sections": {"cost": {"hidden": True}}}]}
    assert list(_money_keys(data)) == ["a[0].cost"]


@pytest.mark.parametrize("kind", READERS)
def test_no_get_route_shows_money_to_members_or_viewers(money_world, kind):
    world, amounts = money_world
    leaks: list[str] = []
    walked = 0
    for case in GET_CASES:
        if not 200 <= case.expected[kind] < 300:
            continue
        # when they open the route
        status, content_type, text = _get(world, kind, case)
        walked += 1
        # then no amount and no money key is in it
        if found := _leaks(text, content_type, amounts):
            leaks.append(f"{case.route} ({status}): {', '.join(sorted(set(found)))}")
    assert walked > 100
    assert leaks == [], f"money shown to a {kind}:\n" + "\n".join(leaks)


# The manager sees the money on its main pages: proof that the seeding and the search work.
MANAGER_SEES = {
    "risk-overview": ("risk EMV", "contingency"),
    "api:risk-summary": ("risk EMV", "contingency"),
    "risk-detail": ("risk cost impact",),
    "api:risk-list": ("risk cost impact", "risk EMV"),
    "change-detail": ("change cost",),
    "api:change-request-detail": ("change cost",),
    "project-export-mspdi": ("task cost",),
    "api:project-mspdi": ("task cost",),
    "project-dashboard": ("risk EMV",),
    "report-detail": ("risk EMV",),
    "report-pdf": ("risk EMV",),
    "project-budget": ("budget", "contingency", "expense"),
}


def test_managers_still_see_the_money(money_world):
    world, amounts = money_world
    by_route = {case.route: case for case in GET_CASES}
    missing = []
    for route, names in MANAGER_SEES.items():
        assert route in by_route, route
        status, content_type, text = _get(world, "manager", by_route[route])
        shown = _leaks(text, content_type, amounts)
        missing += [f"{route} ({status}): {name}" for name in names if name not in shown]
    assert missing == []

"""Earned value of a big plan (issue 14): the API pages its branches (the project's figures
stay whole) and the page pages its branch table, so neither grows with the plan."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from projects.plan import services as task_services
from resources.evm import selectors as evm_selectors
from resources.evm import views as evm_views
from tests.conftest import client_for

from .money_helpers import costed_plan

pytestmark = pytest.mark.django_db


def _api(world, query: str = ""):
    url = reverse("api:project-evm", kwargs={"pk": world.project.pk})
    return client_for(world.manager).get(url + query)


def test_the_api_pages_the_branches_and_keeps_the_project_figures(world, monkeypatch):
    costed_plan(world, tasks=5)  # a phase and five work packages: six branches
    whole = _api(world, "?branches_limit=5000").json()
    assert whole["branches_total"] == 6 and len(whole["branches"]) == 6
    monkeypatch.setattr(evm_selectors, "BRANCH_PAGE", 4)
    first = _api(world).json()
    rest = _api(world, "?branches_offset=4").json()
    assert first["branches_total"] == rest["branches_total"] == 6
    assert first["branches"] + rest["branches"] == whole["branches"]
    assert len(first["branches"]) == 4
    for body in (first, rest):
        assert body["figures"] == whole["figures"] and body["budget"] == whole["budget"]
    assert (
        _api(world, "?branches_limit=2&branches_offset=1").json()["branches"]
        == (whole["branches"][1:3])
    )


def test_a_bad_branch_window_is_a_400(world):
    costed_plan(world)
    for query, field in (
        ("?branches_limit=0", "branches_limit"),
        ("?branches_limit=5001", "branches_limit"),
        ("?branches_offset=-1", "branches_offset"),
    ):
        response = _api(world, query)
        assert response.status_code == 400, query
        assert field in response.json()["errors"], query


def test_the_api_answer_stays_bounded_as_the_plan_grows(world, monkeypatch):
    monkeypatch.setattr(evm_selectors, "BRANCH_PAGE", 3)
    costed_plan(world, tasks=3)
    few = len(_api(world).content)
    for n in range(12):  # twelve more tasks: twelve more branches
        task_services.task_create(project=world.project, actor=world.manager, name=f"More {n}")
    body = _api(world)
    assert body.json()["branches_total"] > 15
    assert len(body.content) < few * 1.15


def test_the_page_pages_its_branch_table(world, monkeypatch):
    monkeypatch.setattr(evm_views, "ROW_PAGE", 2)
    costed_plan(world, tasks=3)
    url = reverse("project-evm", args=[world.project.pk])
    client = client_for(world.manager)
    first = client.get(url + "?rows=all").content.decode()
    second = client.get(url + "?rows=all&page=2").content.decode()
    assert "Rows 1\N{EN DASH}2 of 4" in first and "rows=all&amp;page=2" in first
    assert "1 Phase 1" in first and "1.3 Work package 3" not in first
    assert "Rows 3\N{EN DASH}4 of 4" in second and "1.3 Work package 3" in second


def test_a_long_s_curve_table_lists_month_ends_and_the_status_date(world, monkeypatch):
    costed_plan(world)  # March 2027, status date Friday 5 March
    url = reverse("project-evm", args=[world.project.pk])
    client = client_for(world.manager)
    weekly = client.get(url).context["s_points"]
    monkeypatch.setattr(evm_views, "TABLE_POINTS", 1)
    response = client.get(url)
    thinned = response.context["s_points"]
    assert len(thinned) < len(weekly)
    assert {p.day for p in thinned} <= {p.day for p in weekly}
    assert date(2027, 3, 5) in {p.day for p in thinned}
    assert all(
        p.day.month != (p.day + timedelta(days=1)).month or p.day == date(2027, 3, 5)
        for p in thinned[:-1]
    )
    assert "at each month&#x27;s end" in response.content.decode() or "month's end" in (
        response.content.decode()
    )

"""The Earned value tab shows the report `manage.py evm` prints, formatted, with its charts."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from resources.evm import selectors as evm_selectors
from tests.conftest import client_for
from tests.tpm.querycount import assert_same_count, queries_for_get

from .money_helpers import approved_time, costed_plan

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> str:
    start = html.index(f'id="figure-{name}">') + len(f'id="figure-{name}">')
    return html[start : html.index("</dd>", start)].strip()


def test_the_page_shows_the_same_figures_as_the_command(world, time_machine):
    # the week the plan runs: progress then takes the scheduled start as the actual start
    time_machine.move_to("2027-03-05T12:00:00+00:00", tick=False)
    # given a baselined plan, half of the first package done, 8 h at 50/h approved
    first, _ = costed_plan(world)
    task_services.task_update_progress(
        task=first,
        actor=world.manager,
        version=first.version,
        changes=ProgressChanges(percent_complete=50),
    )
    approved_time(world, first)
    # when the manager opens the tab at the project's status date
    html = client_for(world.manager).get(reverse("project-evm", args=[world.project.pk]))
    html = html.content.decode()
    # then every headline figure is the one `manage.py evm --format json` prints
    report = evm_selectors.evm_json(evm_selectors.project_evm(world.project), ratio_places=2)
    for name in ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac"):
        assert _figure(html, name) == report["figures"][name], name
    # which, worked by hand: BAC 2,000; PV at Friday = the first package's 1,000; EV = 50 % of
    # 1,000 = 500; AC = 8 h x 50 = 400; CPI = 500 / 400 = 1.25; SPI = 0.5
    assert [_figure(html, n) for n in ("bac", "pv", "ev", "ac", "cpi", "spi")] == [
        "2000.00",
        "1000.00",
        "500.00",
        "400.00",
        "1.25",
        "0.50",
    ]
    # and the three estimates at completion are labelled
    for estimate in report["estimates"]:
        assert estimate["label"] in html
    # and the charts are drawn with the status date marked
    assert 'data-chart="s-curve"' in html and "Status date 05 Mar 2027" in html
    assert 'data-chart="evm-burn"' in html


def test_a_status_date_can_be_chosen(world):
    costed_plan(world)
    url = reverse("project-evm", args=[world.project.pk])
    html = client_for(world.manager).get(url + "?status_date=2027-03-12").content.decode()
    assert "as of 12 Mar 2027" in html
    # on the second Friday both packages are planned: PV = BAC
    assert _figure(html, "pv") == "2000.00"
    bad = client_for(world.manager).get(url + "?status_date=soon").content.decode()
    assert "could not be read" in bad and "as of 5 Mar 2027" in bad


def test_members_and_viewers_do_not_see_earned_value(world):
    url = reverse("project-evm", args=[world.project.pk])
    assert client_for(world.member).get(url).status_code == 403
    assert client_for(world.viewer).get(url).status_code == 403
    assert client_for(world.stakeholder).get(url).status_code == 200


def test_the_tab_costs_the_same_for_a_small_and_a_bigger_plan(world):
    from projects.models import Task

    client = client_for(world.manager)
    url = reverse("project-evm", args=[world.project.pk])
    costed_plan(world, tasks=2)
    client.get(url)
    few = queries_for_get(client, url)
    phase = Task.objects.get(name="Phase 1")
    for n in range(6):
        task_services.task_create(
            project=world.project,
            actor=world.manager,
            name=f"More {n}",
            parent=phase,
            cost=Decimal(100),
        )
    many = queries_for_get(client, url)
    assert_same_count(few, many)
    assert date(2027, 3, 5) == world.project.status_date


def test_the_branch_table_shows_branches_and_every_task_on_request(world):
    costed_plan(world)
    client = client_for(world.manager)
    url = reverse("project-evm", args=[world.project.pk])
    branches = client.get(url).content.decode()
    assert "1 Phase 1" in branches and "Work package 1" not in branches
    assert "2 tasks inside the branches not shown" in branches
    every = client.get(url + "?rows=all").content.decode()
    assert "1.1 Work package 1" in every and "1.2 Work package 2" in every

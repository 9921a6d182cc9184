"""The workload heat map at scale (issue 14): a page of people at a time with the totals of
every matching person, a name search, and compact cells; the API pages people too."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from resources.workload import selectors as workload_selectors
from tests.conftest import client_for
from tests.resources.factories import AssignmentFactory, ResourceFactory
from tests.tpm.querycount import assert_same_count, queries_for_get

from .test_workload_pages import _plan

pytestmark = pytest.mark.django_db


def _people(world, count: int, tag: str, *, over: bool = False) -> None:
    first, second, _ = _plan(world.project, world.manager) if over else (None, None, None)
    for n in range(count):
        person = ResourceFactory(organisation=world.organisation, name=f"{tag} {n:02d}")
        if over:  # two full-time weeks on the same week
            AssignmentFactory(task=first, resource=person, work_hours=Decimal(40))
            AssignmentFactory(task=second, resource=person, work_hours=Decimal(40))


def _url(**query) -> str:
    from .test_workload_pages import _next_monday

    text = "&".join(f"{k}={v}" for k, v in {"start": _next_monday(), **query}.items())
    return f"{reverse('workload')}?{text}"


def test_the_heat_map_shows_a_page_of_people_and_the_totals_of_all(world, monkeypatch):
    monkeypatch.setattr(workload_selectors, "PEOPLE_PER_PAGE", 3)
    _people(world, 4, "Busy", over=True)
    _people(world, 3, "Calm")
    client = client_for(world.member)
    html = client.get(_url()).content.decode()
    assert "7 people · <strong>4</strong> over-allocated" in html
    assert "Showing 1\N{EN DASH}3." in html and "Page 1 of 3" in html
    assert html.count('<th scope="row" class="person">') == 3
    last = client.get(_url(page=3)).content.decode()
    assert "Calm 02" in last and "Busy 00" not in last
    assert "7 people · <strong>4</strong> over-allocated" in last


def test_the_search_keeps_people_whose_name_matches(world):
    _people(world, 3, "Busy", over=True)
    _people(world, 2, "Calm")
    html = client_for(world.member).get(_url(q="calm")).content.decode()
    assert "Calm 00" in html and "Calm 01" in html and "Busy" not in html
    assert "2 people · <strong>0</strong> over-allocated" in html


def test_a_cell_is_one_plain_link(world):
    _people(world, 1, "Busy", over=True)
    html = client_for(world.member).get(_url()).content.decode()
    assert 'data-drill-into="#workload-detail"' in html
    # one listener (frontend/work.js) loads the drill-down, not an hx-get on each cell
    assert not re.search(r"<td><a [^>]*hx-get", html)
    assert 'class="load-over" href="/resources/' in html


def test_bytes_and_queries_stay_bounded_as_people_grow(world, monkeypatch):
    monkeypatch.setattr(workload_selectors, "PEOPLE_PER_PAGE", 5)
    client = client_for(world.member)
    _people(world, 6, "Busy", over=True)
    few, few_bytes = queries_for_get(client, _url()), len(client.get(_url()).content)
    _people(world, 30, "Calm")
    many, many_bytes = queries_for_get(client, _url()), len(client.get(_url()).content)
    assert_same_count(few, many)
    assert many_bytes < few_bytes * 1.1


def test_the_api_pages_people_and_counts_them_all(world):
    _people(world, 4, "Busy", over=True)
    _people(world, 3, "Calm")
    from .test_workload_pages import _next_monday

    url = reverse("api:organisation-workload", kwargs={"pk": world.organisation.pk})
    client = client_for(world.member)
    body = client.get(f"{url}?start={_next_monday()}&page_size=3&page=2").json()
    assert (body["count"], body["page"], body["pages"], body["over_allocated"]) == (7, 2, 3, 4)
    assert [p["name"] for p in body["people"]] == ["Busy 03", "Calm 00", "Calm 01"]
    assert client.get(f"{url}?page_size=0").status_code == 400
    found = client.get(f"{url}?start={_next_monday()}&search=calm").json()
    assert [p["name"] for p in found["people"]] == ["Calm 00", "Calm 01", "Calm 02"]

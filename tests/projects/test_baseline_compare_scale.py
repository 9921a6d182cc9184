"""The comparison of a big plan with its baseline: figures over every task, a window of rows.

A plan of 5,010 tasks made a 3.6 MB comparison page and a 1.65 MB answer (issue 14). The page
now shows the figures over every task and 100 rows of the changed ones, the biggest finish slip
first; the API pages its rows with a cursor. Plans are made of factory tasks scheduled by the
real scheduler from Monday 4 January 2027 (8-hour days), baselined, then some finishes moved.
"""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from projects.baselines import compare
from projects.baselines import services as baseline_services
from projects.baselines.compare import Order, PlanEntry, RowKind, Show
from projects.baselines.views import ROWS_PER_PAGE
from projects.models import Task
from projects.schedule import services as schedule_services
from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.projects.helpers import assert_same_count, queries_for

MONDAY = date(2027, 1, 4)
DAY = 480


def _plan(world, count: int, *, slipped: int, early: int):
    """`count` one-day tasks, baselined; then the n-th of the first `slipped` finishes n weeks
    late (5n working days), the next `early` one week early, the rest as baselined."""
    world.project.start_date = MONDAY
    world.project.save()
    Task.objects.filter(project=world.project).delete()
    TaskFactory.create_batch(count, project=world.project, duration_minutes=DAY)
    schedule_services.renumber(world.project)
    schedule_services.project_reschedule(project=world.project)
    baseline = baseline_services.baseline_save(
        project=world.project, actor=world.manager, name=f"{count} tasks"
    )
    tasks = list(Task.objects.filter(project=world.project).order_by("outline_key"))
    # Whole weeks keep a finish on its weekday: a week is five working days exactly.
    moved = []
    for n, task in enumerate(tasks[:slipped], start=1):
        assert task.finish is not None
        task.finish += timedelta(weeks=n)
        moved.append(task)
    for task in tasks[slipped : slipped + early]:
        assert task.finish is not None
        task.finish -= timedelta(weeks=1)
        moved.append(task)
    Task.objects.bulk_update(moved, ["finish"])
    return baseline


def _url(world, baseline, query: str = "") -> str:
    return reverse("project-baseline-compare", args=[world.project.pk, baseline.pk]) + query


def _api(baseline, query: str = "") -> str:
    return f"/api/v1/baselines/{baseline.pk}/comparison/{query}"


def _table_rows(response) -> int:
    return response.content.decode().count('<tr class="variance-row')


def test_the_page_shows_the_figures_over_every_task_and_one_window_of_changed_rows(world):
    # given 130 tasks of which 110 finish later and 5 earlier than baselined
    baseline = _plan(world, 130, slipped=110, early=5)
    client = client_for(world.manager)
    # when the TPM opens the comparison
    response = client.get(_url(world, baseline))
    page = response.content.decode()
    # then the figures count every task
    summary = response.context["summary"]
    assert (summary.total, summary.slipped, summary.early, summary.unchanged) == (130, 110, 5, 15)
    assert "130 in all:" in page and "110 finish later" in page and "5 finish earlier" in page
    # and the biggest finish slip is named: the 110th task, 550 working days late
    assert response.context["biggest_slip"].finish.words == "550 days late"
    # and the table holds one page of the 115 changed tasks, the biggest slip first
    assert _table_rows(response) == ROWS_PER_PAGE
    assert "Tasks 1\N{EN DASH}100 of 115 changed (130 in all)." in page
    finishes = [row.finish.days for row in response.context["rows"]]
    assert finishes == sorted(finishes, reverse=True) and finishes[0] == 550
    # and the second page holds the other 15, ending with the early ones
    second = client.get(_url(world, baseline, "?show=changed&sort=finish&page=2"))
    assert _table_rows(second) == 15
    assert [row.finish.words for row in second.context["rows"]][-5:] == ["5 days early"] * 5


def test_the_filter_shows_all_tasks_in_outline_order_or_only_the_slipped_ones(world):
    baseline = _plan(world, 12, slipped=3, early=2)
    client = client_for(world.manager)
    everything = client.get(_url(world, baseline, "?show=all&sort=outline"))
    assert [row.wbs_code for row in everything.context["rows"]] == [str(n) for n in range(1, 13)]
    slipped = client.get(_url(world, baseline, "?show=slipped"))
    assert [row.wbs_code for row in slipped.context["rows"]] == ["3", "2", "1"]
    # a value the form does not know is the default, not an error
    odd = client.get(_url(world, baseline, "?show=bogus&sort=&page=x"))
    assert odd.status_code == 200 and len(odd.context["rows"]) == 5


@pytest.mark.parametrize("count", [120, 260])
def test_the_page_bytes_and_queries_do_not_grow_with_the_plan(world, count):
    # given a small plan measured first (every task slipped, so every row is shown)
    client = client_for(world.manager)
    small = _plan(world, ROWS_PER_PAGE, slipped=ROWS_PER_PAGE, early=0)
    few = queries_for(client, "get", _url(world, small))
    # when the plan grows past a page
    big = _plan(world, count, slipped=count, early=0)
    many = queries_for(client, "get", _url(world, big))
    # then the page costs the same queries and about the same bytes (only figures differ)
    assert_same_count(few, many)
    assert abs(len(many.response.content) - len(few.response.content)) < 1024
    assert _table_rows(many.response) == ROWS_PER_PAGE


def test_the_api_pages_its_rows_with_a_cursor_and_keeps_the_figures_whole(world):
    # given 23 tasks, 7 slipped and 2 early
    baseline = _plan(world, 23, slipped=7, early=2)
    client = client_for(world.stakeholder)
    # when a client reads the changed rows, biggest slip first, 4 at a time
    url = _api(baseline, "?show=changed&sort=finish&page_size=4")
    seen, pages, counts = [], 0, []
    while url:
        captured = queries_for(client, "get", url)
        counts.append(captured)
        body = captured.response.json()
        # then every page has the whole figures and how many rows the filter keeps
        assert body["summary"]["total"] == 23 and body["summary"]["slipped"] == 7
        assert body["summary"]["early"] == 2 and body["summary"]["unchanged"] == 14
        assert body["count"] == 9
        seen += [(row["task"], row["finish_variance_days"]) for row in body["tasks"]]
        url, pages = body["next"], pages + 1
    # and the rows come once each, in order, over three pages of the same cost
    assert pages == 3 and len({task for task, _ in seen}) == 9
    assert [days for _, days in seen] == [35, 30, 25, 20, 15, 10, 5, -5, -5]
    assert_same_count(counts[0], counts[-1])
    assert body["summary"]["biggest_slip_days"] == 35
    assert Decimal(str(body["summary"]["total_slip_days"])) == 140


def test_the_api_answers_every_row_by_default_for_a_small_plan_and_refuses_a_bad_cursor(world):
    baseline = _plan(world, 6, slipped=1, early=0)
    client = client_for(world.manager)
    body = client.get(_api(baseline)).json()
    assert [row["wbs_code"] for row in body["tasks"]] == [str(n) for n in range(1, 7)]
    assert body["next"] is None and body["count"] == 6
    assert client.get(_api(baseline, "?cursor=nonsense")).status_code == 400
    assert client.get(_api(baseline, "?show=late")).status_code == 400
    assert client.get(_api(baseline, "?page_size=0")).status_code == 400
    # a cursor made for one order is refused by the other
    first = client.get(_api(baseline, "?sort=finish&page_size=2")).json()
    (cursor,) = parse_qs(urlsplit(first["next"]).query)["cursor"]
    refused = client.get(_api(baseline, f"?sort=outline&cursor={cursor}"))
    assert refused.status_code == 400 and "another order" in refused.json()["errors"]["cursor"][0]


# --- the pure parts -------------------------------------------------------------------------


def _entry(key: int, finish: int | None, outline: str) -> PlanEntry:
    return PlanEntry(key, outline, f"T{key}", 0, finish, 0, outline_key=outline)


def test_summarise_counts_each_kind_and_the_biggest_slip():
    baseline = [_entry(1, 480, "1"), _entry(2, 480, "2"), _entry(3, 480, "3"), _entry(4, 0, "4")]
    current = [_entry(1, 960, "1"), _entry(2, 0, "2"), _entry(3, 480, "3"), _entry(5, 1, "5")]
    result = compare.compare(baseline=baseline, current=current, minutes_per_day=480)
    summary = compare.summarise(result.rows)
    assert (summary.total, summary.added, summary.removed) == (5, 1, 1)
    assert (summary.slipped, summary.early, summary.unchanged, summary.changed) == (1, 1, 1, 4)
    assert summary.biggest_slip is not None and summary.biggest_slip.entry.key == 1
    assert summary.total_slip_days == 1
    # the finish order: the slip, the unchanged, the early one, then those without a variance
    # (in outline order)
    rows = compare.shown(result.rows, Show.ALL, Order.FINISH)
    assert [row.entry.key for row in rows] == [1, 3, 2, 4, 5]
    assert [row.kind for row in rows][-2:] == [RowKind.REMOVED, RowKind.ADDED]
    assert [r.entry.key for r in compare.shown(result.rows, Show.CHANGED, Order.OUTLINE)] == [
        1,
        2,
        5,
        4,
    ]

"""The board and the backlog of a big project (issue 14): lazy columns and lists, exact totals.

A page renders the first cards of each column (the first rows of each backlog list) whatever the
project holds; "show more" brings the next ones; counts and story points stay exact; a card move
answers with the card's markup and the column headers in a fixed number of queries.
"""

import json
import re
from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.agile.selectors import board as board_selectors
from projects.agile.selectors import sprints as sprint_selectors
from projects.agile.services import sprints as sprint_services
from projects.agile.services import workflow as workflow_services
from projects.models import Task, TaskStatus
from tests.conftest import client_for
from tests.projects.helpers import assert_same_count, queries_for, text

PAGE = board_selectors.PAGE


def _statuses(project):
    return {status.name: status for status in workflow_services.ensure_workflow(project)}


def _cards(world, first: int, last: int, **fields) -> list[Task]:
    """Cards `first`..`last - 1`, named "Card 0007" etc. (3 points each unless given)."""
    fields.setdefault("story_points", 3)
    return Task.objects.bulk_create(
        Task(project=world.project, name=f"Card {n:04}", position=n, **fields)
        for n in range(first, last)
    )


def _board(client, world, **query):
    return queries_for(client, "get", reverse("project-board", args=[world.project.pk]), data=query)


def _more_link(html: str, path: str) -> str:
    """The first "Show more" request of a page (`path`: board/cards or backlog/rows)."""
    found = re.search(rf'hx-get="([^"]*/{path}/[^"]*)"', html)
    assert found, f"no Show more for {path}"
    return found.group(1).replace("&amp;", "&")


def _shown(html: str) -> list[str]:
    return re.findall(r'class="board-title" href="[^"]*">(Card \d+)</a>', html)


def test_the_board_of_300_cards_costs_what_the_board_of_30_does(world):
    # given a board of 30 cards in To do, then the same with 300
    todo = _statuses(world.project)["To do"]
    client = client_for(world.member)
    _cards(world, 0, 30)
    few = _board(client, world)
    _cards(world, 30, 300)
    many = _board(client, world)
    # then both render one page of cards, in the same queries and about the same bytes
    assert_same_count(few, many)
    few_html, many_html = text(few.response), text(many.response)
    assert len(_shown(few_html)) == len(_shown(many_html)) == PAGE
    assert len(many_html) < len(few_html) + 500
    # and the counts and points are those of every card, not of the ones shown
    assert "300 cards." in many_html
    header = many_html.split(f'data-count-for="{todo.pk}"')[1][:300]
    assert ">300<" in header.replace(" ", "") and "900 pt" in header
    assert f"{PAGE} of 300 shown" in many_html


def test_show_more_brings_the_next_cards_in_order_until_none_remain(world):
    todo = _statuses(world.project)["To do"]
    cards = _cards(world, 0, PAGE + 7)
    client = client_for(world.viewer)
    page = text(_board(client, world).response)
    assert _shown(page) == [f"Card {n:04}" for n in range(PAGE)]
    # the "Show more" item asks for the next cards of its column, below the last one shown
    link = _more_link(page, "board/cards")
    assert f"status={todo.pk}" in link and f"after={cards[PAGE - 1].pk}" in link
    more = client.get(link)
    assert more.status_code == 200
    assert _shown(text(more)) == [f"Card {n:04}" for n in range(PAGE, PAGE + 7)]
    assert "Show" not in text(more)  # nothing remains: no next button
    # a card moved away meanwhile skips nothing: the next cards start below the last one shown
    Task.objects.filter(pk=cards[0].pk).update(status=TaskStatus.COMPLETED)
    assert _shown(text(client.get(link)))[0] == f"Card {PAGE:04}"


def test_show_more_keeps_the_filters_and_the_lane(world):
    _statuses(world.project)
    _cards(world, 0, 40, task_type="bug")
    _cards(world, 40, 80, task_type="chore")
    for task in Task.objects.filter(project=world.project, task_type="bug"):
        task.assignees.add(world.member)
    client = client_for(world.member)
    page = text(_board(client, world, type="bug", swimlane="assignee").response)
    assert "40 cards." in page
    link = _more_link(page, "board/cards")
    assert "type=bug" in link and "swimlane=assignee" in link and f"user-{world.member.pk}" in link
    shown = _shown(text(client.get(link)))
    assert shown and all(int(name.split()[1]) < 40 for name in shown)  # bugs only


def test_many_lanes_render_a_bounded_number_of_cards(world):
    # given 300 cards, each its own priority lane x column is big
    _statuses(world.project)
    _cards(world, 0, 300)
    people = [world.member, world.manager, world.admin]
    through = Task.assignees.through
    through.objects.bulk_create(
        through(task_id=task.pk, user_id=people[n % 3].pk)
        for n, task in enumerate(Task.objects.filter(project=world.project))
    )
    html = text(_board(client_for(world.member), world, swimlane="assignee").response)
    assert len(_shown(html)) <= board_selectors.BUDGET
    assert "300 cards." in html


def test_the_no_script_show_more_asks_for_more_cards_per_column(world):
    _statuses(world.project)
    _cards(world, 0, 60)
    html = text(_board(client_for(world.member), world, cards=PAGE * 2).response)
    assert len(_shown(html)) == PAGE * 2
    assert "cards=60" in html  # the next link asks for the rest


def _move(client, world, task, status, **body):
    payload = {"task": task.pk, "status": status.pk, "version": task.version, **body}
    return client.post(
        reverse("project-board-move", args=[world.project.pk]),
        json.dumps(payload),
        content_type="application/json",
    )


def test_a_move_answers_with_the_card_and_the_column_headers(world):
    statuses = _statuses(world.project)
    doing, review = statuses["In progress"], statuses["In review"]
    card, other = _cards(world, 0, 2, status=TaskStatus.IN_PROGRESS, workflow_status=doing)
    answer = _move(client_for(world.member), world, card, review).json()
    assert f'data-task-id="{card.pk}"' in answer["html"] and "Card 0000" in answer["html"]
    assert answer["card"]["status"] == review.pk
    assert answer["counts"][str(review.pk)] == 1 and answer["counts"][str(doing.pk)] == 1
    assert answer["points"][str(review.pk)] == 3 and answer["points"][str(doing.pk)] == 3
    assert other.pk not in (answer["card"]["id"],)


def test_a_card_dropped_under_the_last_card_shown_lands_right_below_it(world):
    # given a long column of which the page shows the first cards
    todo = _statuses(world.project)["To do"]
    cards = _cards(world, 0, PAGE + 10)
    client = client_for(world.member)
    # when the last card is dropped under the last card shown (no card below it on the page)
    moved = cards[-1]
    response = _move(client, world, moved, todo, after=cards[PAGE - 1].pk)
    assert response.status_code == 200, response.content
    # then it sorts right below that card, not at the bottom of the column
    order = list(board_selectors.ranked(Task.objects.filter(project=world.project)))
    assert order.index(Task.objects.get(pk=moved.pk)) == PAGE


def test_a_move_that_moves_no_dates_costs_a_small_fixed_number_of_queries(world, time_machine):
    time_machine.move_to(datetime(2027, 1, 5, 10, tzinfo=UTC), tick=False)
    statuses = _statuses(world.project)
    doing, review = statuses["In progress"], statuses["In review"]
    client = client_for(world.member)

    def move_count() -> int:
        task = Task.objects.filter(project=world.project, workflow_status=doing).first()
        with CaptureQueriesContext(connection) as captured:
            assert _move(client, world, task, review).status_code == 200
        return len(captured)

    _cards(world, 0, 5, status=TaskStatus.IN_PROGRESS, workflow_status=doing)
    move_count()  # caches warm (content types)
    few = move_count()
    _cards(world, 5, 300, status=TaskStatus.IN_PROGRESS, workflow_status=doing)
    assert move_count() == few
    # session, user, project, task, status, lock x2, statuses, ranks x3, history, card x4, headers
    assert few <= 22, few


def _backlog(client, world, **query):
    url = reverse("project-backlog", args=[world.project.pk])
    return queries_for(client, "get", url, data=query)


def _rows(html: str) -> list[str]:
    return re.findall(r'href="/projects/\d+/tasks/\d+/">(Card \d+)</a>', html)


def test_the_backlog_of_300_rows_costs_what_the_backlog_of_120_does(world):
    # given a sprint and the backlog, each longer than a page, then each twice as long
    sprint = sprint_services.sprint_create(
        project=world.project,
        actor=world.manager,
        name="Sprint 1",
        start_date=datetime(2030, 1, 7).date(),
        end_date=datetime(2030, 1, 18).date(),
    )
    client = client_for(world.manager)
    _cards(world, 0, 120, effort_hours=2)
    Task.objects.filter(project=world.project, position__lt=60).update(sprint=sprint)
    few = _backlog(client, world)
    _cards(world, 120, 300, effort_hours=2)
    Task.objects.filter(project=world.project, position__range=(120, 179)).update(sprint=sprint)
    many = _backlog(client, world)
    # then the page costs the same queries and about the same bytes
    assert_same_count(few, many)
    html = text(many.response)
    page = sprint_selectors.BACKLOG_PAGE
    assert len(_rows(html)) == 2 * page  # the sprint's first rows and the backlog's
    assert len(html) < len(text(few.response)) + 500
    # and the sprint's load and the backlog's count are exact
    assert "Committed: 360 points" in html and "240 hours" in html and "120 tasks" in html
    assert 'Backlog <span class="muted">(180)</span>' in html
    assert f"{page} of 180 shown" in html and f"{page} of 120 shown" in html


def test_backlog_show_more_brings_the_next_rows(world):
    page = sprint_selectors.BACKLOG_PAGE
    _cards(world, 0, page + 5)
    client = client_for(world.viewer)
    html = text(_backlog(client, world).response)
    assert _rows(html) == [f"Card {n:04}" for n in range(page)]
    more = text(client.get(_more_link(html, "backlog/rows")))
    assert _rows(more) == [f"Card {n:04}" for n in range(page, page + 5)]
    assert "Show" not in more
    # a sprint that does not exist (or was closed) has nothing more to show
    url = reverse("project-backlog-rows", args=[world.project.pk])
    assert client.get(url, {"sprint": 999999}).content == b""

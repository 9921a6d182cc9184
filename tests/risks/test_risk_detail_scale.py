"""A risk's page in a big plan: tasks are searched, never listed; long histories are cut.

The page of a risk of the 5,010-task plan was 377 KB, because the "link a task" form listed
every task of the plan as a choice (issue 14). The form is now a picker that searches
(`risk-link-search`, at most 20 answers); the linked tasks and the review table show their
first rows and count the rest.
"""

import pytest
from django.urls import reverse

from projects.models import Task
from risks import selectors, services
from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.projects.helpers import assert_same_count, queries_for

from .helpers import raise_risk

pytestmark = pytest.mark.django_db


def _detail(world, risk) -> str:
    return reverse("risk-detail", args=[world.project.pk, risk.pk])


def _search(world, risk, query: str) -> str:
    return reverse("risk-link-search", args=[world.project.pk, risk.pk]) + f"?q={query}"


def test_the_page_neither_grows_nor_costs_more_with_the_tasks_of_the_plan(world):
    # given a risk in a plan of 3 tasks, its page measured
    risk = raise_risk(world)
    TaskFactory.create_batch(3, project=world.project)
    client = client_for(world.member)
    client.get(_detail(world, risk))
    few = queries_for(client, "get", _detail(world, risk))
    # when the plan grows to 80 tasks
    TaskFactory.create_batch(77, project=world.project)
    many = queries_for(client, "get", _detail(world, risk))
    # then the page costs the same queries and the same bytes: no task is listed on it
    assert_same_count(few, many)
    assert abs(len(many.response.content) - len(few.response.content)) < 64
    search = reverse("risk-link-search", args=[world.project.pk, risk.pk])
    page = many.response.content.decode()
    assert f'data-picker="{search}"' in page
    assert "<option" not in page.split('id="linked-tasks"')[1].split("</section>")[0]


def test_the_search_answers_at_most_twenty_unlinked_tasks_matching_name_or_code(world):
    risk = raise_risk(world)
    tasks = [
        TaskFactory(project=world.project, name=f"Vendor step {n}", wbs_code=str(n))
        for n in range(1, 26)
    ]
    TaskFactory(
        project=world.project, name="Launch", wbs_code="30", is_milestone=True, duration_minutes=0
    )
    TaskFactory(project=world.other_project, name="Vendor step abroad")
    risk.linked_tasks.add(tasks[0])
    client = client_for(world.member)
    # by name: twenty of the 24 unlinked vendor steps, and "more"
    body = client.get(_search(world, risk, "vendor")).json()
    assert len(body["results"]) == 20 and body["more"] is True
    assert tasks[0].pk not in {row["id"] for row in body["results"]}
    assert all("abroad" not in row["label"] for row in body["results"])
    # by WBS code, with the milestone said
    body = client.get(_search(world, risk, "30")).json()
    assert body == {
        "results": [{"id": Task.objects.get(name="Launch").pk, "label": "30 Launch (milestone)"}],
        "more": False,
    }


def test_a_task_is_linked_by_the_picked_id_or_by_its_code_without_javascript(world):
    risk = raise_risk(world)
    build = TaskFactory(project=world.project, name="Build", wbs_code="2")
    design = TaskFactory(project=world.project, name="Design", wbs_code="1")
    client = client_for(world.member)
    url = reverse("risk-link-add", args=[world.project.pk, risk.pk])
    assert client.post(url, {"task": build.pk}).status_code == 302
    assert client.post(url, {"task": "", "task_code": "1"}).status_code == 302
    assert set(risk.linked_tasks.all()) == {build, design}
    # a task of another project, or nothing at all, is said next to the field
    foreign = TaskFactory(project=world.other_project)
    refused = client.post(url, {"task": foreign.pk})
    assert refused.status_code == 422
    assert "that task cannot be chosen here" in refused.content.decode()
    empty = client.post(url, {"task": "", "task_code": ""})
    assert empty.status_code == 422 and "type part of its name" in empty.content.decode()


def test_long_histories_show_their_latest_rows_and_count_the_rest(world):
    # given a risk reviewed 25 more times and linked to 55 tasks
    risk = raise_risk(world)
    client = client_for(world.member)
    url = _detail(world, risk)
    client.get(url)
    few = queries_for(client, "get", url)
    for _ in range(25):
        risk.refresh_from_db()
        services.risk_reassess(risk=risk, actor=world.member, version=risk.version)
    risk.linked_tasks.add(*TaskFactory.create_batch(55, project=world.project))
    many = queries_for(client, "get", url)
    page = many.response.content.decode()
    reviews = risk.reviews.count()
    # then the table shows the latest twenty reviews, the links the first fifty, the rest counted
    table = page.split('id="reviews"')[1].split("</tbody>")[0]
    assert table.count("<tr>") == selectors.REVIEWS_SHOWN
    assert f"The latest {selectors.REVIEWS_SHOWN} of {reviews} reviews." in page
    linked = page.split('id="linked-tasks"')[1].split("</ul>")[0]
    assert linked.count("/remove/") == selectors.LINKS_SHOWN
    assert "and 5 more" in linked
    # and at the same cost in queries
    assert_same_count(few, many)

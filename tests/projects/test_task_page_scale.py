"""The task page and the outline stay the same size as the plan grows (issue 14).

The task page once listed every task of the organisation as a possible predecessor (1.9 MB for
one task of a 5,010-task plan); the outline's add row listed every task as a parent. Both now
search (projects/plan/views/pickers.py): these tests hold the pages' bytes and queries level
between a plan of 30 tasks and one of 300, and the searches limited, scoped and checked.
"""

import pytest
from django.urls import reverse

from projects.models import Dependency, Task
from projects.plan import selectors as task_selectors
from projects.plan import services as task_services
from projects.plan.views import tasks as task_views
from projects.schedule import services as schedule_services
from tests.conftest import client_for
from tests.factories import ProjectFactory, ProjectMembershipFactory
from tests.projects.helpers import assert_same_count, queries_for, text

PHASE = 10  # a phase and its nine tasks


def grow(project, size: int, *, prefix: str = "") -> list[Task]:
    """`size` tasks in phases of ten after those there (bulk inserted and numbered, as the
    benchmarks build)."""
    start = Task.objects.filter(project=project, parent=None).count()
    phases = Task.objects.bulk_create(
        Task(project=project, name=f"{prefix}Phase {n}", position=start + n)
        for n in range(size // PHASE)
    )
    Task.objects.bulk_create(
        Task(project=project, parent=phase, position=i, name=f"{phase.name} step {i}")
        for phase in phases
        for i in range(PHASE - 1)
    )
    schedule_services.renumber(project)
    return list(Task.objects.filter(project=project).order_by("outline_key"))


def _page(task) -> str:
    return reverse("task-detail", args=[task.project_id, task.pk])


def _search(task) -> str:
    return reverse("task-predecessor-search", args=[task.project_id, task.pk])


def _code(task) -> str:
    return Task.objects.get(pk=task.pk).wbs_code


@pytest.fixture
def planned(world):
    """The manager's project with a first phase of ten tasks (the task measured is its 2nd)."""
    tasks = grow(world.project, PHASE)
    world.task = tasks[2]
    return world


def test_the_task_page_is_as_big_and_costs_as_many_queries_with_30_or_300_tasks(planned):
    client = client_for(planned.manager)
    grow(planned.project, 20, prefix="More ")  # 30 tasks
    client.get(_page(planned.task))  # warm the per-process caches (content types)
    few = queries_for(client, "get", _page(planned.task))
    # when the plan grows tenfold (and the organisation with it)
    grow(planned.project, 270, prefix="Even more ")
    grow(ProjectFactory(organisation=planned.organisation), 300)
    many = queries_for(client, "get", _page(planned.task))
    # then the page costs the same queries, and is within a few bytes (ids get longer)
    assert_same_count(few, many)
    few_bytes, many_bytes = len(few.response.content), len(many.response.content)
    assert many_bytes - few_bytes < 200, (few_bytes, many_bytes)
    # and it still has the form to add a predecessor, with its search
    assert 'name="predecessor"' in text(many.response)
    assert _search(planned.task) in text(many.response)


def test_a_summary_lists_its_first_subtasks_and_links_to_the_rest(planned, monkeypatch):
    monkeypatch.setattr(task_views, "CHILDREN_SHOWN", 4)
    phase = Task.objects.get(project=planned.project, wbs_code="1")
    page = text(client_for(planned.manager).get(_page(phase)))
    assert "Phase 0 step 3" in page and "Phase 0 step 4" not in page
    assert "All its subtasks in the outline" in page


def test_the_outline_page_is_as_big_and_costs_as_many_queries_with_30_or_300_tasks(
    world, monkeypatch
):
    monkeypatch.setattr("projects.plan.views.outline.PAGE_ROWS", 20)
    client = client_for(world.manager)
    url = reverse("project-plan", args=[world.project.pk])
    grow(world.project, 30)
    few = queries_for(client, "get", url, data={"page": 1})
    grow(world.project, 270, prefix="More ")
    many = queries_for(client, "get", url, data={"page": 1})
    assert_same_count(few, many)
    few_bytes, many_bytes = len(few.response.content), len(many.response.content)
    # "Rows 1 to 20 of 30" becomes "of 300" and "Page 1 of 2" "of 15": a few bytes
    assert many_bytes - few_bytes < 200, (few_bytes, many_bytes)
    # and a later page of the big plan costs the same as its first
    last = queries_for(client, "get", url, data={"page": 15})
    assert_same_count(many, last)
    assert "More Phase 26" in text(last.response)


def test_the_predecessor_search_answers_at_most_twenty_tasks(planned):
    grow(planned.project, 100, prefix="Many ")
    answer = client_for(planned.manager).get(_search(planned.task), {"q": "Many"}).json()
    assert len(answer["results"]) == task_selectors.PICKER_LIMIT == 20
    assert answer["more"] is True


def test_the_predecessor_search_finds_by_name_or_code_and_leaves_out_loops(planned):
    task = planned.task  # 1.2, under phase 1
    tasks = Task.objects.filter(project=planned.project)
    after = tasks.get(wbs_code="1.3")
    task_services.dependency_create(predecessor=task, successor=after, actor=planned.admin)
    client = client_for(planned.manager)

    def found(query):
        results = client.get(_search(task), {"q": query}).json()["results"]
        return [row["label"] for row in results]

    key = planned.project.key
    # by a part of the name, this plan's first
    assert f"{key} 1.1 Phase 0 step 0" in found("step 0")
    # by WBS code, with or without the project's key
    assert found("1.4") == [f"{key} 1.4 Phase 0 step 3"]
    assert found(f"{key.lower()} 1.4") == [f"{key} 1.4 Phase 0 step 3"]
    # never itself, its summary (phase 1) or a task that already follows it
    everything = found("Phase 0")
    assert f"{key} 1.2 Phase 0 step 1" not in everything
    assert f"{key} 1 Phase 0" not in everything
    assert f"{key} 1.3 Phase 0 step 2" not in everything
    # and with nothing typed, the tasks just before it in the outline (not its summary)
    assert found("") == [f"{key} 1.1 Phase 0 step 0"]


def test_the_predecessor_search_offers_only_projects_the_user_can_see(planned):
    # given a sister project the manager sees, one they do not, and another organisation's
    seen = ProjectFactory(organisation=planned.organisation, key="SIS")
    ProjectMembershipFactory(project=seen, user=planned.manager, role="viewer")
    grow(seen, PHASE, prefix="Sister ")
    grow(ProjectFactory(organisation=planned.organisation, key="HID"), PHASE, prefix="Hidden ")
    grow(planned.other_project, PHASE, prefix="Foreign ")
    client = client_for(planned.manager)
    labels = [
        row["label"]
        for query in ("Sister", "Hidden", "Foreign")
        for row in client.get(_search(planned.task), {"q": query}).json()["results"]
    ]
    assert labels and all(label.startswith("SIS ") for label in labels)


def test_the_predecessor_search_is_for_planners_of_the_task_and_its_project(planned):
    url = _search(planned.task)
    assert client_for(planned.member).get(url).status_code == 403
    assert client_for(planned.viewer).get(url).status_code == 403
    assert client_for(planned.outsider).get(url).status_code == 404
    # the task under another organisation's project id is a 404
    foreign = reverse("task-predecessor-search", args=[planned.other_project.pk, planned.task.pk])
    assert client_for(planned.manager).get(foreign).status_code == 404
    search = reverse("plan-parent-search", args=[planned.other_project.pk])
    assert client_for(planned.manager).get(search).status_code == 404


def test_a_predecessor_is_checked_on_save_with_an_error_naming_the_field(planned):
    foreign = grow(planned.other_project, PHASE)[1]
    client = client_for(planned.manager)
    url = reverse("task-link-add", args=[planned.project.pk, planned.task.pk])
    # another organisation's task, posted by id, is refused next to the field
    response = client.post(url, {"predecessor": foreign.pk, "type": "FS"})
    assert response.status_code == 422
    assert response.context["link_form"].errors["predecessor"][0].startswith("Predecessor:")
    # and so is a form with no task picked
    response = client.post(url, {"predecessor": "", "predecessor_code": "", "type": "FS"})
    assert response.status_code == 422
    assert "Predecessor" in response.context["link_form"].errors["predecessor"][0]
    assert 'aria-invalid="true"' in text(response)
    # a code that names no task says so
    response = client.post(url, {"predecessor_code": "9.9", "type": "FS"})
    assert "numbered “9.9”" in response.context["link_form"].errors["predecessor"][0]
    assert not Dependency.objects.exists()


def test_without_javascript_a_predecessor_and_a_parent_are_named_by_their_code(planned):
    client = client_for(planned.manager)
    url = reverse("task-link-add", args=[planned.project.pk, planned.task.pk])
    response = client.post(url, {"predecessor_code": "1.1", "type": "FS"})
    assert response.status_code == 302
    link = Dependency.objects.get()
    assert (link.predecessor.wbs_code, link.successor_id) == ("1.1", planned.task.pk)
    # and a new task goes under the task whose code is typed in "Under"
    add = reverse("plan-task-add", args=[planned.project.pk])
    data = {"name": "Review", "duration_days": "1", "parent_code": "1"}
    assert client.post(add, data).status_code == 302
    review = Task.objects.get(name="Review")
    assert review.parent.wbs_code == "1" and _code(review) == "1.10"


def test_the_parent_search_finds_tasks_of_the_plan_but_not_milestones(planned):
    milestone = Task.objects.get(project=planned.project, wbs_code="1.9")
    Task.objects.filter(pk=milestone.pk).update(
        is_milestone=True, duration_minutes=0, name="Signed off"
    )
    url = reverse("plan-parent-search", args=[planned.project.pk])
    client = client_for(planned.manager)
    assert client.get(url, {"q": "Signed"}).json()["results"] == []
    labels = [row["label"] for row in client.get(url, {"q": "1.5"}).json()["results"]]
    assert labels == ["1.5 Phase 0 step 4"]
    assert client_for(planned.member).get(url).status_code == 403

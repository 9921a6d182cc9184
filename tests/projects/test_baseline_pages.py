"""The baselines page and the comparison page, as a TPM and the rest of the team use them.

Plans are built through projects.plan.services; the project starts on Monday 4 January 2027
(standard calendar: 8-hour days, weekends off).
"""

from datetime import date

import pytest
from django.urls import reverse

from projects.baselines import services as baseline_services
from projects.models import Baseline, Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.conftest import client_for
from tests.factories import BaselineFactory, TaskFactory
from tests.projects.helpers import assert_same_count, queries_for, text

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def plan(world):
    """WEB: Design (2 days) -> Build (3 days) -> Launched (milestone)."""
    world.project.start_date = MONDAY
    world.project.save()
    create = task_services.task_create
    design = create(
        project=world.project, actor=world.manager, name="Design", duration_minutes=2 * DAY
    )
    build = create(
        project=world.project, actor=world.manager, name="Build", duration_minutes=3 * DAY
    )
    launched = create(
        project=world.project,
        actor=world.manager,
        name="Launched",
        duration_minutes=0,
        is_milestone=True,
    )
    task_services.dependency_create(predecessor=design, successor=build, actor=world.manager)
    task_services.dependency_create(predecessor=build, successor=launched, actor=world.manager)
    return world


def _list_url(world):
    return reverse("project-baselines", args=[world.project.pk])


def _compare_url(world, baseline):
    return reverse("project-baseline-compare", args=[world.project.pk, baseline.pk])


def _task(world, name) -> Task:
    return Task.objects.get(project=world.project, name=name)


def test_the_tpm_saves_a_baseline_and_finds_it_in_the_list(plan):
    # given the TPM on the baselines page
    client = client_for(plan.manager)
    assert "Save baseline" in text(client.get(_list_url(plan)))
    # when they save the plan as "Approved plan"
    response = client.post(_list_url(plan), {"name": "Approved plan", "note": "Board, 4 Jan"})
    # then they are back on the list, which shows it with its three tasks and finish
    assert response.status_code == 302
    page = text(client.get(_list_url(plan)))
    assert "Saved baseline “Approved plan” of 3 tasks." in page
    assert "Approved plan" in page and "Board, 4 Jan" in page
    assert "8 Jan 2027" in page  # Design Mon-Tue, Build Wed-Fri: the plan finishes Friday


def test_a_duplicate_name_is_shown_next_to_the_field(plan):
    # given a baseline named "Approved plan"
    baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="Approved plan")
    # when the TPM saves another one under the same name
    response = client_for(plan.manager).post(_list_url(plan), {"name": "Approved plan"})
    # then the form comes back with 422 and says why; nothing new is saved
    assert response.status_code == 422
    assert "already has a baseline named" in text(response)
    assert Baseline.objects.filter(project=plan.project).count() == 1


def test_an_empty_plan_cannot_be_baselined_from_the_page(world):
    response = client_for(world.manager).post(_list_url(world), {"name": "Too early"})
    assert response.status_code == 422
    assert "no schedule yet" in text(response)


def test_readers_see_baselines_but_no_save_form_or_delete_link(plan):
    # given a baseline
    baseline = baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="v1")
    # when the stakeholder opens the list
    page = text(client_for(plan.stakeholder).get(_list_url(plan)))
    # then they can compare but neither save nor delete
    assert _compare_url(plan, baseline) in page
    assert "Save baseline" not in page
    assert reverse("project-baseline-delete", args=[plan.project.pk, baseline.pk]) not in page


def test_the_comparison_says_how_late_in_words_and_colour(plan):
    # given a baseline that includes a spike, then Build grew from three days to five
    spike = task_services.task_create(project=plan.project, actor=plan.manager, name="Spike")
    baseline = baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="v1")
    build = _task(plan, "Build")
    task_services.task_update(
        task=build,
        actor=plan.manager,
        version=build.version,
        changes=TaskChanges(duration_minutes=5 * DAY),
    )
    # and a new task was added while the spike was deleted
    task_services.task_create(project=plan.project, actor=plan.manager, name="Security review")
    spike.refresh_from_db()
    task_services.task_delete(task=spike, actor=plan.manager)
    # when the viewer opens the comparison
    page = text(client_for(plan.viewer).get(_compare_url(plan, baseline)))
    # then the summary gives the project finish variance and the slipped milestone
    assert '<dd><span class="variance late">2 days late</span>: baselined' in page
    assert "Launched (2 days late)" in page  # listed among the slipped milestones
    # and Build's row says it is two days longer, in words and with the "late" colour
    assert '<span class="variance late">2 days longer</span>' in page
    # and the added and removed tasks are marked as such
    assert 'Security review <span class="badge badge-added">Added</span>' in page
    assert 'Spike <span class="badge badge-removed">Removed</span>' in page


def test_an_early_finish_is_shown_as_early(plan):
    # given a baseline, then Build shrank from three days to two
    baseline = baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="v1")
    build = _task(plan, "Build")
    task_services.task_update(
        task=build,
        actor=plan.manager,
        version=build.version,
        changes=TaskChanges(duration_minutes=2 * DAY),
    )
    page = text(client_for(plan.manager).get(_compare_url(plan, baseline)))
    assert '<span class="variance early">1 day early</span>' in page
    assert "Slipped milestones</dt>\n    <dd>none</dd>" in page


def test_a_baseline_of_another_project_is_not_found_here(plan):
    # given a baseline of the other organisation's project
    foreign = BaselineFactory(project=plan.other_project)
    # when the TPM puts its id in their own project's URL
    response = client_for(plan.manager).get(_compare_url(plan, foreign))
    # then it does not exist for them
    assert response.status_code == 404


def test_deleting_a_baseline_asks_first_then_removes_it(plan):
    # given a baseline
    baseline = baseline_services.baseline_save(project=plan.project, actor=plan.manager, name="v1")
    url = reverse("project-baseline-delete", args=[plan.project.pk, baseline.pk])
    client = client_for(plan.manager)
    # when the TPM clicks delete, they are asked to confirm
    assert "Delete the baseline “v1”?" in text(client.get(url))
    # and when they confirm, it is gone and the plan is not touched
    response = client.post(url)
    assert response.status_code == 302
    assert not Baseline.objects.filter(pk=baseline.pk).exists()
    assert Task.objects.alive().filter(project=plan.project).count() == 3


def _plan_of(world, count):
    TaskFactory.create_batch(count, project=world.project)
    schedule_services.renumber(world.project)
    schedule_services.project_reschedule(project=world.project)
    return baseline_services.baseline_save(
        project=world.project, actor=world.manager, name=f"{count} tasks"
    )


def test_the_pages_cost_the_same_queries_for_5_or_50_tasks(world):
    world.project.start_date = MONDAY
    world.project.save()
    client = client_for(world.manager)
    few = _plan_of(world, 5)
    few_compare = queries_for(client, "get", _compare_url(world, few))
    few_list = queries_for(client, "get", _list_url(world))
    Task.objects.filter(project=world.project).delete()
    many = _plan_of(world, 50)
    assert_same_count(few_compare, queries_for(client, "get", _compare_url(world, many)))
    assert_same_count(few_list, queries_for(client, "get", _list_url(world)))

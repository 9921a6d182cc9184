"""The activity stream: recorded history (who changed what, from what, to what) and comments,
per task and per project, newest first, in a fixed number of queries."""

import pytest
from django.urls import reverse

from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.work import services as work_services
from tests.conftest import client_for
from tests.tpm.querycount import assert_same_count, queries_for_get

pytestmark = pytest.mark.django_db


def test_the_task_page_shows_changes_and_comments(world):
    task = task_services.task_create(project=world.project, actor=world.manager, name="Design")
    task = task_services.task_update(
        task=task,
        actor=world.manager,
        version=task.version,
        changes=TaskChanges(name="Design review"),
    ).task
    work_services.task_comment_create(task=task, author=world.manager, body="Agreed with **legal**")
    body = (
        client_for(world.viewer)
        .get(reverse("task-detail", args=[task.project_id, task.pk]))
        .content.decode()
    )
    assert "Design" in body and "Design review" in body
    assert "<strong>legal</strong>" in body


def test_the_project_activity_tab_merges_history_and_comments(world):
    task = task_services.task_create(project=world.project, actor=world.manager, name="Design")
    work_services.task_comment_create(task=task, author=world.manager, body="First comment")
    response = client_for(world.stakeholder).get(
        reverse("project-activity", args=[world.project.pk])
    )
    assert response.status_code == 200
    kinds = [item.kind for item in response.context["activity"]]
    assert "comment" in kinds and "change" in kinds
    assert response.context["activity"][0].kind == "comment"  # newest first
    assert "First comment" in response.content.decode()


def test_a_script_in_a_comment_is_inert_in_the_stream(world):
    task = task_services.task_create(project=world.project, actor=world.manager, name="Design")
    work_services.task_comment_create(
        task=task, author=world.manager, body="<script>alert(1)</script>"
    )
    body = (
        client_for(world.viewer)
        .get(reverse("project-activity", args=[world.project.pk]))
        .content.decode()
    )
    assert "<script>alert(1)" not in body


def test_the_activity_tab_costs_the_same_queries_for_few_and_many(world):
    client = client_for(world.viewer)
    url = reverse("project-activity", args=[world.project.pk])
    task = task_services.task_create(project=world.project, actor=world.manager, name="A")
    work_services.task_comment_create(task=task, author=world.manager, body="one")
    few = queries_for_get(client, url)
    for i in range(10):
        other = task_services.task_create(project=world.project, actor=world.manager, name=f"T{i}")
        work_services.task_comment_create(task=other, author=world.member, body=f"c{i}")
    many = queries_for_get(client, url)
    assert_same_count(few, many)

"""Comments on tasks: markdown made safe, @mentions of the project's people only, edits kept
as revisions, and deletion by the author alone."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from projects.work import services as work_services
from tests.conftest import client_for
from tests.projects.route_expectations_work import assigned_task
from tpm.collab import find_mentions, render_markdown
from tpm.models import Notification
from tpm.models_collab import Comment, CommentRevision

pytestmark = pytest.mark.django_db


def _add_url(task):
    return reverse("task-comment-add", args=[task.project_id, task.pk])


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.test'></iframe>",
    ],
)
def test_markdown_with_scripts_or_handlers_is_rendered_inert(source):
    html = render_markdown(source)
    # escaped text is harmless; what must not survive is markup a browser runs
    tags = _tags(html)
    assert {name for name, _ in tags} <= {"p", "a"}
    for _, attrs in tags:
        assert not any(name.startswith("on") for name, _ in attrs)
        assert not any((value or "").startswith("javascript") for _, value in attrs)


def _tags(html: str) -> list[tuple[str, list]]:
    found: list[tuple[str, list]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_markdown_keeps_formatting_and_safe_links():
    html = render_markdown("**bold** and [docs](https://example.test) and `code`")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.test"' in html and "noopener" in html
    assert "<code>code</code>" in html


def test_a_member_comments_and_the_mentioned_manager_is_notified_and_emailed(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    # given the member's task
    task = assigned_task(world)
    # when the member posts a comment mentioning the manager
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.member).post(
            _add_url(task), {"body": "Can you check this @manager@acme.test?"}
        )
    # then the comment is on the task page
    assert response.status_code == 302
    page = client_for(world.member).get(reverse("task-detail", args=[task.project_id, task.pk]))
    assert "Can you check this" in page.content.decode()
    # and the manager has an in-app notification and an email
    note = Notification.objects.get(recipient=world.manager, kind="mentioned")
    assert "mentioned you" in note.title
    assert any(world.manager.email in m.to for m in mailoutbox)


def test_mentions_only_reach_people_with_a_role_in_the_project(world):
    # given a comment naming a bystander (in the organisation, no role) and the viewer
    task = assigned_task(world)
    comment = work_services.task_comment_create(
        task=task, author=world.member, body="@bystander@acme.test and @viewer please look"
    )
    # then only the viewer (who has a role) is mentioned and notified
    assert list(comment.mentions.all()) == [world.viewer]
    assert not Notification.objects.filter(recipient=world.bystander).exists()
    assert Notification.objects.filter(recipient=world.viewer, kind="mentioned").exists()


def test_someone_without_a_role_cannot_comment_or_mention(world):
    task = assigned_task(world)
    response = client_for(world.bystander).post(_add_url(task), {"body": "@member@acme.test spam"})
    assert response.status_code == 404
    outsider = client_for(world.outsider).post(_add_url(task), {"body": "@member spam"})
    assert outsider.status_code == 404
    assert not Comment.objects.exists()
    assert not Notification.objects.filter(recipient=world.member, kind="mentioned").exists()


def test_an_ambiguous_local_part_mentions_nobody(world):
    people = [world.manager, world.member]
    world.member.email = "manager@other.test"
    assert find_mentions("@manager hello", people) == []
    assert find_mentions("@manager@acme.test hello", people) == [world.manager]


def test_an_empty_comment_is_refused_with_a_message(world):
    task = assigned_task(world)
    response = client_for(world.member).post(
        _add_url(task), {"body": "   "}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Write something first" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_author_edits_and_the_old_text_is_kept(world):
    task = assigned_task(world)
    comment = work_services.task_comment_create(task=task, author=world.member, body="First take")
    url = reverse("task-comment-edit", args=[task.project_id, task.pk, comment.pk])
    response = client_for(world.member).post(url, {"body": "Second take", "version": 1})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second take" and comment.version == 2 and comment.edited_at
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["First take"]


def test_a_stale_edit_is_refused_not_overwritten(world):
    task = assigned_task(world)
    comment = work_services.task_comment_create(task=task, author=world.member, body="First take")
    url = reverse("task-comment-edit", args=[task.project_id, task.pk, comment.pk])
    client = client_for(world.member)
    client.post(url, {"body": "Second take", "version": 1})
    response = client.post(url, {"body": "Third", "version": 1}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.body == "Second take"


def test_only_the_author_edits_or_deletes(world):
    task = assigned_task(world)
    comment = work_services.task_comment_create(task=task, author=world.member, body="Mine")
    url = reverse("task-comment-edit", args=[task.project_id, task.pk, comment.pk])
    assert client_for(world.manager).post(url, {"body": "Theirs", "version": 1}).status_code == 403
    assert client_for(world.manager).post(url, {"delete": "1", "version": 1}).status_code == 403
    # the author deletes: the thread says so, the text stays in the revisions
    assert client_for(world.member).post(url, {"delete": "1", "version": 1}).status_code == 302
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == ""
    assert CommentRevision.objects.get(comment=comment).body == "Mine"


def test_editing_in_a_new_mention_notifies_once(world):
    task = assigned_task(world)
    comment = work_services.task_comment_create(task=task, author=world.member, body="Hello")
    for version, body in ((1, "Hello @manager"), (2, "Hello @manager!")):
        work_services.task_comment_update(
            task=task, comment=comment, actor=world.member, version=version, body=body
        )
        comment.refresh_from_db()
    assert Notification.objects.filter(recipient=world.manager, kind="mentioned").count() == 1


def test_the_demo_has_comments_mentions_a_file_and_notifications(settings, tmp_path):
    from django.core.management import call_command

    from tpm.models_collab import Attachment

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=None)
    assert Comment.objects.filter(mentions__isnull=False).exists()
    assert Notification.objects.filter(kind="mentioned").exists()
    assert Notification.objects.filter(kind="blocked").exists()
    assert Attachment.objects.exists()


def test_the_api_posts_edits_and_deletes_a_comment(world):
    from tests.conftest import client_for as api_client

    task = assigned_task(world)
    client = api_client(world.member)
    made = client.post(
        reverse("api:comment-list"),
        {"task": task.pk, "body": "Ping @manager <script>x</script>"},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["mentions"] == ["manager@acme.test"] and "<script>" not in body["body_html"]
    url = reverse("api:comment-detail", args=[body["id"]])
    # unknown fields and empty bodies are named
    bad = client.patch(url, {"body": "x", "colour": "red"}, content_type="application/json")
    assert bad.status_code == 400 and "colour" in bad.json()["errors"]
    empty = client.post(
        reverse("api:comment-list"), {"task": task.pk, "body": ""}, content_type="application/json"
    )
    assert empty.status_code == 400 and "body" in empty.json()["errors"]
    # no version: 428; stale: 409 with the current comment
    assert client.patch(url, {"body": "v2"}, content_type="application/json").status_code == 428
    ok = client.patch(url, {"body": "v2", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = client.patch(url, {"body": "v3", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert client.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    listed = client.get(reverse("api:comment-list") + f"?task={task.pk}").json()["results"]
    assert listed[0]["deleted"] is True and listed[0]["body"] == ""


def test_the_api_comment_list_costs_the_same_queries_for_few_and_many(world):
    from tests.tpm.querycount import assert_same_count, queries_for_get

    task = assigned_task(world)
    client = client_for(world.member)
    work_services.task_comment_create(task=task, author=world.member, body="one @manager")
    few = queries_for_get(client, reverse("api:comment-list"))
    for i in range(20):
        work_services.task_comment_create(task=task, author=world.member, body=f"c{i} @manager")
    many = queries_for_get(client, reverse("api:comment-list"))
    assert_same_count(few, many)

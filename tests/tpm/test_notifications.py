"""Notifications: the events that create them, email per the person's preferences (at once,
daily digest, or off), the list and the bell, marking read, and idempotent periodic jobs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Dependency, Task
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges, TaskChanges
from projects.work.events import notify_due_and_overdue
from tests.clock import TRICKY_DAYS, frozen_at
from tests.conftest import client_for
from tests.tpm.querycount import assert_same_count, queries_for_get
from tpm.models import Notification
from tpm.models_collab import Delivery, NotificationPreference
from tpm.notifications import notify, preferences_update, send_daily_digests

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_being_assigned_notifies_me_but_not_the_one_who_assigned(world):
    task_services.task_create(
        project=world.project, actor=world.manager, name="Copy", assignees=[world.member]
    )
    assert _kinds(world.member) == ["assigned"]
    task_services.task_create(
        project=world.project, actor=world.manager, name="Own", assignees=[world.manager]
    )
    assert _kinds(world.manager) == []


def test_adding_an_assignee_later_notifies_only_the_new_one(world):
    task = task_services.task_create(
        project=world.project, actor=world.manager, name="Copy", assignees=[world.member]
    )
    task_services.task_update(
        task=task,
        actor=world.manager,
        version=task.version,
        changes=TaskChanges(assignees=[world.member, world.admin]),
    )
    assert _kinds(world.member) == ["assigned"]
    assert _kinds(world.admin) == ["assigned"]


def test_a_status_change_by_someone_else_notifies_the_assignee(world):
    task = task_services.task_create(
        project=world.project, actor=world.manager, name="Copy", assignees=[world.member]
    )
    # my own change tells me nothing
    task = task_services.task_update_progress(
        task=task,
        actor=world.member,
        version=task.version,
        changes=ProgressChanges(status="in_progress"),
    )
    assert _kinds(world.member) == ["assigned"]
    task_services.task_update_progress(
        task=task,
        actor=world.manager,
        version=task.version,
        changes=ProgressChanges(status="completed"),
    )
    note = Notification.objects.get(recipient=world.member, kind="status_changed")
    assert "In progress → Completed" in note.title


def test_a_slipping_predecessor_tells_the_successors_assignee(world):
    first = task_services.task_create(project=world.project, actor=world.manager, name="Design")
    second = task_services.task_create(
        project=world.project, actor=world.manager, name="Build", assignees=[world.member]
    )
    task_services.dependency_create(predecessor=first, successor=second, actor=world.manager)
    assert Dependency.objects.count() == 1
    first.refresh_from_db()
    # when the predecessor gets longer
    task_services.task_update(
        task=first,
        actor=world.manager,
        version=first.version,
        changes=TaskChanges(duration_minutes=480 * 5),
    )
    # then the successor's assignee hears its dates moved; the edited task's people do not
    note = Notification.objects.get(recipient=world.member, kind="predecessor_slipped")
    assert "Build moved" in note.title
    assert (
        not Notification.objects.filter(kind="predecessor_slipped")
        .exclude(recipient=world.member)
        .exists()
    )


def _due(world, deadlines):
    """Tasks due on the given days from today. Dates are set after every task exists: each
    `task_create` reschedules the plan and would give an earlier task a computed finish again."""
    tasks = {
        name: task_services.task_create(
            project=world.project, actor=world.manager, name=name, assignees=[world.member]
        )
        for name in deadlines
    }
    today = timezone.localdate()
    for name, days in deadlines.items():
        Task.objects.filter(pk=tasks[name].pk).update(
            deadline=today + timedelta(days=days), finish=None
        )
    return today


@pytest.mark.parametrize("moment", TRICKY_DAYS, ids=str)
def test_due_tomorrow_and_overdue_are_told_once_however_often_the_job_runs(
    world, moment, time_machine, settings
):
    frozen_at(moment, time_machine, settings)
    today = _due(world, {"Tomorrow": 1, "Yesterday": -1, "Next month": 30})
    first = notify_due_and_overdue(today.isoformat())
    second = notify_due_and_overdue()  # as beat runs it: today from the clock, in TIME_ZONE
    assert first == 2 and second == 0
    kinds = _kinds(world.member)
    assert kinds.count("due_tomorrow") == 1 and kinds.count("overdue") == 1


def test_an_immediate_notification_is_emailed_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=world.member,
            organisation=world.organisation,
            kind="mentioned",
            title="Hello",
            dedupe_key="t1",
        )
    assert [m.subject for m in mailoutbox] == ["Hello"]


@pytest.mark.parametrize("delivery", [Delivery.DIGEST, Delivery.OFF])
def test_a_digest_or_off_preference_sends_no_immediate_email(
    world, mailoutbox, django_capture_on_commit_callbacks, delivery
):
    preferences_update(user=world.member, choices={"mentioned": delivery})
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=world.member,
            organisation=world.organisation,
            kind="mentioned",
            title="Hello",
            dedupe_key="t1",
        )
    assert mailoutbox == []
    # it is still in the list
    assert _kinds(world.member) == ["mentioned"]


def test_the_daily_digest_sends_one_email_once(world, mailoutbox):
    preferences_update(user=world.member, choices={"mentioned": "digest", "overdue": "digest"})
    for i, kind in enumerate(["mentioned", "overdue", "mentioned"]):
        notify(
            recipient=world.member,
            organisation=world.organisation,
            kind=kind,
            title=f"Event {i}",
            dedupe_key=f"d{i}",
        )
    assert send_daily_digests() == 1
    assert send_daily_digests() == 0
    assert len(mailoutbox) == 1
    assert "3 updates" in mailoutbox[0].subject
    assert "Event 2" in mailoutbox[0].body


def test_preferences_page_saves_and_refuses_unknown_values(world):
    client = client_for(world.member)
    response = client.post(reverse("notification-preferences"), {"mentioned": "digest"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.member, kind="mentioned").delivery == (
        "digest"
    )
    bad = client.post(reverse("notification-preferences"), {"overdue": "carrier-pigeon"})
    assert bad.status_code == 422
    assert "Choose one of" in bad.content.decode()


def _notes(world, count, prefix):
    for i in range(count):
        notify(
            recipient=world.member,
            organisation=world.organisation,
            kind="mentioned",
            title=f"{prefix} {i}",
            url="/projects/",
            dedupe_key=f"{prefix}{i}",
        )


def test_the_bell_counts_unread_and_mark_read_clears_it(world):
    _notes(world, 3, "n")
    client = client_for(world.member)
    assert ">3<" in client.get(reverse("notification-bell")).content.decode()
    note = Notification.objects.filter(recipient=world.member).first()
    response = client.post(reverse("notification-read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert ">2<" in client.get(reverse("notification-bell")).content.decode()
    client.post(reverse("notification-read-all"))
    assert client.get(reverse("notification-bell")).content == b""


def test_nobody_marks_someone_elses_notification(world):
    _notes(world, 1, "n")
    note = Notification.objects.get()
    assert (
        client_for(world.manager).post(reverse("notification-read", args=[note.pk])).status_code
        == 404
    )
    client_for(world.manager).post(reverse("notification-read-all"))
    note.refresh_from_db()
    assert note.read_at is None


def test_the_list_costs_the_same_queries_for_few_and_many(world):
    client = client_for(world.member)
    _notes(world, 2, "a")
    few = queries_for_get(client, reverse("notification-list"))
    _notes(world, 40, "b")
    many = queries_for_get(client, reverse("notification-list"))
    assert_same_count(few, many)


def test_the_api_lists_marks_read_and_counts(world):
    _notes(world, 2, "n")
    client = client_for(world.member)
    rows = client.get(reverse("api:notification-list")).json()["results"]
    assert len(rows) == 2 and rows[0]["read"] is False
    response = client.post(reverse("api:notification-read", args=[rows[0]["id"]]))
    assert response.json()["read"] is True
    assert client.get(reverse("api:notification-unread-count")).json() == {"unread": 1}
    assert client.post(reverse("api:notification-read-all")).json()["unread"] == 0


def test_the_api_refuses_unknown_preferences(world):
    client = client_for(world.member)
    response = client.patch(
        reverse("api:notification-preferences"),
        {"teleport": "off"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "teleport" in response.json()["errors"]
    response = client.patch(
        reverse("api:notification-preferences"),
        {"overdue": "loud"},
        content_type="application/json",
    )
    assert response.status_code == 400
    ok = client.patch(
        reverse("api:notification-preferences"), {"overdue": "off"}, content_type="application/json"
    )
    assert ok.json()["overdue"] == "off"


def test_the_api_list_costs_the_same_queries_for_few_and_many(world):
    client = client_for(world.member)
    _notes(world, 2, "a")
    few = queries_for_get(client, reverse("api:notification-list"))
    _notes(world, 40, "b")
    many = queries_for_get(client, reverse("api:notification-list"))
    assert_same_count(few, many)

"""A broker outage after the commit must not turn a saved change into a 500 (whose retry would
save it twice): services queue work through tpm/jobs.py, which logs the refusal and leaves the
work for a periodic job to find."""

import ast
import logging
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports.tasks import send_delivery
from tests.conftest import client_for
from tests.projects.route_expectations_work import assigned_task
from tpm import jobs
from tpm.models import Invitation, Notification, PendingJob
from tpm.models_collab import Comment
from tpm.notifications import notification_emails_resend, send_notification_email
from tpm.tasks import requeue_pending_jobs, send_invitation_email

ROOT = Path(__file__).resolve().parents[2]
DOWN = OperationalError("[Errno 111] Connection refused")


def _broker_down(task):
    return mock.patch.object(task, "apply_async", side_effect=DOWN)


# The request must commit for real, so that on_commit runs inside it, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_comment_saved_while_the_broker_is_down_answers_and_is_emailed_later(world, caplog):
    task = assigned_task(world)
    url = reverse("task-comment-add", args=[task.project_id, task.pk])
    mail.outbox.clear()  # the member was told of the assignment
    # when the member posts a comment mentioning the manager, with the broker down
    with _broker_down(send_notification_email), caplog.at_level(logging.ERROR):
        response = client_for(world.member).post(url, {"body": "Look @manager@acme.test"})
    # then the answer is the usual redirect, not a 500, and the comment is saved once
    assert response.status_code == 302
    assert Comment.objects.filter(body__contains="Look").count() == 1
    # the refusal is logged, and the notification's email is still due
    assert any("Could not queue" in record.getMessage() for record in caplog.records)
    note = Notification.objects.get(recipient=world.manager, kind="mentioned")
    assert note.emailed_at is None and note.email_due_at is not None
    assert mail.outbox == []
    # when the periodic job comes round, the email goes, once
    assert notification_emails_resend(now=timezone.now()) == 1
    assert notification_emails_resend(now=timezone.now()) == 0
    assert [message.to for message in mail.outbox] == [[world.manager.email]]


@pytest.mark.django_db(transaction=True)
def test_an_invitation_made_while_the_broker_is_down_is_sent_when_it_is_back(world):
    with _broker_down(send_invitation_email):
        response = client_for(world.admin).post(
            "/org/invitations/new/", {"email": "zoe@example.com", "role": "member"}
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="zoe@example.com").count() == 1
    # the job is kept for later
    kept = PendingJob.objects.get()
    assert kept.task == send_invitation_email.name and "Connection refused" in kept.error
    # a requeue while the broker is still down keeps it, counting the attempt
    with _broker_down(send_invitation_email):
        assert requeue_pending_jobs() == 0
    assert PendingJob.objects.get().attempts == 2
    # once the broker is back it is queued (and here run) once
    assert requeue_pending_jobs() == 1
    assert [message.to for message in mail.outbox] == [["zoe@example.com"]]
    assert not PendingJob.objects.exists()


def test_enqueue_keeps_a_refused_job_unless_told_not_to(db):
    with _broker_down(send_delivery):
        assert jobs.enqueue(send_delivery, 41) is False
        assert jobs.enqueue(send_delivery, 42, keep=False) is False
    assert list(PendingJob.objects.values_list("task", "args")) == [(send_delivery.name, [41])]


def _product_modules():
    for app in ("tpm", "projects", "resources", "risks", "reports"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_service_queues_work_around_the_helper():
    # every .delay(...) / .apply_async(...) goes through tpm/jobs.py, which survives a broker
    # outage; a new call site elsewhere would bring the 500-after-commit back
    offences = []
    for path in _product_modules():
        if path == ROOT / "tpm" / "jobs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("delay", "apply_async"):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offences == []

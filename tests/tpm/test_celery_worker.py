"""The worker path end to end: a task goes through Redis to a separate `celery worker` process,
which works on the test database. Runs when REDIS_URL is set (CI sets it)."""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.celery_worker import running_worker, worker_database_url
from tests.factories import InvitationFactory
from tpm.celery import app as celery_app
from tpm.models import Invitation
from tpm.tasks import purge_expired_invitations

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
        reason="a worker process needs a database server it can share with the tests",
    ),
]


@pytest.fixture
def worker_queue(_celery_runs_inline):
    """A `celery worker` process consuming a queue of its own, on the test database."""
    _celery_runs_inline.conf.task_always_eager = False
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "DB_CONN_MAX_AGE": "0"}
    with running_worker(queue, env):
        yield queue


@pytest.mark.django_db(transaction=True)
def test_periodic_purge_runs_in_a_real_worker(worker_queue):
    # given an invitation that expired long ago and one still pending
    expired = InvitationFactory(expires_at=timezone.now() - timedelta(days=10))
    pending = InvitationFactory()
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    # when the purge job is sent through Redis to the worker process
    started = time.monotonic()
    result = purge_expired_invitations.apply_async(queue=worker_queue)
    purged = result.get(timeout=60)
    # then the worker ran it against our database
    assert purged == 1
    assert not Invitation.objects.filter(pk=expired.pk).exists()
    assert Invitation.objects.filter(pk=pending.pk).exists()
    assert time.monotonic() - started < 60


def test_the_broker_is_redis_when_configured():
    # then the app itself (not only settings) talks to Redis
    assert celery_app.conf.broker_url.startswith("redis://")
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_serializer == "json"

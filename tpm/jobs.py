"""Queueing Celery work from services without letting a broker outage fail a saved change.

`transaction.on_commit(lambda: task.delay(...))` raises after the commit when the broker is
down: the change is saved, yet the user gets a 500, and their retry saves it twice. Services
queue work with `enqueue_on_commit` instead: a broker error is logged and the job is kept as a
`PendingJob` row, which the beat job `requeue_pending_jobs` (tpm/periodic.py) queues again once
the broker is back. Work that a periodic job finds again by its own state (a notification's
email, a due report period) passes `keep=False`. Tasks take ids and are idempotent, so a job
queued twice does its work once.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, current_app
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError

from .models import PendingJob

log = logging.getLogger(__name__)

# What publishing a message raises when the broker cannot be reached: kombu wraps most
# transport errors in OperationalError; sockets raise ConnectionError; redis-py its own.
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, ConnectionError)
try:
    from redis.exceptions import RedisError

    BROKER_ERRORS += (RedisError,)
except ImportError:  # pragma: no cover - redis comes with celery[redis]
    pass

REQUEUE_BATCH = 500


def enqueue(task: Task, *args: Any, keep: bool = True, **options: Any) -> bool:
    """Queue `task(*args)`; False when the broker refused it (logged, and kept as a
    `PendingJob` unless `keep=False`). `options` go to apply_async (e.g. queue=...)."""
    try:
        task.apply_async(args, **options)
    except BROKER_ERRORS as exc:
        log.error("Could not queue %s%r (kept for later: %s): %s", task.name, args, keep, exc)
        if keep:
            _keep(task.name, list(args), f"{type(exc).__name__}: {exc}")
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, keep: bool = True) -> None:
    """Queue `task(*args)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, keep=keep))


def _keep(task_name: str, args: list[Any], error: str) -> None:
    try:
        PendingJob.objects.create(task=task_name, args=args, error=error[:500])
    except DatabaseError:
        log.exception("Could not keep %s%r for later either", task_name, args)


def requeue_pending_jobs() -> int:
    """Queue the kept jobs again, oldest first; stop at the first broker error (it is still
    down: the rest wait for the next run). Returns how many were queued.

    No lock is held while publishing; two runs at once may queue a job twice, which its task,
    being idempotent, shrugs off.
    """
    queued = 0
    for job in PendingJob.objects.all()[:REQUEUE_BATCH]:
        task = current_app.tasks.get(job.task)
        if task is None:
            log.error("Pending job %s names no task (%s); dropped", job.pk, job.task)
            job.delete()
            continue
        try:
            task.apply_async(tuple(job.args))
        except BROKER_ERRORS as exc:
            PendingJob.objects.filter(pk=job.pk).update(
                attempts=job.attempts + 1, error=f"{type(exc).__name__}: {exc}"[:500]
            )
            log.warning("The broker still refuses jobs (%s); %s left for later", exc, job)
            break
        job.delete()
        queued += 1
    return queued

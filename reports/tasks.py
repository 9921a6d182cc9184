"""Celery tasks for scheduled reports: thin, by id, idempotent (see reports/delivery.py)."""

from datetime import date
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from tpm import jobs

from . import delivery


def _same_queue(task: Task) -> dict[str, Any]:
    """Follow-up work goes to the queue this task came from (a dedicated reports worker, or a
    test's own queue), else to the default one."""
    queue = (task.request.delivery_info or {}).get("routing_key")
    return {"queue": queue} if queue else {}


@shared_task(bind=True, acks_late=True)
def send_due_reports(self: Task) -> int:
    """The beat job (tpm/periodic.py): queue each due schedule's period, and each delivery whose
    worker stopped between claim and record (reports/delivery.py CLAIM_TIMEOUT). Safe to run
    twice. Returns the number of periods queued."""
    now = timezone.now()
    due = delivery.due_schedules(now)
    # A job the broker refuses is logged, not kept: the next run finds the period (not fully
    # delivered) or the stale claim again (tpm/jobs.py).
    for item in due:
        jobs.enqueue(
            deliver_schedule_period,
            item.schedule_id,
            item.period.isoformat(),
            keep=False,
            **_same_queue(self),
        )
    for delivery_id in delivery.stale_claims(now):
        jobs.enqueue(send_delivery, delivery_id, keep=False, **_same_queue(self))
    return len(due)


@shared_task(
    bind=True, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3
)
def deliver_schedule_period(self: Task, schedule_id: int, period: str) -> int:
    """Generate the period's report once and queue a send per recipient not yet served."""
    pending = delivery.prepare_period(schedule_id, date.fromisoformat(period))
    for delivery_id in pending:
        # refused: the due job queues this period again while a delivery is pending
        jobs.enqueue(send_delivery, delivery_id, keep=False, **_same_queue(self))
    return len(pending)


@shared_task(bind=True, acks_late=True, max_retries=delivery.MAX_ATTEMPTS - 1)
def send_delivery(self: Task, delivery_id: int) -> str:
    """Send one email; on a mail failure retry with back-off (1, 2, 4, 8 minutes). A delivery
    another worker is sending is left to it (in-progress)."""
    final = self.request.retries >= self.max_retries
    outcome = delivery.delivery_send(delivery_id, final=final)
    # In-process (eager) runs retry at once: Celery's eager retry would abort the caller.
    while outcome == delivery.SendOutcome.RETRY and self.request.is_eager:
        outcome = delivery.delivery_send(delivery_id, final=False)
    if outcome == delivery.SendOutcome.RETRY:
        raise self.retry(countdown=60 * 2**self.request.retries)
    return outcome


@shared_task(acks_late=True)
def refresh_cost_figures() -> int:
    """The beat job (tpm/periodic.py): store the cost figures of every project whose figures
    changed or are of an earlier day (reports/sources/cost.py `refresh`). Idempotent."""
    from .sources import cost

    return cost.refresh_all(today=timezone.localdate())

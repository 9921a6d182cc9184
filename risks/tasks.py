"""Celery jobs of the register: thin, idempotent (see risks/escalation.py)."""

from celery import shared_task
from django.utils import timezone

from . import escalation


@shared_task(acks_late=True)
def escalate_risks() -> int:
    return escalation.risks_escalate()


@shared_task(acks_late=True)
def remind_overdue_reviews() -> int:
    return escalation.reviews_remind_overdue(today=timezone.localdate())


@shared_task(acks_late=True)
def flag_overdue_assumptions() -> int:
    return escalation.assumptions_flag_overdue(today=timezone.localdate())

"""The Celery application. Configuration lives in Django settings under CELERY_*."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpm.settings")

app = Celery("tpm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _pool_child_in_its_own_group(**_: object) -> None:
    """A SIGTERM sent to the worker's whole process group (`make run`'s `kill 0`, a terminal,
    `timeout`) used to kill the pool's children directly; one killed while holding the pool's
    queue lock left the main process waiting for that lock at exit for ever (only SIGKILL
    stopped it). In a group of their own, the children are stopped by the main process alone,
    in its warm shutdown (tests/tpm/test_worker_shutdown.py)."""
    os.setpgid(0, 0)

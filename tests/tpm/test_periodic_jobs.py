"""Every periodic job is listed once, names a real task, and beat installs it."""

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from tpm.celery import app as celery_app
from tpm.periodic import BEAT_SCHEDULE


def test_every_periodic_job_names_a_registered_task():
    celery_app.loader.import_default_modules()
    for name, job in BEAT_SCHEDULE.items():
        assert job["task"] in celery_app.tasks, f"{name} points at an unknown task"


# Beat's scheduler closes connections it finds inside a transaction, so no test transaction here.
@pytest.mark.django_db(transaction=True)
def test_beat_installs_the_jobs_in_the_database():
    # when beat's database scheduler starts
    DatabaseScheduler(app=celery_app)
    # then every job of the one list is stored where admins can edit it
    stored = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(BEAT_SCHEDULE) <= stored

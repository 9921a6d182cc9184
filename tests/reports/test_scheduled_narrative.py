"""A scheduled report does not repeat last period's narrative (issue 22).

It is published and sent on its own, with nobody to read it first: last period's summary,
accomplishments, next steps and asks would go out as if written for this period. It carries this
period's figures and no narrative; the manager's words go out in the reports they publish.
"""

from datetime import time, timedelta

from django.core import mail
from django.utils import timezone

from reports import services
from reports.models import StatusReport
from reports.tasks import send_due_reports
from tests.reports.helpers import plan

OLD_WORDS = {
    "summary": "Vendor contract signed last week",
    "accomplishments": "Migrated the billing database",
    "next_steps": "Start the user acceptance tests",
    "asks": "Approve two more testers",
}


def _published_last_period(world) -> StatusReport:
    report = services.report_create(project=world.project, actor=world.manager, **OLD_WORDS)
    return services.report_publish(report=report, actor=world.manager, version=report.version)


def _due_schedule(world):
    """A weekly schedule to the manager, due an hour ago (it existed before then)."""
    now = timezone.now()
    sent_at = now - timedelta(hours=1)
    schedule = services.schedule_create(
        project=world.project,
        actor=world.manager,
        name="Weekly status",
        frequency="weekly",
        weekday=sent_at.weekday(),
        time_of_day=time(sent_at.hour, sent_at.minute),
        time_zone="UTC",
        starts_on=sent_at.date() - timedelta(days=7),
        recipient_roles=["manager"],
        external_emails="",
        audience="full",
    )
    type(schedule).objects.filter(pk=schedule.pk).update(created_at=now - timedelta(days=1))
    return schedule


def test_a_scheduled_report_goes_out_without_last_periods_words(world):
    # given last period's report, published with its narrative, and a schedule now due
    plan(world.project, today=timezone.localdate())
    last = _published_last_period(world)
    schedule = _due_schedule(world)

    # when the beat job runs
    assert send_due_reports.delay().get() == 1

    # then this period's report has this period's figures and no narrative
    report = StatusReport.objects.get(schedule=schedule)
    assert report.pk != last.pk and report.is_published
    assert [getattr(report, name) for name in OLD_WORDS] == ["", "", "", ""]
    # and the email sent does not repeat a word of last period's narrative
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert "Health" in html
    for words in OLD_WORDS.values():
        assert words not in html
        assert words not in message.body
    # while last period's report keeps its words
    last.refresh_from_db()
    assert last.summary == OLD_WORDS["summary"]

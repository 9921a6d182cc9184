"""A summary's stored duration becomes the working time its tasks span (issue 22).

`project_reschedule` now stores it with the dates (projects/schedule/rollup.py); this sets it on
the summaries scheduled before, from their stored start and finish, in working minutes of the
summary's calendar (its own, else its project's, else the organisation's default, else the
standard 8-hour day), as the plan page used to compute it on every read. Only the pure timeline
module is used, not the app's services, so later changes to them cannot break this migration.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

from projects.calendars import timeline as pure


def _clock(calendar):
    if calendar is None:
        return pure.WorkingCalendar.standard().timeline()
    week = tuple(
        tuple(pure.WorkingTime.of(start, end) for start, end in hours)
        for hours in calendar.working_week
    )
    exceptions = tuple(
        pure.CalendarException(
            item.first_day,
            item.last_day,
            tuple(pure.WorkingTime.of(s, e) for s, e in item.working_times) if item.working else (),
        )
        for item in calendar.exceptions.order_by("first_day", "pk")
    )
    return pure.WorkingCalendar(week, exceptions, calendar.name).timeline()


def store_summary_spans(apps, schema_editor):
    Task = apps.get_model("projects", "Task")
    WorkCalendar = apps.get_model("projects", "WorkCalendar")
    zone = ZoneInfo(settings.TIME_ZONE)
    clocks = {}
    defaults = {}

    def clock_for(task):
        calendar_id = task.calendar_id or task.project.calendar_id
        if calendar_id is None:
            org = task.project.organisation_id
            if org not in defaults:
                default = WorkCalendar.objects.filter(
                    organisation_id=org, is_organisation_default=True
                ).first()
                defaults[org] = default.pk if default else None
            calendar_id = defaults[org]
        if calendar_id not in clocks:
            calendar = WorkCalendar.objects.get(pk=calendar_id) if calendar_id else None
            clocks[calendar_id] = _clock(calendar)
        return clocks[calendar_id]

    def position(clock, moment):
        return clock.position(moment.astimezone(zone).replace(tzinfo=None))

    summaries = Task.objects.filter(
        is_summary=True, start__isnull=False, finish__isnull=False
    ).select_related("project")
    changed = []
    for task in summaries.iterator(chunk_size=1000):
        clock = clock_for(task)
        span = max(0, position(clock, task.finish) - position(clock, task.start))
        if span != task.duration_minutes:
            task.duration_minutes = span
            changed.append(task)
    Task.objects.bulk_update(changed, ["duration_minutes"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_defaults_for_every_project_and_organisation"),
    ]

    operations = [
        migrations.RunPython(store_summary_spans, migrations.RunPython.noop, elidable=True),
    ]

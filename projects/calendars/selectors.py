"""Which working calendar applies: the one rule, for one task or a whole plan.

A task is measured in its own calendar, else its project's; a project's calendar is its own,
else its organisation's default, else none: the standard 8-hour day (`None` here, which
`schedule.input.engine_calendar` turns into Microsoft Project's Standard calendar).

`task_calendar` answers for one task; `plan_calendars` for any number of tasks of a project in
a fixed number of queries (what the scheduler loads); `day_length` is how many working minutes
"1 day" of a duration is, for the durations module (projects/schedule/durations.py).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from projects.models import CalendarException, Project, Task, WorkCalendar

STANDARD_MINUTES_PER_DAY = 480  # the standard calendar's 08:00-12:00 and 13:00-17:00


def calendars_with_exceptions() -> QuerySet[WorkCalendar]:
    """Calendars with their exceptions in a stable order (a later one overrides an earlier)."""
    ordered = CalendarException.objects.order_by("first_day", "pk")
    return WorkCalendar.objects.prefetch_related(Prefetch("exceptions", queryset=ordered))


def project_calendar(project: Project, *, exceptions: bool = True) -> WorkCalendar | None:
    """The project's own calendar, else its organisation's default, else None (standard).

    Two queries, or one without `exceptions` (enough to measure a day's length).
    """
    calendars = calendars_with_exceptions() if exceptions else WorkCalendar.objects.all()
    if project.calendar_id:
        return calendars.get(pk=project.calendar_id)
    return calendars.filter(
        organisation_id=project.organisation_id, is_organisation_default=True
    ).first()


def applicable_calendar(
    own: WorkCalendar | None, project_calendar: WorkCalendar | None
) -> WorkCalendar | None:
    """The precedence on calendars already loaded: the task's own, else the project's."""
    return own if own is not None else project_calendar


def task_calendar(task: Task, *, project: Project | None = None) -> WorkCalendar | None:
    """The calendar that measures `task`, with its exceptions (two queries).

    `project` spares loading the task's project when the caller has it.
    """
    if task.calendar_id:
        return calendars_with_exceptions().get(pk=task.calendar_id)
    return project_calendar(project or task.project)


def minutes_per_day(calendar: WorkCalendar | None) -> int:
    """Working minutes in "1 day" of a calendar (None: the standard day)."""
    # A stored calendar always has a working day; one without (built in memory) measures
    # like the standard day rather than turning every duration into zero.
    return (calendar.minutes_per_day if calendar is not None else 0) or STANDARD_MINUTES_PER_DAY


def day_length(own: WorkCalendar | None, project: Project) -> int:
    """ "1 day" in working minutes for a task on calendar `own` (None: the project's) in
    `project`; the project's calendar is read (one query) only when it is needed."""
    if own is not None:
        return minutes_per_day(own)
    return minutes_per_day(project_calendar(project, exceptions=False))


def task_day_length(task: Task) -> int:
    """ "1 day" of `task` in working minutes (reads its calendar, or its project's: one query)."""
    return day_length(task.calendar if task.calendar_id else None, task.project)


def task_minutes_per_day(task: Task, project_calendar: WorkCalendar | None) -> int:
    """ "1 day" of `task` when its project's calendar is already loaded (`task.calendar` is read:
    select it with the task to keep a list at a fixed number of queries)."""
    own = task.calendar if task.calendar_id else None
    return minutes_per_day(applicable_calendar(own, project_calendar))


@dataclass(frozen=True)
class PlanCalendars:
    """Every calendar one plan needs: the project's and the tasks' own, by id."""

    project: WorkCalendar | None
    own: dict[int, WorkCalendar] = field(default_factory=dict)

    def for_task(self, calendar_id: int | None) -> WorkCalendar | None:
        """The calendar of a task whose own calendar is `calendar_id` (None: the project's)."""
        own = self.own.get(calendar_id) if calendar_id else None
        return applicable_calendar(own, self.project)

    def minutes_per_day(self, calendar_id: int | None) -> int:
        return minutes_per_day(self.for_task(calendar_id))


def plan_calendars(project: Project, calendar_ids: Iterable[int | None]) -> PlanCalendars:
    """The project's calendar and the tasks' own (`calendar_ids`, None for none), exceptions
    included: two queries, two more when some task has its own calendar."""
    ids = {pk for pk in calendar_ids if pk}
    own = calendars_with_exceptions().filter(pk__in=ids) if ids else []
    return PlanCalendars(project_calendar(project), {calendar.pk: calendar for calendar in own})


@dataclass(frozen=True)
class ProjectsCalendars:
    """The calendars of several projects (None: the standard day) and every calendar loaded
    for them, by id: the projects' own, organisation defaults and the tasks' own."""

    projects: dict[int, WorkCalendar | None]
    by_pk: dict[int, WorkCalendar]


def projects_calendars(
    projects: Sequence[Project], calendar_ids: Iterable[int | None] = ()
) -> ProjectsCalendars:
    """`project_calendar` for any number of projects, plus the tasks' own calendars
    (`calendar_ids`), exceptions included: two queries at most."""
    ids = {p.calendar_id for p in projects if p.calendar_id} | {pk for pk in calendar_ids if pk}
    orgs = {p.organisation_id for p in projects if not p.calendar_id}
    calendars = (
        list(
            calendars_with_exceptions().filter(
                Q(pk__in=ids) | Q(organisation_id__in=orgs, is_organisation_default=True)
            )
        )
        if ids or orgs
        else []
    )
    by_pk = {calendar.pk: calendar for calendar in calendars}
    defaults = {c.organisation_id: c for c in calendars if c.is_organisation_default}
    return ProjectsCalendars(
        {
            p.pk: by_pk[p.calendar_id] if p.calendar_id else defaults.get(p.organisation_id)
            for p in projects
        },
        by_pk,
    )

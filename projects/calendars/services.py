"""Writes to working calendars. Each public function is one transaction.

A calendar decides how long a duration lasts, so every change reschedules the projects whose
dates it can move (through `schedule_services.project_reschedule`): those that use it as their
own calendar, those with tasks on it, and, for the organisation's default calendar, every
project of the organisation without a calendar of its own.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from projects.models import CalendarException, Project, Task, WorkCalendar
from projects.models.calendar import validate_weekdays, validate_working_times
from projects.schedule import services as schedule_services
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Organisation, User

# `working_week` gives each weekday its own hours; `working_weekdays` + `working_times` is the
# older single set of hours for the listed days (still accepted, turned into a week here).
CALENDAR_FIELDS = (
    "name",
    "working_week",
    "working_weekdays",
    "working_times",
    "is_organisation_default",
)
WEEK_FIELDS = ("working_week", "working_weekdays", "working_times")


def _scope(calendar: WorkCalendar) -> str:
    if calendar.project_id:
        return f"project:{calendar.project_id}"
    return f"organisation:{calendar.organisation_id}"


def _record(calendar: WorkCalendar, actor: User, target: Any, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=Organisation.objects.get(pk=calendar.organisation_id),
        target=target,
        action=action,
        scope=_scope(calendar),
        changes=changes,
    )


def projects_using(calendar: WorkCalendar) -> list[Project]:
    """Live projects whose dates depend on `calendar` (as it is in memory)."""
    uses = Q(calendar=calendar) | Q(tasks__calendar=calendar, tasks__deleted_at__isnull=True)
    if calendar.is_organisation_default:
        uses |= Q(organisation_id=calendar.organisation_id, calendar__isnull=True)
    return list(Project.objects.alive().filter(uses).distinct().order_by("pk"))


def _reschedule(*groups: Iterable[Project]) -> None:
    projects = {project.pk: project for group in groups for project in group}
    for pk in sorted(projects):
        schedule_services.project_reschedule(project=projects[pk])


def _check_name(calendar: WorkCalendar) -> None:
    same_owner = (
        Q(project__isnull=True)
        if calendar.project_id is None
        else Q(project_id=calendar.project_id)
    )
    taken = WorkCalendar.objects.filter(
        same_owner, organisation_id=calendar.organisation_id, name__iexact=calendar.name
    ).exclude(pk=calendar.pk)
    if taken.exists():
        raise ValidationError({"name": f"There is already a calendar called “{calendar.name}”."})


def _set_week(calendar: WorkCalendar, changes: dict[str, Any]) -> None:
    """Apply `working_week`, or one set of hours to listed weekdays, to `calendar` in memory.
    Errors name the field that was sent."""
    if "working_week" in changes:
        legacy = sorted(set(changes) & {"working_weekdays", "working_times"})
        if legacy:
            raise ValidationError(
                {
                    "working_week": "Send either each day's hours (working_week) or one set of "
                    f"hours for listed days ({' and '.join(legacy)}), not both."
                }
            )
        calendar.working_week = changes["working_week"]
        return
    weekdays, hours = changes.get("working_weekdays"), changes.get("working_times")
    for field, value, validate in (
        ("working_weekdays", weekdays, validate_weekdays),
        ("working_times", hours, validate_working_times),
    ):
        if value is not None:
            try:
                validate(value)
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from error
    if weekdays == []:
        raise ValidationError({"working_weekdays": "At least one day needs to be a working day."})
    if hours == []:
        raise ValidationError({"working_times": "A working day needs working hours."})
    if weekdays is not None or hours is not None:
        calendar.set_hours(weekdays, hours)


def _take_default(calendar: WorkCalendar) -> list[Project]:
    """Make `calendar` the organisation's default: the old one steps down. Returns the
    projects that followed the old default (they now follow this one)."""
    if calendar.project_id:
        raise ValidationError(
            {"is_organisation_default": "A project's own calendar cannot be the default."}
        )
    previous = (
        WorkCalendar.objects.select_for_update()
        .filter(organisation_id=calendar.organisation_id, is_organisation_default=True)
        .exclude(pk=calendar.pk)
        .first()
    )
    if previous is None:
        return []
    followers = projects_using(previous)
    previous.is_organisation_default = False
    previous.version += 1
    previous.save(update_fields=["is_organisation_default", "version", "updated_at"])
    return followers


@transaction.atomic
def calendar_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    project: Project | None = None,
    working_week: list[list[list[str]]] | None = None,
    working_weekdays: list[int] | None = None,
    working_times: list[list[str]] | None = None,
    is_organisation_default: bool = False,
) -> WorkCalendar:
    """A calendar for the organisation, or for one of its projects only. Its week is
    `working_week` (each day's hours, Monday first), or `working_times` on each of
    `working_weekdays` (defaults: 08:00-12:00 and 13:00-17:00, Monday to Friday)."""
    if project is not None and project.organisation_id != organisation.pk:
        raise ValidationError({"project": "The project is not in this organisation."})
    calendar = WorkCalendar(
        organisation=organisation,
        project=project,
        name=name.strip(),
        is_organisation_default=is_organisation_default,
    )
    week = (
        ("working_week", working_week),
        ("working_weekdays", working_weekdays),
        ("working_times", working_times),
    )
    _set_week(calendar, {field: value for field, value in week if value is not None})
    _check_name(calendar)
    followers = _take_default(calendar) if is_organisation_default else []
    calendar.full_clean()
    calendar.save()
    _record(calendar, actor, calendar, "created", {"name": [None, calendar.name]})
    _reschedule(followers, projects_using(calendar))
    return calendar


@transaction.atomic
def calendar_update(
    *, calendar: WorkCalendar, actor: User, version: int | None, **changes: Any
) -> WorkCalendar:
    """Rename, change the working week, or make it (or stop it being) the default.

    The week changes by `working_week` (each day's hours), or the older way: `working_times`
    on each working day, and/or `working_weekdays` as the working days (a day that already
    works keeps its hours; a new one gets the ordinary day's, or `working_times`)."""
    unknown = set(changes) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    current = lock_current_version(calendar, version)
    before_users = projects_using(current)
    recorded = [field for field in changes if field not in WEEK_FIELDS]
    if set(changes) & set(WEEK_FIELDS):
        recorded.append("working_week")
    before = history.snapshot(current, recorded)
    for field, value in changes.items():
        if field not in WEEK_FIELDS:
            setattr(current, field, value.strip() if field == "name" else value)
    _set_week(current, changes)
    _check_name(current)
    followers = []
    if changes.get("is_organisation_default") and not before.get("is_organisation_default"):
        followers = _take_default(current)
    current.full_clean()
    diff = history.diff(before, history.snapshot(current, recorded))
    current.version += 1
    current.save()
    if diff:
        _record(current, actor, current, "updated", diff)
        _reschedule(before_users, followers, projects_using(current))
    return current


def _in_use(calendar: WorkCalendar) -> list[str]:
    uses = [f"project {project}" for project in Project.objects.filter(calendar=calendar)[:5]]
    tasks = Task.objects.filter(calendar=calendar).count()
    if tasks:
        uses.append(f"{tasks} task{'s' if tasks != 1 else ''}")
    if (
        calendar.is_organisation_default
        and Project.objects.alive()
        .filter(organisation_id=calendar.organisation_id, calendar__isnull=True)
        .exists()
    ):
        uses.append("the projects that follow the organisation's default")
    return uses


@transaction.atomic
def calendar_delete(*, calendar: WorkCalendar, actor: User) -> None:
    """Delete a calendar nothing uses; one in use is refused, saying what uses it."""
    uses = _in_use(calendar)
    if uses:
        raise ValidationError(
            f"“{calendar.name}” is still used by {', '.join(uses)}. "
            "Move them to another calendar first."
        )
    _record(calendar, actor, calendar, "deleted", {"name": [calendar.name, None]})
    calendar.delete()


def _check_exception(calendar: WorkCalendar, exception: CalendarException) -> None:
    if not exception.working and exception.working_times:
        raise ValidationError(
            {"working_times": "Only a working exception has hours; leave them out for a holiday."}
        )
    overlapping = (
        CalendarException.objects.filter(
            calendar=calendar,
            first_day__lte=exception.last_day,
            last_day__gte=exception.first_day,
        )
        .exclude(pk=exception.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError({"first_day": f"These days overlap “{overlapping}”."})


@transaction.atomic
def exception_add(
    *,
    calendar: WorkCalendar,
    actor: User,
    name: str,
    first_day: date,
    last_day: date | None = None,
    working: bool = False,
    working_times: list[list[str]] | None = None,
) -> CalendarException:
    """A holiday (not working) or a day with other hours, for one day or a range."""
    exception = CalendarException(
        calendar=calendar,
        name=name.strip(),
        first_day=first_day,
        last_day=last_day or first_day,
        working=working,
        working_times=working_times or [],
    )
    exception.full_clean()
    _check_exception(calendar, exception)
    exception.save()
    _record(
        calendar,
        actor,
        calendar,
        "updated",
        {"exception": [None, str(exception)]},
    )
    _reschedule(projects_using(calendar))
    return exception


@transaction.atomic
def exception_remove(*, exception: CalendarException, actor: User) -> None:
    calendar = exception.calendar
    _record(calendar, actor, calendar, "updated", {"exception": [str(exception), None]})
    exception.delete()
    _reschedule(projects_using(calendar))


@transaction.atomic
def project_set_calendar(
    *, project: Project, calendar: WorkCalendar | None, actor: User, version: int | None
) -> Project:
    """Put the project on `calendar` (None: the organisation's default) and reschedule it."""
    current = lock_current_version(project, version)
    if calendar is not None and (
        calendar.organisation_id != current.organisation_id
        or (calendar.project_id is not None and calendar.project_id != current.pk)
    ):
        raise ValidationError(
            {"calendar": "Choose a calendar of this organisation (or of this project)."}
        )
    old = str(current.calendar) if current.calendar_id else None
    current.calendar = calendar
    current.version += 1
    current.save(update_fields=["calendar", "version", "updated_at"])
    history.record(
        actor=actor,
        organisation=current.organisation,
        target=current,
        action="updated",
        scope=f"project:{current.pk}",
        changes={"calendar": [old, str(calendar) if calendar else None]},
    )
    schedule_services.project_reschedule(project=current)
    return current

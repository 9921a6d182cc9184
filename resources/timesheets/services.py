"""Writes for time worked: fill a week, submit it, and each project's manager approves, rejects
or reopens the part of it that belongs to their project.

* A person logs time only on tasks (not summaries) of projects where their role may
  (ProjectAction.LOG_TIME). A day never holds more than 24 hours across all their entries, and
  submitted or approved time is locked (resources/timesheets/grid.py says so cell by cell).
* Approval is per project, person and week (a week may span projects). Approved entries are
  locked; the manager may reopen them (back to draft, with a reason), which is recorded in the
  history and tells the person. Rejecting sends submitted time back with a reason.
* Actual cost: approving or reopening recomputes `Task.actual_cost` of the tasks concerned as
  their approved hours x each person's effective rate (resources/evm/costs.py), through
  `projects.plan.services.task_actual_costs_set`, which rolls the summaries up. Expenses are
  not task costs: they count at project level (budget page, earned value). A task nobody ever
  logged time on keeps the actual cost entered or imported for it.
* Progress, when the project chooses it (`ProjectFinance.progress_from_timesheets`): percent
  complete = actual work / (actual work + remaining work), where actual work is the approved
  hours and remaining work is the task's `remaining_hours` when the assignee said so, else the
  planned work (`effort_hours`) less the actual, floored at 0. An estimate running out never
  completes a task by itself (it stops at 99 %): finishing is the assignee's call, or their
  saying 0 hours remain. Completed tasks are left alone.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from projects.access import with_my_role
from projects.models import Project, Task, TaskStatus
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from projects.work.selectors import project_managers
from resources.evm.costs import actual_labour_cost
from resources.models import ProjectFinance, Resource, TimeEntry, TimeEntryStatus, Timesheet
from resources.timesheets import grid
from tpm import history
from tpm.concurrency import lock_current_version, lock_row, lock_rows
from tpm.models import Organisation, User
from tpm.notifications import dedupe_key, notify
from tpm.roles import PROJECT_PERMISSIONS, ProjectAction

CENT = Decimal("0.01")
NOTE_LIMIT = 500
LOGGING_ROLES = [
    role for role, actions in PROJECT_PERMISSIONS.items() if ProjectAction.LOG_TIME in actions
]


def week_label(monday: date) -> str:
    return f"week of {monday.day} {monday:%b %Y}"


def _check_monday(monday: date) -> None:
    if monday.weekday() != 0:
        raise ValidationError(f"A timesheet week starts on a Monday; {monday:%a %d %b} is not one.")


def _lock_week(person: User, organisation: Organisation, day: date) -> None:
    """One writer per person and week, before any of its entries (issue 22): the 24-hour day
    and one entry per task and day are checked under the lock of the person's timesheet row."""
    monday = day - timedelta(days=day.weekday())
    sheet, _ = Timesheet.objects.get_or_create(
        user=person, week_start=monday, defaults={"organisation": organisation}
    )
    lock_rows(Timesheet, [sheet.pk])


def stored_week(person: User, monday: date) -> list[grid.StoredEntry]:
    """Every entry of the person that week, in every project and organisation."""
    rows = TimeEntry.objects.filter(
        user=person, date__range=(monday, monday + timedelta(days=6))
    ).values_list("pk", "task_id", "date", "hours", "note", "status", "review_note")
    return [
        grid.StoredEntry(task_id, day, hours, note, status, pk, reason or "")
        for pk, task_id, day, hours, note, status, reason in rows
    ]


def loggable_tasks(person: User, organisation: Organisation) -> QuerySet[Task]:
    """Tasks of the organisation's live projects the person may log time on (not summaries)."""
    return (
        with_my_role(Task.objects.alive(), person, "project")
        .filter(
            project__organisation=organisation,
            project__deleted_at__isnull=True,
            is_summary=False,
            my_role__in=LOGGING_ROLES,
        )
        .select_related("project")
    )


def _task_problems(
    changes: Sequence[grid.CellChange], person: User, organisation: Organisation
) -> tuple[dict[int, Task], list[grid.Problem]]:
    """The tasks the changes touch, or why the person may not log time on them."""
    ids = {c.task_id for c in changes}
    allowed = {t.pk: t for t in loggable_tasks(person, organisation).filter(pk__in=ids)}
    problems = []
    named = {
        t.pk: t for t in Task.objects.filter(pk__in=ids - set(allowed)).select_related("project")
    }
    for change in changes:
        if change.task_id in allowed:
            continue
        task = named.get(change.task_id)
        if task is not None and task.is_summary and task.project.organisation_id == organisation.pk:
            message = f"“{task.name}” is a summary: log time on the tasks under it."
        else:
            message = (
                "You are not in the project of this task (or your role there does not log "
                "time): time is logged only on tasks of your own projects."
            )
        problems.append(grid.Problem(message, change.task_id, change.day))
    return allowed, problems


def _refuse(problems: Sequence[grid.Problem]) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        errors[problem.key or "__all__"].append(problem.message)
    raise ValidationError(dict(errors))


def _resource_of(person: User, organisation: Organisation) -> Resource | None:
    return Resource.objects.filter(organisation=organisation, user=person).first()


@transaction.atomic
def timesheet_save(
    *,
    person: User,
    organisation: Organisation,
    monday: date,
    cells: Sequence[grid.CellInput],
    actor: User,
) -> list[grid.CellChange]:
    """Store the cells of a week that changed (drafts; a cleared cell deletes its entry).

    Refused as a whole, with one message per cell or day (ValidationError keyed by the cell's
    field name, `h-<task>-<day>`): negative hours, more than 24 hours in a day across all the
    person's entries, locked time, and tasks the person may not log time on.
    """
    _check_monday(monday)
    if actor.pk != person.pk:
        raise ValidationError("People fill in their own timesheets.")
    days = set(grid.week_days(monday))
    outside = [c for c in cells if c.day not in days]
    if outside:
        raise ValidationError(f"{outside[0].day:%d %b %Y} is not in the {week_label(monday)}.")
    _lock_week(person, organisation, monday)  # the week is read and written under it
    stored = stored_week(person, monday)
    labels = dict(Task.objects.filter(pk__in={c.task_id for c in cells}).values_list("pk", "name"))
    changes, problems = grid.check_week(cells, stored, task_labels=labels)
    long_notes = [
        grid.Problem(f"Notes are at most {NOTE_LIMIT} characters.", c.task_id, c.day)
        for c in changes
        if len(c.note) > NOTE_LIMIT
    ]
    tasks, task_problems = _task_problems(changes, person, organisation)
    problems = [*problems, *long_notes, *task_problems]
    if problems:
        _refuse(problems)
    _apply(changes, person, organisation, tasks)  # the week's Timesheet row: `_lock_week`
    return changes


def _apply(
    changes: Sequence[grid.CellChange],
    person: User,
    organisation: Organisation,
    tasks: dict[int, Task],
) -> None:
    deleted = [c.entry_id for c in changes if c.deletes and c.entry_id]
    TimeEntry.objects.filter(pk__in=deleted, user=person).delete()
    updates = {c.entry_id: c for c in changes if c.entry_id and not c.deletes}
    entries = list(TimeEntry.objects.filter(pk__in=updates, user=person))
    for entry in entries:
        change = updates[entry.pk]
        entry.hours, entry.note, entry.status = change.hours, change.note, TimeEntryStatus.DRAFT
        entry.version += 1
    TimeEntry.objects.bulk_update(entries, ["hours", "note", "status", "version", "updated_at"])
    resource = _resource_of(person, organisation)
    new = [c for c in changes if c.entry_id is None and not c.deletes]
    zero = [c for c in new if c.hours == 0]
    if zero:
        _refuse([grid.Problem("A note needs some hours with it.", c.task_id, c.day) for c in zero])
    TimeEntry.objects.bulk_create(
        TimeEntry(
            task=tasks[c.task_id],
            user=person,
            resource=resource,
            date=c.day,
            hours=c.hours,
            note=c.note,
        )
        for c in new
    )


# One entry at a time (the API): a cell of the actor's week, through `timesheet_save` -------------


def _save_entry_cell(task: Task, day: date, hours: Decimal, note: str, actor: User) -> None:
    """The week's refusals of this one cell are about the entry's hours."""
    try:
        timesheet_save(
            person=actor,
            organisation=task.project.organisation,
            monday=day - timedelta(days=day.weekday()),
            cells=[grid.CellInput(task.pk, day, hours, note)],
            actor=actor,
        )
    except ValidationError as error:
        raise ValidationError({"hours": list(error.messages)}) from error


@transaction.atomic(durable=True)
def time_entry_create(
    *, task: Task, day: date, hours: Decimal, note: str, actor: User
) -> TimeEntry:
    """Log the actor's time on a task one day (a draft): one entry per task and day."""
    task = Task.objects.select_related("project__organisation").get(pk=task.pk)
    _lock_week(actor, task.project.organisation, day)
    existing = TimeEntry.objects.filter(task=task, user=actor, date=day).first()
    if existing is not None:
        raise ValidationError(
            {
                "date": f"You logged time on this task that day already (entry {existing.pk}): "
                "change that entry instead."
            }
        )
    if hours == 0:
        raise ValidationError({"hours": "Log more than 0 hours."})
    _save_entry_cell(task, day, hours, note, actor)
    return TimeEntry.objects.get(task=task, user=actor, date=day)


@transaction.atomic(durable=True)
def time_entry_update(
    *, entry: TimeEntry, actor: User, version: int | None, **changes: Any
) -> TimeEntry:
    """Change the hours or note of the actor's own draft (or rejected) entry; refused if stale."""
    unknown = set(changes) - {"hours", "note"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    _lock_week(actor, entry.task.project.organisation, entry.date)  # before the entry's row
    current = lock_current_version(entry, version)
    hours = changes.get("hours", current.hours)
    if hours is not None and hours <= 0:
        message = "Hours must be more than 0; delete the entry to remove the time."
        raise ValidationError({"hours": message})
    _save_entry_cell(entry.task, current.date, hours, changes.get("note", current.note), actor)
    return TimeEntry.objects.get(pk=current.pk)


@transaction.atomic(durable=True)
def time_entry_delete(*, entry: TimeEntry, actor: User) -> None:
    """Remove the actor's own draft (or rejected) entry: its cell of the week cleared."""
    _save_entry_cell(entry.task, entry.date, grid.ZERO, "", actor)


def _week_entries(person: User, monday: date) -> QuerySet[TimeEntry]:
    return TimeEntry.objects.filter(
        user=person, date__range=(monday, monday + timedelta(days=6))
    ).select_related("task__project")


def _record(project: Project, actor: User, sheet: Timesheet, action: str, changes: dict) -> None:
    """In the project's history: whose week it is, and what happened to its time."""
    who = {
        "person": [None, sheet.user.display_name],
        "week": [None, sheet.week_start.isoformat()],
    }
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=sheet,
        action=action,
        scope=f"project:{project.pk}",
        changes={**who, **changes},
    )


def _hours(entries: Iterable[TimeEntry]) -> Decimal:
    return sum((e.hours for e in entries), Decimal(0))


@transaction.atomic
def timesheet_submit(
    *, person: User, organisation: Organisation, monday: date, actor: User
) -> dict[Project, Decimal]:
    """Send the week's draft (and rejected) time in the organisation for approval; each
    project's managers hear about it. Returns the hours submitted per project."""
    _check_monday(monday)
    if actor.pk != person.pk:
        raise ValidationError("People submit their own timesheets.")
    entries = list(
        _week_entries(person, monday).filter(
            task__project__organisation=organisation,
            status__in=[TimeEntryStatus.DRAFT, TimeEntryStatus.REJECTED],
        )
    )
    if not entries:
        raise ValidationError(
            f"Nothing to submit for the {week_label(monday)}: log some time first."
        )
    sheet, _ = Timesheet.objects.get_or_create(
        user=person, week_start=monday, defaults={"organisation": organisation}
    )
    sheet.user = person
    sheet.submitted_at = timezone.now()
    sheet.version += 1
    sheet.save(update_fields=["submitted_at", "version"])
    TimeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=TimeEntryStatus.SUBMITTED, review_note="", updated_at=timezone.now()
    )
    by_project: dict[Project, list[TimeEntry]] = defaultdict(list)
    for entry in entries:
        by_project[entry.task.project].append(entry)
    for project, mine in by_project.items():
        hours = _hours(mine)
        _record(project, actor, sheet, "submitted", {"hours": [None, str(hours)]})
        url = reverse("time-approvals", args=[project.pk])
        for manager in project_managers(project):
            notify(
                recipient=manager,
                organisation=organisation,
                kind="timesheet_submitted",
                title=f"{person.display_name} submitted {grid.hours_text(hours)} h on "
                f"{project.key} ({week_label(monday)})",
                url=url,
                dedupe_key=dedupe_key(
                    "time-submitted", project.pk, person.pk, monday, sheet.version
                ),
            )
    return {project: _hours(mine) for project, mine in by_project.items()}


@dataclass(frozen=True)
class Decision:
    entries: int
    hours: Decimal


def _group(
    project: Project, person: User, monday: date, status: str, entry_ids: Iterable[int] | None
) -> list[TimeEntry]:
    """The person's entries of that week in the project with `status`, exactly those the
    manager saw (`entry_ids`), or a refusal saying the timesheet changed meanwhile."""
    _check_monday(monday)
    lock_row(project)  # approving rewrites the tasks' actual cost: the project comes first
    entries = list(
        TimeEntry.objects.select_for_update(no_key=True)
        .filter(
            user=person,
            task__project=project,
            date__range=(monday, monday + timedelta(days=6)),
            status=status,
        )
        .order_by("pk")
    )
    if not entries:
        state = {"submitted": "waiting for approval", "approved": "approved"}.get(status, status)
        raise ValidationError(
            f"{person.display_name} has no time {state} on {project.key} in the "
            f"{week_label(monday)}."
        )
    if entry_ids is not None and {e.pk for e in entries} != set(entry_ids):
        raise ValidationError(
            f"{person.display_name}'s timesheet for the {week_label(monday)} changed since the "
            "page was opened; nothing was done. Look at it again."
        )
    return entries


def _sheet(person: User, project: Project, monday: date) -> Timesheet:
    sheet, _ = Timesheet.objects.get_or_create(
        user=person, week_start=monday, defaults={"organisation": project.organisation}
    )
    sheet.user = person  # the same person: saves a query when the history names them
    return sheet


def _tell(person: User, project: Project, monday: date, kind: str, title: str, body: str) -> None:
    notify(
        recipient=person,
        organisation=project.organisation,
        kind=kind,
        title=title,
        body=body,
        url=f"{reverse('timesheet')}?week={monday.isoformat()}",
        dedupe_key=dedupe_key(kind, project.pk, person.pk, monday, timezone.now().isoformat()),
    )


@transaction.atomic
def time_approve(
    *,
    project: Project,
    person: User,
    monday: date,
    actor: User,
    entry_ids: Iterable[int] | None = None,
) -> Decision:
    """Approve the person's submitted time on the project that week; it is locked from now on
    and its cost becomes the tasks' actual cost."""
    entries = _group(project, person, monday, TimeEntryStatus.SUBMITTED, entry_ids)
    now = timezone.now()
    TimeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=TimeEntryStatus.APPROVED, approved_by=actor, approved_at=now, updated_at=now
    )
    hours = _hours(entries)
    _record(
        project,
        actor,
        _sheet(person, project, monday),
        "approved",
        {"status": ["submitted", "approved"], "hours": [None, str(hours)]},
    )
    project_actuals_refresh(project=project, task_ids={e.task_id for e in entries}, actor=actor)
    _tell(
        person,
        project,
        monday,
        "timesheet_approved",
        f"Your {grid.hours_text(hours)} h on {project.key} ({week_label(monday)}) were approved",
        f"Approved by {actor.display_name}.",
    )
    return Decision(len(entries), hours)


def _reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError({"reason": "Say why, so the person knows what to change."})
    if len(cleaned) > NOTE_LIMIT:
        raise ValidationError({"reason": f"Keep the reason under {NOTE_LIMIT} characters."})
    return cleaned


@transaction.atomic
def time_reject(
    *,
    project: Project,
    person: User,
    monday: date,
    reason: str,
    actor: User,
    entry_ids: Iterable[int] | None = None,
) -> Decision:
    """Send submitted time back to the person with a reason; they correct and resubmit it."""
    reason = _reason(reason)
    entries = _group(project, person, monday, TimeEntryStatus.SUBMITTED, entry_ids)
    TimeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=TimeEntryStatus.REJECTED, review_note=reason, updated_at=timezone.now()
    )
    hours = _hours(entries)
    _record(
        project,
        actor,
        _sheet(person, project, monday),
        "rejected",
        {
            "status": ["submitted", "rejected"],
            "hours": [None, str(hours)],
            "reason": [None, reason],
        },
    )
    _tell(
        person,
        project,
        monday,
        "timesheet_rejected",
        f"Your time on {project.key} ({week_label(monday)}) was sent back",
        f"{actor.display_name}: {reason}",
    )
    return Decision(len(entries), hours)


@transaction.atomic
def time_reopen(
    *,
    project: Project,
    person: User,
    monday: date,
    reason: str,
    actor: User,
    entry_ids: Iterable[int] | None = None,
) -> Decision:
    """Unlock approved time (back to draft, with the reason): recorded in the history, the
    person is told, and the tasks' actual cost no longer counts it."""
    reason = _reason(reason)
    entries = _group(project, person, monday, TimeEntryStatus.APPROVED, entry_ids)
    TimeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=TimeEntryStatus.DRAFT,
        approved_by=None,
        approved_at=None,
        review_note=reason,
        updated_at=timezone.now(),
    )
    hours = _hours(entries)
    _record(
        project,
        actor,
        _sheet(person, project, monday),
        "reopened",
        {"status": ["approved", "draft"], "hours": [str(hours), None], "reason": [None, reason]},
    )
    project_actuals_refresh(project=project, task_ids={e.task_id for e in entries}, actor=actor)
    _tell(
        person,
        project,
        monday,
        "timesheet_reopened",
        f"Your approved time on {project.key} ({week_label(monday)}) was reopened",
        f"{actor.display_name}: {reason}",
    )
    return Decision(len(entries), hours)


# Actual cost and progress from approved time ------------------------------------------------


def progress_percent(
    *, actual: Decimal, planned: Decimal | None, remaining: Decimal | None
) -> int | None:
    """Percent complete from work: actual / (actual + remaining); None when unknown.

    `remaining` as the assignee said it wins; otherwise planned - actual, floored at 0, and
    then the result stops at 99 (an estimate running out does not finish a task).
    """
    cap = 100
    if remaining is None:
        if planned is None or planned <= 0:
            return None
        remaining = max(planned - actual, Decimal(0))
        cap = 99
    total = actual + remaining
    if total <= 0:
        return None
    percent = int((actual * 100 / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(percent, cap)


def project_actuals_refresh(*, project: Project, task_ids: Iterable[int], actor: User) -> None:
    """Recompute the actual cost (and, when the project chooses, the progress) of these tasks
    from their approved time."""
    ids = set(task_ids)
    if not ids:
        return
    labour = actual_labour_cost(
        TimeEntry.objects.filter(task_id__in=ids, task__project=project), approved_only=True
    )
    costs: dict[int, Decimal | None] = {
        task_id: labour.by_task.get(task_id, Decimal(0)).quantize(CENT) for task_id in ids
    }
    task_services.task_actual_costs_set(project=project, actual_costs=costs, actor=actor)
    finance = ProjectFinance.objects.filter(project=project).first()
    if finance is not None and finance.progress_from_timesheets:
        _progress_refresh(project, ids, actor)


def _progress_refresh(project: Project, ids: set[int], actor: User) -> None:
    totals = list(
        TimeEntry.objects.approved()
        .filter(task_id__in=ids)
        .values("task_id")
        .annotate(hours=Sum("hours"), first=Min("date"))
    )
    worked = {row["task_id"]: row["hours"] for row in totals}
    first_days = {row["task_id"]: row["first"] for row in totals}
    now = timezone.now()
    tasks = Task.objects.alive().filter(project=project, pk__in=ids, is_summary=False)
    for task in tasks.exclude(status=TaskStatus.COMPLETED):
        percent = progress_percent(
            actual=worked.get(task.pk) or Decimal(0),
            planned=task.effort_hours,
            remaining=getattr(task, "remaining_hours", None),
        )
        if percent is None or percent == task.percent_complete:
            continue
        changes = ProgressChanges(percent_complete=percent)
        if task.actual_start is None and task.start and task.start > now:
            # Worked before its scheduled start: it started on the first day logged.
            first = timezone.make_aware(datetime.combine(first_days[task.pk], time(0, 0)))
            changes = replace(changes, actual_start=first)
        task_services.task_update_progress(
            task=task, actor=actor, version=task.version, changes=changes
        )

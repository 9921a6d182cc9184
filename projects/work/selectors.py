"""Reads for the people doing the work: My work, open blockers, comments and attachments on
tasks, calendars and feeds. The writes are in projects/work/services.py and the role check of a
task's discussion in projects/work/access.py.
"""

import calendar as month_calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from projects.access import row_access, with_my_role
from projects.models import Project, Task, TaskStatus
from tpm.models import User
from tpm.models_collab import Attachment, Blocker, Comment
from tpm.roles import ProjectAction, ProjectRole


def task_url(task: Task) -> str:
    return reverse("task-detail", args=[task.project_id, task.pk])


def project_managers(project: Project) -> list[User]:
    """Who hears about a blocked task: the project's managers (org admins when it has none)."""
    managers = list(
        User.objects.filter(
            project_memberships__project=project,
            project_memberships__role=ProjectRole.MANAGER,
            is_active=True,
        ).distinct()
    )
    if managers:
        return managers
    return list(
        User.objects.filter(
            memberships__organisation_id=project.organisation_id, memberships__role="admin"
        ).distinct()
    )


# My work ----------------------------------------------------------------------------------


@dataclass
class WorkItem:
    task: Task
    due: date | None
    blocker: Blocker | None
    can_plan: bool


@dataclass
class MyWork:
    overdue: list[WorkItem] = field(default_factory=list)
    this_week: list[WorkItem] = field(default_factory=list)
    later: list[WorkItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.later)

    def groups(self) -> list[tuple[str, str, list[WorkItem]]]:
        return [
            ("overdue", "Overdue", self.overdue),
            ("this-week", "This week", self.this_week),
            ("later", "Later", self.later),
        ]


def due_date(task: Task) -> date | None:
    """The earlier of the planned finish and the deadline."""
    finish = timezone.localdate(task.finish) if task.finish else None
    dates = [d for d in (finish, task.deadline) if d is not None]
    return min(dates) if dates else None


def my_tasks(user: User) -> QuerySet[Task]:
    """Open tasks assigned to the user in live projects they still have a role in."""
    return (
        with_my_role(Task.objects.alive(), user, "project")
        .filter(assignees=user, project__deleted_at__isnull=True, is_summary=False)
        .exclude(status=TaskStatus.COMPLETED)
        .select_related("project")
    )


def open_blockers(task_ids: Iterable[int]) -> dict[int, Blocker]:
    ids = list(task_ids)
    if not ids:
        return {}
    rows = Blocker.objects.filter(
        target_type=ContentType.objects.get_for_model(Task),
        target_id__in=ids,
        cleared_at__isnull=True,
    )
    return {row.target_id: row for row in rows}


def due_group(due: date | None, today: date) -> str:
    """Which group of My work a task due on `due` belongs in: "overdue" before today,
    "this-week" from today to Sunday (on a Sunday: today only), "later" after that or undated.
    Every task lands in exactly one group, whatever the weekday."""
    if due is None:
        return "later"
    if due < today:
        return "overdue"
    week_end = today + timedelta(days=6 - today.weekday())  # weekday(): Monday 0 .. Sunday 6
    return "this-week" if due <= week_end else "later"


def my_work(user: User, today: date | None = None) -> MyWork:
    """Grouped by when it is due; a fixed number of queries however many tasks."""
    today = today or timezone.localdate()
    tasks = list(my_tasks(user))
    blockers = open_blockers(task.pk for task in tasks)
    work = MyWork()
    items = []
    for task in tasks:
        can_plan = row_access(task).can(ProjectAction.PLAN)
        items.append(WorkItem(task, due_date(task), blockers.get(task.pk), can_plan))
    items.sort(key=lambda item: (item.due or date.max, item.task.project.key, item.task.pk))
    groups = {"overdue": work.overdue, "this-week": work.this_week, "later": work.later}
    for item in items:
        groups[due_group(item.due, today)].append(item)
    return work


# Comments and attachments on a task --------------------------------------------------------


def task_comments(task: Task) -> QuerySet[Comment]:
    return Comment.objects.filter(
        target_type=ContentType.objects.get_for_model(Task), target_id=task.pk
    ).select_related("author")


def task_attachments(task: Task) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        target_type=ContentType.objects.get_for_model(Task), target_id=task.pk
    ).select_related("uploaded_by")


def comment_of_task(task: Task, comment_id: int) -> Comment:
    comment = task_comments(task).filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment on this task.")
    return comment


def attachment_of_task(task: Task, attachment_id: int) -> Attachment:
    attachment = task_attachments(task).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment on this task.")
    return attachment


# Calendars --------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    starts: list[Task] = field(default_factory=list)
    due: list[Task] = field(default_factory=list)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def tasks_in_range(tasks: QuerySet[Task], first: date, last: date) -> QuerySet[Task]:
    """Tasks that start or finish (or have a deadline) between `first` and `last`."""
    return tasks.filter(
        Q(start__date__range=(first, last))
        | Q(finish__date__range=(first, last))
        | Q(deadline__range=(first, last))
    ).select_related("project")


def month_grid(tasks: Iterable[Task], year: int, month: int) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the tasks starting and due on it."""
    cal = month_calendar.Calendar(firstweekday=0)
    days: dict[date, Day] = {}
    weeks: list[list[Day]] = []
    for week in cal.monthdatescalendar(year, month):
        row = [Day(d, d.month == month) for d in week]
        for cell in row:
            days[cell.day] = cell
        weeks.append(row)
    for task in tasks:
        start = timezone.localdate(task.start) if task.start else None
        due = due_date(task)
        if start is not None and start in days and not task.is_milestone and start != due:
            days[start].starts.append(task)
        if due is not None and due in days:
            days[due].due.append(task)
    return weeks

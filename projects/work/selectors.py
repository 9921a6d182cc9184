"""Reads for the people doing the work: My work, open blockers, comments and attachments on
tasks, calendars and feeds. The writes are in projects/work/services.py and the role check of a
task's discussion in projects/work/access.py.
"""

import calendar as month_calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Least, TruncDate
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


# My work's groups, in order: key (also the URL's `group`) and heading.
GROUPS = (("overdue", "Overdue"), ("this-week", "This week"), ("later", "Later"))
# Rows of a group the page shows at first and per "show more": the page's size stays bounded
# (issue 14: 545 open tasks made 2.3 MB of HTML) while each group's total stays visible.
PAGE_SIZE = 20


@dataclass
class WorkGroup:
    key: str
    label: str
    total: int
    items: list[WorkItem]
    offset: int = 0  # position of items[0] in the whole group

    @property
    def shown(self) -> int:
        """How many of the group's rows the page holds after these."""
        return self.offset + len(self.items)

    @property
    def remaining(self) -> int:
        return max(self.total - self.shown, 0)

    @property
    def next_count(self) -> int:
        return min(self.remaining, PAGE_SIZE)


@dataclass
class MyWork:
    overdue: list[WorkItem] = field(default_factory=list)
    this_week: list[WorkItem] = field(default_factory=list)
    later: list[WorkItem] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # group key -> all its open tasks

    @property
    def count(self) -> int:
        return sum(self.totals.values())

    def groups(self) -> list[tuple[str, str, list[WorkItem]]]:
        return [
            ("overdue", "Overdue", self.overdue),
            ("this-week", "This week", self.this_week),
            ("later", "Later", self.later),
        ]

    def sections(self) -> list[WorkGroup]:
        """The groups with their totals, for a page that shows only the first rows of each."""
        return [
            WorkGroup(key, label, self.totals.get(key, 0), items)
            for key, label, items in self.groups()
        ]


def due_date(task: Task) -> date | None:
    """The earlier of the planned finish and the deadline."""
    finish = timezone.localdate(task.finish) if task.finish else None
    dates = [d for d in (finish, task.deadline) if d is not None]
    return min(dates) if dates else None


def _due_on() -> Any:
    """`due_date` in SQL: the earlier of the finish's local day and the deadline (either may
    be missing; LEAST skips NULLs on PostgreSQL only, hence the COALESCEs)."""
    finish_day = TruncDate("finish", tzinfo=timezone.get_current_timezone())
    return Least(Coalesce(finish_day, F("deadline")), Coalesce(F("deadline"), finish_day))


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


def _group_filters(today: date) -> dict[str, Q]:
    """`due_group` as filters on the `due_on` annotation (the same bounds)."""
    week_end = today + timedelta(days=6 - today.weekday())
    return {
        "overdue": Q(due_on__lt=today),
        "this-week": Q(due_on__gte=today, due_on__lte=week_end),
        "later": Q(due_on__gt=week_end) | Q(due_on__isnull=True),
    }


def _items(rows: list[Task], blockers: dict[int, Blocker]) -> list[WorkItem]:
    """Rows of `_group_rows` (annotated with `due_on` and the caller's role) as work items."""
    return [
        WorkItem(
            task,
            task.due_on,  # type: ignore[attr-defined]
            blockers.get(task.pk),
            row_access(task).can(ProjectAction.PLAN),
        )
        for task in rows
    ]


def _group_rows(
    user: User, key: str, today: date, offset: int, limit: int | None
) -> QuerySet[Task]:
    rows = (
        my_tasks(user)
        .annotate(due_on=_due_on())
        .filter(_group_filters(today)[key])
        .order_by(F("due_on").asc(nulls_last=True), "project__key", "pk")
    )
    return rows[offset : None if limit is None else offset + limit]


def my_work(
    user: User,
    today: date | None = None,
    *,
    limit: int | None = None,
    limits: dict[str, int] | None = None,
) -> MyWork:
    """Grouped by when it is due (each group sorted by due date, project, task), with every
    group's total; `limit` keeps the first rows of each group (`limits` per group key).

    A fixed number of queries however many tasks: the totals, then one per non-empty group,
    then the open blockers of the rows kept. The rows are cut in SQL, so the work per request
    is bounded by `limit`, not by the person's open tasks."""
    today = today or timezone.localdate()
    filters = _group_filters(today)
    totals = (
        my_tasks(user)
        .alias(due_on=_due_on())
        .aggregate(**{key: Count("pk", filter=q) for key, q in filters.items()})
    )
    limits = limits or {}
    work = MyWork(totals={key: totals[key] or 0 for key, _ in GROUPS})
    # one blocker query for all groups: load the rows first, then the blockers of them all
    loaded = {
        key: list(_group_rows(user, key, today, 0, limits.get(key, limit)))
        for key, _ in GROUPS
        if work.totals[key]
    }
    blockers = open_blockers(task.pk for rows in loaded.values() for task in rows)
    lists = {"overdue": work.overdue, "this-week": work.this_week, "later": work.later}
    for key, rows in loaded.items():
        lists[key].extend(_items(rows, blockers))
    return work


def my_work_group(
    user: User, key: str, offset: int, today: date | None = None, limit: int = PAGE_SIZE
) -> WorkGroup:
    """The next rows of one group ("show more"), with the group's total: three queries."""
    today = today or timezone.localdate()
    label = dict(GROUPS)[key]
    q = _group_filters(today)[key]
    total = my_tasks(user).alias(due_on=_due_on()).filter(q).count()
    rows = list(_group_rows(user, key, today, offset, limit))
    items = _items(rows, open_blockers(task.pk for task in rows))
    return WorkGroup(key, label, total, items, offset)


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

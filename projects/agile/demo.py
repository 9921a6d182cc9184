"""The board and sprints of the demo's agile and hybrid projects, for `manage.py seed_demo`.

Runs after the plans are seeded (and progress caught up to today): each leaf task gets a type,
priority, story points and labels; past two-week sprints are closed with a daily snapshot each
(done points follow the tasks' finish dates), so velocity, burndown and burnup show real data;
the sprint under way is active and the next one planned.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from projects.agile.services.workflow import ensure_workflow, first_of_category
from projects.models import (
    Label,
    Methodology,
    Project,
    Sprint,
    SprintSnapshot,
    SprintState,
    StatusCategory,
    Task,
    TaskStatus,
)
from tpm.demo import DemoPeople

SPRINT_DAYS = 14
POINTS = (1, 2, 3, 5, 8, 3, 2, 5)
TYPES = ("story", "task", "story", "bug", "chore", "story")
PRIORITIES = ("high", "medium", "medium", "low", "urgent", "medium")
LABELS = (
    ("frontend", "#1d4ed8"),
    ("backend", "#047857"),
    ("ux", "#b45309"),
    ("tech-debt", "#6b7280"),
)


def seed_agile(projects: list[Project], people: DemoPeople, today: date) -> int:
    """Sprints for every agile or hybrid demo project. Returns how many sprints were made."""
    count = 0
    for project in projects:
        statuses = ensure_workflow(project)
        if project.methodology == Methodology.WATERFALL or project.start_date is None:
            continue
        labels = [Label.objects.create(project=project, name=n, colour=c) for n, c in LABELS]
        leaves = list(
            Task.objects.alive()
            .filter(project=project, is_summary=False, is_milestone=False)
            .order_by("outline_key")
        )
        _classify(leaves, labels, statuses)
        count += _sprints(project, leaves, today)
    return count


def _classify(tasks: list[Task], labels: list[Label], statuses: list) -> None:
    first = first_of_category(statuses)
    review = next((s for s in statuses if s.name == "In review"), None)
    category = {
        TaskStatus.NOT_STARTED: StatusCategory.TO_DO,
        TaskStatus.IN_PROGRESS: StatusCategory.IN_PROGRESS,
        TaskStatus.COMPLETED: StatusCategory.DONE,
    }
    tagged = Task.labels.through
    links = []
    for n, task in enumerate(tasks):
        task.task_type = TYPES[n % len(TYPES)]
        task.priority = PRIORITIES[n % len(PRIORITIES)]
        task.story_points = POINTS[n % len(POINTS)]
        task.rank = (n + 1) * 1024
        task.workflow_status = first[category[task.status]]  # type: ignore[index]
        if review is not None and task.status == TaskStatus.IN_PROGRESS and n % 2:
            task.workflow_status = review
        links.append(tagged(task_id=task.pk, label_id=labels[n % len(labels)].pk))
    Task.objects.bulk_update(
        tasks, ["task_type", "priority", "story_points", "rank", "workflow_status"]
    )
    tagged.objects.bulk_create(links)


def _day(task: Task, field: str) -> date | None:
    value = getattr(task, field)
    return timezone.localtime(value).date() if value else None


def _sprints(project: Project, tasks: list[Task], today: date) -> int:
    assert project.start_date is not None
    start, number, made = project.start_date, 1, 0
    pool = list(tasks)
    while start <= today + timedelta(days=SPRINT_DAYS) and pool:
        end = start + timedelta(days=SPRINT_DAYS - 1)
        state = (
            SprintState.CLOSED
            if end < today
            else SprintState.ACTIVE
            if start <= today
            else SprintState.PLANNED
        )
        # The sprint holds the work planned to finish in its fortnight.
        chosen = [t for t in pool if (_day(t, "finish") or end) <= end][:12]
        if not chosen:
            chosen = pool[:6]
        pool = [t for t in pool if t not in chosen]
        sprint = Sprint.objects.create(
            project=project,
            name=f"Sprint {number}",
            goal=f"Deliver {chosen[0].name.lower()}",
            start_date=start,
            end_date=end,
            state=state,
            capacity_points=30,
            capacity_hours=None,
        )
        Task.objects.filter(pk__in=[t.pk for t in chosen]).update(sprint=sprint)
        if state != SprintState.PLANNED:
            _history(sprint, chosen, min(end, today))
        made += 1
        number += 1
        start = end + timedelta(days=1)
    return made


def _history(sprint: Sprint, tasks: list[Task], last: date) -> None:
    """A snapshot for every day of the sprint so far; done points follow actual finishes."""
    total = sum(t.story_points or 0 for t in tasks)
    snapshots = []
    day = sprint.start_date
    while day <= last:
        done = [
            t
            for t in tasks
            if t.status == TaskStatus.COMPLETED and (_day(t, "actual_finish") or day) <= day
        ]
        snapshots.append(
            SprintSnapshot(
                sprint=sprint,
                day=day,
                total_points=total,
                done_points=sum(t.story_points or 0 for t in done),
                total_tasks=len(tasks),
                done_tasks=len(done),
            )
        )
        day += timedelta(days=1)
    SprintSnapshot.objects.bulk_create(snapshots)
    zone = timezone.get_current_timezone()
    sprint.committed_points = total
    sprint.started_at = datetime.combine(sprint.start_date, time(9), zone)
    if sprint.state == SprintState.CLOSED:
        sprint.completed_points = snapshots[-1].done_points if snapshots else 0
        sprint.closed_at = datetime.combine(sprint.end_date, time(17), zone)
        # Unfinished work went back to the backlog when the sprint closed.
        unfinished = [t.pk for t in tasks if t.status != TaskStatus.COMPLETED]
        Task.objects.filter(pk__in=unfinished).update(sprint=None)
    sprint.save()

"""Reads for the board and the backlog: flat rows in a fixed number of queries.

The board of 3,000 cards is seven queries whatever its size: the statuses, the cards (plain
values, not model instances), their assignees, their labels, the cards held up by an
unfinished predecessor, and the filters' choices (people, labels, sprints).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, F, IntegerField, QuerySet, When

from projects.agile.selectors.workflow import workflow_statuses
from projects.agile.services.board import GAP, column_counts
from projects.agile.services.workflow import effective_status_id, first_of_category
from projects.models import (
    PRIORITY_ORDER,
    Dependency,
    Label,
    Project,
    ProjectMembership,
    Sprint,
    SprintState,
    Task,
    TaskPriority,
    TaskStatus,
    TaskType,
    WorkflowStatus,
)

SWIMLANES = {
    "none": "No swimlanes",
    "assignee": "Assignee",
    "parent": "Phase / epic",
    "priority": "Priority",
}
CARD_FIELDS = (
    "pk",
    "wbs_code",
    "name",
    "status",
    "workflow_status_id",
    "task_type",
    "priority",
    "story_points",
    "deadline",
    "finish",
    "version",
    "parent_id",
    "parent__name",
    "parent__wbs_code",
    "sprint_id",
    "percent_complete",
)


@dataclass
class BoardFilters:
    assignee: int | None = None  # a user id; 0: nobody assigned
    task_type: str = ""
    label: int | None = None
    sprint: int | None = None  # a sprint id; 0: the backlog (no sprint)
    swimlane: str = "none"

    @property
    def narrows(self) -> bool:
        """True when some cards of the project are left out (swimlanes leave none out)."""
        return any(
            value not in (None, "")
            for value in (self.assignee, self.task_type, self.label, self.sprint)
        )

    def query(self) -> dict[str, Any]:
        return {
            "assignee": self.assignee,
            "type": self.task_type,
            "label": self.label,
            "sprint": self.sprint,
            "swimlane": self.swimlane,
        }


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def read_filters(params: Any) -> BoardFilters:
    """Filters from a query string; values that mean nothing are ignored, never an error."""
    task_type = params.get("type", "")
    swimlane = params.get("swimlane", "none")
    return BoardFilters(
        assignee=_int(params.get("assignee")),
        task_type=task_type if task_type in TaskType.values else "",
        label=_int(params.get("label")),
        sprint=_int(params.get("sprint")),
        swimlane=swimlane if swimlane in SWIMLANES else "none",
    )


def ranked(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """Board and backlog order: rank; a never-ordered task (rank 0) by when it was created."""
    return queryset.annotate(
        order_rank=Case(
            When(rank=0, then=F("pk") * GAP), default=F("rank"), output_field=IntegerField()
        )
    ).order_by("order_rank", "pk")


def _cards(project: Project, filters: BoardFilters) -> QuerySet:
    tasks = Task.objects.alive().filter(project=project, is_summary=False)
    if filters.assignee == 0:
        tasks = tasks.filter(assignees__isnull=True)
    elif filters.assignee:
        tasks = tasks.filter(assignees=filters.assignee)
    if filters.task_type:
        tasks = tasks.filter(task_type=filters.task_type)
    if filters.label:
        tasks = tasks.filter(labels=filters.label)
    if filters.sprint == 0:
        tasks = tasks.filter(sprint__isnull=True)
    elif filters.sprint:
        tasks = tasks.filter(sprint=filters.sprint)
    return ranked(tasks)


# The three lookups below read a whole project's rows with a plain join rather than
# `task_id IN (<the cards' query>)`: SQLite re-runs such a subquery slowly (0.7 s at 3,000 cards),
# and a project holds few more rows than its board shows.


def card_people(project_id: int) -> dict[int, list[dict[str, Any]]]:
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    through = Task.assignees.through.objects.filter(task__project_id=project_id)
    for task_id, user_id, full_name, email in through.values_list(
        "task_id", "user_id", "user__full_name", "user__email"
    ).order_by("user__full_name", "user__email"):
        people[task_id].append({"id": user_id, "name": full_name or email})
    return people


def card_labels(project_id: int) -> dict[int, list[dict[str, Any]]]:
    labels: dict[int, list[dict[str, Any]]] = defaultdict(list)
    through = Task.labels.through.objects.filter(task__project_id=project_id)
    for task_id, label_id, name, colour in through.values_list(
        "task_id", "label_id", "label__name", "label__colour"
    ).order_by("label__name"):
        labels[task_id].append({"id": label_id, "name": name, "colour": colour})
    return labels


def blocked_ids(project_id: int) -> dict[int, list[str]]:
    """Tasks with an unfinished predecessor, and the predecessors' names."""
    blocked: dict[int, list[str]] = defaultdict(list)
    links = Dependency.objects.filter(
        successor__project_id=project_id, predecessor__deleted_at__isnull=True
    ).exclude(predecessor__status=TaskStatus.COMPLETED)
    for successor_id, name in links.values_list("successor_id", "predecessor__name"):
        blocked[successor_id].append(name)
    return blocked


@dataclass
class Column:
    status: WorkflowStatus
    cards: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0  # cards of this status in every lane (what the WIP limit counts)

    @property
    def over_limit(self) -> bool:
        return bool(self.status.wip_limit) and self.total > (self.status.wip_limit or 0)


@dataclass
class Lane:
    key: str
    title: str
    columns: list[Column]

    @property
    def size(self) -> int:
        return sum(len(column.cards) for column in self.columns)


@dataclass
class Board:
    project: Project
    statuses: list[WorkflowStatus]
    lanes: list[Lane]
    totals: dict[int, int]  # cards per status across lanes (for WIP)
    filters: BoardFilters
    people: list[dict[str, Any]]
    labels: list[Label]
    sprints: list[Sprint]
    shown: int = 0  # cards the filters let through (each once, whatever its lanes)

    @property
    def card_count(self) -> int:
        return self.shown


def _lane_keys(card: dict[str, Any], swimlane: str) -> list[tuple[str, str]]:
    if swimlane == "assignee":
        people = card["assignees"]
        return [(f"user-{p['id']}", p["name"]) for p in people[:1]] or [("user-0", "Unassigned")]
    if swimlane == "parent":
        if card["parent_id"] is None:
            return [("parent-0", "No phase or epic")]
        title = f"{card['parent__wbs_code']} {card['parent__name']}".strip()
        return [(f"parent-{card['parent_id']}", title)]
    if swimlane == "priority":
        return [(f"priority-{card['priority']}", TaskPriority(card["priority"]).label)]
    return [("all", "")]


def _lane_order(key: str, swimlane: str) -> tuple:
    if swimlane == "priority":
        return (PRIORITY_ORDER.get(key.removeprefix("priority-"), 99),)
    return (key.endswith("-0"),)  # "nobody" / "no parent" lanes last, else first-seen order


def board(project: Project, filters: BoardFilters, today: date) -> Board:
    statuses = workflow_statuses(project)
    by_id = {status.pk: status for status in statuses}
    first = first_of_category(statuses)
    cards_qs = _cards(project, filters)
    rows = list(cards_qs.values(*CARD_FIELDS))
    people, labels = card_people(project.pk), card_labels(project.pk)
    blocked = blocked_ids(project.pk)
    lanes: dict[str, Lane] = {}
    totals = dict.fromkeys(by_id, 0)
    shown = 0
    index_of = {status.pk: index for index, status in enumerate(statuses)}
    key = project.key
    for row in rows:
        column_id = effective_status_id(row["workflow_status_id"], row["status"], by_id, first)
        if column_id is None:
            continue
        row["key"] = f"{key} {row['wbs_code']}".strip()
        row["assignees"] = people.get(row["pk"], [])
        row["labels"] = labels.get(row["pk"], [])
        row["blocked_by"] = blocked.get(row["pk"], [])
        row["column_id"] = column_id
        due = row["deadline"] or (row["finish"].date() if row["finish"] else None)
        row["due"] = due
        row["overdue"] = bool(due and due < today and row["status"] != TaskStatus.COMPLETED)
        row["type_label"] = TaskType(row["task_type"]).label
        totals[column_id] += 1
        shown += 1
        for lane_key, title in _lane_keys(row, filters.swimlane):
            lane = lanes.get(lane_key)
            if lane is None:
                lane = lanes[lane_key] = Lane(lane_key, title, [Column(s) for s in statuses])
            lane.columns[index_of[column_id]].cards.append(row)
    if not lanes:
        lanes["all"] = Lane("all", "", [Column(s) for s in statuses])
    if filters.narrows:
        # A WIP limit counts every card of the column, not only the ones a filter shows.
        totals = column_counts(project.pk, statuses)
    for lane in lanes.values():
        for column in lane.columns:
            column.total = totals[column.status.pk]
    ordered = sorted(lanes.values(), key=lambda lane: _lane_order(lane.key, filters.swimlane))
    return Board(
        project=project,
        statuses=statuses,
        lanes=ordered,
        totals=totals,
        filters=filters,
        people=project_people(project),
        labels=list(Label.objects.filter(project=project)),
        sprints=list(Sprint.objects.filter(project=project).exclude(state=SprintState.CLOSED)),
        shown=shown,
    )


def project_people(project: Project) -> list[dict[str, Any]]:
    rows = ProjectMembership.objects.filter(project=project).values_list(
        "user_id", "user__full_name", "user__email"
    )
    return sorted(
        ({"id": pk, "name": name or email} for pk, name, email in rows),
        key=lambda person: person["name"].lower(),
    )


def card(project: Project, task_id: int) -> dict[str, Any] | None:
    """One card as the board shows it (the answer to a move)."""
    statuses = workflow_statuses(project)
    by_id = {status.pk: status for status in statuses}
    row = Task.objects.filter(pk=task_id).values(*CARD_FIELDS).first()
    if row is None:
        return None
    column_id = effective_status_id(
        row["workflow_status_id"], row["status"], by_id, first_of_category(statuses)
    )
    return {
        "id": row["pk"],
        "version": row["version"],
        "status": column_id,
        "status_name": by_id[column_id].name if column_id else None,
        "percent_complete": row["percent_complete"],
        "task_status": row["status"],
    }

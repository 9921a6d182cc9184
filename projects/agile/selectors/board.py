"""Reads for the board and the backlog: flat rows in a fixed number of queries.

The board of 3,000 cards is a fixed number of queries whatever its size, and renders only the
first cards of each column (lazy columns): every card of the project is read as a light row
(its column, points and lane), so counts and point totals are exact, and only the cards shown
are read in full, with their assignees, labels and blockers (`card_details`). "Show more"
(`board_cell`) reads the next cards of one column of one lane the same way.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, F, IntegerField, QuerySet, When

from projects.agile.selectors.workflow import workflow_statuses
from projects.agile.services.board import GAP, column_totals
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

PAGE = 25  # cards a column of a lane shows at first, and each "show more" adds
MIN_PAGE = 5  # with many lanes a column still shows this many, while the budget lasts
BUDGET = 200  # cards the page renders at most at first, over every lane and column
MAX_PAGE = 500  # `?cards=` (the no-script "show more") asks at most this many per column
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

    def encoded(self) -> str:
        """The filters as a query string (empty ones left out), for "show more" links."""
        given = self.query()
        return urlencode(
            {
                name: value
                for name, value in given.items()
                if value not in (None, "") and (name, value) != ("swimlane", "none")
            }
        )

    def query(self) -> dict[str, Any]:
        return {
            "assignee": self.assignee,
            "type": self.task_type,
            "label": self.label,
            "sprint": self.sprint,
            "swimlane": self.swimlane,
        }


def as_int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def read_filters(params: Any) -> BoardFilters:
    """Filters from a query string; values that mean nothing are ignored, never an error."""
    task_type = params.get("type", "")
    swimlane = params.get("swimlane", "none")
    return BoardFilters(
        assignee=as_int(params.get("assignee")),
        task_type=task_type if task_type in TaskType.values else "",
        label=as_int(params.get("label")),
        sprint=as_int(params.get("sprint")),
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


# The lookups below take the ids of the cards shown (a few hundred at most) or, without ids, a
# whole project's rows by a plain join rather than `task_id IN (<the cards' query>)`: SQLite
# re-runs such a subquery slowly (0.7 s at 3,000 cards).


def _of(queryset: QuerySet, field: str, project_id: int, ids: Collection[int] | None) -> QuerySet:
    if ids is None:
        return queryset.filter(**{f"{field}__project_id": project_id})
    return queryset.filter(**{f"{field}_id__in": list(ids)})


def card_people(
    project_id: int, ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    through = _of(Task.assignees.through.objects.all(), "task", project_id, ids)
    for task_id, user_id, full_name, email in through.values_list(
        "task_id", "user_id", "user__full_name", "user__email"
    ).order_by("user__full_name", "user__email"):
        people[task_id].append({"id": user_id, "name": full_name or email})
    return people


def card_labels(
    project_id: int, ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    labels: dict[int, list[dict[str, Any]]] = defaultdict(list)
    through = _of(Task.labels.through.objects.all(), "task", project_id, ids)
    for task_id, label_id, name, colour in through.values_list(
        "task_id", "label_id", "label__name", "label__colour"
    ).order_by("label__name"):
        labels[task_id].append({"id": label_id, "name": name, "colour": colour})
    return labels


def blocked_ids(project_id: int, ids: Collection[int] | None = None) -> dict[int, list[str]]:
    """Tasks with an unfinished predecessor, and the predecessors' names."""
    blocked: dict[int, list[str]] = defaultdict(list)
    links = _of(Dependency.objects.all(), "successor", project_id, ids)
    links = links.filter(predecessor__deleted_at__isnull=True).exclude(
        predecessor__status=TaskStatus.COMPLETED
    )
    for successor_id, name in links.values_list("successor_id", "predecessor__name"):
        blocked[successor_id].append(name)
    return blocked


@dataclass
class Column:
    status: WorkflowStatus
    cards: list[dict[str, Any]] = field(default_factory=list)  # the ones rendered
    ids: list[int] = field(default_factory=list)  # every card of this lane's column, in order
    points: int = 0  # story points of those cards
    total: int = 0  # cards of this status in every lane (what the WIP limit counts)
    total_points: int = 0  # their points
    start: int = 0  # where `cards` start among `ids` (a "show more" answer)

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def end(self) -> int:
        return self.start + len(self.cards)

    @property
    def remaining(self) -> int:
        return max(0, len(self.ids) - self.end)

    @property
    def next_count(self) -> int:
        return min(self.remaining, PAGE)

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
        return sum(column.count for column in self.columns)


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
    points: dict[int, int] = field(default_factory=dict)  # story points per status

    @property
    def card_count(self) -> int:
        return self.shown

    @property
    def rendered(self) -> int:
        return sum(len(column.cards) for lane in self.lanes for column in lane.columns)


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


LIGHT_FIELDS = ("pk", "workflow_status_id", "status", "story_points", "priority", "parent_id")


def _lanes(
    project: Project, statuses: list[WorkflowStatus], filters: BoardFilters
) -> tuple[list[Lane], int]:
    """Every card the filters let through as a light row, sorted into lanes and columns (one
    query; two with assignee swimlanes); returns the lanes in order and the number of cards."""
    by_id = {status.pk: status for status in statuses}
    first = first_of_category(statuses)
    index_of = {status.pk: index for index, status in enumerate(statuses)}
    fields: tuple[str, ...] = LIGHT_FIELDS
    if filters.swimlane == "parent":
        fields += ("parent__name", "parent__wbs_code")
    rows = _cards(project, filters).values(*fields)
    people = card_people(project.pk) if filters.swimlane == "assignee" else {}
    lanes: dict[str, Lane] = {}
    shown = 0
    for row in rows:
        column_id = effective_status_id(row["workflow_status_id"], row["status"], by_id, first)
        if column_id is None:
            continue
        row["assignees"] = people.get(row["pk"], [])
        shown += 1
        for lane_key, title in _lane_keys(row, filters.swimlane):
            lane = lanes.get(lane_key)
            if lane is None:
                lane = lanes[lane_key] = Lane(lane_key, title, [Column(s) for s in statuses])
            column = lane.columns[index_of[column_id]]
            column.ids.append(row["pk"])
            column.points += row["story_points"] or 0
    if not lanes:
        lanes["all"] = Lane("all", "", [Column(s) for s in statuses])
    ordered = sorted(lanes.values(), key=lambda lane: _lane_order(lane.key, filters.swimlane))
    return ordered, shown


def card_details(
    project: Project, ids: Collection[int] | None, statuses: list[WorkflowStatus], today: date
) -> dict[int, dict[str, Any]]:
    """The cards with these ids as the board shows them, by id (four queries); `ids=None`:
    every card of the project (the API's whole board)."""
    if ids is not None and not ids:
        return {}
    by_id = {status.pk: status for status in statuses}
    first = first_of_category(statuses)
    rows = Task.objects.alive().filter(project=project, is_summary=False)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    people, labels = card_people(project.pk, ids), card_labels(project.pk, ids)
    blocked = blocked_ids(project.pk, ids)
    found: dict[int, dict[str, Any]] = {}
    for row in rows.values(*CARD_FIELDS):
        row["key"] = f"{project.key} {row['wbs_code']}".strip()
        row["assignees"] = people.get(row["pk"], [])
        row["labels"] = labels.get(row["pk"], [])
        row["blocked_by"] = blocked.get(row["pk"], [])
        row["column_id"] = effective_status_id(
            row["workflow_status_id"], row["status"], by_id, first
        )
        due = row["deadline"] or (row["finish"].date() if row["finish"] else None)
        row["due"] = due
        row["overdue"] = bool(due and due < today and row["status"] != TaskStatus.COMPLETED)
        row["type_label"] = TaskType(row["task_type"]).label
        found[row["pk"]] = row
    return found


def _cells(lanes: list[Lane], per_cell: int | None, budget: int | None) -> list[int]:
    """Which cards to render: the first `per_cell` of each column of each lane, at most `budget`
    in all (later lanes then start folded, behind their "show" buttons)."""
    cells = sum(len(lane.columns) for lane in lanes) or 1
    size = per_cell if per_cell is not None else max(MIN_PAGE, min(PAGE, (budget or 0) // cells))
    left = budget if per_cell is None and budget is not None else None
    wanted: list[int] = []
    for lane in lanes:
        for column in lane.columns:
            take = size if left is None else min(size, left)
            column.cards = [{"pk": pk} for pk in column.ids[:take]]
            wanted.extend(column.ids[:take])
            if left is not None:
                left -= len(column.cards)
    return wanted


def _fill(lanes: list[Lane], details: dict[int, dict[str, Any]]) -> None:
    for lane in lanes:
        for column in lane.columns:
            column.cards = [details[card["pk"]] for card in column.cards if card["pk"] in details]


def board(
    project: Project,
    filters: BoardFilters,
    today: date,
    *,
    per_cell: int | None = None,
    budget: int | None = BUDGET,
) -> Board:
    """The board; each column of each lane renders its first cards (`per_cell`, else as many as
    `budget` allows). `budget=None` with no `per_cell`: every card (the API)."""
    statuses = workflow_statuses(project)
    lanes, shown = _lanes(project, statuses, filters)
    everything = per_cell is None and budget is None
    if everything:
        per_cell = max((column.count for lane in lanes for column in lane.columns), default=0)
    wanted = _cells(lanes, per_cell, budget)
    _fill(lanes, card_details(project, None if everything else wanted, statuses, today))
    # WIP limits count every card of a column, whatever the filters show (one GROUP BY).
    totals, points = column_totals(project.pk, statuses)
    for lane in lanes:
        for column in lane.columns:
            column.total = totals[column.status.pk]
            column.total_points = points[column.status.pk]
    return Board(
        project=project,
        statuses=statuses,
        lanes=lanes,
        totals=totals,
        filters=filters,
        people=project_people(project),
        labels=list(Label.objects.filter(project=project)),
        sprints=list(Sprint.objects.filter(project=project).exclude(state=SprintState.CLOSED)),
        shown=shown,
        points=points,
    )


@dataclass
class Cell:
    """The next cards of one column of one lane ("show more")."""

    lane: str
    column: Column
    offset: int


def board_cell(
    project: Project,
    filters: BoardFilters,
    today: date,
    *,
    status_id: int,
    lane: str,
    offset: int,
    after: int | None = None,
    limit: int = PAGE,
) -> Cell | None:
    """`limit` cards of a lane's column in board order, from just below card `after` (the last
    one the page shows: cards moved meanwhile skip none), else from `offset`; None: no such
    column or lane (it may have emptied meanwhile)."""
    statuses = workflow_statuses(project)
    lanes, _ = _lanes(project, statuses, filters)
    found = next((item for item in lanes if item.key == lane), None)
    column = next((c for c in found.columns if c.status.pk == status_id), None) if found else None
    if column is None:
        return None
    if after is not None and after in column.ids:
        offset = column.ids.index(after) + 1
    ids = column.ids[offset : offset + limit]
    details = card_details(project, ids, statuses, today)
    column.cards = [details[pk] for pk in ids if pk in details]
    column.start = offset
    return Cell(lane, column, offset)


def project_people(project: Project) -> list[dict[str, Any]]:
    rows = ProjectMembership.objects.filter(project=project).values_list(
        "user_id", "user__full_name", "user__email"
    )
    return sorted(
        ({"id": pk, "name": name or email} for pk, name, email in rows),
        key=lambda person: person["name"].lower(),
    )


def card(
    project: Project, task_id: int, statuses: Collection[WorkflowStatus] = ()
) -> dict[str, Any] | None:
    """One card as the board shows it (the answer to a move); `statuses`: already read."""
    statuses = list(statuses) or workflow_statuses(project)
    row = Task.objects.filter(pk=task_id).values(*CARD_FIELDS).first()
    return card_summary(row, statuses) if row is not None else None


def card_summary(row: dict[str, Any], statuses: Collection[WorkflowStatus]) -> dict[str, Any]:
    """Where a card row shows and at which version (what the board's script needs)."""
    by_id = {status.pk: status for status in statuses}
    column_id = effective_status_id(
        row["workflow_status_id"], row["status"], by_id, first_of_category(list(statuses))
    )
    return {
        "id": row["pk"],
        "version": row["version"],
        "status": column_id,
        "status_name": by_id[column_id].name if column_id else None,
        "percent_complete": row["percent_complete"],
        "task_status": row["status"],
    }

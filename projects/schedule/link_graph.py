"""Links seen across the projects of an organisation.

One project's scheduling run sees only its own tasks plus the predecessors it borrows from other
projects (pinned at their stored dates). Two things therefore need the organisation-wide view:
a loop that passes through another project, and the projects whose dates depend on one that
just moved.
"""

from collections import deque
from collections.abc import Iterable, Mapping

from projects.models import Dependency, Task


def find_path(successors: Mapping[int, Iterable[int]], start: int, goal: int) -> list[int] | None:
    """The shortest chain of links from `start` to `goal` (both included), or None."""
    came_from: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (previous := came_from[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        for nxt in successors.get(node, ()):
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return None


def loop_through(predecessor: Task, successor: Task) -> list[Task] | None:
    """The tasks a new link predecessor -> successor would close a loop with, in link order,
    starting at the successor; None when it closes none. Looks across every live project of
    the organisation, because a loop may leave the plan and come back. The caller holds the
    organisation's row lock (`dependency_create`), so two links that close a loop together are
    checked one after the other (issue 22)."""
    organisation_id = successor.project.organisation_id
    edges: dict[int, list[int]] = {}
    rows = Dependency.objects.filter(
        successor__project__organisation_id=organisation_id,
        successor__deleted_at__isnull=True,
        predecessor__deleted_at__isnull=True,
        successor__project__deleted_at__isnull=True,
        predecessor__project__deleted_at__isnull=True,
    ).values_list("predecessor_id", "successor_id")
    for before, after in rows:
        edges.setdefault(before, []).append(after)
    path = find_path(edges, successor.pk, predecessor.pk)
    if path is None:
        return None
    names = Task.objects.select_related("project").in_bulk(path)
    return [names[pk] for pk in path]


def successor_project_ids(moved_task_ids: Iterable[int], *, exclude: int) -> set[int]:
    """Live projects, other than `exclude`, with a task that follows one of the moved tasks."""
    return set(
        Dependency.objects.filter(
            predecessor_id__in=list(moved_task_ids),
            successor__deleted_at__isnull=True,
            successor__project__deleted_at__isnull=True,
        )
        .exclude(successor__project_id=exclude)
        .values_list("successor__project_id", flat=True)
        .distinct()
    )

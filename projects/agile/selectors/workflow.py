"""Reads of a project's workflow: its statuses in board order.

Every project gets its default statuses when it is created (`project_create`, and migration
0009 for projects that had none), so reading never creates them: a GET writes nothing.
"""

from projects.models import Project, WorkflowStatus


def workflow_statuses(project: Project) -> list[WorkflowStatus]:
    """The project's statuses in board order (one query)."""
    return list(WorkflowStatus.objects.filter(project=project).order_by("position", "pk"))

"""Planning data: projects and their people, calendars, and the work breakdown."""

from .baseline import Baseline, BaselineTask
from .calendar import CalendarException, WorkCalendar
from .project import (
    CURRENCIES,
    KEY_PATTERN,
    Methodology,
    ProgressWeighting,
    Project,
    ProjectInvitation,
    ProjectMembership,
    ProjectQuerySet,
    ProjectStatus,
)
from .schedule import ConstraintType, Dependency, LinkType, Task, TaskQuerySet, TaskStatus
from .sprint import Sprint, SprintSnapshot, SprintState
from .workflow import (
    DEFAULT_STATUSES,
    PRIORITY_ORDER,
    Label,
    StatusCategory,
    TaskPriority,
    TaskType,
    WorkflowStatus,
)

__all__ = [
    "CURRENCIES",
    "DEFAULT_STATUSES",
    "KEY_PATTERN",
    "PRIORITY_ORDER",
    "Baseline",
    "BaselineTask",
    "CalendarException",
    "ConstraintType",
    "Dependency",
    "Label",
    "LinkType",
    "Methodology",
    "ProgressWeighting",
    "Project",
    "ProjectInvitation",
    "ProjectMembership",
    "ProjectQuerySet",
    "ProjectStatus",
    "Sprint",
    "SprintSnapshot",
    "SprintState",
    "StatusCategory",
    "Task",
    "TaskPriority",
    "TaskQuerySet",
    "TaskStatus",
    "TaskType",
    "WorkCalendar",
    "WorkflowStatus",
]

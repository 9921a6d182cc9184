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

__all__ = [
    "CURRENCIES",
    "KEY_PATTERN",
    "Baseline",
    "BaselineTask",
    "CalendarException",
    "ConstraintType",
    "Dependency",
    "LinkType",
    "Methodology",
    "ProgressWeighting",
    "Project",
    "ProjectInvitation",
    "ProjectMembership",
    "ProjectQuerySet",
    "ProjectStatus",
    "Task",
    "TaskQuerySet",
    "TaskStatus",
    "WorkCalendar",
]

"""Resources and money: the pool (people, roles, skills, time off, rates), allocations and
assignments, time entries and timesheets, and budgets, expenses and their history."""

from resources.models.allocation import Allocation, Assignment
from resources.models.budget import (
    BudgetCategory,
    BudgetChange,
    BudgetLine,
    BudgetLinePlan,
    Expense,
    ExpenseStatus,
    ProjectFinance,
)
from resources.models.pool import (
    LABOUR_KINDS,
    CostRate,
    Resource,
    ResourceKind,
    ResourceQuerySet,
    ResourceRole,
    Skill,
    TimeOff,
)
from resources.models.time import TimeEntry, TimeEntryQuerySet, TimeEntryStatus, Timesheet

__all__ = [
    "LABOUR_KINDS",
    "Allocation",
    "Assignment",
    "BudgetCategory",
    "BudgetChange",
    "BudgetLine",
    "BudgetLinePlan",
    "CostRate",
    "Expense",
    "ExpenseStatus",
    "ProjectFinance",
    "Resource",
    "ResourceKind",
    "ResourceQuerySet",
    "ResourceRole",
    "Skill",
    "TimeEntry",
    "TimeEntryQuerySet",
    "TimeEntryStatus",
    "TimeOff",
    "Timesheet",
]

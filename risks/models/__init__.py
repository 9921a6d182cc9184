"""The risk register and the RAID log: risks with their review history, assumptions, issues,
decisions and dependencies on outside parties; and each organisation's risk settings."""

from .raid import (
    Assumption,
    AssumptionStatus,
    Decision,
    DecisionStatus,
    DependencyStatus,
    ExternalDependency,
    Issue,
    IssueStatus,
    PartyKind,
    Priority,
)
from .risk import (
    Risk,
    RiskKind,
    RiskQuerySet,
    RiskResponse,
    RiskReview,
    RiskStatus,
    RiskStrategy,
)
from .settings import DEFAULT_CATEGORIES, RiskCategory, RiskSettings

__all__ = [
    "DEFAULT_CATEGORIES",
    "Assumption",
    "AssumptionStatus",
    "Decision",
    "DecisionStatus",
    "DependencyStatus",
    "ExternalDependency",
    "Issue",
    "IssueStatus",
    "PartyKind",
    "Priority",
    "Risk",
    "RiskCategory",
    "RiskKind",
    "RiskQuerySet",
    "RiskResponse",
    "RiskReview",
    "RiskSettings",
    "RiskStatus",
    "RiskStrategy",
]

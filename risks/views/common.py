"""Helpers shared by the register's pages."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404

from projects.access import access_project
from projects.models import Project
from projects.views._common import project_page
from tpm.access import Access
from tpm.models import User
from tpm.roles import ProjectAction

from .. import scoring
from ..access import access_risk
from ..models import Risk
from ..services import settings_for

STALE = (
    "This was changed by someone else while you were editing; nothing was overwritten. "
    "The form shows what it says now: make your change again if it is still needed."
)


def risk_project(user: User, project_id: int, *, write: bool = False) -> Access[Project]:
    action = ProjectAction.EDIT_RISKS if write else ProjectAction.VIEW_RISKS
    return access_project(user, project_id, action=action)


def project_risk(user: User, project_id: int, risk_id: int, *, write: bool = False) -> Access[Risk]:
    """A risk of this project; one of another project is a 404 like a missing one."""
    risk = access_risk(user, risk_id, write=write)
    if risk.obj.project_id != project_id:
        raise Http404("No such risk in this project.")
    return risk


def risk_page(access: Access[Project], tab: str, **extra: Any) -> dict[str, Any]:
    organisation = access.obj.organisation
    thresholds = extra.pop("thresholds", None) or settings_for(organisation).thresholds()
    return project_page(
        access,
        tab,
        can_edit_risks=access.can(ProjectAction.EDIT_RISKS),
        can_plan=access.can(ProjectAction.PLAN),
        thresholds=thresholds,
        **extra,
    )


@dataclass
class RiskRow:
    """A register row as the table shows it."""

    risk: Risk
    probability: int
    impact: int
    score: int
    level: scoring.Level
    residual_score: int | None
    residual_level: scoring.Level | None
    emv: Decimal
    status: str
    overdue: bool


def risk_row(risk: Risk, thresholds: scoring.Thresholds, today: Any, review: Any = None) -> RiskRow:
    """From the risk itself, or (register as of a date) from the review that described it then."""
    source = review or risk
    residual = source.residual_score
    return RiskRow(
        risk=risk,
        probability=source.probability,
        impact=source.impact,
        score=source.score,
        level=scoring.level(source.score, thresholds),
        residual_score=residual,
        residual_level=scoring.level(residual, thresholds) if residual else None,
        emv=scoring.expected_monetary_value(
            source.probability, source.cost_impact, opportunity=risk.is_opportunity
        ),
        status=source.get_status_display(),
        overdue=review is None and risk.is_review_overdue(today),
    )

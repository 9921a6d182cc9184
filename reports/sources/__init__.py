"""Where the reports app gets each dimension's data: one *source* module per app it reads.

A source answers for a batch of projects in a fixed number of queries (the portfolio asks for
200 at once) and returns, per project id, the facts that app knows, or nothing for a project it
has no data for. A dimension without a source, or a project a source leaves out, is shown as
"no data yet" and does not count in the overall colour (reports/health.py) — nothing is faked.

Each source module provides:

* ``DIMENSION``: the ``reports.health.Dimension`` it feeds;
* ``facts(projects, *, today) -> dict[int, <Summary>]``: per project id, an object with
  ``health`` (the health inputs: ``ScheduleFacts``, ``CostFacts``, ...), whatever one-line
  metrics the portfolio shows as attributes (``percent_complete``, ``top_risk``,
  ``budget_variance``...), and ``to_json()``: the dashboard / status-report section as plain
  JSON-able data (frozen into report snapshots). A fixed number of queries however many
  projects; a project without data is left out.

Plugging in a later app = write ``reports/sources/<name>.py`` and put it in ``SOURCES`` below;
the dashboard, the portfolio, snapshots and emails pick it up (their templates already have a
place for each dimension's section: ``templates/reports/sections/<dimension>.html``, which
receives the section as ``section``; write it with the source).

* ``SCHEDULE``: ``reports/sources/schedule.py`` (projects: tasks, baselines, milestones, floats).
* ``RISK``: ``reports/sources/risks.py`` (risks: the register and the organisation's risk
  settings): open threats at or above the escalation score, overdue reviews, the top risks,
  inherent and residual heat maps, EMV.
* ``COST``: ``reports/sources/cost.py`` — issue 5 (resources, budgets, EVM): CPI, budget and
  forecast at completion, burn and S-curve. EVM's SPI belongs to the schedule dimension: the
  cost source returns it in ``CostFacts`` terms and ``collect`` copies it into ``ScheduleFacts.spi``
  (see ``_merge_spi``).
* ``SCOPE``: ``reports/sources/scope.py`` — issue 7: pending and approved change requests,
  recent decisions and approved changes.
* ``QUALITY``: ``reports/sources/quality.py`` — issue 7: failed and overdue quality gates,
  upcoming gates.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from types import ModuleType
from typing import Any

from projects.models import Project
from reports.health import Dimension, HealthInputs

from . import cost, quality, risks, schedule, scope

log = logging.getLogger(__name__)

# The registry. None marks a dimension whose app has no source yet: see the docstring above.
SOURCES: dict[Dimension, ModuleType | None] = {
    Dimension.SCHEDULE: schedule,
    Dimension.COST: cost,
    Dimension.SCOPE: scope,
    Dimension.RISK: risks,
    Dimension.QUALITY: quality,
}


@dataclass(frozen=True)
class ProjectFacts:
    """What every source said about one project: the health inputs and the raw facts."""

    inputs: HealthInputs
    by_dimension: dict[str, Any]
    # Dimensions whose source failed on this project's data (e.g. a stored date out of range):
    # shown as "figures unavailable", and left out of the colour like "no data yet".
    unavailable: tuple[str, ...] = ()


def _merge_spi(inputs: HealthInputs, facts: dict[str, Any]) -> HealthInputs:
    """SPI comes from earned value (the cost source) but is judged with the schedule."""
    cost = facts.get(Dimension.COST.value)
    spi = getattr(cost, "spi", None)
    if inputs.schedule is not None and spi is not None:
        return replace(inputs, schedule=replace(inputs.schedule, spi=spi))
    return inputs


def _facts_isolated(
    name: str, module: ModuleType, projects: Sequence[Project], today: date
) -> tuple[dict[int, Any], set[int]]:
    """One source's facts for the batch, and the ids of projects it failed on.

    One bad row must not blank the whole portfolio: when the batch fails, the source is asked
    again project by project (more queries, but only on this error path) and each project it
    still fails on is left out and reported, with the error logged.
    """
    try:
        return module.facts(projects, today=today), set()
    except Exception:
        if len(projects) == 1:
            log.exception("The %s source failed on project %s", name, projects[0].pk)
            return {}, {projects[0].pk}
        log.warning("The %s source failed on a batch; asking project by project", name)
    answer: dict[int, Any] = {}
    failed: set[int] = set()
    for project in projects:
        found, bad = _facts_isolated(name, module, [project], today)
        answer.update(found)
        failed |= bad
    return answer, failed


def collect(projects: Sequence[Project], *, today: date) -> dict[int, ProjectFacts]:
    """Every source's facts for these projects (a fixed number of queries per source; a
    source that fails on one project's data costs more, see `_facts_isolated`)."""
    answers: dict[str, dict[int, Any]] = {}
    failures: dict[str, set[int]] = {}
    for dimension, module in SOURCES.items():
        if module is not None:
            answers[dimension.value], failures[dimension.value] = _facts_isolated(
                dimension.value, module, projects, today
            )
    result: dict[int, ProjectFacts] = {}
    for project in projects:
        facts = {name: answer.get(project.pk) for name, answer in answers.items()}
        inputs = HealthInputs(
            **{name: getattr(value, "health", value) for name, value in facts.items()}
        )
        unavailable = tuple(name for name, failed in failures.items() if project.pk in failed)
        result[project.pk] = ProjectFacts(_merge_spi(inputs, facts), facts, unavailable)
    return result


def sections_of(facts: ProjectFacts) -> dict[str, dict[str, Any] | None]:
    """Each dimension's dashboard section (None: no data yet), from the facts already read."""
    result: dict[str, dict[str, Any] | None] = {}
    for dimension in SOURCES:
        summary = facts.by_dimension.get(dimension.value)
        try:
            result[dimension.value] = summary.to_json() if summary is not None else None
        except Exception:  # one bad figure must not take the dashboard down with it
            log.exception("The %s section failed", dimension.value)
            result[dimension.value] = None
    return result


def sections(project: Project, *, today: date) -> dict[str, dict[str, Any] | None]:
    """Each dimension's dashboard section of one project (None: no data yet)."""
    return sections_of(collect([project], today=today)[project.pk])


def available_dimensions() -> list[str]:
    return [dimension.value for dimension, module in SOURCES.items() if module is not None]

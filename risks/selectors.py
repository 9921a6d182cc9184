"""Reads for the register pages and the API: each costs a fixed number of queries.

Levels come from the organisation's thresholds (risks.services.settings_for), so a filter by
level becomes a filter by score range here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Model, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Greatest
from django.urls import reverse

from projects.changes.selectors import AffectedRisk
from projects.models import Project, Task
from tpm import money
from tpm.models import User

from . import scoring
from .models import Assumption, Decision, ExternalDependency, Issue, Risk, RiskCategory, RiskReview
from .models.risk import OPEN_STATUSES, RiskStatus

SORTS = {
    "score": ("-score", "number"),
    "-score": ("score", "number"),
    "residual": (F("residual_score").desc(nulls_last=True), "number"),
    "ref": ("number",),
    "title": ("title", "number"),
    "proximity": (F("proximity").asc(nulls_last=True), "number"),
    "review": (F("next_review_on").asc(nulls_last=True), "number"),
    "owner": ("owner__full_name", "owner__email", "number"),
    "category": ("category__position", "category__name", "number"),
    "status": ("status", "number"),
    "emv": (F("cost_impact").desc(), "number"),  # refined in Python for probability
}


@dataclass(frozen=True)
class RegisterFilters:
    status: str = "open"  # "open", "all" or a RiskStatus
    kind: str = ""
    category: int | None = None
    owner: int | None = None
    level: str = ""
    q: str = ""
    grid: str = ""  # "inherent" or "residual": with probability and impact, one heat-map cell
    probability: int | None = None
    impact: int | None = None
    sort: str = "score"


def _level_range(level: str, thresholds: scoring.Thresholds) -> tuple[int, int] | None:
    bounds = {
        scoring.Level.LOW: (1, thresholds.medium - 1),
        scoring.Level.MEDIUM: (thresholds.medium, thresholds.high - 1),
        scoring.Level.HIGH: (thresholds.high, thresholds.critical - 1),
        scoring.Level.CRITICAL: (thresholds.critical, scoring.MAX_SCORE),
    }
    return bounds.get(level)  # type: ignore[call-overload]


def with_impact(queryset: QuerySet[Risk]) -> QuerySet[Risk]:
    """Annotate the worst impact dimension (the impact the score uses)."""
    return queryset.annotate(
        worst_impact=Greatest("impact_schedule", "impact_cost", "impact_scope", "impact_quality")
    )


def project_register(
    *, project: Project, filters: RegisterFilters, thresholds: scoring.Thresholds
) -> QuerySet[Risk]:
    """The register as it is now: one query, with category, owner and counts."""
    risks = with_impact(Risk.objects.filter(project=project)).select_related("category", "owner")
    if filters.status == "open":
        risks = risks.filter(status__in=OPEN_STATUSES)
    elif filters.status in RiskStatus.values:
        risks = risks.filter(status=filters.status)
    if filters.kind:
        risks = risks.filter(kind=filters.kind)
    if filters.category:
        risks = risks.filter(category_id=filters.category)
    if filters.owner:
        risks = risks.filter(owner_id=filters.owner)
    if filters.q:
        risks = risks.filter(Q(title__icontains=filters.q) | Q(event__icontains=filters.q))
    bounds = _level_range(filters.level, thresholds) if filters.level else None
    if bounds:
        risks = risks.filter(score__range=bounds)
    if filters.probability and filters.impact:
        if filters.grid == "residual":
            risks = risks.filter(
                residual_probability=filters.probability, residual_impact=filters.impact
            )
        else:
            risks = risks.filter(  # type: ignore[misc]  # an annotation django-stubs cannot see
                probability=filters.probability, worst_impact=filters.impact
            )
    risks = risks.annotate(response_count=Count("responses", distinct=True))
    return risks.order_by(*SORTS.get(filters.sort, SORTS["score"]))  # type: ignore[arg-type]


@dataclass
class AsOfRow:
    """A risk as its latest review on or before the date described it."""

    risk: Risk
    review: RiskReview


def register_as_of(*, project: Project, day: date) -> list[AsOfRow]:
    """The register as it stood at the end of `day`: two queries whatever the size."""
    latest = (
        RiskReview.objects.filter(risk=OuterRef("pk"), reviewed_on__lte=day)
        .order_by("-reviewed_on", "-id")
        .values("pk")[:1]
    )
    risks = list(
        Risk.objects.filter(project=project, raised_on__lte=day)
        .select_related("category", "owner")
        .annotate(review_id=Subquery(latest))
        .filter(review_id__isnull=False)
    )
    reviews = RiskReview.objects.in_bulk([r.review_id for r in risks])
    rows = [AsOfRow(risk, reviews[risk.review_id]) for risk in risks]
    rows.sort(key=lambda row: (-row.review.score, row.risk.number))
    return rows


@dataclass
class HeatMap:
    grid: str  # "inherent" or "residual"
    rows: list[list[tuple[scoring.Cell, int, scoring.Level]]]
    total: int


def heat_maps(*, project: Project, thresholds: scoring.Thresholds) -> tuple[HeatMap, HeatMap]:
    """Counts of open risks per cell, inherent and residual: two queries."""
    open_risks = with_impact(Risk.objects.filter(project=project, status__in=OPEN_STATUSES))
    inherent_rows = (
        open_risks.values("probability", "worst_impact")  # type: ignore[misc]
        .annotate(n=Count("id"))
        .values_list("probability", "worst_impact", "n")
    )
    inherent = scoring.heat_map(
        (probability, impact) for probability, impact, n in inherent_rows for _ in range(n)
    )
    residual_rows = (
        open_risks.filter(residual_score__isnull=False)
        .values("residual_probability", "residual_impact")
        .annotate(n=Count("id"))
        .values_list("residual_probability", "residual_impact", "n")
    )
    residual = scoring.heat_map(
        (int(probability or 0), int(impact or 0))
        for probability, impact, n in residual_rows
        for _ in range(n)
    )
    return (
        HeatMap("inherent", scoring.heat_map_rows(inherent, thresholds), sum(inherent.values())),
        HeatMap("residual", scoring.heat_map_rows(residual, thresholds), sum(residual.values())),
    )


def top_risks(*, project: Project, limit: int = 5) -> list[Risk]:
    return list(
        with_impact(Risk.objects.filter(project=project, status__in=OPEN_STATUSES))
        .select_related("owner")
        .order_by("-score", "number")[:limit]
    )


@dataclass
class Exposure:
    """Money and time at stake in the open risks (threats minus opportunities)."""

    threat_emv: Decimal = Decimal(0)
    opportunity_emv: Decimal = Decimal(0)  # negative: savings
    expected_days: Decimal = Decimal(0)
    open_count: int = 0
    over_appetite: int = 0

    @property
    def net_emv(self) -> Decimal:
        return self.threat_emv + self.opportunity_emv


@dataclass(frozen=True)
class ReserveCheck:
    """The threats' EMV against the contingency reserve set aside for known risks."""

    threat_emv: Decimal
    contingency_reserve: Decimal | None  # None: the project has no budget yet

    @property
    def shortfall(self) -> Decimal | None:
        """How much more the threats are expected to cost than the reserve holds (0: covered)."""
        if self.contingency_reserve is None:
            return None
        return max(self.threat_emv - self.contingency_reserve, Decimal(0))

    def to_json(self) -> dict[str, Any]:
        reserve = self.contingency_reserve
        return {
            "contingency_reserve": None if reserve is None else str(reserve),
            "emv_within_contingency": None if reserve is None else self.shortfall == 0,
            "contingency_shortfall": None if reserve is None else str(self.shortfall),
        }


def emv_against_reserve(*, project: Project, exposure: Exposure) -> ReserveCheck:
    """One query: the reserve lives with the budget (resources), asked through tpm.money."""
    return ReserveCheck(exposure.threat_emv, money.contingency_reserve(project.pk))


def exposure(*, project: Project, thresholds: scoring.Thresholds) -> Exposure:
    result = Exposure()
    for risk in Risk.objects.filter(project=project, status__in=OPEN_STATUSES).only(
        "kind", "probability", "cost_impact", "schedule_impact_days", "score", "residual_score"
    ):
        if risk.is_opportunity:
            result.opportunity_emv += risk.emv()
        else:
            result.threat_emv += risk.emv()
        result.expected_days += risk.expected_days()
        result.open_count += 1
        effective = risk.residual_score or risk.score
        if not risk.is_opportunity and not scoring.within_appetite(effective, thresholds):
            result.over_appetite += 1
    return result


@dataclass
class TrendPoint:
    day: date
    total_score: int
    open_count: int
    emv: Decimal


def exposure_trend(*, project: Project, today: date, weeks: int = 12) -> list[TrendPoint]:
    """The sum of open risks' scores and their EMV at the end of each of the last weeks.

    One query: every review of the project's risks, replayed in date order.
    """
    reviews = (
        RiskReview.objects.filter(risk__project=project, reviewed_on__lte=today)
        .order_by("reviewed_on", "id")
        .values_list(
            "risk_id", "reviewed_on", "status", "score", "probability", "cost_impact", "risk__kind"
        )
    )
    days = [today - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
    state: dict[int, tuple[str, int, int, Decimal, str]] = {}
    points: list[TrendPoint] = []
    pending = iter(reviews)
    nxt = next(pending, None)
    for day in days:
        while nxt is not None and nxt[1] <= day:
            state[nxt[0]] = (nxt[2], nxt[3], nxt[4], nxt[5], nxt[6])
            nxt = next(pending, None)
        live = [s for s in state.values() if s[0] in OPEN_STATUSES]
        emv = sum(
            (
                scoring.expected_monetary_value(p, cost, opportunity=kind == "opportunity")
                for _, _, p, cost, kind in live
            ),
            Decimal(0),
        )
        points.append(TrendPoint(day, sum(s[1] for s in live), len(live), emv))
    return points


def categories(*, organisation_id: int) -> list[RiskCategory]:
    """The organisation's risk categories (made with it: reading never creates them)."""
    return list(RiskCategory.objects.filter(organisation_id=organisation_id))


LINK_CHOICES = 20  # the most tasks one search of the link picker answers with
REVIEWS_SHOWN = 20  # the review table's latest rows (the score chart reads every review)
LINKS_SHOWN = 50  # linked tasks listed on the page; the rest are counted


def risk_detail(*, risk_id: int) -> Risk:
    return (
        with_impact(Risk.objects.filter(pk=risk_id))
        .select_related("category", "owner", "project__organisation", "created_by")
        .prefetch_related("responses__task")
        .get()
    )


def linked_tasks(*, risk: Risk, limit: int = LINKS_SHOWN) -> tuple[list[Task], int]:
    """The first `limit` tasks linked to the risk in outline order, and how many there are in
    all (one query)."""
    rows: list[Task] = list(
        risk.linked_tasks.annotate(linked_count=Window(Count("pk")))
        .only("pk", "name", "wbs_code", "is_milestone", "project_id")
        .order_by("outline_key", "pk")[:limit]
    )
    return rows, (getattr(rows[0], "linked_count", 0) if rows else 0)


def risk_reviews(*, risk: Risk) -> QuerySet[RiskReview]:
    return risk.reviews.select_related("reviewed_by").order_by("reviewed_on", "id")


def risk_history(*, risk: Risk) -> list[tuple[date, int, int | None]]:
    """Every review's date, score and residual score, oldest first (for the chart)."""
    rows = risk.reviews.order_by("reviewed_on", "id").values_list(
        "reviewed_on", "score", "residual_score"
    )
    return list(rows)


def latest_reviews(*, risk: Risk, limit: int = REVIEWS_SHOWN) -> list[RiskReview]:
    """The latest `limit` reviews, newest first, with who made them."""
    return list(risk.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-id")[:limit])


def linkable_tasks(*, risk: Risk) -> QuerySet[Task]:
    return (
        Task.objects.alive()
        .filter(project_id=risk.project_id)
        .exclude(pk__in=risk.linked_tasks.values("pk"))
        .order_by("outline_key", "pk")
    )


def link_choices(*, risk: Risk, query: str, limit: int = LINK_CHOICES) -> list[Task]:
    """At most `limit` tasks of the risk's plan it may be linked to, by name or WBS code (an
    empty query: the first ones in the outline). One query."""
    tasks = linkable_tasks(risk=risk).only("pk", "name", "wbs_code", "is_milestone", "project_id")
    if query:
        tasks = tasks.filter(Q(name__icontains=query) | Q(wbs_code__startswith=query))
    return list(tasks[:limit])


def project_people(*, project: Project) -> QuerySet[User]:
    """Who may own a risk or an entry: the people with a role in the project, and org admins."""
    return (
        User.objects.filter(
            Q(project_memberships__project=project)
            | Q(memberships__organisation_id=project.organisation_id, memberships__role="admin")
        )
        .distinct()
        .order_by("full_name", "email")
    )


@dataclass
class RaidLog:
    assumptions: list[Assumption] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    dependencies: list[ExternalDependency] = field(default_factory=list)


def raid_entries(model: type[Model], *, project: Project) -> QuerySet:
    queryset = model._default_manager.filter(project=project).select_related("owner")
    if model is Issue:
        queryset = queryset.select_related("risk")
    return queryset.order_by("number")


def raid_log(*, project: Project) -> RaidLog:
    """All four lists of the RAID log: four queries."""
    return RaidLog(
        assumptions=list(raid_entries(Assumption, project=project)),
        issues=list(raid_entries(Issue, project=project)),
        decisions=list(raid_entries(Decision, project=project)),
        dependencies=list(raid_entries(ExternalDependency, project=project)),
    )


def review_counts(risks: list[Risk]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for row in RiskReview.objects.filter(risk__in=risks).values("risk_id").annotate(n=Count("id")):
        counts[row["risk_id"]] = row["n"]
    return counts


def risks_for_tasks(project: Project, task_ids: list[int]) -> list[AffectedRisk]:
    """Open risks of the project linked to any of these tasks (or answered by one): the risks a
    change request touching those tasks affects. Two queries."""
    risks = (
        Risk.objects.filter(project=project, status__in=OPEN_STATUSES)
        .filter(Q(linked_tasks__in=task_ids) | Q(responses__task__in=task_ids))
        .distinct()
        .order_by("-score", "number")
    )
    links: dict[int, set[int]] = defaultdict(set)
    for risk_id, task_id in Risk.linked_tasks.through.objects.filter(
        risk__in=risks, task_id__in=task_ids
    ).values_list("risk_id", "task_id"):
        links[risk_id].add(task_id)
    return [
        AffectedRisk(
            id=risk.pk,
            ref=risk.ref,
            title=risk.title,
            score=risk.score,
            url=reverse("risk-detail", args=[project.pk, risk.pk]),
            task_ids=tuple(sorted(links[risk.pk])),
        )
        for risk in risks
    ]

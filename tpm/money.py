"""What counts as money and who may see it: the one place (DESIGN.md, "one home per rule").

Who: roles with ProjectAction.VIEW_MONEY (tpm/roles.py: managers, organisation admins acting
as managers, stakeholders), never members or viewers. Everyone else gets `null` where an amount
would be (never a 0 that looks real), no money section, and health reasons without figures.

What: the keys below, wherever they appear (serializer data, a report snapshot, a template
context, a history entry's changes, an export). A new amount gets a key from this list (or
adds its own here), and every page, API body, PDF and email that goes through `hide` or
`MoneySerializerMixin` leaves it out for those readers; tests/test_money_sweep.py walks every
GET route as a member and a viewer and fails on any amount it finds.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from .roles import PROJECT_PERMISSIONS, ProjectAction, project_role_can

if TYPE_CHECKING:
    from rest_framework.serializers import BaseSerializer

    _Base = BaseSerializer
else:
    _Base = object

# Amounts of money by the names they go by in models, API bodies, snapshots and history.
# `impact_cost` (a 1-5 rating) and percentages or indices (CPI, SPI) are not amounts.
MONEY_KEYS = frozenset(
    {
        # tasks, assignments, baselines, change proposals
        "cost",
        "actual_cost",
        "fixed_cost",
        "baseline_cost",
        "remaining_cost",
        # rates and pool
        "hourly_rate",
        "standard_rate",
        "overtime_rate",
        "cost_per_use",
        "unit_cost",
        # budgets, reserves, expenses
        "amount",
        "budget",
        "contingency",
        "contingency_reserve",
        "management_reserve",
        # earned value
        "bac",
        "eac",
        "etc",
        "vac",
        "pv",
        "ev",
        "ac",
        "cv",
        "sv",
        "bcws",
        "bcwp",
        "acwp",
        "budget_variance",
        "cost_baseline",
        "approved_budget",
        "money_rows",
        # risks
        "cost_impact",
        "emv",
        "threat_emv",
        "opportunity_emv",
        "net_emv",
        "total_emv",
        "emv_within_contingency",
        "contingency_shortfall",
        # change requests
        "cost_before",
        "cost_after",
        "cost_change",
    }
)

# Records that are about money through and through ("app_label.model"): a reader without money
# sees none of their history. Apps register theirs at start-up (resources/apps.py).
MONEY_MODELS: set[str] = set()

# Health: the dimensions whose reasons carry money figures ("CPI is 0.84", "Forecast is 12%
# over the budget"). Readers without money see the colour, not the reasons.
MONEY_DIMENSIONS = frozenset({"cost"})
# What a whole money section (a dict under a money key: the cost section of a dashboard, a
# risk section's EMV) becomes: templates say the figures are for managers and stakeholders.
HIDDEN: dict[str, Any] = {"hidden": True}
HIDDEN_REASON = "Cost figures are shown to managers and stakeholders."


# Where a project's contingency reserve lives is resources' business (budgets); risks compares
# its EMV with it without importing resources (siblings): resources registers the answer at
# start-up (resources/apps.py), as projects.changes does for affected risks.
ContingencyProvider = Callable[[int], Decimal | None]
_contingency: list[ContingencyProvider] = []


def register_contingency(provider: ContingencyProvider) -> None:
    _contingency[:] = [provider]


def contingency_reserve(project_id: int) -> Decimal | None:
    """The project's contingency reserve (one query), or None without a budget to hold it."""
    return _contingency[0](project_id) if _contingency else None


class _HasRole(Protocol):
    @property
    def role(self) -> str: ...


def sees_money(who: "str | _HasRole | None") -> bool:
    """Whether a project role (or an Access carrying one) may see the project's money."""
    role = who if who is None or isinstance(who, str) else who.role
    return project_role_can(role, ProjectAction.VIEW_MONEY)


def money_roles() -> list[str]:
    """The project roles that see money, for querysets filtered on an annotated role."""
    return [role for role, can in PROJECT_PERMISSIONS.items() if ProjectAction.VIEW_MONEY in can]


def is_money_key(name: str) -> bool:
    return name in MONEY_KEYS


def hide(data: Any, *, money: bool, keys: Iterable[str] = ()) -> Any:
    """`data` as a reader sees it: unchanged with `money`; otherwise a copy in which, at any
    depth, an amount under a money key (or one of the extra `keys`) is None, a dict under one is
    HIDDEN, and health assessments carry no money reasons."""
    if money:
        return data
    hidden = MONEY_KEYS | frozenset(keys)
    return _hide(data, hidden)


def _hide(data: Any, hidden: frozenset[str]) -> Any:
    if isinstance(data, Mapping):
        out = {name: _hide_value(name, value, hidden) for name, value in data.items()}
        if _is_assessment(out):
            out = _assessment_without_money(out)
        return out
    if isinstance(data, list | tuple):
        return [_hide(item, hidden) for item in data]
    return data


def _hide_value(name: Any, value: Any, hidden: frozenset[str]) -> Any:
    if name not in hidden:
        return _hide(value, hidden)
    if isinstance(value, Mapping):
        return dict(HIDDEN)
    return None


def _is_assessment(data: Mapping[str, Any]) -> bool:
    return "key" in data and "reasons" in data and "colour" in data


def health_reasons(key: str, reasons: Sequence[str], colour: str | None) -> tuple[str, ...]:
    """An assessment's reasons for a reader without money: a money dimension's reasons say
    only that its figures are for managers and stakeholders; the overall's sentences quoting a
    money dimension keep its colour and lose the figures."""
    if key in MONEY_DIMENSIONS:
        return (HIDDEN_REASON,) if colour is not None else tuple(reasons)
    out = []
    for reason in reasons:
        named = next(
            (d for d in MONEY_DIMENSIONS if reason.startswith(f"{d.capitalize()} is ")), None
        )
        out.append(f"{named.capitalize()} is {colour}." if named and colour else reason)
    return tuple(out)


def override_reason(key: str, reason: str) -> str:
    """A manager's written reason for overriding a money dimension may quote figures."""
    return HIDDEN_REASON if key in MONEY_DIMENSIONS else reason


def _assessment_without_money(data: dict[str, Any]) -> dict[str, Any]:
    key = str(data.get("key"))
    colour = data.get("colour")
    reasons = list(health_reasons(key, data.get("reasons") or (), colour))
    override = data.get("override")
    if isinstance(override, Mapping) and "reason" in override:
        override = {**override, "reason": override_reason(key, str(override["reason"]))}
    return {**data, "reasons": reasons, "override": override}


def changes_for(changes: Mapping[str, Any], *, money: bool) -> dict[str, Any]:
    """A history entry's `{field: [old, new]}` without the money fields unless `money`."""
    return dict(changes) if money else {n: p for n, p in changes.items() if n not in MONEY_KEYS}


class MoneySerializerMixin(_Base):
    """A serializer whose money fields are null for readers without money.

    The reader's role comes from `context["role"]` (one object's page or endpoint), else from
    the instance's annotated `my_role` (lists made with projects.access.with_my_role); with
    neither, the data is shown as is (internal callers: exports for managers, tests).
    """

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        context = getattr(self, "context", {}) or {}
        if "role" in context:
            role = context["role"]
        elif hasattr(instance, "my_role"):
            role = instance.my_role
        else:
            return data
        return hide(data, money=sees_money(role))

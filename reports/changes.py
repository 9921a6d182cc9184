"""What changed between two status-report snapshots (pure: plain dicts in, sentences out).

Snapshots are the JSON that reports/snapshot.py freezes; this reads only what it knows and
ignores sections it does not (a later source's section simply adds nothing here until it does).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

_RANK = {"green": 0, "amber": 1, "red": 2}


def _colour_change(label: str, before: str | None, after: str | None) -> str | None:
    if before == after:
        return None
    if before is None:
        return f"{label} now has data: {after}."
    if after is None:
        return f"{label} no longer has data (was {before})."
    direction = "worsened" if _RANK[after] > _RANK[before] else "improved"
    return f"{label} {direction} from {before} to {after}."


def _health_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    changes: list[str] = []
    old_h, new_h = before.get("health") or {}, after.get("health") or {}
    overall = _colour_change(
        "Overall health",
        (old_h.get("overall") or {}).get("colour"),
        (new_h.get("overall") or {}).get("colour"),
    )
    if overall:
        changes.append(overall)
    old_dims = {d["key"]: d.get("colour") for d in old_h.get("dimensions", [])}
    for dimension in new_h.get("dimensions", []):
        key = dimension["key"]
        change = _colour_change(key.capitalize(), old_dims.get(key), dimension.get("colour"))
        if change:
            changes.append(change)
    return changes


def _days_moved(old: str | None, new: str | None) -> int:
    try:
        return abs((date.fromisoformat(str(new)) - date.fromisoformat(str(old))).days)
    except ValueError:  # a missing or unreadable date in an old snapshot: ranked last
        return 0


def _top_milestones(lines: list[tuple[int, str]], limit: int | None) -> list[str]:
    """At most `limit` milestone sentences: those reached, then the biggest moves, shown in the
    plan's order; the rest counted in one sentence (a plan of 500 milestones moved by one slip
    would otherwise fill pages)."""
    if limit is None or len(lines) <= limit:
        return [line for _, line in lines]
    ranked = sorted(range(len(lines)), key=lambda index: (-lines[index][0], index))
    kept = sorted(ranked[:limit])
    more = len(lines) - limit
    return [lines[index][1] for index in kept] + [
        f"… and {more:,} more milestone{'s' if more != 1 else ''} moved or reached."
    ]


def _schedule_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, milestone_limit: int | None
) -> list[str]:
    if not before or not after:
        return []
    changes: list[str] = []
    delta = after.get("percent_complete", 0) - before.get("percent_complete", 0)
    if delta:
        changes.append(
            f"Progress {'rose' if delta > 0 else 'fell'} from {before.get('percent_complete')}% "
            f"to {after.get('percent_complete')}%."
        )
    if before.get("finish") != after.get("finish") and after.get("finish"):
        changes.append(f"Forecast finish moved from {before.get('finish')} to {after['finish']}.")
    old_milestones = {m["task_id"]: m for m in before.get("milestones", [])}
    # (rank, sentence): a reached milestone ranks above any move, a bigger move above a smaller
    milestones: list[tuple[int, str]] = []
    for milestone in after.get("milestones", []):
        old = old_milestones.get(milestone["task_id"])
        if old is None:
            continue
        if milestone.get("done") and not old.get("done"):
            milestones.append((1 << 30, f"Milestone “{milestone['name']}” was reached."))
        elif old.get("forecast") != milestone.get("forecast") and milestone.get("forecast"):
            moved = _days_moved(old.get("forecast"), milestone["forecast"])
            milestones.append(
                (
                    moved,
                    f"Milestone “{milestone['name']}” moved from {old.get('forecast')} "
                    f"to {milestone['forecast']}.",
                )
            )
    changes += _top_milestones(milestones, milestone_limit)
    late_before, late_after = (
        before.get("late_critical_count", 0),
        after.get("late_critical_count", 0),
    )
    if late_before != late_after:
        changes.append(f"Late critical tasks: {late_before} → {late_after}.")
    return changes


def _cost_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """CPI, the forecast at completion and what was spent (reports/sources/cost.py)."""
    if not before or not after:
        return []
    changes: list[str] = []
    currency = after.get("currency", "")
    old, new = before.get("figures") or {}, after.get("figures") or {}
    if old.get("cpi") != new.get("cpi") and new.get("cpi") is not None:
        changes.append(f"CPI moved from {old.get('cpi') or 'not defined'} to {new['cpi']}.")
    if before.get("forecast") != after.get("forecast") and after.get("forecast") is not None:
        changes.append(
            f"Forecast at completion moved from {before.get('forecast') or '—'} to "
            f"{after['forecast']} {currency}."
        )
    if old.get("ac") is not None and new.get("ac") is not None:
        spent = Decimal(new["ac"]) - Decimal(old["ac"])
        if spent:
            changes.append(f"Actual cost grew by {spent} {currency} to {new['ac']} {currency}.")
    return changes


def what_changed(
    before: dict[str, Any] | None, after: dict[str, Any], *, milestone_limit: int | None = None
) -> list[str]:
    """Sentences saying what changed since `before` (None: this is the first report); with
    `milestone_limit`, at most that many milestone sentences and one counting the rest."""
    if before is None:
        return ["This is the project's first status report."]
    changes = _health_changes(before, after)
    old_sections, new_sections = before.get("sections") or {}, after.get("sections") or {}
    changes += _schedule_changes(
        old_sections.get("schedule"), new_sections.get("schedule"), milestone_limit
    )
    changes += _cost_changes(old_sections.get("cost"), new_sections.get("cost"))
    return changes or ["Nothing in the measures changed since the last report."]

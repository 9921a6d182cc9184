"""`/baselines/{id}/comparison/`: the plan against a baseline, figures whole, rows a page at once.

The comparison of 5,010 tasks was one 1.65 MB answer (issue 14). Now every answer carries the
project's figures and `summary` over every task, and one page of the rows `show` keeps
(default all) in `sort` order (default the outline), at most `page_size` (default 500); `next`
is a cursor link to the rest. The cursor is the last row's place in the order
(compare.sort_key), so a plan edited between two pages neither repeats nor skips a row that
stayed put. The rows are computed in memory from a fixed number of queries whatever the page.
"""

import base64
import binascii
import json
from bisect import bisect_right
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from projects.baselines import compare as compare_engine
from projects.baselines import selectors as baseline_selectors
from projects.baselines.compare import Order, Show, SortKey, TaskVariance
from projects.models import Baseline
from tpm.api.pagination import CURSOR_PARAM, SIZE_PARAM

PAGE_SIZE = 500  # about 170 KB of rows
MAX_PAGE_SIZE = 2000  # under 1 MB: a row is about 340 bytes

PARAMETERS = [
    OpenApiParameter(
        "show",
        OpenApiTypes.STR,
        enum=[s.value for s in Show],
        description="Which rows: all (default), changed (added, removed or any variance not "
        "zero) or slipped (finishing later than baselined). `summary` counts every row.",
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=[o.value for o in Order],
        description="outline (default: the plan's order, removed tasks after it) or finish "
        "(the biggest finish slip first).",
    ),
    OpenApiParameter(
        SIZE_PARAM,
        OpenApiTypes.INT,
        description=f"Rows per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
    ),
    OpenApiParameter(CURSOR_PARAM, OpenApiTypes.STR, description="From a previous `next`."),
]


def _choice(request: Request, name: str, kind: type[Show] | type[Order], default: Any) -> Any:
    text = request.query_params.get(name)
    if text is None:
        return default
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(item.value for item in kind)
        raise exceptions.ValidationError({name: [f"One of {allowed}."]}) from None


def _page_size(request: Request) -> int:
    text = request.query_params.get(SIZE_PARAM)
    if text is None:
        return PAGE_SIZE
    if not text.isdigit() or int(text) < 1:
        raise exceptions.ValidationError({SIZE_PARAM: ["A whole number from 1."]})
    return min(int(text), MAX_PAGE_SIZE)


def encode_cursor(key: SortKey, order: Order) -> str:
    text = json.dumps({"o": order.value, "k": list(key)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: Order) -> SortKey:
    """The sort key a cursor carries, else a 400 naming `cursor`."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        made_for, key = data["o"], data["k"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise exceptions.ValidationError({CURSOR_PARAM: ["Not a cursor of this list."]}) from None
    if made_for != order.value:
        raise exceptions.ValidationError(
            {CURSOR_PARAM: ["This cursor was made for another order; start again without it."]}
        )
    if not isinstance(key, list) or not all(isinstance(v, int | str) for v in key):
        raise exceptions.ValidationError({CURSOR_PARAM: ["Not a cursor of this list."]})
    return tuple(key)


def _variance_row(row: TaskVariance) -> dict[str, Any]:
    entry = row.entry
    return {
        "kind": row.kind.value,
        "task": row.current.key if row.current else (row.baseline.key if row.baseline else None),
        "wbs_code": entry.wbs_code,
        "name": entry.name,
        "is_milestone": entry.is_milestone,
        "baseline_start": row.baseline.start_at if row.baseline else None,
        "baseline_finish": row.baseline.finish_at if row.baseline else None,
        "start": row.current.start_at if row.current else None,
        "finish": row.current.finish_at if row.current else None,
        "start_variance_days": row.start_days,
        "finish_variance_days": row.finish_days,
        "duration_variance_days": row.duration_days,
    }


def _summary(summary: compare_engine.Summary) -> dict[str, Any]:
    biggest = summary.biggest_slip
    return {
        "total": summary.total,
        "added": summary.added,
        "removed": summary.removed,
        "slipped": summary.slipped,
        "early": summary.early,
        "unchanged": summary.unchanged,
        "changed": summary.changed,
        "biggest_slip": biggest.entry.key if biggest else None,
        "biggest_slip_days": biggest.finish_days if biggest else None,
        "total_slip_days": summary.total_slip_days,
    }


def comparison_body(baseline: Baseline, request: Request) -> dict[str, Any]:
    show = _choice(request, "show", Show, Show.ALL)
    order = _choice(request, "sort", Order, Order.OUTLINE)
    size = _page_size(request)
    cursor = request.query_params.get(CURSOR_PARAM)
    comparison = baseline_selectors.baseline_comparison(baseline=baseline)
    result = comparison.result
    rows = compare_engine.shown(result.rows, show, order)
    start = 0
    if cursor:
        keys = [compare_engine.sort_key(row, order) for row in rows]
        try:
            start = bisect_right(keys, decode_cursor(cursor, order))
        except TypeError:  # a cursor edited by hand: a string where a number goes
            raise exceptions.ValidationError(
                {CURSOR_PARAM: ["Not a cursor of this list."]}
            ) from None
    page = rows[start : start + size]
    next_link = None
    if start + size < len(rows):
        last = encode_cursor(compare_engine.sort_key(page[-1], order), order)
        next_link = replace_query_param(request.build_absolute_uri(), CURSOR_PARAM, last)
    return {
        "baseline": baseline.pk,
        "minutes_per_day": comparison.minutes_per_day,
        "baseline_finish": baseline.project_finish,
        "finish": comparison.current_finish,
        "finish_variance_days": result.project_finish_days,
        "slipped_milestones": [row.entry.key for row in result.slipped_milestones],
        "summary": _summary(compare_engine.summarise(result.rows)),
        "count": len(rows),
        "next": next_link,
        "tasks": [_variance_row(row) for row in page],
    }
